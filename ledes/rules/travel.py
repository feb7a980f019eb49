"""The travel-time rule: travel billed at no more than the client's share of the full rate."""

from __future__ import annotations

import functools
import re
from decimal import Decimal

import attrs

from ledes.diagnostics import Severity
from ledes.model import Invoice
from ledes.money import ZERO, to_minor
from ledes.narratives.wording import Needs, word_list_needs
from ledes.rules import options as option
from ledes.rules.base import Context, Report, guideline_rule
from ledes.rules.facts import Line, invoice_facts
from ledes.rules.lineitems import HUNDRED, billed, code, word_pattern, words_leading

TRAVEL_WORDS = (
    "travel", "traveled", "travelled", "traveling", "travelling",
    "drive to", "drove to", "driving to", "flight to", "flight from", "flight back", "return flight", "fly to",
    "flew to", "train to",
)
TRAVEL_CODES = ("A112", "B195")


class TravelMarks:
    """What marks a fee line as travel: a travel word leading a clause of its narrative, or a travel code."""

    __slots__ = ("codes", "firsts", "needs", "pattern")

    def __init__(self, words: tuple[str, ...], codes: tuple[str, ...]) -> None:
        self.pattern: re.Pattern[str] | None = word_pattern(words)
        self.needs: Needs | None = word_list_needs(words)
        self.codes = {code(value) for value in codes} - {None}
        # The first word of each, lower-cased: a narrative that holds none is read no further (a substring test
        # each, in C: a regular expression of the alternatives took 8 µs a narrative).
        firsts = {word.split()[0].lower() for word in words if word.split()}
        self.firsts = tuple(first for first in firsts if not any(other in first for other in firsts - {first}))

    def __call__(self, line: Line) -> bool:
        if line.task in self.codes or line.activity in self.codes:
            return True
        description = line.item.description
        if not isinstance(description, str) or not any(map(description.lower().__contains__, self.firsts)):
            return False
        narrative = line.narrative()
        return (narrative is not None and narrative.may_hold(self.needs)
                and bool(words_leading(self.pattern, narrative.text)))


_DEFAULT_MARKS = TravelMarks(TRAVEL_WORDS, TRAVEL_CODES)


def is_travel(line: Line) -> bool:
    """Whether ``line`` is travel by the default words and codes: worked out once a line, for every rule that asks."""
    found = line.travel
    if found is None:
        found = line.travel = _DEFAULT_MARKS(line)
    return found


@attrs.frozen
class TravelOptions:
    """time.travel: the share of the full rate paid for travel, and the words and codes that mark a line as travel."""

    percent: Decimal = option.amount(50, minimum=0, maximum=100)
    local_percent: Decimal = option.amount(0, minimum=0, maximum=100)
    words: tuple[str, ...] = option.texts(TRAVEL_WORDS, phrases=True)
    codes: tuple[str, ...] = option.texts(TRAVEL_CODES)


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
    about ("research the travel insurance exclusion", "the defendant's drive to work").
    Travel is local when the narrative says the journey itself is: "local" before it
    ("Local travel to the courthouse", "local round trip", "local mileage"), "locally"
    after it, or a local destination ("travel to the local courthouse", "drive within
    the local area"); not where "local" names something at the far end ("Travel to
    Chicago to meet with local counsel", "hearing under local rules", "local time").
    The full rate is the timekeeper's approved rate on that date, else the highest rate
    they bill on a non-travel line of the invoice; without either the line is not
    checked. Approved rates are in the ``currency`` of the guidelines file that lists them: for an
    invoice in another currency they are not used, and the invoice's own rates give the full rate
    (amounts in two currencies are never compared). A line billed at half the full
    rate, or with a −50 % adjustment, passes; halved hours at the full rate cannot be
    told from full hours, and are reported.
    Options: ``percent`` (default 50), ``local_percent`` (0), ``words``, ``codes`` (A112, B195).
    ``words`` default to travel, drive to, flight to and the like. ``percent`` is the share of the full rate paid for
    travel, ``local_percent`` for local travel; ``words`` and ``codes`` mark a line as travel
    (words as whole words, case-insensitive).
    Money at stake: units × unit cost + adjustment − the allowed share of hours × full rate.
    Passing: "Travel to Chicago for deposition", 3.0 h at ``175`` when the rate is 350;
    "Travel to Chicago to meet with local counsel", 4.0 h at ``175`` (long-distance travel, at 50 %).
    Failing: the same 3.0 h at ``350`` (525.00 at stake); "Local travel to the county
    courthouse", 2.0 h at ``175`` (local travel is not paid: 350.00 at stake).
    """
    percent = options.percent
    marks = is_travel if (options.words, options.codes) == (TRAVEL_WORDS, TRAVEL_CODES) else TravelMarks(
        options.words, options.codes)
    fees = [line for line in invoice_facts(invoice, context).fees if line.hours is not None and line.rate is not None]
    travel_lines = [line for line in fees if marks(line)]
    if not travel_lines:
        return
    travelling = {id(line) for line in travel_lines}
    usual: dict[str | None, Decimal] = {}
    for line in fees:
        if id(line) not in travelling:
            keeper, cost = line.keeper, line.rate
            assert cost is not None
            usual[keeper] = max(usual.get(keeper, ZERO), cost)
    for line in travel_lines:
        item, keeper, units = line.item, line.keeper, line.hours
        assert units is not None
        # Approved rates in another currency than the invoice's are not compared with it: the invoice's own rates are.
        found = context.approved(invoice, keeper)
        full = (found.rate_on(line.day) if found is not None else None) or usual.get(keeper)
        charged = billed(item)
        if full is None or charged is None:
            continue
        narrative = line.narrative()
        local = narrative is not None and is_local(narrative.text)
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


# "Local" counts where it says the journey is local, not where it names something local at a distant place
# ("meet with local counsel", "under the local rules"): before the journey ("local travel", "local round trip",
# "local mileage"), after it ("travel locally"), or as its destination or area ("travel to the local courthouse",
# "drive within the local area"), unless what follows is a legal term rather than a place.
_JOURNEY = r"(?:travel\w*|trips?|drive|drives|drove|driving|commut\w*|mileage|transit|transport\w*|journey\w*)"
_NOT_A_PLACE = r"(?:counsel|rules?|time|laws?|authorit\w*|government\w*|ordinances?|practice|custom\w*)(?!\w)"
_LOCAL = (
    rf"(?<![\w-])(?<!non )local(?:ly)?(?:\s+|-)(?:(?:round[\s-]?trip\s+)?{_JOURNEY}|round[\s-]?trips?)(?!\w)"
    rf"|(?<!\w){_JOURNEY}(?:\s+\w+)?\s+locally(?!\w)"
    rf"|(?<!\w){_JOURNEY}(?:\s+(?:back|there|and\s+back))?"
    rf"\s+(?:to|from|between|within|around|in)(?:\s+and\s+from)?\s+(?:the\s+|a\s+|an\s+)?"
    rf"local\s+(?!{_NOT_A_PLACE})\w"
)


@functools.cache
def _local() -> re.Pattern[str]:
    """``_LOCAL`` compiled, on the first travel line (compiling it took 2 ms of every run's start)."""
    return re.compile(_LOCAL, re.IGNORECASE)


def is_local(narrative: str) -> bool:
    """Whether ``narrative`` says the travel itself is local ("Local travel to the courthouse")."""
    return _local().search(narrative) is not None


RULES = (travel,)
