"""A matter's summary arithmetic: detail, discount, tax, net and due totals computed from its lines.

LEDES XML (2.x and 2000) states these figures per matter: the writers write them, the
readers keep a file's own figures on the model (``Matter.stated_totals``) for the rule
``arithmetic.matter-totals`` to compare with them, and the invoice total rule adds
matters up with them. Amounts are before tax, as LEDES XML holds
them: a fee's ``total_amount`` is the model line total less its tax (the model's totals
include tax, as LEDES 1998BI's do).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from ledes.model import LineItem, LineItemType, Matter, amount
from ledes.money import ZERO, to_minor

if TYPE_CHECKING:  # annotations only: the class is built when an XML or LEDES 2000 file is read
    from ledes.model import Stated, StatedTax

FEE_TYPES = (LineItemType.FEE, LineItemType.FEE_ADJUSTMENT)
EXPENSE_TYPES = (LineItemType.EXPENSE, LineItemType.EXPENSE_ADJUSTMENT)


def line_tax(taxable: Decimal, rate: Decimal, currency: str | None = None) -> Decimal:
    """The tax on an amount at a rate, to the currency's minor unit (the cent when None): how the reader derives a line's tax from its rate."""
    return to_minor(taxable * rate, currency)


def pre_tax_total(item: LineItem) -> object:
    """A line's XML ``total_amount``: the model total less its tax; the total itself when either is not a number."""
    total, tax = item.total, item.tax_total
    if type(total) is Decimal and type(tax) is Decimal:
        return total - tax
    return total


def pre_tax_amount(item: LineItem) -> Decimal | None:
    """A line's total less its tax as a number for the arithmetic (malformed amounts at their evident value); None when unreadable."""
    total, tax = amount(item.total), amount(item.tax_total) if item.tax_total is not None else ZERO
    if total is None or tax is None:
        return None
    return total - tax


def adjustment_amount(item: LineItem) -> object:
    """The amount of an IF/IE line as XML ``disc_cred_amount`` holds it: its total before tax, else its adjustment."""
    if item.total is not None:
        return pre_tax_total(item)
    return item.adjustment


def _sum(values: Iterable[object]) -> Decimal | None:
    """The sum of some amounts, None when one of them is not a number (empty counts as 0; malformed, its evident value)."""
    total = ZERO
    for value in values:
        if value is None:
            continue
        number = amount(value)
        if number is None:
            return None
        total += number
    return total


def _add(*values: Decimal | None) -> Decimal | None:
    total = ZERO
    for value in values:
        if value is None:
            return None
        total += value
    return total


def matter_totals(matter: Matter, currency: str | None = None) -> dict[str, Decimal | None]:
    """The matter summary of ``matter``, keyed as the MATTER table's ``=`` targets; None where a line's amount is unreadable.

    Net fees are detail fees plus the fee discounts and credits (negative for a
    discount), times the client's share of fees when one is given; likewise for
    expenses. The total due is net fees plus net expenses plus the tax on each. A share
    is rounded to ``currency``'s minor unit (the invoice's; the cent when None).
    """
    items = matter.line_items
    fees = [item for item in items if item.type is LineItemType.FEE]
    expenses = [item for item in items if item.type is LineItemType.EXPENSE]
    fee_credits = [item for item in items if item.type is LineItemType.FEE_ADJUSTMENT]
    expense_credits = [item for item in items if item.type is LineItemType.EXPENSE_ADJUSTMENT]
    detail_fees = _pre_tax_sum(fees)
    detail_expenses = _pre_tax_sum(expenses)
    credit_fees = _pre_tax_sum(fee_credits)
    credit_expenses = _pre_tax_sum(expense_credits)
    tax_fees = _sum(item.tax_total for item in items if item.type in FEE_TYPES)
    tax_expenses = _sum(item.tax_total for item in items if item.type in EXPENSE_TYPES)
    net_fees = _shared(_add(detail_fees, credit_fees), matter.fee_share, currency)
    net_expenses = _shared(_add(detail_expenses, credit_expenses), matter.expense_share, currency)
    return {
        "detail_fees": detail_fees,
        "detail_expenses": detail_expenses,
        "credit_fees": credit_fees,
        "credit_expenses": credit_expenses,
        "credit_total": _add(credit_fees, credit_expenses),
        "tax_fees": tax_fees,
        "tax_expenses": tax_expenses,
        "net_fees": net_fees,
        "net_expenses": net_expenses,
        "total_due": _add(net_fees, net_expenses, tax_fees, tax_expenses),
    }


# The discount and credit figures of ``matter_totals``: the lines give a discount negative, an increase positive.
CREDIT_FIGURES = ("credit_fees", "credit_expenses", "credit_total")


def credits_as_stated(totals: dict[str, Decimal | None], stated: Mapping[str, Stated],
                      currency: str | None = None) -> tuple[dict[str, Decimal | None], bool]:
    """``totals`` (``matter_totals``) with the discount and credit figures signed as ``stated`` (the matter's own
    figures) signs them, and whether that is the opposite of the lines' sign.

    LEDES XML 2.x leaves the sign of ``matter_disc_credit_fees``, ``matter_disc_credit_exp`` and
    ``matter_disc_cred_total`` open: the TOTVS SIGAPFS ``LEDES22`` routine states a discount there as a
    positive reduction beside its negative ``disc_cred_amount``. A matter whose stated figures agree, to
    ``currency``'s minor unit, more often with the negated totals than with the totals is read so (a total of
    zero agrees with both); the net and due figures are the lines' either way.
    """
    agree = 0
    for key in CREDIT_FIGURES:
        figure, computed = stated.get(key), totals.get(key)
        number = amount(figure.value) if figure is not None else None
        if number is None or computed is None or not to_minor(computed, currency):
            continue
        given = to_minor(number, currency)
        agree += (given == to_minor(-computed, currency)) - (given == to_minor(computed, currency))
    if agree <= 0:
        return totals, False
    negated = {key: -value for key in CREDIT_FIGURES if (value := totals.get(key)) is not None}
    return {**totals, **negated}, True


def _pre_tax_sum(items: Iterable[LineItem]) -> Decimal | None:
    """The lines' amounts before tax (a discount line's adjustment where it has no total), added; None when one is unreadable."""
    total = ZERO
    for item in items:
        if item.total is not None:
            number = pre_tax_amount(item)
        elif item.adjustment is not None:
            number = amount(item.adjustment)
        else:
            continue
        if number is None:
            return None
        total += number
    return total


def _shared(total: Decimal | None, share: object, currency: str | None) -> Decimal | None:
    if total is None or share is None or share == 1:
        return total
    number = amount(share)
    if number is None:
        return None
    return to_minor(total * number, currency)


def tax_summary(items: list[LineItem]) -> dict[str, Decimal]:
    """The taxable amounts and taxes on fees and on expenses of the lines under one tax, keyed as TAX_SUMMARY's ``=`` targets."""
    sums: dict[str, Decimal] = {}
    for suffix, types in (("fees", FEE_TYPES), ("expenses", EXPENSE_TYPES)):
        chosen = [item for item in items if item.type in types]
        if not chosen:
            continue
        taxable = _pre_tax_sum(chosen)
        taxes = _sum(item.tax_total for item in chosen)
        if taxable is not None:
            sums[f"taxable_{suffix}"] = taxable
        if taxes is not None:
            sums[f"tax_{suffix}"] = taxes
    return sums


def taxes_on_totals(items: Iterable[LineItem], currency: str | None = None,
                    summaries: Iterable[StatedTax] = ()) -> dict[str, Decimal] | None:
    """The taxes on fees and on expenses (``tax_fees``, ``tax_expenses``) worked out once per tax on the taxable total
    of the lines under it, as a file that rounds the tax of a total has them (99.99 at 20 %: 20.00, where three lines
    of 33.33 give 6.67 each); None when a taxed line's rate or amount is unreadable. A tax is known by its summary
    (``summaries``: a matter's, each tax once, so a line under two taxes counts under each at its rate), else by the
    rate of the lines it taxes."""
    taxable: dict[tuple[str, object], tuple[Decimal, Decimal]] = {}  # (fees or expenses, tax) -> rate, taxable total
    covered: set[int] = set()
    summarised: set[str | None] = set()
    for summary in summaries:
        rate = summary.rate
        if type(rate) is not Decimal or summary.tax_id in summarised:
            continue
        summarised.add(summary.tax_id)
        for item in summary.line_items:
            if not _add_taxable(taxable, item, summary.tax_id, rate):
                return None
            covered.add(id(item))
    for item in items:
        if item.tax_total is not None and id(item) not in covered:
            rate = item.tax_rate
            if type(rate) is not Decimal or not _add_taxable(taxable, item, rate, rate):
                return None
    taxes = {"tax_fees": ZERO, "tax_expenses": ZERO}
    for (suffix, _), (rate, total) in taxable.items():
        taxes[f"tax_{suffix}"] += line_tax(total, rate, currency)
    return taxes


def _add_taxable(taxable: dict[tuple[str, object], tuple[Decimal, Decimal]], item: LineItem, tax: object,
                 rate: Decimal) -> bool:
    """Add ``item``'s amount before tax to the taxable total of ``tax``; False when it is unreadable."""
    number = pre_tax_amount(item)
    if number is None:
        return False
    suffix = "fees" if item.type in FEE_TYPES else "expenses" if item.type in EXPENSE_TYPES else None
    if suffix is not None:
        key = (suffix, tax)
        taxable[key] = (rate, taxable.get(key, (rate, ZERO))[1] + number)
    return True


def matter_taxes_on_totals(matter: Matter, currency: str | None = None) -> dict[str, Decimal] | None:
    """``taxes_on_totals`` of a matter's lines, each tax known by the matter's own summary of it where it states one."""
    stated = matter.stated_totals
    return taxes_on_totals(matter.line_items, currency, stated.taxes if stated is not None else ())


def taxed_on_totals(matter: Matter, totals: dict[str, Decimal | None],
                    currency: str | None = None) -> dict[str, Decimal | None] | None:
    """The matter's ``totals`` (``matter_totals``) with its taxes worked out on its taxable totals
    (``matter_taxes_on_totals``), the total due with them; None when those taxes cannot be worked out."""
    taxes = matter_taxes_on_totals(matter, currency)
    if taxes is None:
        return None
    due = _add(totals["net_fees"], totals["net_expenses"], taxes["tax_fees"], taxes["tax_expenses"])
    return {**totals, **taxes, "total_due": due}
