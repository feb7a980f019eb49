"""Arithmetic rules: line totals and invoice totals add up, to the cent.

"The cent" is the invoice currency's ISO 4217 minor unit where the invoice states one
(LEDES 1998BI, XML): whole yen for JPY, the fils for KWD; LEDES 1998B states none and is
computed to the cent (``ledes.money.to_minor``).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

import attrs

from ledes.model import Invoice, LineItem, LineItemType, Matter, amount
from ledes.money import ZERO, to_minor
from ledes.rules import options as option
from ledes.rules.base import Report, invoice_rule, is_number
from ledes.totals import EXPENSE_TYPES, FEE_TYPES, matter_totals, pre_tax_amount
from ledes.totals import line_tax as line_tax_of

if TYPE_CHECKING:  # annotations only: their classes are built when an XML or LEDES 2000 file is read
    from ledes.model import Stated, StatedTimekeeper

ONE = Decimal(1)


@attrs.frozen
class Tolerance:
    """The options of the arithmetic rules: by how much, once rounded to the currency's minor unit, two amounts may differ."""

    tolerance: Decimal = option.amount(0, minimum=0)


def differs(stated: Decimal, computed: Decimal, tolerance: Decimal, currency: str | None = None) -> bool:
    """True when two amounts differ by more than ``tolerance`` once rounded to ``currency``'s minor unit (the cent when None)."""
    if stated == computed:
        return False
    try:
        return abs(to_minor(stated, currency) - to_minor(computed, currency)) > tolerance
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


def _base(item: LineItem) -> Decimal | None:
    """units × unit cost + adjustment: the line before tax, or None when an operand is missing or unreadable.

    An empty adjustment counts as 0. On IF/IE lines the amount may sit in the adjustment
    or in the unit cost: an empty unit cost counts as 0 and empty units as 1. A malformed
    number counts at its evident value (``+100.00`` as 100.00), which its finding states.
    """
    units, cost, adjustment = item.units, item.unit_cost, item.adjustment
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
    Options: ``tolerance`` (default 0.00): the difference in cents still accepted.
    Money at stake: the difference between the stated and the computed total.
    Passing: units ``2.00``, cost ``350``, adjustment ``-70``, total ``630``
    (1998BI: tax ``87.63``, total ``717.63``).
    Failing: units ``2.00``, cost ``350``, adjustment ``0``, total ``630``.
    """
    tolerance, currency = options.tolerance, invoice.currency
    items = list(invoice.line_items)
    _stated_bases(items, report, tolerance, currency)
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
        if differs(total, computed, tolerance, currency):
            tax_part = f" + tax {item.tax_total}" if tax is not None else ""
            report(
                f"LINE_ITEM_TOTAL is {_as_read(item.total)} but units × unit cost + adjustment{' + tax' if tax is not None else ''} ="
                f" {item.units} × {item.unit_cost} + {item.adjustment or 0}{tax_part} = {computed}",
                record=item,
                field="line_item.total",
                amount=abs(total - computed),
            )


def _stated_bases(items: list[LineItem], report: Report, tolerance: Decimal, currency: str | None) -> None:
    """Each stated ``base_amount`` (LEDES XML) against units × rate, to the cent: the XML part of ``line_total``."""
    for item in items:
        stated = item.stated_base
        if stated is None:
            continue
        base, units, rate = amount(stated.value), amount(item.units), amount(item.unit_cost)
        if base is not None and units is not None and rate is not None:
            computed = units * rate
            if differs(base, computed, tolerance, currency):
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
    sample fails this check on every taxed line (rate 0.061245, taxes of about 14 %).
    Options: ``tolerance`` (default 0.00): the difference in cents still accepted.
    Money at stake: the difference between the stated and the computed tax.
    Passing: base 630, rate ``0.2``, tax ``126``.
    Failing: base 630, rate ``0.061245``, tax ``87.63`` (should be 38.58).
    """
    tolerance, currency = options.tolerance, invoice.currency
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
        if not differs(tax, computed, tolerance, currency):
            continue
        if rate >= 1:  # field.tax-rate's error: a percentage (20 for 20 %), or a rate of 100 % or more
            as_percentage = base * rate / 100
            if not differs(tax, as_percentage, tolerance, currency):
                continue
            if rate > 1:
                computed, shown = as_percentage, f"{rate / 100} ({rate} read as {rate} %)"
        rounded = to_minor(computed, currency)
        report(
            f"LINE_ITEM_TAX_TOTAL is {_as_read(item.tax_total)} but (units × unit cost + adjustment) × rate = {base} × {shown}"
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
    matter counts at its share, as its ``matter_total_due`` does.
    Options: ``tolerance`` (default 0.00): the difference in cents still accepted.
    Money at stake: the difference between INVOICE_TOTAL and the sum.
    Passing: INVOICE_TOTAL ``1684.45`` over lines 630 + 700 + 40 + 24.95 + 289.5.
    Failing: INVOICE_TOTAL ``1250`` over two lines of 1250.
    """
    stated = amount(invoice.total)
    if stated is None:
        return
    shown = _as_read(invoice.total)
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
    _compare(report, invoice, "invoice.total", stated, computed, options,
             f"INVOICE_TOTAL is {shown} but the {len(totals)} line item totals add up to {computed}")


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


def _as_read(value: object) -> str:
    """A stated amount in a message: a malformed one as the file writes it, and the number it is read as."""
    if type(value) is Decimal:
        return str(value)
    return f"{value} (read as {amount(value)})"


@invoice_rule("arithmetic.invoice-tax", options=Tolerance)
def invoice_tax(invoice: Invoice, report: Report, options: Tolerance) -> None:
    """INVOICE_TAX_TOTAL equals the sum of the invoice's LINE_ITEM_TAX_TOTAL values, to the cent (LEDES 1998BI).

    Why: Mitratech defines INVOICE_TAX_TOTAL as that sum, and portals aggregate the
    line taxes rather than taking a percentage of the total. Skipped when the invoice
    has no tax total, or a line tax is unreadable.
    Options: ``tolerance`` (default 0.00): the difference in cents still accepted.
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
    _compare(report, invoice, "invoice.tax_total", stated, computed, options,
             f"INVOICE_TAX_TOTAL is {_as_read(invoice.tax_total)} but the line item taxes add up to {computed}")


@invoice_rule("arithmetic.invoice-net", options=Tolerance)
def invoice_net(invoice: Invoice, report: Report, options: Tolerance) -> None:
    """INVOICE_NET_TOTAL = INVOICE_TOTAL − INVOICE_TAX_TOTAL, to the cent (LEDES 1998BI).

    Why: Mitratech defines the net total so; a net total that disagrees with the
    totals is rejected. An empty tax total counts as 0. Skipped when a total is empty
    or unreadable.
    Options: ``tolerance`` (default 0.00): the difference in cents still accepted.
    Money at stake: the difference.
    Passing: total 1338.81, tax 88.81, net ``1250``.
    Failing: total 1869.97, tax 182.52, net ``1781.16`` (should be 1687.45).
    """
    stated, total = amount(invoice.net_total), amount(invoice.total)
    tax = ZERO if invoice.tax_total is None else amount(invoice.tax_total)
    if stated is None or total is None or tax is None:
        return
    computed = total - tax
    _compare(report, invoice, "invoice.net_total", stated, computed, options,
             f"INVOICE_NET_TOTAL is {_as_read(invoice.net_total)} but INVOICE_TOTAL − INVOICE_TAX_TOTAL ="
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
    if differs(stated, computed, options.tolerance, invoice.currency):
        report(message, record=invoice, field=field, amount=abs(stated - computed))


@invoice_rule("arithmetic.matter-totals")
def matter_figures(invoice: Invoice, report: Report, options: object) -> None:
    """A LEDES XML matter's summary figures and tax summaries agree with its lines, to the cent.

    Why: LEDES XML states each matter's totals (``matter_total_detail_fees``,
    ``matter_total_detail_exp``, ``matter_disc_credit_fees``, ``matter_disc_credit_exp``,
    ``matter_disc_cred_total``, ``matter_tax_on_fees``, ``matter_tax_on_exp``,
    ``matter_net_fees``, ``matter_net_exp``, ``matter_total_due``) and, per tax, the
    taxable amounts and taxes (``tax_summary``); portals recompute them from the fees,
    expenses and discounts, and a generator that adds them up differently (the 2023
    LOC clarification of the @MATTER math) is rejected. Detail fees are the sum of the
    fees' ``total_amount``; discounts and credits the sum of the ``matter_disc_cred``
    amounts of each category (negative for a discount); net = detail + discounts
    (times ``matter_perc_shar_*`` when given); total due = net fees + net expenses +
    the tax on each. A tax summary's taxable amounts are those of the lines under its
    ``tx_id``, its taxes each line's at that tax's rate; the summaries are not checked
    when a line refers to a tax the file does not define (``xml.tax-reference``).
    LEDES 2000's ``tk_sum`` is checked too: ``tk_hours`` is the hours of that
    timekeeper's fees (at ``tk_rate``, when given), ``tk_cost`` those hours × ``tk_rate``.
    The figures are the file's own, as its reader keeps them (``Matter.stated_totals``);
    a matter read from a format that states none (1998B) has nothing to check. Each
    finding is at the stated figure's element.
    Options: none.
    Money at stake: the difference between the stated and the computed figure.
    Passing: fees of 630 and 40, ``<matter_total_detail_fees>670.00</matter_total_detail_fees>``.
    Failing: the same fees with ``<matter_total_detail_fees>700.00</matter_total_detail_fees>``.
    """
    currency = invoice.currency
    for matter in invoice.matters:
        stated = matter.stated_totals
        if stated is None:
            continue
        if stated.figures:
            computed = matter_totals(matter, currency)
            for key, figure in stated.figures.items():
                _figure(report, figure, computed.get(key), "the matter's lines", currency)
        if not stated.unplaced:
            for summary in stated.taxes:
                rate = amount(summary.rate)
                if rate is None:
                    continue  # an unknown tax, or one without a rate: reported where a line uses it
                taxes = _tax_figures(summary.line_items, rate, currency)
                for key, figure in summary.figures.items():
                    _figure(report, figure, taxes.get(key), "the matter's lines", currency)
        for keeper in stated.timekeepers:
            _timekeeper_figures(report, matter, keeper, currency)


def _figure(report: Report, figure: Stated, computed: Decimal | None, source: str, currency: str | None) -> None:
    """Report a stated figure that differs from what ``source`` give, to the currency's minor unit, at the figure's element."""
    stated = amount(figure.value)
    if stated is None or computed is None or to_minor(stated, currency) == to_minor(computed, currency):
        return
    report(f"{figure.name} is {_as_read(figure.value)} but {source} give {to_minor(computed, currency)}", record=figure,
           amount=abs(stated - computed))


def _tax_figures(items: Iterable[LineItem], rate: Decimal, currency: str | None) -> dict[str, Decimal]:
    """What a tax summary should state for one tax: the taxable fees and expenses under it, and that tax on each.

    The tax is computed per line at this tax's rate, so a line that carries several taxes
    counts under each with its own share.
    """
    figures: dict[str, Decimal] = {}
    for suffix, types in (("fees", FEE_TYPES), ("expenses", EXPENSE_TYPES)):
        amounts = [pre_tax_amount(item) for item in items if item.type in types]
        numbers = [number for number in amounts if number is not None]
        if numbers and len(numbers) == len(amounts):
            figures[f"taxable_{suffix}"] = sum(numbers, ZERO)
            figures[f"tax_{suffix}"] = sum((line_tax_of(number, rate, currency) for number in numbers), ZERO)
    return figures


def _timekeeper_figures(report: Report, matter: Matter, keeper: StatedTimekeeper, currency: str | None) -> None:
    """A timekeeper summary's hours and cost: the hours of that timekeeper's fees at its rate, times the rate."""
    rate = keeper.rate
    fees = [
        item for item in matter.line_items
        if item.type is LineItemType.FEE and item.timekeeper is not None and item.timekeeper.id == keeper.id
        and (not is_number(rate) or item.unit_cost == rate)
    ]
    units = [item.units for item in fees]
    hours = [number for number in map(amount, units) if number is not None]
    if len(hours) < len(units):
        return
    total = sum(hours, ZERO)
    computed = {"hours": total, "cost": total * rate if is_number(rate) else None}
    for key, figure in keeper.figures.items():
        _figure(report, figure, computed.get(key), "the timekeeper's fees", currency)


MATTER_TOTALS = matter_figures  # the rule object, by the name the readers once reported it with

RULES = (line_total, line_tax, invoice_total, invoice_tax, invoice_net, matter_figures)
