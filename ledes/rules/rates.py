"""Rate rules: hourly rates stay within the approved rate and the classification cap, and do not rise unannounced."""

from __future__ import annotations

import bisect
import itertools
import json
from datetime import date
from decimal import Decimal

import attrs

from ledes.diagnostics import Severity
from ledes.model import Invoice
from ledes.money import to_minor
from ledes.rules import options as option
from ledes.rules.base import Context, Report, guideline_rule
from ledes.rules.facts import invoice_facts
from ledes.rules.lineitems import is_credit, over_limit
from ledes.rules.runstore import SpillingMap, digest


@attrs.frozen
class RateCapOptions:
    """rates.cap: the highest hourly rate per timekeeper classification (a LEDES classification code)."""

    caps: dict[str, Decimal] = option.amounts({}, key=option.classification)


@guideline_rule("rates.cap", Severity.ERROR, options=RateCapOptions)
def rate_cap(invoice: Invoice, report: Report, options: RateCapOptions, context: Context) -> None:
    """A fee line's LINE_ITEM_UNIT_COST is not above the timekeeper's approved rate on that date, nor above the cap for their classification.

    Why: Brightflag timekeeper matter rates, Lawtrac "Line is over Approved Rate",
    Legal Tracker adjustments: UNIT_COST ≤ the approved rate, taken within its
    effective dates; the portals warn, reduce the line to the approved rate, or reject
    it. The approved rate is the one the client's list gives for the line's date (a
    timekeeper with effective-dated rates is priced at the period covering the date; a
    date no period covers is not checked). The classification cap applies to the
    approved classification when the list gives one, else to the billed one. When
    both apply, the lower one is the limit. Caps and approved rates are in the
    guidelines' ``currency``: an invoice in another currency is not checked.
    Options: ``caps`` (default none): the highest hourly rate per classification,
    e.g. ``{"PARTNR": 400, "ASSOC": 250, "PARALG": 125}``; a key that is no LEDES
    classification code (``PARLGL``) is refused, since it would cap no line.
    A credit (negative hours or total) is not checked: at a rate above the limit it gives the
    client more back, not less, so nothing is at stake; the charge it reverses is checked.
    Money at stake: (rate − limit) × hours, less what the line's adjustment already takes off
    (never below 0).
    Passing: 22547, approved at 350 from 1999-01-01, bills 2.00 h at ``350``.
    Failing: 22547 bills 2.00 h at ``375`` (50.00 at stake).
    """
    caps = options.caps
    approved = context.timekeepers
    if (not caps and approved is None) or context.other_currency(invoice):
        return
    for line in invoice_facts(invoice, context).fees:
        item, units, cost, keeper = line.item, line.hours, line.rate, line.keeper
        if units is None or cost is None or keeper is None:
            continue
        limits: list[tuple[Decimal, str]] = []
        found = approved.get(keeper) if approved is not None else None
        if found is not None:
            when = line.day
            approved_rate = found.rate_on(when)
            if approved_rate is not None:
                limits.append((approved_rate, f"the approved rate {approved_rate} for {keeper} on {when:%Y-%m-%d}"))
        billed_class = item.timekeeper.classification if item.timekeeper is not None else None
        classification = found.classification if found is not None and found.classification else billed_class
        code = option.upper(classification) if isinstance(classification, str) else None
        if code in caps:
            cap = caps[code]
            limits.append((cap, f"the {code} cap {cap}"))
        if not limits:
            continue
        limit, what = min(limits, key=lambda pair: pair[0])
        if cost > limit and not is_credit(item):
            report(
                f"rate {cost} is above {what}",
                record=item,
                field="line_item.unit_cost",
                amount=to_minor(over_limit(item, units, cost, limit), invoice.currency),
                hint=f"bill at {limit} or less, or ask the client to approve the higher rate",
            )


Frontier = tuple[list[date], list[Decimal]]


def _encoded(frontier: Frontier) -> str:
    dates, rates = frontier
    return json.dumps([[when.isoformat() for when in dates], [str(rate) for rate in rates]])


def _decoded(text: str) -> Frontier:
    dates, rates = json.loads(text)
    return [date.fromisoformat(when) for when in dates], [Decimal(rate) for rate in rates]


class _BilledRates:
    """The rates billed so far in a run: per firm, client, matter and timekeeper, the highest rate up to each invoice date.

    Each key keeps only its frontier: the dates on which the highest rate so far went up,
    in date order, with that rate (increasing along the list). A rate at or below what an
    earlier date already holds adds nothing, and a new entry drops the later ones it
    outbids, so a timekeeper billing one rate over thousands of invoices keeps one entry;
    looking up and adding are a bisection each, whatever order the invoices come in. The
    frontiers are kept in flat memory (``runstore``), by the key's digest.
    """

    def __init__(self) -> None:
        self.by_key: SpillingMap[Frontier] = SpillingMap(_encoded, _decoded)
        self.steps = 0  # entries looked at or moved, for showing the work grows linearly

    def before(self, key: bytes, on: date) -> Decimal | None:
        """The highest rate billed for ``key`` in the invoices seen so far dated on or before ``on``."""
        frontier = self.by_key.get(key)
        if frontier is None:
            return None
        dates, rates = frontier
        position = bisect.bisect_right(dates, on)
        self.steps += 1
        return rates[position - 1] if position else None

    def add(self, key: bytes, on: date, billed: Decimal) -> None:
        frontier = self.by_key.get(key)
        if frontier is None:
            frontier = ([], [])
        self.by_key.set(key, frontier)
        dates, rates = frontier
        position = bisect.bisect_right(dates, on)
        self.steps += 1
        if position and rates[position - 1] >= billed:
            return  # an earlier (or the same) date already holds this rate or more
        if position and dates[position - 1] == on:
            position -= 1  # the same date, a higher rate: replace it
        end = position
        while end < len(dates) and rates[end] <= billed:  # later dates this rate now outbids
            end += 1
            self.steps += 1
        dates[position:end] = [on]
        rates[position:end] = [billed]


def _highest_so_far(entries: list[tuple[date, Decimal]]) -> tuple[list[date], list[Decimal]]:
    """The entries' days in order, with the highest rate billed on or before each."""
    ordered = sorted(entries, key=lambda entry: entry[0])
    days = [when for when, _ in ordered]
    highest = list(itertools.accumulate((cost for _, cost in ordered), max))
    return days, highest


@attrs.frozen
class RateIncreaseOptions:
    """rates.increase: the last day of a rate freeze, if any."""

    freeze_until: date | None = option.day()


@guideline_rule("rates.increase", Severity.WARNING, options=RateIncreaseOptions)
def rate_increase(invoice: Invoice, report: Report, options: RateIncreaseOptions, context: Context) -> None:
    """A timekeeper's rate on a matter is not higher than their rate on that matter in earlier invoices of the run, nor raised during a rate freeze.

    Why: Legal Tracker audit flags and Brightflag rate flags: a rate above the previously billed or approved rate,
    or an increase inside a freeze window, is flagged or held for approval; rates are
    commonly fixed for the engagement unless the client approves an increase in
    writing (the freeze length is a client parameter). "Earlier invoices" are those
    read before this one in the same run (``ledes validate`` with several files) and
    dated on or before it; rates are compared per firm, client, matter and timekeeper,
    since matters often carry their own agreed rates, and never across two currencies. In a freeze, a rate raised
    within one invoice (a later line dated after an earlier, cheaper one) counts too.
    Options: ``freeze_until`` (default none): an ISO date (``2025-12-31``); invoices
    dated on or before it are in the freeze.
    Money at stake: (rate − earlier rate) × hours.
    Passing: 22547 bills 350 in January's invoice and 350 in February's.
    Failing: 22547 bills 350 in January's invoice and 375 in February's (2.00 h: 50.00).
    """
    freeze = options.freeze_until
    when = invoice.date
    if not isinstance(when, date):
        return
    billed = context.run.slot(rate_increase, _BilledRates)
    frozen = freeze is not None and when <= freeze
    lines = []
    in_invoice: dict[tuple, list[tuple[date, Decimal]]] = {}
    facts = invoice_facts(invoice, context)
    firm, client, currency = facts.firm, facts.client, context.currency_of(invoice)
    for line in facts.fees:
        units, cost, keeper = line.hours, line.rate, line.keeper
        if units is None or cost is None or keeper is None:
            continue
        matter = line.matter
        key = (firm, client, matter.law_firm_matter_id, keeper, currency)  # rates in two currencies never compared
        lines.append((matter, line.item, key, units, cost, line.day))
        if frozen and line.day is not None:
            in_invoice.setdefault(key, []).append((line.day, cost))
    within = {key: _highest_so_far(entries) for key, entries in in_invoice.items()} if frozen else {}
    top: dict[tuple, Decimal] = {}  # per key, the highest rate of this invoice (all of the invoice's date)
    for _matter, _item, key, _units, cost, _day in lines:
        if key not in top or cost > top[key]:
            top[key] = cost
    fixed = {key: digest(key) for key in top}
    before_invoice = {key: billed.before(fixed[key], when) for key in top}
    for matter, item, key, units, cost, line_day in lines:
        baseline, source = before_invoice[key], "in an earlier invoice"
        if frozen and line_day is not None:
            days, highest = within[key]
            position = bisect.bisect_left(days, line_day)  # the lines dated before this one
            earlier = highest[position - 1] if position else None
            if earlier is not None and (baseline is None or earlier > baseline):
                baseline, source = earlier, "earlier in this invoice"
        if baseline is None or cost <= baseline:
            continue
        freeze_note = f" during the rate freeze (until {freeze:%Y-%m-%d})" if frozen else ""
        report(
            f"timekeeper {key[3]} bills {cost} on matter {matter.law_firm_matter_id}, up from {baseline}"
            f" {source}{freeze_note}",
            record=item,
            field="line_item.unit_cost",
            amount=to_minor((cost - baseline) * units, invoice.currency),
            hint="rates are frozen: bill the earlier rate" if frozen
            else "a rate increase needs the client's written approval; bill the earlier rate until then",
        )
    for key, cost in top.items():  # adding a lower rate of the same date would change nothing
        billed.add(fixed[key], when, cost)


RULES = (rate_cap, rate_increase)
