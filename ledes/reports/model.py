"""A billing report's records: groups with their totals, invoices, files and guideline findings."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import attrs

from ledes.diagnostics import Diagnostic
from ledes.model.invoice import Day, Money
from ledes.reports.keys import Key
from ledes.reports.period import Period
from ledes.reports.totals import Totals


@attrs.frozen
class Group:
    """The line items of one currency that share one value for each key (no keys: the currency's total)."""

    currency: str | None
    keys: tuple[Key, ...]
    totals: Totals


@attrs.frozen
class InvoiceTotal:
    """An invoice with counted lines: its stated total beside what its counted lines add up to."""

    path: str
    number: str | None
    date: Day
    client: Key
    currency: str | None
    stated_total: Money
    totals: Totals

    @property
    def agrees(self) -> bool:
        """True when the counted lines add up to the stated total (always so, without a period, for a sound invoice)."""
        return isinstance(self.stated_total, Decimal) and self.stated_total == self.totals.total


@attrs.frozen
class SourceFile:
    """One file read: its invoices and line items, and how many errors reading it found (``problems``: which)."""

    path: str
    invoices: int
    line_items: int
    reading_errors: int
    problems: tuple[Diagnostic, ...] = ()  # the first errors reading found (``KEPT``); for a file with no invoice, why


@attrs.frozen
class RuleFindings:
    """One rule's findings in one currency: how many, at which level, and the money they put at stake (summed).

    A rule with findings on invoices in several currencies has one of these per currency
    (None: the invoices that state none): money in different currencies is never added together.
    """

    rule: str
    severity: str
    count: int
    at_stake: Decimal
    currency: str | None = None


@attrs.frozen
class InvoiceRisk:
    """The money an invoice's review would likely cut (see ``ledes.FileReport.at_risk``)."""

    path: str
    invoice: str
    currency: str | None
    amount: Decimal


@attrs.frozen
class MatterRisk:
    """The money at risk on a matter's lines: each line's largest guideline finding, summed."""

    matter: Key
    currency: str | None
    amount: Decimal


@attrs.frozen
class Findings:
    """What a client's guidelines found in the counted lines, by rule, by invoice and by matter."""

    source: str
    rules: tuple[RuleFindings, ...]
    invoices: tuple[InvoiceRisk, ...]
    matters: tuple[MatterRisk, ...]

    def at_risk(self) -> dict[str | None, Decimal]:
        """The money at risk per currency: the invoices' figures summed (no currency stated first, then A to Z)."""
        totals: dict[str | None, Decimal] = {}
        for risk in self.invoices:
            totals[risk.currency] = totals.get(risk.currency, Decimal(0)) + risk.amount
        return dict(sorted(totals.items(), key=lambda entry: (entry[0] is not None, entry[0] or "")))


@attrs.frozen
class BillingReport:
    """Totals and hours of the counted line items of some invoice files, grouped by ``by``.

    ``groups`` has one row per currency and combination of key values, in key order;
    ``totals`` one per currency; ``leading`` the groups of the first key alone and
    ``months`` the totals by month (for charts). ``uncounted`` line items have no known
    line type or no readable total, or (with a period) no readable date. ``groups``,
    ``leading``, ``months`` and ``invoices`` are read again from temporary files each time they
    are iterated (``ledes.reports.spill``): a report over millions of lines stays small.
    """

    by: tuple[str, ...]
    period: Period | None
    files: tuple[SourceFile, ...]
    groups: Sequence[Group]
    totals: tuple[Group, ...]
    leading: Sequence[Group]
    months: Sequence[Group]
    invoices: Sequence[InvoiceTotal]
    uncounted: int
    findings: Findings | None = None

    @property
    def currencies(self) -> tuple[str | None, ...]:
        return tuple(group.currency for group in self.totals)

    @property
    def line_items(self) -> int:
        return sum(group.totals.lines for group in self.totals)
