"""time.daily-hours: one timekeeper's hours on one date for one client, over every file of a run, stay within a limit."""

from __future__ import annotations

import operator
from decimal import Decimal

import attrs

from ledes.diagnostics import Severity
from ledes.figures import hours as hours_text
from ledes.figures import iso_day
from ledes.model import Invoice, LineItem, Location
from ledes.money import ZERO, to_minor
from ledes.rules import options as option
from ledes.rules.base import Context, FinishReport, Report, guideline_rule
from ledes.rules.facts import invoice_facts
from ledes.rules.lineitems import beyond, billed, rate
from ledes.rules.runstore import Journal, SpillingMap, digest, digests

# A line past the limit: its day's key, its number and location, its invoice's number and currency, the money of its
# hours over the limit (net of the day's credits later in its invoice), and whether it is the line that crossed it.
_Past = tuple[tuple, str | None, Location | None, str | None, str | None, Decimal, bool]


class _DailyHours:
    """Per firm, client, timekeeper and date, the hours billed so far in the run (in flat memory); and each line past
    the limit, kept on disk until the run ends (as many as the findings)."""

    def __init__(self) -> None:
        self.hours: SpillingMap[Decimal] = SpillingMap(str, Decimal, per_line=True)
        self.past: Journal[_Past] = Journal()


def _over_the_limit(item: LineItem, units: Decimal, worked: Decimal, limit: Decimal) -> Decimal:
    """What a line bills for its hours past the day's limit (``worked`` is the day's hours with it), at its rate, less
    what its adjustment already takes off; a credit (negative hours) gives back the hours over the limit it takes
    off; 0 when its rate is unknown."""
    cost = rate(item)
    if cost is None:
        return ZERO
    if units < 0:
        return -min(-units, max(worked - units - limit, ZERO)) * cost
    past = min(units, worked - limit)
    if past <= 0:
        return ZERO
    return beyond(excess=past * cost, charged=billed(item), allowed=(units - past) * cost)


class _Line:
    """A line past the limit, for the finding: a record whose ``location`` is the line's."""

    __slots__ = ("location", "number")

    def __init__(self, number: str | None, location: Location | None) -> None:
        self.number = number
        self.location = location


def _day_digest(key: tuple) -> bytes:
    """The run-wide key of a (firm, client, timekeeper, date): the date by its ordinal, whose repr is short."""
    firm, client, keeper, when = key
    return digest((firm, client, keeper, when.toordinal()))


@attrs.frozen
class DailyHoursOptions:
    """time.daily-hours: the most hours one timekeeper may bill on one date."""

    max_hours: Decimal = option.amount(10, positive=True, maximum=24)


def _report_daily_hours(report: FinishReport, options: DailyHoursOptions, context: Context) -> None:
    """Once the run's last file is read: a finding on each line past the limit of a day still over it."""
    limit = options.max_hours
    state: _DailyHours = context.run.slot(daily_hours, _DailyHours)
    for key, number, location, invoice_number, currency, over, crossing in state.past:
        _firm, _client, keeper, when = key
        worked = state.hours.get(_day_digest(key))
        if worked <= limit:
            continue  # credits (negative hours) brought the day's net total back within the limit
        report(
            f"timekeeper {keeper} bills {hours_text(worked)} on {iso_day(when)}, more than the {limit} h a day allowed;"
            + (" this line crosses the limit" if crossing else " this line is past the limit"),
            record=_Line(number, location),
            field="line_item.units",
            amount=to_minor(max(over, ZERO), currency),
            hint=f"{worked - limit} h over; a longer day needs the client's approval, named in the narrative",
            invoice=invoice_number,
        )


def _past_the_limit(lines: list[tuple[int, LineItem, Decimal]], worked: Decimal, limit: Decimal, key: tuple,
                    past: list[tuple[int, tuple, LineItem, Decimal, bool]]) -> Decimal:
    """Add to ``past`` an invoice's lines of one day (with ``worked`` hours before them) that are past the limit, with
    the money of their hours over it; return the day's hours after them. A credit (negative hours) takes back its hours
    above the limit from the invoice's last lines past it (a line whose hours over it are all taken back is not past it)."""
    mine: list[list] = []  # [position, item, money over the limit, whether it crossed it, hours over it, rate]
    for position, item, units in lines:
        before, worked = worked, worked + units
        if units > 0 and worked > limit:
            mine.append([position, item, _over_the_limit(item, units, worked, limit), before <= limit,
                         min(units, worked - limit), rate(item)])
        elif units < 0:
            back = min(-units, max(before - limit, ZERO))
            for entry in reversed(mine):
                if not back:
                    break
                taken = min(entry[4], back)
                entry[4] -= taken
                entry[2] = max(entry[2] - taken * (entry[5] or ZERO), ZERO)
                back -= taken
    past.extend((position, key, item, over, crossed) for position, item, over, crossed, hours, _ in mine if hours)
    return worked


@guideline_rule("time.daily-hours", Severity.WARNING, finish=_report_daily_hours, options=DailyHoursOptions)
def daily_hours(invoice: Invoice, report: Report, options: DailyHoursOptions, context: Context) -> None:
    """No timekeeper bills one client more hours on one date than the daily maximum, across every line, matter, invoice and file of the run.

    Why: Collaborati's "Timekeeper Billed Too Much Time" rule and carrier guidelines:
    the sum of units per timekeeper per date, across
    lines, invoices and matters, is capped: 8 h (CSM default), 10 h, 12 h (AmTrust's
    "extended workday"); flagged or reduced to the maximum. The hours add up over
    every file of one ``ledes validate`` run, per law firm and client (each client's portal sees
    its own invoices only: 6 h for one client and 6 h for another is no day over 10 h for either),
    so the findings wait for the last file; for each timekeeper and date whose net total (credits
    taken off: negative hours, or a line with a negative total, whose hours are written off) is
    over the limit, the line that first took the day over it is reported, and each later line
    of the day, in whichever invoice it is.
    Options: ``max_hours`` (default 10): the most hours one timekeeper may bill on
    one date.
    Money at stake: what each reported line bills for its hours past the limit, at its own
    rate and in its own invoice's currency (cut back to the maximum, 6 h at 300, 4.1 h at
    200 and 2 h at 500 lose 0.1 h at 200 and 2 h at 500), less what its adjustment already
    takes off (never below 0); a credit later in the same invoice takes its hours back from
    the invoice's last lines past the limit, while one in a later invoice leaves the earlier
    invoices' lines as they were billed (the day's net total still decides whether it is over).
    Passing: 22547 bills 6.0 h and 4.0 h on 1999-01-15.
    Failing: 22547 bills 6.0 h in one file and 6.0 h in another on 1999-01-15 (2.0 h over).
    """
    limit = options.max_hours
    state: _DailyHours = context.run.slot(daily_hours, _DailyHours)
    number = invoice.number if isinstance(invoice.number, str) else None
    currency = invoice.currency if isinstance(invoice.currency, str) else None
    facts = invoice_facts(invoice, context)
    firm, client = facts.firm, facts.client
    days: dict[tuple, list[tuple[int, LineItem, Decimal]]] = {}  # per timekeeper and day: its lines, in order
    for position, line in enumerate(facts.fees):
        units, keeper, when = line.hours, line.keeper, line.day
        if units is not None and line.credit and units > 0:  # a write-off of hours, as a negative adjustment
            units = -units
        if units is not None and keeper is not None and when is not None:
            days.setdefault((firm, client, keeper, when), []).append((position, line.item, units))
    past: list[tuple[int, tuple, LineItem, Decimal, bool]] = []  # each line past the limit, with its money over it
    fixed = digests([(firm, client, keeper, when.toordinal()) for firm, client, keeper, when in days])  # as _day_digest
    totals: list[Decimal] = []
    # One look-up and one update per timekeeper and day, the invoice's at once.
    for (key, lines), worked in zip(days.items(), state.hours.get_many(fixed, ZERO), strict=True):
        totals.append(_past_the_limit(lines, worked, limit, key, past))
    state.hours.set_many(list(zip(fixed, totals, strict=True)))
    for _position, key, item, over, crossing in sorted(past, key=operator.itemgetter(0)):  # in the order of the lines
        state.past.append((key, item.number, item.location, number, currency, over, crossing))


RULES = (daily_hours,)
