"""The travel-time rule: travel billed at no more than the client's share of the full rate."""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

from ledes.diagnostics import Severity
from ledes.model import Invoice
from ledes.money import ZERO, to_minor
from ledes.narratives.wording import word_list_needs
from ledes.rules import options as option
from ledes.rules.base import Context, Report, guideline_rule
from ledes.rules.facts import Line, invoice_facts
from ledes.rules.lineitems import HUNDRED, billed, code, word_pattern, words_leading

TRAVEL_WORDS = (
    "travel", "traveled", "travelled", "traveling", "travelling",
    "drive to", "drove to", "driving to", "flight to", "flight from", "flight back", "return flight", "fly to",
    "flew to", "train to",
)


@attrs.frozen
class TravelOptions:
    """time.travel: the share of the full rate paid for travel, and the words and codes that mark a line as travel."""

    percent: Decimal = option.amount(50, minimum=0, maximum=100)
    local_percent: Decimal = option.amount(0, minimum=0, maximum=100)
    words: tuple[str, ...] = option.texts(TRAVEL_WORDS)
    codes: tuple[str, ...] = option.texts(("A112", "B195"))


@guideline_rule("time.travel", Severity.WARNING, options=TravelOptions)
def travel(invoice: Invoice, report: Report, options: TravelOptions, context: Context) -> None:
    """Travel time is billed at no more than the client's share of the full rate (50 % by default).

    Why: carrier guidelines and 10 CFR 719.43 (travel at 50 %): travel lines are billed separately, local travel not
    at all, long-distance travel at 50 % (of the rate or of the time); portals reduce
    the line to that share. A fee line is travel when its narrative names travel or
    its task or activity code is a travel code: A112 "Billable Travel Time" (DRI 2007,
    LOC 2013 activity codes; A111 is "Other") or B195 "Non-Working Travel"
    (Bankruptcy). A travel word counts where it says what was done: at the start of the
    narrative or of one of its clauses (after punctuation, "and" or "then"; "non-working",
    "local" or "round trip" may stand before it), not where it says what the work was
    about ("research the travel insurance exclusion", "the defendant's drive to work"). The full rate is the timekeeper's approved rate on that date, else
    the highest rate they bill on a non-travel line of the invoice; without either the
    line is not checked. A line billed at half that rate, or with a −50 % adjustment,
    passes; halved hours at the full rate cannot be told from full hours, and are reported.
    Options: ``percent`` (default 50), ``local_percent`` (0), ``words``, ``codes`` (A112, B195).
    ``words`` default to travel, drive to, flight to and the like. ``percent`` is the share of the full rate paid for
    travel, ``local_percent`` for travel the narrative calls local ("Local travel to the
    courthouse"); ``words`` and ``codes`` mark a line as travel (words as whole words, case-insensitive).
    Money at stake: units × unit cost + adjustment − the allowed share of hours × full rate.
    Passing: "Travel to Chicago for deposition", 3.0 h at ``175`` when the rate is 350.
    Failing: the same 3.0 h at ``350`` (525.00 at stake).
    """
    percent = options.percent
    pattern, needs = word_pattern(options.words), word_list_needs(options.words)
    travel_codes = {code(value) for value in options.codes} - {None}
    fees = [line for line in invoice_facts(invoice, context).fees if line.hours is not None and line.rate is not None]

    def is_travel(line: Line) -> bool:
        if line.task in travel_codes or line.activity in travel_codes:
            return True
        narrative = line.narrative()
        return narrative is not None and narrative.may_hold(needs) and bool(words_leading(pattern, narrative.text))

    travel_lines = [line for line in fees if is_travel(line)]
    if not travel_lines:
        return
    travelling = {id(line) for line in travel_lines}
    usual: dict[str | None, Decimal] = {}
    for line in fees:
        if id(line) not in travelling:
            keeper, cost = line.keeper, line.rate
            assert cost is not None
            usual[keeper] = max(usual.get(keeper, ZERO), cost)
    approved = context.timekeepers or {}
    for line in travel_lines:
        item, keeper, units = line.item, line.keeper, line.hours
        assert units is not None
        found = approved.get(keeper) if keeper is not None else None
        full = (found.rate_on(line.day) if found is not None else None) or usual.get(keeper)
        charged = billed(item)
        if full is None or charged is None:
            continue
        narrative = line.narrative()
        local = narrative is not None and _LOCAL.search(narrative.text) is not None
        paid, kind = (options.local_percent, "local travel") if local else (percent, "travel")
        allowed = units * full * paid / HUNDRED
        excess = charged - allowed
        if to_minor(excess, invoice.currency) <= ZERO:
            continue
        report(
            f"{kind} billed at {to_minor(charged, invoice.currency)}; {paid} % of {units} h at {full} is {to_minor(allowed, invoice.currency)}",
            record=item,
            field="line_item.total",
            amount=to_minor(excess, invoice.currency),
            hint=(f"bill {kind} time at {to_minor(full * paid / HUNDRED, invoice.currency)} an hour, or reduce the line"
                  " by an adjustment") if paid else "remove the line: the client does not pay for local travel",
        )


_LOCAL = re.compile(r"(?<!\w)local(?!\w)", re.IGNORECASE)


RULES = (travel,)
