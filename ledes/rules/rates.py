"""Rate rules: hourly rates stay within the approved rate and the classification cap, and do not rise unannounced."""

from __future__ import annotations

import bisect
import json
from datetime import date
from decimal import Decimal

import attrs

from ledes.diagnostics import Severity
from ledes.figures import iso_day
from ledes.model import Invoice
from ledes.model.classifications import same_kind
from ledes.money import to_minor
from ledes.rules import options as option
from ledes.rules.base import Context, RatePeriod, Report, guideline_rule
from ledes.rules.facts import invoice_facts
from ledes.rules.lineitems import is_credit, over_limit
from ledes.rules.runstore import SpillingMap, digest
from ledes.rules.travel import is_travel


@attrs.frozen
class RateCapOptions:
    """rates.cap: the highest hourly rate per timekeeper classification (a LEDES classification code)."""

    caps: dict[str, Decimal] = option.amounts({}, key=option.classification)


@guideline_rule("rates.cap", Severity.ERROR, options=RateCapOptions)
def rate_cap(invoice: Invoice, report: Report, options: RateCapOptions, context: Context) -> None:
    """A fee line's LINE_ITEM_UNIT_COST is not above the timekeeper's approved rate on that date, else the cap for their classification.

    Why: Brightflag timekeeper matter rates, Lawtrac "Line is over Approved Rate",
    Legal Tracker adjustments: UNIT_COST ≤ the approved rate, taken within its
    effective dates; the portals warn, reduce the line to the approved rate, or reject
    it. The rate is chosen by precedence, as the portals choose it (Mitratech CSM: the
    timekeeper's rate, then the vendor's, then the global default; Brightflag: "Matter
    rates override general rates"): the timekeeper's approved rate for the line's date
    (a timekeeper with effective-dated rates is priced at the period covering the date)
    is the limit, above or below the classification cap; the cap is the limit of a
    timekeeper the list gives no rate for. A timekeeper whose rates cover other dates
    only has no approved rate for the line's date (Brightflag's "No Timekeeper Rate
    Submitted for Time Period"): that is reported, whatever the rate. The classification
    cap applies to the approved classification when the list gives one, else to the
    billed one. Caps are in the ``currency`` of the guidelines file that gives them, and a
    timekeeper's approved rates in that of the file that lists them: an invoice that states
    another currency is not held to them.
    Options: ``caps`` (default none): the highest hourly rate per classification,
    e.g. ``{"PARTNR": 400, "ASSOC": 250, "PARALG": 125}``; a key that is no LEDES
    classification code (``PARLGL``) is refused, since it would cap no line. The legacy
    1998B codes are compared with their LOC 2014 kinds: a PARTNR cap holds a line billed
    as PT (AS: ASSOC, OC: OFCOUN, LA: PARALG or LGLAST), and a PT cap a PARTNR line.
    A credit (negative hours or total) is not checked: at a rate above the limit it gives the
    client more back, not less, so nothing is at stake; the charge it reverses is checked.
    Money at stake: (rate − limit) × hours, less what the line's adjustment already takes off
    (never below 0); a line dated outside every approved period of its timekeeper, its
    total (the portal holds it until a rate is approved).
    Passing: 22547, approved at 350 from 1999-01-01, bills 2.00 h at ``350``.
    Failing: 22547 bills 2.00 h at ``375`` (50.00 at stake).
    """
    approved = context.timekeepers
    # The caps are in the currency of the file that gave them; each timekeeper's rates in that of its own file.
    caps = {} if context.other_currency(invoice, rate_cap) else options.caps
    if not caps and approved is None:
        return
    for line in invoice_facts(invoice, context).fees:
        item, units, cost, keeper = line.item, line.hours, line.rate, line.keeper
        if units is None or cost is None or keeper is None or is_credit(item):
            continue
        found = context.approved(invoice, keeper)
        when = line.day
        approved_rate = found.rate_on(when) if found is not None else None
        if found is not None and found.rates and approved_rate is None:
            on = f" on {iso_day(when)}" if when is not None else " (the line has no date)"
            report(
                f"{keeper} has no approved rate{on}: the client's list approves {_periods(found.rates)}",
                record=item,
                field="line_item.unit_cost",
                amount=to_minor(line.total, invoice.currency) if line.total is not None else None,
                hint="ask the client to approve a rate for this period, or bill the line in a period that has one",
            )
            continue
        if approved_rate is not None:
            limit, what = approved_rate, f"the approved rate {approved_rate} for {keeper} on {iso_day(when)}"
        else:
            code = line.classification(approved)
            capped_as = sorted(same_kind(code) & caps.keys()) if code is not None and caps else []
            if not capped_as:  # PT is held to a PARTNR cap, PARTNR to a PT one
                continue
            capped = min(capped_as, key=lambda name: caps[name])
            limit = caps[capped]
            what = f"the {capped} cap {limit}" + (f" ({code} is compared as {capped})" if capped != code else "")
        if cost > limit:
            report(
                f"rate {cost} is above {what}",
                record=item,
                field="line_item.unit_cost",
                amount=to_minor(over_limit(item, units, cost, limit), invoice.currency),
                hint=f"bill at {limit} or less, or ask the client to approve the higher rate",
            )


_PERIODS_SHOWN = 3


def _periods(periods: tuple[RatePeriod, ...]) -> str:
    """The approved rates with their dates, in date order: "350 from 1999-02-01", the first few and how many more."""
    ordered = sorted(periods, key=lambda period: period.start or date.min)
    shown = []
    for period in ordered[:_PERIODS_SHOWN]:
        start, end = period.start, period.end
        when = (f"from {iso_day(start)} to {iso_day(end)}" if start and end else f"from {iso_day(start)}" if start
                else f"until {iso_day(end)}" if end else "at any date")
        shown.append(f"{period.rate} {when}")
    more = len(ordered) - _PERIODS_SHOWN
    return "; ".join(shown) + (f" and {more} more rate{'s' if more > 1 else ''}" if more > 0 else "")


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


Dated = tuple[date, Decimal] | None  # a line date, with the highest rate billed on it
Frozen = tuple[Dated, Dated]  # per key: the last rate billed before the freeze, the first rate billed in it


def _encoded_frozen(frozen: Frozen) -> str:
    return json.dumps([None if entry is None else [entry[0].isoformat(), str(entry[1])] for entry in frozen])


def _decoded_frozen(text: str) -> Frozen:
    before, first = (None if entry is None else (date.fromisoformat(entry[0]), Decimal(entry[1]))
                     for entry in json.loads(text))
    return before, first


def _dated(held: Dated, on: date, rate: Decimal, *, later: bool) -> Dated:
    """``held`` or (``on``, ``rate``), whichever is dated later (``later``) or earlier; on one date, the higher rate."""
    if held is None or (on > held[0] if later else on < held[0]):
        return on, rate
    return (on, max(rate, held[1])) if on == held[0] else held


class _FrozenRates:
    """Per key, by line date: the last rate billed before the freeze, the first in it."""

    def __init__(self) -> None:
        self.by_key: SpillingMap[Frozen] = SpillingMap(_encoded_frozen, _decoded_frozen)


@attrs.frozen
class RateIncreaseOptions:
    """rates.increase: the first and last day of a rate freeze, if any."""

    freeze_from: date | None = option.day()
    freeze_until: date | None = option.day()

    def __attrs_post_init__(self) -> None:
        if self.freeze_from is not None and self.freeze_until is None:
            raise option.OptionError("needs freeze_until, the freeze's last day", ".freeze_from")
        if self.freeze_from is not None and self.freeze_until is not None and self.freeze_from > self.freeze_until:
            raise option.OptionError(f"is after freeze_until ({iso_day(self.freeze_until)})", ".freeze_from")


@guideline_rule("rates.increase", Severity.WARNING, options=RateIncreaseOptions)
def rate_increase(invoice: Invoice, report: Report, options: RateIncreaseOptions, context: Context) -> None:
    """A timekeeper's rate on a matter is not higher than their rate on that matter in earlier invoices of the run, nor raised during a rate freeze.

    Why: Legal Tracker audit flags and Brightflag rate flags: a rate above the previously billed or approved rate,
    or an increase inside a freeze window, is flagged or held for approval; rates are
    commonly fixed for the engagement unless the client approves an increase in
    writing (the freeze length is a client parameter). "Earlier invoices" are those
    read before this one in the same run (``ledes validate`` with several files) and
    dated on or before it; rates are compared per firm, client, matter and timekeeper,
    since matters often carry their own agreed rates, and never across two currencies.
    A freeze holds every line dated within it (by LINE_ITEM_DATE, whatever the invoice's
    date) to the frozen rate: the rate last billed before the freeze began, else the
    rate of the first invoice read with lines in the freeze (its earliest line's, the
    highest of that day). A raised rate billed during the freeze is reported on every
    invoice that bills it, never taken as the new frozen rate, even on a line dated
    earlier and billed late. Travel lines, as ``time.travel`` recognises them with its
    default words and codes, are billed at a share of the rate, and credits and
    no-charge lines (a rate of 0) bill none: they are neither compared nor taken as a rate.
    Options: ``freeze_until`` and ``freeze_from`` (default none): ISO dates (``2025-12-31``),
    the freeze's last and first day. Without ``freeze_from``, lines dated on or before
    ``freeze_until`` are in the freeze and the first rate billed is the frozen one; with
    it, the rate last billed before that day is (``freeze_from`` needs ``freeze_until``).
    Money at stake: (rate − earlier or frozen rate) × hours.
    Passing: 22547 bills 350 in January's invoice and 350 in February's; 175 for
    "Travel to Chicago for deposition" in January and 350 for drafting in February.
    Failing: 22547 bills 350 in January's invoice and 375 in February's (2.00 h: 50.00);
    with ``freeze_until = 1999-03-31``, 300 in January, then 325 in February and again
    in March (both held to 300).
    """
    start, until = options.freeze_from, options.freeze_until
    when = invoice.date
    if not isinstance(when, date):
        return
    billed = context.run.slot(rate_increase, _BilledRates)
    lines = []
    facts = invoice_facts(invoice, context)
    firm, client, currency = facts.firm, facts.client, context.currency_of(invoice)
    for line in facts.fees:
        units, cost, keeper = line.hours, line.rate, line.keeper
        if units is None or cost is None or keeper is None or cost <= 0 or line.credit or is_travel(line):
            continue  # a no-charge line or a credit bills no rate; travel is billed at a share of it
        matter = line.matter
        key = (firm, client, matter.law_firm_matter_id, keeper, currency)  # rates in two currencies never compared
        on = line.day or when
        frozen = until is not None and on <= until and (start is None or on >= start)
        lines.append((matter, line.item, key, units, cost, on, frozen))
    top: dict[tuple, Decimal] = {}  # per key, the highest rate of this invoice (all of the invoice's date)
    for _matter, _item, key, _units, cost, _on, _frozen in lines:
        if key not in top or cost > top[key]:
            top[key] = cost
    fixed = {key: digest(key) for key in top}
    before_invoice = {key: billed.before(fixed[key], when) for key in top}
    held = _frozen_rates(context, lines, fixed, start) if until is not None else {}
    span = f"until {iso_day(until)}" if until is not None else ""
    span = f"from {iso_day(start)} {span}" if start is not None else span
    for matter, item, key, units, cost, on, frozen in lines:
        baseline, source, held_to = before_invoice[key], " in an earlier invoice", None
        if frozen:
            (before, first), (before_here, first_here) = held[key]
            if before is not None:
                held_to, what, here = before, "the last rate billed before the freeze", before_here
            elif first is not None and first[0] < on:
                held_to, what, here = first, "the first rate billed in the freeze", first_here
        if held_to is not None:
            where = "earlier in this invoice" if here else "in an earlier invoice"
            baseline, source = held_to[1], f", the rate frozen {span}: {what} (on {iso_day(held_to[0])}, {where})"
        if baseline is None or cost <= baseline:
            continue
        report(
            f"timekeeper {key[3]} bills {cost} on matter {matter.law_firm_matter_id}"
            + (f" on {iso_day(on)}" if held_to is not None else "") + f", up from {baseline}{source}",
            record=item,
            field="line_item.unit_cost",
            amount=to_minor((cost - baseline) * units, invoice.currency),
            hint=f"rates are frozen {span}: bill {baseline}" if held_to is not None
            else "a rate increase needs the client's written approval; bill the earlier rate until then",
        )
    for key, cost in top.items():  # adding a lower rate of the same date would change nothing
        billed.add(fixed[key], when, cost)


def _frozen_rates(context: Context, lines: list, fixed: dict[tuple, bytes],
                  start: date | None) -> dict[tuple, tuple[Frozen, tuple[bool, bool]]]:
    """Per key, the rates a freeze holds lines to (with this invoice's lines), and whether each comes from this invoice.

    The run's record is brought up to date with this invoice: its lines before the freeze
    (before ``start``) and in it. Lines dated after the freeze are not on it.
    """
    store = context.run.slot(_FrozenRates, _FrozenRates).by_key
    stored = dict(zip(fixed, store.get_many(list(fixed.values()), (None, None)), strict=True))
    merged = dict(stored)
    for _matter, _item, key, _units, cost, on, frozen in lines:
        before, first = merged[key]
        if start is not None and on < start:
            merged[key] = (_dated(before, on, cost, later=True), first)
        elif frozen and stored[key][1] is None:  # the first invoice read with lines in the freeze sets its rate
            merged[key] = (before, _dated(first, on, cost, later=False))
    store.set_many([(fixed[key], merged[key]) for key in fixed if merged[key] != stored[key]])
    return {key: (merged[key], (merged[key][0] != stored[key][0], merged[key][1] != stored[key][1])) for key in fixed}


RULES = (rate_cap, rate_increase)
