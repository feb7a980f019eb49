"""The keys a report groups line items by: client, matter, timekeeper, classification, UTBMS codes and periods."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import attrs

from ledes.model import Invoice, LineItem, Matter
from ledes.reports.period import month_of, quarter_of, year_of
from ledes.utbms import Code, CodeKind, CodeSet

KEYS = (
    "client", "matter", "timekeeper", "classification", "phase", "task", "activity", "expense",
    "month", "quarter", "year",
)
PERIOD_KEYS = frozenset({"month", "quarter", "year"})
# What a key's alias is called in CSV and JSON: the client's matter id beside the law firm's.
ALIASES = {"matter": "client_matter_id"}


@attrs.frozen
class Key:
    """One group's value for one key (``0528``), with its name (``Merten Merger``); None is "none".

    ``alias`` is another identifier of the same thing: a matter's client matter id (``423-987``)
    beside the law firm's matter id.
    """

    value: str | None
    name: str | None = None
    alias: str | None = None

    @property
    def label(self) -> str:
        """``0528 423-987 Merten Merger``: the value, then the alias and the name where there are."""
        if self.value is None:
            return "(none)"
        return " ".join(part for part in (self.value, self.alias, self.name) if part)

    @property
    def detail(self) -> int:
        """How much the key says beside its value (a group shows the fullest its lines gave for each value)."""
        return len(self.alias or "") + len(self.name or "")


def fullest(known: tuple[Key, ...], found: tuple[Key, ...]) -> tuple[Key, ...]:
    """For each key, the one that says more beside its value (``detail``); the one seen first when they say as much."""
    if not known or not found:
        return known or found
    if known == found:
        return known
    return tuple(new if new.detail > old.detail else old for old, new in zip(known, found, strict=True))


def shown(key: Key) -> Key:
    """The key as a report shows it: its value alone when it has no name or alias, "none" for no value."""
    if key.value is None:
        return NONE
    return key if key.detail else Key(key.value)


NONE = Key(None)


@attrs.frozen
class Line:
    """A line item with the invoice and matter it is billed on."""

    invoice: Invoice
    matter: Matter
    item: LineItem


class CodeIndex:
    """UTBMS codes by kind, each with its name and its phase, from the first set that has it."""

    def __init__(self, sets: Mapping[str, CodeSet]) -> None:
        self.codes: dict[CodeKind, dict[str, Code]] = {kind: {} for kind in CodeKind}
        for code_set in sets.values():
            known = self.codes[code_set.kind]
            for code in code_set.codes.values():
                known.setdefault(code.code, code)
        self.phases = frozenset(c.parent for c in self.codes[CodeKind.TASK].values() if c.parent)

    def name(self, kind: CodeKind, code: str) -> str | None:
        found = self.codes[kind].get(code)
        return found.name if found else None

    def phase(self, task: str) -> str | None:
        """The phase of a task code (L120 → L100); a phase is its own; None for a code in no set."""
        if task in self.phases:
            return task
        found = self.codes[CodeKind.TASK].get(task)
        return found.parent if found else None


KeyFunction = Callable[[Line, CodeIndex], Key]


def client_of(invoice: Invoice) -> Key:
    """The client's id (the firm's code for it) and name."""
    return Key(invoice.client.id, invoice.client.name or None)


def matter_of(matter: Matter) -> Key:
    """The law firm's matter id, the matter's name, and the client's matter id as its alias."""
    return Key(matter.law_firm_matter_id, matter.name or None, matter.client_matter_id or None)


def _client(line: Line, codes: CodeIndex) -> Key:
    return client_of(line.invoice)


def _matter(line: Line, codes: CodeIndex) -> Key:
    return matter_of(line.matter)


def _timekeeper(line: Line, codes: CodeIndex) -> Key:
    keeper = line.item.timekeeper
    if keeper is None:
        return Key(None)
    return Key(keeper.id, keeper.name) if keeper.id else Key(keeper.name)


def _classification(line: Line, codes: CodeIndex) -> Key:
    keeper = line.item.timekeeper
    return Key(keeper.classification if keeper else None)


def _code(text: str | None) -> str | None:
    return (text.strip().upper() or None) if text else None


def _phase(line: Line, codes: CodeIndex) -> Key:
    task = _code(line.item.task_code)
    phase = codes.phase(task) if task else None
    return Key(phase, codes.name(CodeKind.TASK, phase) if phase else None)


def _coded(kind: CodeKind, field: str) -> KeyFunction:
    def key(line: Line, codes: CodeIndex) -> Key:
        code = _code(getattr(line.item, field))
        return Key(code, codes.name(kind, code) if code else None)

    return key


def _dated(period_of: Callable[[date], str]) -> KeyFunction:
    def key(line: Line, codes: CodeIndex) -> Key:
        day = line.item.date
        return Key(period_of(day) if isinstance(day, date) else None)

    return key


KEY_FUNCTIONS: Mapping[str, KeyFunction] = {
    "client": _client,
    "matter": _matter,
    "timekeeper": _timekeeper,
    "classification": _classification,
    "phase": _phase,
    "task": _coded(CodeKind.TASK, "task_code"),
    "activity": _coded(CodeKind.ACTIVITY, "activity_code"),
    "expense": _coded(CodeKind.EXPENSE, "expense_code"),
    "month": _dated(month_of),
    "quarter": _dated(quarter_of),
    "year": _dated(year_of),
}


def ordering(values: tuple[str | None, ...]) -> tuple[tuple[bool, str], ...]:
    """Sort groups by their values in key order, "none" last."""
    return tuple((value is None, value or "") for value in values)
