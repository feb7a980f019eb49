"""Time-entry rules: billing increments, hours per entry, several attendees at one event."""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

from ledes.diagnostics import Severity
from ledes.figures import hours as hours_text
from ledes.figures import iso_day, quantity
from ledes.model import Invoice, LineItem
from ledes.money import ZERO, to_minor
from ledes.money import remainder as exact_remainder
from ledes.narratives.wording import word_list_needs
from ledes.rules import options as option
from ledes.rules.base import Context, Report, guideline_rule
from ledes.rules.facts import invoice_facts
from ledes.rules.lineitems import clause_end, names_approval, over_hours, word_pattern, words_in


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


RULES = (increment, long_entry, multiple_attendees)
