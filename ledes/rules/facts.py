"""What the guideline rules read from an invoice's lines, worked out once per invoice and shared by every rule.

Each rule used to read each line's fields again through small helpers (``hours``,
``timekeeper_id``, ``code``, ...), some 58 calls a line with the default guidelines. Here
the first rule that asks for an invoice's facts (``invoice_facts``) works them out for
every line at once: kind, hours, rate, total, date, timekeeper and the UTBMS codes as the
sets spell them; the next rules on the same invoice receive the same object, kept in the
run's state. A fee line's narrative is read once (``Line.narrative``: its lower-case form and
words) for every narrative check, which then runs on each line: most narratives of a firm's file
are distinct. An analysis of a few repeated texts (expense descriptions) is remembered per
distinct text (``TextMemo``, bounded) for the run.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

from ledes.model import Invoice, LineItem, LineItemType, Matter
from ledes.narratives.wording import Wording
from ledes.rules.base import ApprovedTimekeeper, Context
from ledes.rules.lineitems import billed, code

Result = TypeVar("Result")

_FEE = LineItemType.FEE
_EXPENSE = LineItemType.EXPENSE
_MISSING: Any = object()


class Line:
    """One line item's facts: each None where the file's value is empty or did not convert.

    ``kind`` is the line's ``LineItemType`` (None when empty or unreadable); ``hours`` and
    ``rate`` the units and unit cost; ``keeper`` the TIMEKEEPER_ID (None when blank);
    ``task``, ``activity`` and ``expense_code`` the codes trimmed and upper-cased; ``credit``
    whether the line's total is negative.
    """

    __slots__ = ("_wording", "activity", "credit", "day", "expense", "expense_code", "fee", "hours", "item", "keeper",
                 "kind", "matter", "rate", "task", "total", "travel")

    def __init__(self, item: LineItem, matter: Matter, codes: dict[object, str | None]) -> None:
        self.item = item
        self.matter = matter
        kind = item.type
        self.kind = kind if isinstance(kind, LineItemType) else None
        self.fee = kind is _FEE
        self.expense = kind is _EXPENSE
        units, cost, total, when = item.units, item.unit_cost, item.total, item.date
        self.hours: Decimal | None = units if type(units) is Decimal else None
        self.rate: Decimal | None = cost if type(cost) is Decimal else None
        self.total: Decimal | None = total if type(total) is Decimal else None
        self.credit = self.total is not None and self.total < 0  # a credit line: it gives money back
        self.day: date | None = when if isinstance(when, date) else None
        keeper = item.timekeeper
        if keeper is None:
            self.keeper: str | None = None
        else:
            identifier = keeper.id
            self.keeper = identifier if isinstance(identifier, str) and identifier.strip() else None
        # ``code(value)`` of each code, remembered: an invoice uses a few codes on many lines.
        task, activity, expense_code = item.task_code, item.activity_code, item.expense_code
        found = codes.get(task, _MISSING)
        self.task = found if found is not _MISSING else _code(task, codes)
        found = codes.get(activity, _MISSING)
        self.activity = found if found is not _MISSING else _code(activity, codes)
        found = codes.get(expense_code, _MISSING)
        self.expense_code = found if found is not _MISSING else _code(expense_code, codes)
        self._wording: Wording | None = None
        self.travel: bool | None = None  # whether the line is travel by ``rules.travel``'s default marks, once known

    def bills_nothing(self) -> bool:
        """Whether the line is a no-charge entry: a total of 0, and units × rate + adjustment 0 too where they read
        (written down to nothing, or at a rate of 0; not a total that disagrees with them)."""
        if self.total is None or self.total:
            return False
        charged = billed(self.item)
        return charged is None or not charged

    def amount(self) -> Decimal | None:
        """What the line bills before tax: units × unit cost + adjustment, else its total (None when neither reads)."""
        charged = billed(self.item)
        return charged if charged is not None else self.total

    def classification(self, approved: Mapping[str, ApprovedTimekeeper] | None) -> str | None:
        """The timekeeper's classification as a client's rules compare it: the one its approved list gives, else the
        billed one; trimmed and upper-cased (None when neither is given)."""
        found = approved.get(self.keeper) if approved is not None and self.keeper is not None else None
        keeper = self.item.timekeeper
        value = found.classification if found is not None and found.classification else (
            keeper.classification if keeper is not None else None)
        return value.strip().upper() if isinstance(value, str) and value.strip() else None

    def narrative(self) -> Wording | None:
        """The description read for the narrative checks, once for all of them; None when it is empty."""
        found = self._wording
        if found is None:
            description = self.item.description
            if isinstance(description, str) and description:
                found = self._wording = Wording(description)
        return found


def _code(value: str | None, codes: dict[object, str | None]) -> str | None:
    """``code(value)``, remembered in ``codes``."""
    found = codes[value] = code(value)
    return found


class InvoiceFacts:
    """An invoice's lines as ``Line`` facts: every line in order, the fee lines, and each matter's lines."""

    __slots__ = ("_narrated", "client", "fees", "firm", "lines", "matters")

    def __init__(self, invoice: Invoice, codes: dict[object, str | None]) -> None:
        self.firm = invoice.law_firm.id if invoice.law_firm is not None else None
        self.client = invoice.client.id if invoice.client is not None else None
        self.matters: list[tuple[Matter, list[Line]]] = [
            (matter, [Line(item, matter, codes) for item in matter.line_items]) for matter in invoice.matters
        ]
        self.lines: list[Line] = list(itertools.chain.from_iterable(lines for _, lines in self.matters))
        self.fees: list[Line] = [line for line in self.lines if line.fee]
        self._narrated: tuple[list[LineItem], list[Wording]] | None = None

    def narrated(self) -> tuple[list[LineItem], list[Wording]]:
        """The fee lines with a narrative and, in the same order, their readings: listed once for every narrative rule.

        A credit (a negative total) bills no work, and a no-charge line (a total of 0) nothing: what
        their narratives say is not judged.
        """
        found = self._narrated
        if found is None:
            pairs = [(line.item, narrative) for line in self.fees
                     if not line.credit and not line.bills_nothing() and (narrative := line.narrative()) is not None]
            found = self._narrated = [item for item, _ in pairs], [narrative for _, narrative in pairs]
        return found


class _Latest:
    """The facts of the invoice the rules are on (one at a time), and the codes seen in the run."""

    __slots__ = ("codes", "facts", "invoice")

    def __init__(self) -> None:
        self.invoice: Invoice | None = None
        self.facts: InvoiceFacts | None = None
        self.codes: dict[object, str | None] = {}


_LATEST_KEY = "facts.invoice"


def invoice_facts(invoice: Invoice, context: Context) -> InvoiceFacts:
    """The facts of ``invoice``'s lines: worked out by the first rule that asks, then shared with the others."""
    latest: _Latest = context.run.slot(_LATEST_KEY, _Latest)
    if latest.invoice is not invoice or latest.facts is None:
        if len(latest.codes) > _CODES_KEPT:
            latest.codes.clear()
        latest.facts = InvoiceFacts(invoice, latest.codes)
        latest.invoice = invoice
    return latest.facts


_CODES_KEPT = 4096  # distinct code spellings remembered; a run uses a few dozen


class TextMemo(Generic[Result]):
    """What ``analyse`` says of each distinct text in the run, the most recent ``capacity`` texts remembered."""

    __slots__ = ("analyse", "capacity", "known")

    def __init__(self, analyse: Callable[[Any], Result], capacity: int = 8192) -> None:
        self.analyse = analyse
        self.capacity = capacity
        self.known: dict[str, Result] = {}

    def __call__(self, text: str, reading: Any = None) -> Result:
        """What ``analyse`` says of ``text``, given ``reading`` (the text as read already, a ``Wording``) if not None."""
        known = self.known
        found = known.get(text, _MISSING)
        if found is _MISSING:
            if len(known) >= self.capacity:  # forget the oldest half: memory stays bounded
                for oldest in list(itertools.islice(known, self.capacity // 2 or 1)):
                    del known[oldest]
            found = known[text] = self.analyse(text if reading is None else reading)
        return found


def text_memo(context: Context, key: Hashable, analyse: Callable[[Any], Result]) -> TextMemo[Result]:
    """The run's memo for ``key`` (a rule with its options, say), made with ``analyse`` on first use."""
    memo: TextMemo[Result] = context.run.slot(("facts.text", key), lambda: TextMemo(analyse))
    return memo
