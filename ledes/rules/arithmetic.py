"""Arithmetic rules: line totals and invoice totals add up, to the cent.

"The cent" is the invoice currency's ISO 4217 minor unit where the invoice states one
(LEDES 1998BI, XML): whole yen for JPY, the fils for KWD; LEDES 1998B states none and is
computed to the cent (``ledes.money.to_minor``).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

import attrs

from ledes.model import Invoice, LineItem, LineItemType, Matter, amount
from ledes.model.hours import as_hours, hours_minutes
from ledes.model.invoice import Money
from ledes.money import ZERO, to_minor
from ledes.rules import options as option
from ledes.rules.base import Report, invoice_rule
from ledes.totals import matter_taxes_on_totals, matter_totals, taxes_on_totals

ONE = Decimal(1)
# How a computed amount may be rounded to the minor unit: the option ``rounding`` of the arithmetic rules. Half up is
# what the LEDES texts' examples do; some portals let a client choose banker's rounding (eBillingHub's "rounding type").
HALF_UP = "half-up"
ROUNDINGS = {HALF_UP: (ROUND_HALF_UP,), "half-even": (ROUND_HALF_EVEN,), "either": (ROUND_HALF_UP, ROUND_HALF_EVEN)}


@attrs.frozen
class Tolerance:
    """The options of the arithmetic rules: by how much, once rounded to the currency's minor unit, two amounts may
    differ, and how a computed amount is rounded to it."""

    tolerance: Decimal = option.amount(0, minimum=0)
    rounding: str = option.one_of(HALF_UP, ROUNDINGS)


def differs(stated: Decimal, computed: Decimal, tolerance: Decimal, currency: str | None = None,
            rounding: str = HALF_UP) -> bool:
    """True when two amounts differ by more than ``tolerance`` once rounded to ``currency``'s minor unit (the cent when
    None), the computed one as ``rounding`` says (``either``: half up or half even, whichever is closer)."""
    if stated == computed:
        return False
    try:
        stated = to_minor(stated, currency)
        return all(abs(stated - to_minor(computed, currency, way)) > tolerance for way in ROUNDINGS[rounding])
    except InvalidOperation:  # beyond the decimal context's precision: cannot be compared to the cent
        return True


_totals = functools.partial(map, operator.attrgetter("total"))


def _taxes(items: list) -> Iterator[Decimal]:
    """Each line's tax, 0 where it has none (1998B)."""
    return map(_TAX_OR_ZERO.get, map(operator.attrgetter("tax_total"), items), map(operator.attrgetter("tax_total"), items))


_TAX_OR_ZERO = {None: Decimal(0)}
_adjustments = functools.partial(map, operator.attrgetter("adjustment"))


def _amounts(items: list) -> tuple:
    return map(operator.attrgetter("units"), items), map(operator.attrgetter("unit_cost"), items)


def _units(item: LineItem) -> Money:
    """The line's units; hours:minutes as the file spells them (LEDES 2000's ``00:20``), to the minute.

    The model keeps such units to 4 decimals (0.3333), whose product with the rate can
    miss the stated amount by a cent that the file never had wrong; the arithmetic takes
    hours + minutes ÷ 60, to 6 decimals (enough for any rate of 4 decimals to round to the
    same cent as the exact fraction).
    """
    spellings = item.spellings
    found = hours_minutes(spellings["units"]) if spellings and "units" in spellings else None
    if found is not None:
        try:
            return as_hours(*found).quantize(_SIX_PLACES)
        except InvalidOperation:  # more digits than the context holds: the 4 decimals read
            pass
    return item.units


_SIX_PLACES = Decimal("0.000001")


def _operand(value: Money, item: LineItem, empty: Decimal = ONE) -> object:
    """An operand as ``_base`` counts it, for a message: on an IF/IE line, empty units as 1 and an empty cost as 0."""
    return empty if value is None and item.type in _ADJUSTMENTS else value


def _base(item: LineItem) -> Decimal | None:
    """units × unit cost + adjustment: the line before tax, or None when an operand is missing or unreadable.

    An empty adjustment counts as 0. On IF/IE lines the amount may sit in the adjustment
    or in the unit cost: an empty unit cost counts as 0 and empty units as 1. A malformed
    number counts at its evident value (``+100.00`` as 100.00), which its finding states.
    """
    units, cost, adjustment = _units(item), item.unit_cost, item.adjustment
    if item.type in _ADJUSTMENTS:
        units = ONE if units is None else units
        cost = ZERO if cost is None else cost
    adjustment = ZERO if adjustment is None else adjustment
    units, cost, adjustment = amount(units), amount(cost), amount(adjustment)
    if units is not None and cost is not None and adjustment is not None:
        return units * cost + adjustment
    return None


_ADJUSTMENTS = (LineItemType.FEE_ADJUSTMENT, LineItemType.EXPENSE_ADJUSTMENT)


@invoice_rule("arithmetic.line-total", options=Tolerance)
def line_total(invoice: Invoice, report: Report, options: Tolerance) -> None:
    """LINE_ITEM_TOTAL = LINE_ITEM_NUMBER_OF_UNITS × LINE_ITEM_UNIT_COST + LINE_ITEM_ADJUSTMENT_AMOUNT (+ LINE_ITEM_TAX_TOTAL), to the cent.

    Why: Legal Tracker error 006, "There's a math error in your invoice with respect to
    a line item"; every portal recomputes the line. In LEDES 1998BI the line total
    includes the line's tax (Mitratech). An empty adjustment counts as 0. On IF/IE
    lines the amount may sit in the adjustment or in the unit cost: an empty unit cost
    counts as 0 and empty units as 1. F and E lines with empty or unreadable units or
    cost are left to ``field.required`` and ``field.number``. LEDES XML also states a
    fee's or expense's ``base_amount``, units × rate before any discount: where the file
    states one (``LineItem.stated_base``), it is checked here too, at its element.
    Options: ``tolerance`` (default 0.00), the difference in cents still accepted; ``rounding``
    (default ``half-up``; ``half-even``, banker's rounding; or ``either``), how a computed amount is rounded to the cent.
    Money at stake: the difference between the stated and the computed total.
    Passing: units ``2.00``, cost ``350``, adjustment ``-70``, total ``630``
    (1998BI: tax ``87.63``, total ``717.63``).
    Failing: units ``2.00``, cost ``350``, adjustment ``0``, total ``630``.
    """
    tolerance, currency, rounding = options.tolerance, invoice.currency, options.rounding
    items = list(invoice.line_items)
    _stated_bases(items, report, tolerance, currency, rounding)
    try:  # fast path: every line has all its amounts and they add up exactly
        bases = map(operator.add, map(operator.mul, *_amounts(items)), _adjustments(items))
        taxes = _taxes(items)
        if all(map(operator.eq, map(operator.add, bases, taxes), _totals(items))):
            return
    except TypeError:  # an empty or unreadable amount: check line by line
        pass
    for item in items:
        total, tax = amount(item.total), amount(item.tax_total)
        base = _base(item)
        if total is None or base is None or (tax is None and item.tax_total is not None):
            continue
        computed = base + tax if tax is not None else base
        if differs(total, computed, tolerance, currency, rounding):
            tax_part = f" + tax {item.tax_total}" if tax is not None else ""
            report(
                f"LINE_ITEM_TOTAL is {as_read(item.total)} but units × unit cost + adjustment{' + tax' if tax is not None else ''} ="
                f" {_operand(item.units, item)} × {_operand(item.unit_cost, item, ZERO)} + {item.adjustment or 0}{tax_part}"
                f" = {computed}",
                record=item,
                field="line_item.total",
                amount=abs(total - computed),
            )


def _stated_bases(items: list[LineItem], report: Report, tolerance: Decimal, currency: str | None,
                  rounding: str) -> None:
    """Each stated ``base_amount`` (LEDES XML) against units × rate, to the cent: the XML part of ``line_total``."""
    for item in items:
        stated = item.stated_base
        if stated is None:
            continue
        base, units, rate = amount(stated.value), amount(_units(item)), amount(item.unit_cost)
        if base is not None and units is not None and rate is not None:
            computed = units * rate
            if differs(base, computed, tolerance, currency, rounding):
                report(f"base_amount is {base} but units × rate = {units} × {rate} = {computed}", record=stated,
                       amount=abs(base - computed))


@invoice_rule("arithmetic.line-tax", options=Tolerance)
def line_tax(invoice: Invoice, report: Report, options: Tolerance) -> None:
    """LINE_ITEM_TAX_TOTAL = (units × unit cost + adjustment) × LINE_ITEM_TAX_RATE, to the cent (LEDES 1998BI).

    Why: CosmoLex and the LOC 1998BI text define the line tax so; portals recompute it
    and reject tenth-of-a-cent differences. Skipped on lines without a tax rate, or
    whose amounts are empty or unreadable. A rate of 1 or more,
    which ``field.tax-rate`` reports, passes when the tax is right at that rate or at that
    percentage (``20`` for 20 %); else a rate above 1 is compared as a percentage, so the
    money at stake is that of the tax, not of a rate a hundred times too large. The official 98BI
    sample fails this check on every taxed line (rate 0.061245, taxes of about 14 %). LEDES XML
    and 2000 state no line's tax (ledes works each out from its rate, sharing out a tax the
    file worked out on a taxable total): nothing to check there.
    Options: ``tolerance`` (default 0.00), the difference in cents still accepted; ``rounding``
    (default ``half-up``; ``half-even``, banker's rounding; or ``either``), how a computed amount is rounded to the cent.
    Money at stake: the difference between the stated and the computed tax.
    Passing: base 630, rate ``0.2``, tax ``126``.
    Failing: base 630, rate ``0.061245``, tax ``87.63`` (should be 38.58).
    """
    if invoice.taxes_by_rate:
        return  # no line tax stated: each is the reader's
    tolerance, currency, rounding = options.tolerance, invoice.currency, options.rounding
    items = list(invoice.line_items)
    rates, taxes = map(operator.attrgetter("tax_rate"), items), map(operator.attrgetter("tax_total"), items)
    if not any(rates) and not any(taxes):  # no rates and no taxes (1998B), or all of them zero
        return
    for item in items:
        rate, tax = amount(item.tax_rate), amount(item.tax_total)
        if rate is None or tax is None:
            continue
        base = _base(item)
        if base is None:
            continue
        computed, shown = base * rate, f"{rate}"
        if not differs(tax, computed, tolerance, currency, rounding):
            continue
        if rate >= 1:  # field.tax-rate's error: a percentage (20 for 20 %), or a rate of 100 % or more
            as_percentage = base * rate / 100
            if not differs(tax, as_percentage, tolerance, currency, rounding):
                continue
            if rate > 1:
                computed, shown = as_percentage, f"{rate / 100} ({rate} read as {rate} %)"
        rounded = to_minor(computed, currency, ROUNDINGS[rounding][0])
        report(
            f"LINE_ITEM_TAX_TOTAL is {as_read(item.tax_total)} but (units × unit cost + adjustment) × rate = {base} × {shown}"
            f" = {rounded}",
            record=item,
            field="line_item.tax_total",
            amount=abs(tax - rounded),
        )


@invoice_rule("arithmetic.invoice-total", options=Tolerance)
def invoice_total(invoice: Invoice, report: Report, options: Tolerance) -> None:
    """INVOICE_TOTAL equals the sum of the invoice's LINE_ITEM_TOTAL values, to the cent.

    Why: "The invoice total does not equal the sum of all line items" (Corridor);
    Brightflag and eCounsel define INVOICE_TOTAL as that sum. Skipped when a line total
    is empty or unreadable (already reported by the field rules). Where a LEDES XML
    matter bills the client only a share of it (``matter_perc_shar_fees`` below 1), that
    matter counts at its share, as its ``matter_total_due`` does. LEDES XML and 2000 give
    each line's taxes by rate only: a total whose tax was worked out once on the taxable
    total of each matter or of the invoice is right too.
    Options: ``tolerance`` (default 0.00), the difference in cents still accepted; ``rounding``
    (default ``half-up``; ``half-even``, banker's rounding; or ``either``), how a computed amount is rounded to the cent.
    Money at stake: the difference between INVOICE_TOTAL and the sum.
    Passing: INVOICE_TOTAL ``1684.45`` over lines 630 + 700 + 40 + 24.95 + 289.5.
    Failing: INVOICE_TOTAL ``1250`` over two lines of 1250.
    """
    stated = amount(invoice.total)
    if stated is None:
        return
    shown = as_read(invoice.total)
    if any(_shared(matter) for matter in invoice.matters):
        dues = [matter_totals(matter, invoice.currency)["total_due"] if _shared(matter) else _line_sum(matter) for matter in invoice.matters]
        known = [due for due in dues if due is not None]
        if len(known) < len(dues):
            return
        computed = sum(known, ZERO)
        _compare(report, invoice, "invoice.total", stated, computed, options,
                 f"INVOICE_TOTAL is {shown} but the matters, at the client's share, add up to {computed}")
        return
    totals = list(_totals(invoice.line_items))
    try:
        computed = sum(totals, ZERO)
    except TypeError:  # an empty or malformed line total: its evident value, where it has one
        added = _added(totals)
        if added is None:
            return  # an empty or unreadable line total, already reported
        computed = added
    if invoice.taxes_by_rate and not differs_from_taxed_once(invoice, stated, computed, options, with_lines=True):
        return
    _compare(report, invoice, "invoice.total", stated, computed, options,
             f"INVOICE_TOTAL is {shown} but the {len(totals)} line item totals add up to {computed}")


def differs_from_taxed_once(invoice: Invoice, stated: Decimal, computed: Decimal, options: Tolerance,
                            with_lines: bool) -> bool:
    """Whether ``stated`` (the invoice's tax, or ``with_lines`` its total) also differs from what it is with the taxes
    worked out once on the taxable totals, of each matter or of the whole invoice, rather than line by line (a file
    that gives its lines' taxes by rate only may state either): ``computed`` is the line-by-line figure."""
    currency = invoice.currency
    line_taxes = _added(item.tax_total for item in invoice.line_items if item.tax_total is not None)
    if line_taxes is None:
        return True
    pre_tax = computed - line_taxes if with_lines else ZERO
    ways = [[taxes_on_totals(invoice.line_items, currency)],
            [matter_taxes_on_totals(matter, currency) for matter in invoice.matters]]
    for way in ways:
        if None in way:
            continue  # a taxed line's rate or amount is unreadable
        taxes = sum((found["tax_fees"] + found["tax_expenses"] for found in way if found is not None), ZERO)
        if not differs(stated, pre_tax + taxes, options.tolerance, currency, options.rounding):
            return False
    return True


def _shared(matter: Matter) -> bool:
    """True when the client pays only a share of the matter's fees or expenses (LEDES XML matter_perc_shar_*)."""
    return any(share is not None and share != ONE for share in (matter.fee_share, matter.expense_share))


def _line_sum(matter: Matter) -> Decimal | None:
    return _added(_totals(matter.line_items))


def _added(values: Iterable[object]) -> Decimal | None:
    """The sum of some amounts, a malformed one at its evident value; None when one has none (or is empty)."""
    total = ZERO
    for value in values:
        number = amount(value)
        if number is None:
            return None
        total += number
    return total


def as_read(value: object) -> str:
    """A stated amount in a message: a malformed one as the file writes it, and the number it is read as."""
    if type(value) is Decimal:
        return str(value)
    return f"{value} (read as {amount(value)})"


@invoice_rule("arithmetic.invoice-tax", options=Tolerance)
def invoice_tax(invoice: Invoice, report: Report, options: Tolerance) -> None:
    """INVOICE_TAX_TOTAL equals the sum of the invoice's LINE_ITEM_TAX_TOTAL values, to the cent (LEDES 1998BI).

    Why: Mitratech defines INVOICE_TAX_TOTAL as that sum, and portals aggregate the
    line taxes rather than taking a percentage of the total. LEDES XML and 2000 state no
    line's tax (ledes works each out from its rate): there, a tax worked out once on the
    taxable total of each matter or of the invoice (99.99 at 20 %: 20.00, where three lines
    of 33.33 give 6.67 each) is right too. Skipped when the invoice has no tax total, or a
    line tax is unreadable.
    Options: ``tolerance`` (default 0.00), the difference in cents still accepted; ``rounding``
    (default ``half-up``; ``half-even``, banker's rounding; or ``either``), how a computed amount is rounded to the cent.
    Money at stake: the difference.
    Passing: INVOICE_TAX_TOTAL ``88.81`` over one line taxed 88.81.
    Failing: INVOICE_TAX_TOTAL ``182.52`` over lines taxed 87.63 + 92.6 + 5.29 (185.52).
    """
    stated = amount(invoice.tax_total)
    if stated is None:
        return
    computed = _added(item.tax_total for item in invoice.line_items if item.tax_total is not None)
    if computed is None:
        return
    if invoice.taxes_by_rate and not differs_from_taxed_once(invoice, stated, computed, options, with_lines=False):
        return
    _compare(report, invoice, "invoice.tax_total", stated, computed, options,
             f"INVOICE_TAX_TOTAL is {as_read(invoice.tax_total)} but the line item taxes add up to {computed}")


@invoice_rule("arithmetic.invoice-net", options=Tolerance)
def invoice_net(invoice: Invoice, report: Report, options: Tolerance) -> None:
    """INVOICE_NET_TOTAL = INVOICE_TOTAL − INVOICE_TAX_TOTAL, to the cent (LEDES 1998BI).

    Why: Mitratech defines the net total so; a net total that disagrees with the
    totals is rejected. INVOICE_TAX_TOTAL is optional and defined as the sum of the line
    taxes: when it is empty, that sum is the tax taken off (0 when no line states a tax), so
    a net total equal to the total of taxed lines is reported. Skipped when a total is empty
    or unreadable (or, with no tax total, a line tax).
    Options: ``tolerance`` (default 0.00), the difference in cents still accepted; ``rounding``
    (default ``half-up``; ``half-even``, banker's rounding; or ``either``), how a computed amount is rounded to the cent.
    Money at stake: the difference.
    Passing: total 1338.81, tax 88.81, net ``1250``.
    Failing: total 1869.97, tax 182.52, net ``1781.16`` (should be 1687.45).
    """
    stated, total = amount(invoice.net_total), amount(invoice.total)
    if invoice.tax_total is not None:
        tax, taken = amount(invoice.tax_total), "INVOICE_TAX_TOTAL"
    else:  # the sum INVOICE_TAX_TOTAL stands for
        tax = _added(item.tax_total for item in invoice.line_items if item.tax_total is not None)
        taken = "the line item taxes (INVOICE_TAX_TOTAL is empty)"
    if stated is None or total is None or tax is None:
        return
    computed = total - tax
    _compare(report, invoice, "invoice.net_total", stated, computed, options,
             f"INVOICE_NET_TOTAL is {as_read(invoice.net_total)} but INVOICE_TOTAL − {taken} ="
             f" {total} − {tax} = {computed}")


def _compare(
    report: Report,
    invoice: Invoice,
    field: str,
    stated: Decimal,
    computed: Decimal,
    options: Tolerance,
    message: str,
) -> None:
    """Report an invoice amount that differs from what its lines make it, with the difference at stake."""
    if differs(stated, computed, options.tolerance, invoice.currency, options.rounding):
        report(message, record=invoice, field=field, amount=abs(stated - computed))


RULES = (line_total, line_tax, invoice_total, invoice_tax, invoice_net)
