"""What a file holds, in figures: invoices, matters, timekeepers, hours and amounts by line type."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs

from ledes.model import Invoice, LineItemType, amount

ZERO = Decimal(0)


def _number(value: object) -> Decimal:
    """A value as a number to add: a malformed amount at its evident value (``+100.00``: 100.00); empty or unreadable, 0."""
    number = amount(value)
    return ZERO if number is None else number


@attrs.define
class Tally:
    """Line count, units and money for one group of line items."""

    lines: int = 0
    units: Decimal = ZERO
    amount: Decimal = ZERO

    def add(self, units: Decimal, amount: Decimal) -> None:
        """Count one line of ``units`` and ``amount``, both already read as numbers (``_number``)."""
        self.lines += 1
        self.units += units
        self.amount += amount


@attrs.define
class TimekeeperSummary:
    id: str | None
    name: str | None
    classification: str | None
    fees: Tally = attrs.field(factory=Tally)


@attrs.define
class MatterSummary:
    """A matter's lines and amount; its ``lines.units`` are its fee hours, never added to expense quantities."""

    law_firm_matter_id: str | None
    client_matter_id: str | None
    lines: Tally = attrs.field(factory=Tally)
    expense_units: Decimal = ZERO


@attrs.define
class InvoiceSummary:
    """One invoice's header and the sums of its lines."""

    number: str | None
    date: object
    client_id: str | None
    law_firm_id: str | None
    billing_start: object
    billing_end: object
    stated_total: object
    currency: str | None = None
    tax_total: object = None
    line_total: Decimal = ZERO
    matters: list[MatterSummary] = attrs.field(factory=list)
    by_type: dict[str, Tally] = attrs.field(factory=dict)
    timekeepers: dict[str, TimekeeperSummary] = attrs.field(factory=dict)

    @classmethod
    def of(cls, invoice: Invoice) -> InvoiceSummary:
        """The invoice's header, no line counted yet."""
        return cls(
            number=invoice.number,
            date=invoice.date,
            client_id=invoice.client.id,
            law_firm_id=invoice.law_firm.id,
            billing_start=invoice.billing_start,
            billing_end=invoice.billing_end,
            stated_total=invoice.total,
            currency=invoice.currency,
            tax_total=invoice.tax_total,
        )


@attrs.define
class FileSummary:
    """Every invoice of a file, and totals over all of them."""

    invoices: list[InvoiceSummary] = attrs.field(factory=list)
    by_type: dict[str, Tally] = attrs.field(factory=dict)
    line_items: int = 0
    total: Decimal = ZERO

    @property
    def matters(self) -> int:
        """Distinct matters: one billed on two invoices counts once."""
        return len({matter.law_firm_matter_id for invoice in self.invoices for matter in invoice.matters})

    @property
    def timekeepers(self) -> int:
        return len({key for invoice in self.invoices for key in invoice.timekeepers})


def type_label(line_type: object) -> str:
    """``F fee``, ``IE expense adjustment``, or the unreadable code itself."""
    if isinstance(line_type, LineItemType):
        return f"{line_type.value} {line_type.name.lower().replace('_', ' ')}"
    return "unknown" if line_type is None else f"{line_type} (unknown)"


# Each line type's label, looked up rather than formatted for every line.
_LABELS: dict[object, str] = {line_type: type_label(line_type) for line_type in LineItemType}


def summarize(invoices: Iterable[Invoice]) -> FileSummary:
    """Sum the invoices as they stream past; only the per-invoice summaries are kept.

    Each line adds its units and amount to its matter, its line type (in the invoice and
    in the file) and, for a fee, its timekeeper, as ``Tally.add`` would, in the same order:
    the sums are the same to the last digit.
    """
    summary = FileSummary()
    file_by_type = summary.by_type
    fee, expense = LineItemType.FEE, LineItemType.EXPENSE
    for invoice in invoices:
        entry = InvoiceSummary.of(invoice)
        by_type, keepers = entry.by_type, entry.timekeepers
        for matter in invoice.matters:
            matter_entry = MatterSummary(matter.law_firm_matter_id, matter.client_matter_id)
            lines = matter_entry.lines
            for item in matter.line_items:
                line_type, units, total = item.type, item.units, item.total
                units = units if type(units) is Decimal else _number(units)
                total = total if type(total) is Decimal else _number(total)
                lines.add(units if line_type is fee else ZERO, total)
                if line_type is expense:
                    matter_entry.expense_units += units
                label = _LABELS.get(line_type) or type_label(line_type)
                for groups in (by_type, file_by_type):
                    tally = groups.get(label)
                    if tally is None:
                        tally = groups[label] = Tally()
                    tally.add(units, total)
                entry.line_total += total
                keeper = item.timekeeper
                if keeper is not None and line_type is fee:
                    key = keeper.id or keeper.name or "?"
                    person = keepers.get(key)
                    if person is None:
                        person = keepers[key] = TimekeeperSummary(keeper.id, keeper.name, keeper.classification)
                    person.fees.add(units, total)
            entry.matters.append(matter_entry)
            summary.line_items += matter_entry.lines.lines
        summary.total += entry.line_total
        summary.invoices.append(entry)
    return summary
