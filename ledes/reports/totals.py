"""What a group of line items adds up to: lines, hours, fees, expenses, adjustments, tax and total, in Decimal."""

from __future__ import annotations

import itertools
import operator
from collections.abc import Sequence
from decimal import Decimal
from typing import cast

import attrs

from ledes.model import LineItem, LineItemType, amount
from ledes.reports.keys import Key, fullest

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
    """A running sum of line items, frozen into ``Totals`` when the report is complete.

    ``names`` is a group's key values as shown: for each key, the fullest name seen on the
    group's lines (``ledes.reports.keys.fullest``); empty for a tally of no group.
    """

    lines: int = 0
    hours: Decimal = ZERO
    fees: Decimal = ZERO
    expenses: Decimal = ZERO
    adjustments: Decimal = ZERO
    tax: Decimal = ZERO
    names: tuple[Key, ...] = ()

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

    def add_columns(self, columns: Columns) -> None:
        """Add a run of counted line items at once: each sum taken in line order, as ``add_figures`` takes it."""
        self.lines += columns.lines
        self.tax = sum(columns.taxes, self.tax)
        self.fees = sum(columns.fees, self.fees)
        self.hours = sum(columns.hours, self.hours)
        self.expenses = sum(columns.expenses, self.expenses)
        self.adjustments = sum(columns.adjustments, self.adjustments)

    def add_tally(self, other: Tally) -> None:
        """Add another running sum of line items (one made after this one's): for each key, the fullest name first seen."""
        self.lines += other.lines
        self.hours += other.hours
        self.fees += other.fees
        self.expenses += other.expenses
        self.adjustments += other.adjustments
        self.tax += other.tax
        self.names = fullest(self.names, other.names)

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


@attrs.frozen
class Columns:
    """The figures of a run of counted line items, by what they add to (``Tally.add_columns``), in line order."""

    lines: int
    taxes: list[Decimal]
    fees: list[Decimal]
    hours: list[Decimal]
    expenses: list[Decimal]
    adjustments: list[Decimal]


def columns(types: Sequence[object], totals: Sequence[Decimal], taxes: Sequence[Decimal | None],
            units: Sequence[Decimal | None]) -> Columns:
    """The ``Columns`` of line items that all count, given their line types, totals, taxes and units."""
    is_fee = list(map(operator.is_, types, itertools.repeat(LineItemType.FEE)))
    is_expense = list(map(operator.is_, types, itertools.repeat(LineItemType.EXPENSE)))
    is_adjustment = list(map(operator.not_, map(operator.or_, is_fee, is_expense)))
    return Columns(
        lines=len(types),
        taxes=_present(taxes),
        fees=list(itertools.compress(totals, is_fee)),
        hours=_present(list(itertools.compress(units, is_fee))),
        expenses=list(itertools.compress(totals, is_expense)),
        adjustments=list(itertools.compress(totals, is_adjustment)),
    )


def _present(values: Sequence[Decimal | None]) -> list[Decimal]:
    """The values that are not None, in order."""
    return cast(list[Decimal], list(itertools.compress(values, map(operator.is_not, values, itertools.repeat(None)))))
