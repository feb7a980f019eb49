"""What validating found: each file's report, the run's, and the money at risk, summed as findings stream past."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Protocol

import attrs

from ledes.diagnostics import Diagnostic, Severity
from ledes.rules.catalogue import ENTRIES, WHOLE_INVOICE_RULES
from ledes.rules.runstore import SpillingMap, digest


class Listener(Protocol):
    """What ``check`` tells as it goes: a file begins, each finding, the file is done; in that order, file by file."""

    def file_started(self, path: str, format: str | None) -> None: ...

    def finding(self, diagnostic: Diagnostic, currency: str | None) -> None:
        """A finding, with the currency its invoice states (None: none stated, or no invoice)."""

    def file_finished(self, file: FileChecked) -> None: ...


@attrs.frozen
class FileChecked:
    """A checked file without its findings (those went to the listener): its format, counts and invoices' currencies."""

    path: str
    format: str | None
    invoices: int
    line_items: int
    currencies: Mapping[str, str | None] = attrs.field(factory=dict, hash=False)


@attrs.frozen
class Progress:
    """How far a run has got: file ``file`` of ``files``, its line items read so far, and its bytes (None: unknown)."""

    path: str
    file: int
    files: int
    line_items: int
    bytes_read: int | None
    size: int | None


class AtRisk:
    """Per invoice, the reduction a client's review would likely make: each line's largest guideline finding, summed.

    Findings on one line overlap (a rate above the cap on a block-billed entry is not cut
    twice), so each line counts once, at its largest amount at stake; a finding on the
    invoice or a matter as a whole overlaps its lines' findings, and the larger counts.
    Fed one finding at a time (``add``), it keeps a running total per invoice; each line's
    largest figure lives in a ``SpillingMap``, so memory stays flat however many lines are
    at risk.
    """

    def __init__(self, capacity: int | None = None) -> None:
        self._largest: SpillingMap[Decimal] = SpillingMap(str, Decimal, capacity)
        self._lines: dict[str, Decimal] = {}  # per invoice: the sum of its lines' largest figures
        self._whole: dict[str, Decimal] = {}

    def add(self, diagnostic: Diagnostic) -> None:
        rule = ENTRIES.get(diagnostic.rule)
        if rule is None or not rule.guideline or diagnostic.amount is None or diagnostic.invoice is None:
            return
        amount = abs(diagnostic.amount)
        if diagnostic.rule in WHOLE_INVOICE_RULES:
            self._whole[diagnostic.invoice] = max(self._whole.get(diagnostic.invoice, Decimal(0)), amount)
            return
        key = digest((diagnostic.invoice, diagnostic.line, diagnostic.location.xpath if diagnostic.location else None))
        before = self._largest.get(key, Decimal(0))
        lines = self._lines.setdefault(diagnostic.invoice, Decimal(0))
        if amount > before:
            self._largest.set(key, amount)
            self._lines[diagnostic.invoice] = lines + amount - before

    def totals(self) -> dict[str, Decimal]:
        """The money at risk per invoice number, in the order the invoices were first found at risk."""
        totals = dict(self._lines)
        for invoice, amount in self._whole.items():
            totals[invoice] = max(totals.get(invoice, Decimal(0)), amount)
        return totals


@attrs.frozen
class FileReport:
    """What validating one file found; ``format`` is None for a file that is no LEDES file at all."""

    path: str
    format: str | None
    invoices: int
    line_items: int
    diagnostics: tuple[Diagnostic, ...]
    # Each invoice number read, with the currency its invoice states (None: none stated, as in 1998B),
    # recorded as the file streams past; the first invoice of a number repeated in the file decides.
    currencies: Mapping[str, str | None] = attrs.field(factory=dict, hash=False)

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    @property
    def at_risk(self) -> dict[str, Decimal]:
        """Per invoice, the reduction a client's review would likely make (see ``AtRisk``)."""
        risk = AtRisk()
        for diagnostic in self.diagnostics:
            risk.add(diagnostic)
        return risk.totals()

    @property
    def at_risk_by_currency(self) -> dict[str | None, Decimal]:
        """The money at risk per currency (None: the invoices that state none): ``at_risk``'s invoices summed."""
        return by_currency(self.at_risk.items(), self.currencies)


@attrs.frozen
class Report:
    """What validating several files found."""

    files: tuple[FileReport, ...]

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    @property
    def at_risk(self) -> Decimal | None:
        """The money at risk over every file; None when it is in more than one currency (see ``at_risk_by_currency``).

        Invoices that state no currency count as a currency of their own: money in different
        currencies is never added together.
        """
        if len(self.at_risk_by_currency) > 1:
            return None
        return sum((amount for file in self.files for amount in file.at_risk.values()), Decimal(0))

    @property
    def at_risk_by_currency(self) -> dict[str | None, Decimal]:
        """The money at risk over every file, per currency (None: the invoices that state none), in currency order."""
        totals: dict[str | None, Decimal] = {}
        for file in self.files:
            for currency, amount in file.at_risk_by_currency.items():
                totals[currency] = totals.get(currency, Decimal(0)) + amount
        return in_currency_order(totals)


def in_currency_order(totals: Mapping[str | None, Decimal]) -> dict[str | None, Decimal]:
    """Invoices that state no currency first, then currencies in alphabetical order."""
    return dict(sorted(totals.items(), key=lambda entry: (entry[0] is not None, entry[0] or "")))


def by_currency(amounts: Iterable[tuple[str, Decimal]], currencies: Mapping[str, str | None]) -> dict[str | None, Decimal]:
    """Per-invoice amounts summed per currency, in currency order."""
    totals: dict[str | None, Decimal] = {}
    for invoice, amount in amounts:
        currency = currencies.get(invoice)
        totals[currency] = totals.get(currency, Decimal(0)) + amount
    return in_currency_order(totals)
