"""Arithmetic rules: line totals and invoice totals add up, to the cent."""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ledes.model import Invoice, LineItemType
from ledes.rules.base import Report, invoice_rule, is_number

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)


def to_cents(value: Decimal) -> Decimal:
    """Round half up to the cent, as invoices are rounded."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def differs(stated: Decimal, computed: Decimal, tolerance: Decimal) -> bool:
    """True when two amounts differ by more than ``tolerance`` once rounded to the cent."""
    if stated == computed:
        return False
    try:
        return abs(to_cents(stated) - to_cents(computed)) > tolerance
    except InvalidOperation:  # beyond the decimal context's precision: cannot be compared to the cent
        return True


_totals = functools.partial(map, operator.attrgetter("total"))
_adjustments = functools.partial(map, operator.attrgetter("adjustment"))


def _amounts(items: list) -> tuple:
    return map(operator.attrgetter("units"), items), map(operator.attrgetter("unit_cost"), items)


@invoice_rule("arithmetic.line-total", tolerance=ZERO)
def line_total(invoice: Invoice, report: Report, options: Mapping[str, object]) -> None:
    """LINE_ITEM_TOTAL = LINE_ITEM_NUMBER_OF_UNITS × LINE_ITEM_UNIT_COST + LINE_ITEM_ADJUSTMENT_AMOUNT, to the cent.

    Why: Legal Tracker error 006, "There's a math error in your invoice with respect to
    a line item"; every portal recomputes the line. An empty adjustment counts as 0.
    On IF/IE lines the amount may sit in the adjustment or in the unit cost: an empty
    unit cost counts as 0 and empty units as 1. F and E lines with empty or unreadable
    units or cost are left to ``field.required`` and ``field.number``.
    Options: ``tolerance`` (default 0.00): the difference in cents still accepted.
    Money at stake: the difference between the stated and the computed total.
    Passing: units ``2.00``, cost ``350``, adjustment ``-70``, total ``630``.
    Failing: units ``2.00``, cost ``350``, adjustment ``0``, total ``630``.
    """
    tolerance = Decimal(str(options["tolerance"]))
    items = list(invoice.line_items)
    try:  # fast path: every line has all four amounts and they add up exactly
        if all(map(operator.eq, map(operator.add, map(operator.mul, *_amounts(items)), _adjustments(items)), _totals(items))):
            return
    except TypeError:  # an empty or unreadable amount: check line by line
        pass
    adjustments = (LineItemType.FEE_ADJUSTMENT, LineItemType.EXPENSE_ADJUSTMENT)
    for item in items:
        total = item.total
        if type(total) is not Decimal:
            continue
        units, cost, adjustment = item.units, item.unit_cost, item.adjustment
        if item.type in adjustments:
            units = ONE if units is None else units
            cost = ZERO if cost is None else cost
        adjustment = ZERO if adjustment is None else adjustment
        if not (type(units) is Decimal and type(cost) is Decimal and type(adjustment) is Decimal):
            continue
        computed = units * cost + adjustment
        if differs(total, computed, tolerance):
            report(
                f"LINE_ITEM_TOTAL is {total} but units × unit cost + adjustment ="
                f" {units} × {cost} + {adjustment} = {computed}",
                record=item,
                field="line_item.total",
                amount=abs(total - computed),
            )


@invoice_rule("arithmetic.invoice-total", tolerance=ZERO)
def invoice_total(invoice: Invoice, report: Report, options: Mapping[str, object]) -> None:
    """INVOICE_TOTAL equals the sum of the invoice's LINE_ITEM_TOTAL values, to the cent.

    Why: "The invoice total does not equal the sum of all line items" (Corridor);
    Brightflag and eCounsel define INVOICE_TOTAL as that sum. Skipped when a line total
    is empty or unreadable (already reported by the field rules).
    Options: ``tolerance`` (default 0.00): the difference in cents still accepted.
    Money at stake: the difference between INVOICE_TOTAL and the sum.
    Passing: INVOICE_TOTAL ``1684.45`` over lines 630 + 700 + 40 + 24.95 + 289.5.
    Failing: INVOICE_TOTAL ``1250`` over two lines of 1250.
    """
    stated = invoice.total
    if not is_number(stated):
        return
    totals = list(_totals(invoice.line_items))
    try:
        computed = sum(totals, ZERO)
    except TypeError:  # an empty or unreadable line total, already reported
        return
    if differs(stated, computed, Decimal(str(options["tolerance"]))):
        report(
            f"INVOICE_TOTAL is {stated} but the {len(totals)} line item totals add up to {computed}",
            record=invoice,
            field="invoice.total",
            amount=abs(stated - computed),
        )


RULES = (line_total, invoice_total)
