"""arithmetic.matter-totals: a LEDES XML or 2000 matter's stated summary figures agree with its lines, to the cent."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from ledes.model import Invoice, LineItem, LineItemType, Matter, amount
from ledes.money import ZERO, to_minor
from ledes.rules.arithmetic import as_read
from ledes.rules.base import Report, invoice_rule, is_number
from ledes.totals import (
    CREDIT_FIGURES,
    EXPENSE_TYPES,
    FEE_TYPES,
    credits_as_stated,
    matter_totals,
    pre_tax_amount,
    taxed_on_totals,
)
from ledes.totals import line_tax as line_tax_of

ONE = Decimal(1)

if TYPE_CHECKING:  # annotations only: their classes are built when an XML or LEDES 2000 file is read
    from ledes.model import Stated, StatedTimekeeper


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
    amounts of each category (negative for a discount; the spec leaves the sign of these
    three figures open, and one generator, TOTVS SIGAPFS, states a discount there as a
    positive reduction: a matter whose figures are the negation of its lines' is read
    so); net = detail + discounts (times ``matter_perc_shar_*`` when given, and
    whichever sign the discount figures take); total due = net fees + net expenses +
    the tax on each. A tax summary's taxable amounts are those of the lines under its
    ``tx_id``, its taxes each line's at that tax's rate; as LEDES XML states no line's tax,
    a tax worked out once on the taxable total (99.99 at 20 %: 20.00, where three fees of
    33.33 give 6.67 each) is right too, in the tax figures and the totals due that hold
    them. The summaries are not checked
    when a line refers to a tax the file does not define (``xml.tax-reference``).
    LEDES 2000's ``tk_sum`` is checked too: ``tk_hours`` is the hours of that
    timekeeper's fees (at ``tk_rate``, when given), ``tk_cost`` those hours × ``tk_rate``;
    several summaries of one timekeeper at one rate (a promotion: one per classification,
    which 2000 fees do not carry) are right when together they state those hours and cost.
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
            totals = matter_totals(matter, currency)
            computed, reductions = credits_as_stated(totals, stated.figures, currency)
            on_totals = taxed_on_totals(matter, totals, currency)
            taxed_once = credits_as_stated(on_totals, stated.figures, currency)[0] if on_totals is not None else {}
            for key, figure in stated.figures.items():
                source = _AS_REDUCTIONS if reductions and key in CREDIT_FIGURES else "the matter's lines"
                _figure(report, figure, computed.get(key), source, currency, also=taxed_once.get(key))
        if not stated.unplaced:
            computed_taxes: dict[int, tuple[Decimal, dict[str, Decimal]]] = {}  # by the lines' tuple, shared per tax
            first: dict[tuple[int, str], Decimal] = {}  # what a tax's first summary states, by figure
            for summary in stated.taxes:
                rate = amount(summary.rate)
                if rate is None:
                    continue  # an unknown tax, or one without a rate: reported where a line uses it
                known = computed_taxes.get(id(summary.line_items))
                if known is not None and known[0] is rate:
                    taxes = known[1]  # a tax summarised again: its lines are not added again
                else:
                    taxes = _tax_figures(summary.line_items, rate, currency)
                    computed_taxes[id(summary.line_items)] = (rate, taxes)
                for key, figure in summary.figures.items():
                    earlier = first.get((id(summary.line_items), key))
                    if earlier is not None:  # summarised again: as its first right summary worked it out (either way)
                        _figure(report, figure, earlier, "the figures of the tax's first summary", currency)
                        continue
                    ways = (taxes.get(key), taxes.get(f"{key}_on_total"))
                    _figure(report, figure, ways[0], "the matter's lines", currency, also=ways[1])
                    value = amount(figure.value)
                    if value is not None and any(way is not None and to_minor(way, currency) == to_minor(value, currency)
                                                 for way in ways):
                        first[(id(summary.line_items), key)] = value
        if stated.timekeepers:
            fees = _FeesByTimekeeper(matter)
            groups: dict[tuple[str | None, Decimal | None], list[StatedTimekeeper]] = {}
            for keeper in stated.timekeepers:
                given = keeper.rate
                groups.setdefault((keeper.id, given if isinstance(given, Decimal) and given.is_finite() else None),
                                  []).append(keeper)
            for group in groups.values():
                if len(group) == 1:
                    _timekeeper_figures(report, fees, group[0], currency)
                else:  # one timekeeper's hours at one rate, split by classification: checked together
                    _split_figures(report, fees, group, currency)


_AS_REDUCTIONS = "the matter's lines (a discount as a positive reduction, as this matter's other discount figures state it)"


def _figure(report: Report, figure: Stated, computed: Decimal | None, source: str, currency: str | None,
            price: Decimal | None = ONE, also: Decimal | None = None) -> None:
    """Report a stated figure that differs from what ``source`` give, to the currency's minor unit, at the figure's
    element; the money at stake is the difference times ``price`` (a rate, for hours; None: none known). ``also`` is
    the figure as it is with the tax worked out once on a taxable total, which is right too."""
    stated = amount(figure.value)
    if stated is None or computed is None or to_minor(stated, currency) == to_minor(computed, currency):
        return
    if also is not None and to_minor(stated, currency) == to_minor(also, currency):
        return
    report(f"{figure.name} is {as_read(figure.value)} but {source} give {to_minor(computed, currency)}", record=figure,
           amount=None if price is None else abs(stated - computed) * price)


def _tax_figures(items: Iterable[LineItem], rate: Decimal, currency: str | None) -> dict[str, Decimal]:
    """What a tax summary should state for one tax: the taxable fees and expenses under it, and that tax on each.

    The tax is computed per line at this tax's rate, so a line that carries several taxes
    counts under each with its own share; ``tax_*_on_total`` is it worked out once on the
    taxable amount, which a file may state instead.
    """
    figures: dict[str, Decimal] = {}
    for suffix, types in (("fees", FEE_TYPES), ("expenses", EXPENSE_TYPES)):
        amounts = [pre_tax_amount(item) for item in items if item.type in types]
        numbers = [number for number in amounts if number is not None]
        if numbers and len(numbers) == len(amounts):
            taxable = figures[f"taxable_{suffix}"] = sum(numbers, ZERO)
            figures[f"tax_{suffix}"] = sum((line_tax_of(number, rate, currency) for number in numbers), ZERO)
            figures[f"tax_{suffix}_on_total"] = line_tax_of(taxable, rate, currency)
    return figures


class _FeesByTimekeeper:
    """A matter's fee hours by timekeeper id, and by timekeeper id and rate: its lines are read once.

    A fee at a rate that is no number (or NaN) is under no rate: it equals no ``tk_rate``.
    Each group's hours are added once, however many summaries state them.
    """

    def __init__(self, matter: Matter) -> None:
        self.by_id: dict[str | None, list[object]] = {}
        self.by_rate: dict[tuple[str | None, Decimal], list[object]] = {}
        self.totals: dict[object, Decimal | None] = {}
        for item in matter.line_items:
            if item.type is LineItemType.FEE and item.timekeeper is not None:
                keeper_id, cost = item.timekeeper.id, item.unit_cost
                self.by_id.setdefault(keeper_id, []).append(item.units)
                if isinstance(cost, Decimal) and not cost.is_nan():
                    self.by_rate.setdefault((keeper_id, cost), []).append(item.units)

    def hours(self, keeper: StatedTimekeeper) -> Decimal | None:
        """The hours of the fees a summary covers (its timekeeper's, at its rate when it states one); None if one is unreadable."""
        rate = keeper.rate
        key: object
        if not is_number(rate):
            key, units = keeper.id, self.by_id.get(keeper.id, [])
        elif rate.is_nan():
            return ZERO  # no fee's rate equals NaN
        else:
            key, units = (keeper.id, rate), self.by_rate.get((keeper.id, rate), [])
        if key not in self.totals:
            hours = [number for number in map(amount, units) if number is not None]
            self.totals[key] = sum(hours, ZERO) if len(hours) == len(units) else None
        return self.totals[key]


def _expected(fees: _FeesByTimekeeper, keeper: StatedTimekeeper) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """What a timekeeper summary should state, by figure: the value (its fees' hours at its rate, those hours × the
    rate) and the price of one unit of it off (an hour costs the rate; None without one); empty when a fee is
    unreadable (nothing to compare)."""
    total = fees.hours(keeper)
    if total is None:
        return {}
    rate = keeper.rate
    hourly = rate if isinstance(rate, Decimal) and rate.is_finite() else None
    return {"hours": (total, hourly), "cost": (total * rate if is_number(rate) else None, ONE)}


def _split_figures(report: Report, fees: _FeesByTimekeeper, group: list[StatedTimekeeper], currency: str | None) -> None:
    """Summaries of one timekeeper at one rate: together they state the hours and cost of its fees at that rate; a
    sum that differs is reported at the first summary's figure."""
    for key, (expected, price) in _expected(fees, group[0]).items():
        figures = [keeper.figures[key] for keeper in group if key in keeper.figures]
        stated = [amount(figure.value) for figure in figures]
        if expected is None or not figures or None in stated:
            continue
        added = sum(cast(list[Decimal], stated), ZERO)
        if to_minor(added, currency) != to_minor(expected, currency):
            report(f"{figures[0].name} of the {len(figures)} summaries of this timekeeper at this rate add up to {added}"
                   f" but the timekeeper's fees give {to_minor(expected, currency)}", record=figures[0],
                   amount=None if price is None else abs(added - expected) * price)


def _timekeeper_figures(report: Report, fees: _FeesByTimekeeper, keeper: StatedTimekeeper, currency: str | None) -> None:
    """A timekeeper summary's hours and cost: the hours of that timekeeper's fees at its rate, times the rate."""
    expected = _expected(fees, keeper)
    for key, figure in keeper.figures.items():
        value, price = expected.get(key, (None, None))
        _figure(report, figure, value, "the timekeeper's fees", currency, price)


RULES = (matter_figures,)
