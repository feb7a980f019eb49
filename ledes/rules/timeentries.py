"""Time-entry rules: billing increments, hours per day and per entry, several attendees at one event."""

from __future__ import annotations

import operator
import re
from decimal import Decimal

import attrs

from ledes.diagnostics import Severity
from ledes.figures import hours as hours_text
from ledes.figures import iso_day, quantity
from ledes.model import Invoice, LineItem, Location
from ledes.money import ZERO, to_minor
from ledes.money import remainder as exact_remainder
from ledes.narratives.wording import word_list_needs
from ledes.rules import options as option
from ledes.rules.base import Context, FinishReport, Report, guideline_rule
from ledes.rules.facts import invoice_facts
from ledes.rules.lineitems import beyond, billed, clause_end, names_approval, over_hours, rate, word_pattern, words_in
from ledes.rules.runstore import Journal, SpillingMap, digest, digests


@attrs.frozen
class IncrementOptions:
    """time.increment: the billing increment in hours."""

    increment: Decimal = option.amount("0.1", positive=True, maximum=24)

    def __attrs_post_init__(self) -> None:
        if Decimal(1) % self.increment:  # 0.0833 for five minutes: whole hours would be off the increment
            raise option.OptionError(f"expected an increment that divides an hour (0.1 for six minutes, 0.25 for a"
                                     f" quarter hour, 1 for whole hours), found {self.increment}", ".increment")


@guideline_rule("time.increment", Severity.WARNING, options=IncrementOptions)
def increment(invoice: Invoice, report: Report, options: IncrementOptions, context: Context) -> None:
    """A fee line's hours (LINE_ITEM_NUMBER_OF_UNITS) are a whole number of billing increments.

    Why: outside-counsel guidelines (AECC Article V, LeanLaw, Brightflag time
    increments): fee units are a multiple of the increment, usually a
    tenth of an hour (some clients a quarter); a warning or an error by client. Some
    guidelines (AECC) allow rounding down, which is what the money at stake assumes.
    A credit (negative hours) off the increment is reported too, as its units are not
    whole increments either, but with nothing at stake: it gives the client more back, not less.
    Options: ``increment`` (default 0.1): the billing increment in hours (0.25 for
    quarter hours); one that does not divide an hour (0.0833 for five minutes) is refused.
    Money at stake: the hours above the last whole increment × the rate, less what the
    line's adjustment already takes off (never below 0).
    Passing: ``2.00``, ``0.200`` with an increment of 0.1.
    Failing: ``0.25`` with an increment of 0.1 (0.05 h above 0.2).
    """
    step = options.increment
    whole: dict[Decimal, bool] = context.run.slot(("time.increment", step), dict)  # hours -> a whole number of steps
    for line in invoice_facts(invoice, context).fees:
        units = line.hours
        if units is None or whole.get(units):
            continue
        remainder = exact_remainder(units, step)
        if remainder == ZERO:
            if len(whole) >= _KEPT:
                whole.clear()
            whole[units] = True  # 2.0 and 2.00 alike: the test is on the value
            continue
        cost, below = line.rate, units - remainder  # remainder has the sign of units: below is nearer 0
        report(
            f"{hours_text(units)} is not a multiple of the {step} h billing increment",
            record=line.item,
            field="line_item.units",
            amount=to_minor(over_hours(line.item, units, cost, below), invoice.currency) if cost is not None else None,
            hint=f"bill {quantity(below)} or {hours_text(below + step.copy_sign(units))}",
        )


_KEPT = 4096  # distinct hours values remembered as whole numbers of increments


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


@attrs.frozen
class LongEntryOptions:
    """time.long-entry: the most hours one line may bill."""

    max_hours: Decimal = option.amount(8, positive=True)


@guideline_rule("time.long-entry", Severity.WARNING, options=LongEntryOptions)
def long_entry(invoice: Invoice, report: Report, options: LongEntryOptions, context: Context) -> None:
    """No single fee entry bills more hours than the client's threshold.

    Why: carrier guideline digests (hub.nicolaidesllp.com): long entries need the client's approval or are reduced
    (the thresholds seen go from 0.4 h to 4 h; a long entry is often block billing). The default of 8 h, a full working day in one entry, leaves the stricter
    thresholds to the client.
    Options: ``max_hours`` (default 8): the most hours one line may bill.
    A no-charge entry (a total of 0) bills nothing and is not reported.
    Money at stake: the hours above the threshold × the rate, less what the line's adjustment
    already takes off (never below 0).
    Passing: 2.00 h.
    Failing: 9.50 h (1.50 h over).
    """
    limit = options.max_hours
    for line in invoice_facts(invoice, context).fees:
        units = line.hours
        if units is None or units <= limit or line.bills_nothing():  # a no-charge entry bills no hours to cut
            continue
        cost = line.rate
        report(
            f"one entry bills {hours_text(units)}, more than the {limit} h allowed for a single entry",
            record=line.item,
            field="line_item.units",
            amount=to_minor(over_hours(line.item, units, cost, limit), invoice.currency) if cost is not None else None,
            hint="split the work into entries per task, or name the client's approval in the narrative",
        )


# A narrative about work on an event rather than at it ("Draft outline for deposition of J. Smith", "Summarize the
# hearing transcript"): it starts with a verb of preparation or follow-up, and names no attendance.
_WORK_ON_EVENT = re.compile(
    r"\W*(?:draft|prepare|prep|outline|summari[sz]e|digest|review|research|analy[sz]e|index|revise|edit|annotate"
    r"|organi[sz]e|compile|(?:re)?schedule|notice|serve|file|proofread)(?:d|s|ed|ing)?(?![\w-])",
    re.IGNORECASE,
)
_ATTENDANCE = re.compile(
    r"(?<![\w-])(?:attend\w*|appear\w*|participat\w*|defend\w*|conduct\w*|argu\w*|took|tak(?:e|es|ing)"
    r"|at\s+(?:the\s+)?(?:meeting|hearing|deposition|trial)s?)(?![\w-])",
    re.IGNORECASE,
)


# An event word used as the topic or the object of other work, not as an event attended: followed by what is made
# for it or of it ("trial preparation", "deposition outline", "hearing transcript"), or after a word that makes
# it the subject of the line's work ("regarding outcome of hearing", "prepare for deposition", "after the meeting").
_WORK_PRODUCT_AFTER = re.compile(
    r"(?:\s+|-)(?:prep(?:aration)?|outlines?|transcripts?|notices?|exhibits?|binders?|strategy|memo(?:randum)?|briefs?"
    r"|statements?|summar(?:y|ies)|schedul\w*|dates?|orders?|subpoenas?|logistics|materials?|notes|agendas?|minutes"
    r"|invitations?|designations?|digests?|reports?|questions?|kits?)(?![\w-])",
    re.IGNORECASE,
)
_TOPIC_BEFORE = re.compile(
    r"(?<![\w-])(?:regarding|re:?|about|concerning|outcome\s+of|results?\s+of|prepar\w*\s+for|prep\s+for"
    r"|ready\s+for|before|after|following|since|transcript\s+of|notice\s+of|summary\s+of|(?:re)?schedul(?:e|ing))"
    r"\s+(?:(?:the|a|an|upcoming|today's|tomorrow's|yesterday's|this|that|last|next|[\w'.-]+'s)\s+){0,2}$",
    re.IGNORECASE,
)


def _attended_mention(text: str, found: re.Match[str]) -> bool:
    """Whether one mention of an event word names the event attended, not the topic or object of other work."""
    if _WORK_PRODUCT_AFTER.match(text, found.end()):
        return False
    return _TOPIC_BEFORE.search(text[max(0, found.start() - 48) : found.start()]) is None


def _at_the_event(text: str) -> bool:
    """Whether a narrative that names an event word bills time at the event, not work on it before or after."""
    return _WORK_ON_EVENT.match(text) is None or _ATTENDANCE.search(text) is not None


# Words that say nothing of which event it was, left out when two lines' events are compared.
_PLAIN_WORDS = frozenset({"a", "an", "the", "of", "with", "re", "regarding", "concerning", "about", "on", "in",
    "at", "for", "to", "and", "or", "by", "from", "its", "his", "her", "their", "our", "client's", "attend",
    "attended", "attending", "attendance", "prepare", "continue", "continued", "second", "first", "chair"})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_DETAIL_WORDS = 6  # plain words after an event word that say which event it was, at most


def _event_detail(text: str, found: re.Match[str]) -> frozenset[str]:
    """The words after an event word, to the end of its clause, that say which event it was ("of plaintiff J. Smith")."""
    rest = text[found.end() : clause_end(text, found.start())]
    words = [word for word in _WORD.findall(rest.lower()) if word not in _PLAIN_WORDS and len(word) > 1]
    return frozenset(words[:_DETAIL_WORDS])


def _same_event(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether two lines name the same event: one says nothing more, or they share a word of what they say."""
    return not first or not second or not first.isdisjoint(second)


@attrs.frozen
class MultipleAttendeesOptions:
    """time.multiple-attendees: the event words."""

    words: tuple[str, ...] = option.texts(("meeting", "hearing", "deposition", "trial", "mediation", "arbitration"),
                                          phrases=True)


@guideline_rule("time.multiple-attendees", Severity.WARNING, options=MultipleAttendeesOptions)
def multiple_attendees(invoice: Invoice, report: Report, options: MultipleAttendeesOptions, context: Context) -> None:
    """No more than one timekeeper bills the same meeting, hearing, deposition, trial or mediation on one date in one matter.

    Why: The Hartford's panel counsel guidelines, Brightflag's invoice flags, 10 CFR
    719.35: more than one timekeeper at the same meeting,
    deposition, hearing or trial on the same date needs the client's prior written
    approval, with the approver named in the narrative; otherwise the extra attendees'
    time is cut. Fee lines of one matter and date whose narratives name the same
    event word are taken to be the same event, unless both say which one and share no word
    of it ("deposition of plaintiff J. Smith" and "deposition of Dr. K. Jones" are two;
    "hearing" and "hearing on the motion to compel" one). A line that names the client's
    approval ("approved", "authorized", "per client approval"; not "not approved") is not
    reported. A line about work on the event before or after it ("Draft outline for deposition", "Summarize hearing transcript": a verb of
    preparation or follow-up first, and no attendance named) is not attendance, nor is a
    mention that makes the event the topic or object of other work ("trial preparation",
    "deposition outline", "regarding outcome of hearing", "prepare for deposition"). The first
    timekeeper to bill it (in file order) is the attendee; each line of every other timekeeper is reported.
    Options: ``words`` (default meeting, hearing, deposition, trial, mediation, arbitration): the event words,
    matched as whole words (a plural ``s`` allowed), case-insensitive.
    Money at stake: the reported line's total.
    Passing: only 22547 bills "Attend deposition of J. Smith" on 1999-01-15.
    Failing: 22547 and 45875 both bill "Attend deposition of J. Smith" on 1999-01-15.
    """
    pattern, needs = word_pattern(options.words), word_list_needs(options.words)
    if pattern is None:
        return
    for matter, lines in invoice_facts(invoice, context).matters:
        events: dict[tuple, list[tuple[str, LineItem, frozenset[str], bool]]] = {}
        for line in lines:
            keeper, when = line.keeper, line.day
            if not line.fee or keeper is None or when is None or line.credit:  # a write-off attends nothing
                continue
            narrative = line.narrative()
            if narrative is None or not narrative.may_hold(needs):  # most narratives name no event word
                continue
            text = narrative.text
            found = words_in(pattern, text)
            if not found or not _at_the_event(text):
                continue
            approved = names_approval(text)
            firsts: dict[str, re.Match[str]] = {}  # each event word's first attended mention, in the order named
            for match in pattern.finditer(text):
                if _attended_mention(text, match):
                    firsts.setdefault(match.group(1).lower(), match)
            for word, match in firsts.items():
                events.setdefault((when, word), []).append((keeper, line.item, _event_detail(text, match), approved))
        reported: set[int] = set()
        for (when, word), entries in events.items():
            for event in _told_apart(entries):
                _report_attendees(event, when, word, matter.law_firm_matter_id, reported, report)


def _told_apart(entries: list[tuple[str, LineItem, frozenset[str], bool]]) -> list[list[tuple[str, LineItem, bool]]]:
    """The lines naming one event word on one date, grouped by event (``_same_event``), each group in file order."""
    groups: list[tuple[set[str], list[tuple[str, LineItem, bool]]]] = []
    for keeper, item, detail, approved in entries:
        for words, lines in groups:
            if _same_event(frozenset(words), detail):
                words.update(detail)
                lines.append((keeper, item, approved))
                break
        else:
            groups.append((set(detail), [(keeper, item, approved)]))
    return [lines for _, lines in groups]


def _report_attendees(entries: list[tuple[str, LineItem, bool]], when: object, word: str, matter_id: object,
                      reported: set[int], report: Report) -> None:
    """Each line of an event's timekeepers but the first (the attendee), unless it names the client's approval."""
    keepers = list(dict.fromkeys(keeper for keeper, _item, _approved in entries))
    if len(keepers) < 2:
        return
    names = ", ".join(keepers)  # once per event, not once per line of it
    for keeper, item, approved in entries:
        if keeper == keepers[0] or approved or id(item) in reported:
            continue
        reported.add(id(item))
        report(
            f"{len(keepers)} timekeepers ({names}) bill a {word} on {iso_day(when)} in matter"
            f" {matter_id}; {keepers[0]} is counted as the attendee",
            record=item,
            field="timekeeper.id",
            amount=item.total if type(item.total) is Decimal else None,
            hint="several attendees need the client's prior written approval; name the approver",
        )


RULES = (increment, daily_hours, long_entry, multiple_attendees)
