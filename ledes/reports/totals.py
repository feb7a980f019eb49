"""What a group of line items adds up to: lines, hours, fees, expenses, adjustments, tax and total, in Decimal."""

from __future__ import annotations

from decimal import Decimal

import attrs

from ledes.model import LineItem, LineItemType, amount

ZERO = Decimal(0)


@attrs.frozen
class Totals:
    """The sums of a group's counted line items, exact (``ledes.figures`` rounds them when written).

    ``fees`` are the totals of F lines, ``expenses`` of E lines, ``adjustments`` of IF and IE
    lines; each line's total is as billed, tax included, so ``total`` (their sum) is what the
    lines add to the invoice total. ``tax`` is the part of them that is tax, for information.
    ``hours`` are the units of F lines.
    """

    lines: int = 0
    hours: Decimal = ZERO
    fees: Decimal = ZERO
    expenses: Decimal = ZERO
    adjustments: Decimal = ZERO
    tax: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.fees + self.expenses + self.adjustments


@attrs.define
class Tally:
    """A running sum of line items, frozen into ``Totals`` when the report is complete."""

    lines: int = 0
    hours: Decimal = ZERO
    fees: Decimal = ZERO
    expenses: Decimal = ZERO
    adjustments: Decimal = ZERO
    tax: Decimal = ZERO

    def add_figures(self, line_type: object, total: Decimal, tax: Decimal | None, units: Decimal | None) -> None:
        """Add a counted line item's ``figures``: a line read once is added to several tallies."""
        self.lines += 1
        if tax is not None:
            self.tax += tax
        if line_type is LineItemType.FEE:
            self.fees += total
            if units is not None:
                self.hours += units
        elif line_type is LineItemType.EXPENSE:
            self.expenses += total
        else:
            self.adjustments += total

    def totals(self) -> Totals:
        return Totals(self.lines, self.hours, self.fees, self.expenses, self.adjustments, self.tax)


def counts(item: LineItem) -> bool:
    """True for a line item the report can count: a known line type and a readable total (a malformed one's evident value)."""
    return isinstance(item.type, LineItemType) and amount(item.total) is not None


Figures = tuple[object, Decimal, "Decimal | None", "Decimal | None"]


def figures(item: LineItem) -> Figures:
    """What a counted line item adds to a tally: its line type, total, tax, and units (hours, for a fee)."""
    total = amount(item.total)
    assert total is not None
    return item.type, total, amount(item.tax_total), amount(item.units) if item.type is LineItemType.FEE else None
