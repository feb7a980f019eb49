"""Administrative narratives: clerical phrases that name the work of a clause, not its subject."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

from ledes.narratives.finding import ADMINISTRATIVE, NarrativeFinding
from ledes.narratives.text import SKIP_COMMON, alternatives, clauses, head, lower_case_twin, phrase_regex
from ledes.narratives.vocabulary import (
    ADMINISTRATIVE_PHRASES,
    COMMUNICATIONS,
    HANDLING_VERBS,
)
from ledes.narratives.wording import Needs, Wording, phrase_needs, wording

DEFAULT_ADMINISTRATIVE_PHRASES: tuple[str, ...] = ADMINISTRATIVE_PHRASES

_SKIP_CLERICAL = re.compile(rf"(?:{SKIP_COMMON}|including\s+)*", re.IGNORECASE)
# Verbs whose object is the work itself ("Prepare hearing binders", "Run conflict check").
_HANDLING_VERB = re.compile(
    r"(?:" + alternatives(HANDLING_VERBS) + r")(?![\w-])(?:\s+(?:for|up)(?![\w-]))?",
    re.IGNORECASE,
)
# The object of a handling verb ends where the subject of the work starts.
_OBJECT_END = re.compile(
    r"(?<![\w-])(?:re|re:|regarding|concerning|about|whether|to|for|on|under|in|from|by|per|against)(?![\w-])",
    re.IGNORECASE,
)
# Communications whose topic may be clerical ("Call clerk re hearing date", "Conference with billing").
_COMMUNICATION = re.compile(r"(?:" + alternatives(COMMUNICATIONS) + r")(?![\w-])", re.IGNORECASE)
# Legal subjects that contain a clerical word.
_LEGAL_SUBJECT = re.compile(
    r"(?<![\w-])(?:scheduling\s+orders?|calendar\s+years?|filing\s+(?:deadlines?|requirements?|fees?|dates?)"
    r"|docket(?:ing)?\s+(?:entries|entry|errors?|numbers?)|clerical\s+errors?|law\s+clerks?"
    r"|notices?\s+of\s+(?:e-?)?filing"
    r"|billing\s+(?:practices|codes|fraud)|copying\s+costs?"
    r"|invoice\s+disputes?|disputed\s+invoices?|invoices?\s+(?:owed|issued|sent)\s+by"
    r"|bills?\s+of\s+(?:particulars|costs|sale|lading|exchange|review|rights|indictment|information|complaint)"
    r"|(?:house|senate|assembly)\s+bills?)(?![\w-])",
    re.IGNORECASE,
)
# A clerical word used as a modifier of substantive work ("File review" is a review).
_SUBSTANTIVE_NOUN = re.compile(r"\s+(?:review|memo|notes|analysis)(?![\w-])", re.IGNORECASE)
# A clause that starts with the travel itself ("Flight to Boston for deposition"): travel time, which time.travel
# judges, not arranging it ("Book flight", "Arrange flight and hotel").
_TRAVELLING = re.compile(r"flights?\s+(?:to|from|back|home|out\s+of|into)(?![\w-])", re.IGNORECASE)


def _sentence_part_end(parts: tuple[tuple[int, int, str], ...], index: int) -> int:
    """Where the part of the narrative that clause `index` starts ends: at the next ';', ',', ':' or '.',
    so "Emails with OC and mediator to find a date" is read whole."""
    end = parts[index][1]
    for _, later_end, joiner in parts[index + 1:]:
        if joiner != "and":
            break
        end = later_end
    return end


def _clerical_matches(text: str, regex: re.Pattern[str]) -> list[re.Match[str]]:
    """The clerical phrases that name the work of a clause, not its subject."""
    found: list[re.Match[str]] = []
    parts = clauses(text)
    for index, (start, end, _) in enumerate(parts):
        first = head(text, start, end, _SKIP_CLERICAL)
        match = regex.match(text, first, end)
        if match is not None and _TRAVELLING.match(text, first, end):
            continue
        if match is not None and not _SUBSTANTIVE_NOUN.match(text, match.end(), end):
            found.append(match)
            continue
        handling = _HANDLING_VERB.match(text, first, end)
        if handling is not None:
            limit = _OBJECT_END.search(text, handling.end(), end)
            handled = list(regex.finditer(text, handling.end(), limit.start() if limit else end))
            if handled or not _COMMUNICATION.match(text, first, end):  # "Draft letter to clerk re …" is a communication
                found.extend(handled)
                continue
        if _COMMUNICATION.match(text, first, end):
            found.extend(regex.finditer(text, first, _sentence_part_end(parts, index)))
    if found:
        legal = [m.span() for m in _LEGAL_SUBJECT.finditer(text)]
        found = [m for m in found if not any(s <= m.start() < e for s, e in legal)]
    return found


def administrative(
    text: str,
    *,
    phrases: Sequence[str] = DEFAULT_ADMINISTRATIVE_PHRASES,
) -> NarrativeFinding | None:
    """Clerical or administrative work, non-billable overhead.

    A phrase counts where it names the work: at the start of a clause ("Bates stamp …", "File
    organization"), as the object of a handling verb ("Prepare hearing binders", "Run conflict
    check"), or as the topic of a routine communication ("Call clerk re hearing date"). It does
    not count as the subject of legal work ("Analyze HSR filing requirement", "Draft motion to
    compel re incomplete Bates-numbered production").
    """
    return administrative_checker(tuple(phrases))(text)


@functools.lru_cache(maxsize=16)
def administrative_checker(phrases: tuple[str, ...]) -> Callable[[str | Wording], NarrativeFinding | None]:
    """``administrative`` with ``phrases`` chosen once: their regex is not looked up again for each text.

    The checker takes a narrative's text or its ``Wording``: a narrative without a word that
    every clerical phrase's match holds is ruled out without a regex.
    """
    regex, needs = phrase_regex(phrases), phrase_needs(phrases)
    twin = lower_case_twin(regex) if regex is not None and needs is None else None  # the words rule out first

    def checker(narrative: str | Wording) -> NarrativeFinding | None:  # a closure: called faster than a partial
        return _administrative(narrative, regex=regex, twin=twin, needs=needs)

    return checker


def _administrative(
    narrative: str | Wording, *, regex: re.Pattern[str] | None, twin: re.Pattern[str] | None, needs: Needs | None = None
) -> NarrativeFinding | None:
    if regex is None:
        return None
    read = wording(narrative)
    text = read.text
    if needs is not None and read.words is not None:
        if not needs.held_by(read.words):  # no clerical phrase can match
            return None
    elif twin is not None and read.lower is not None:  # the same answer, found in lower case
        if twin.search(read.lower) is None:
            return None
    elif regex.search(text) is None:
        return None
    found = _clerical_matches(text, regex)
    if not found:
        return None
    words = tuple(dict.fromkeys(match.group() for match in found))
    listed = ", ".join(f"'{word}'" for word in words)
    return NarrativeFinding(
        ADMINISTRATIVE, words, f"Bills clerical or administrative work ({listed}), which clients treat as overhead."
    )
