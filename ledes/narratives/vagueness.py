"""Vague narratives: too few specific words once generic activities, objects, filler and participants are set aside."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

from ledes.narratives.finding import VAGUE, NarrativeFinding
from ledes.narratives.text import TIME, lower_case_twin, phrase_regex
from ledes.narratives.vocabulary import DEFAULT_MIN_WORDS as DEFAULT_MIN_WORDS
from ledes.narratives.vocabulary import (
    FILLER,
    FILLER_PHRASES,
    GENERIC,
    PARTICIPANT_END,
    PARTICIPANT_START,
    VAGUE_PHRASES,
)
from ledes.narratives.wording import Wording, phrase_runs, wording

DEFAULT_VAGUE_PHRASES: tuple[str, ...] = VAGUE_PHRASES

_FILLER_PHRASE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(r"\s+".join(re.escape(word) for word in phrase.lower().split()) for phrase in FILLER_PHRASES)
    + r")(?![\w-])",
    re.IGNORECASE,
)
_UNINFORMATIVE = re.compile(f"{_FILLER_PHRASE.pattern}|{TIME.pattern}", re.IGNORECASE)
_UNINFORMATIVE_TWIN = lower_case_twin(_UNINFORMATIVE)
_PUNCTUATION_IN_WORDS = re.compile(r"\w+(?:[-/'’.]\w+)*|§|[;:,()]")


@functools.lru_cache(maxsize=65536)
def _base_form(word: str) -> str:
    """The word as listed in the vocabularies: lower case, no possessive, no regular inflection."""
    word = word.lower().rstrip(".")
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if word in GENERIC or word in FILLER:
        return word
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"),
                                ("es", ""), ("s", ""), ("d", "")):
        if word.endswith(suffix):
            candidate = word[: len(word) - len(suffix)] + replacement
            if candidate in GENERIC or candidate in FILLER:
                return candidate
    return word


# Where a generic phrase, a filler phrase or a time can start: past a character that is not part of a
# word (the lookbehind that opens each), or at the bracket or dash that opens a time.
_MAY_START = re.compile(r"(?<!\w)|(?=[(\-–])")
_PAST_THE_END = 1 << 62


def _specific_and_generic(
    text: str, regex: re.Pattern[str] | None, twin: re.Pattern[str] | None, enough: int
) -> tuple[int, list[tuple[int, str]]]:
    """How many specific words the narrative has outside generic phrases, filler phrases and times (counting
    stops at `enough`), and where its generic words are.

    The text is read only as far as the words counted: the phrases and times that could cover a word
    are found by trying each regex at the places before it where a match may start (``_MAY_START``),
    in order and past the end of the regex's last match, which finds what ``finditer`` would. An ASCII
    text is matched in lower case by the regexes' ``lower_case_twin`` (``twin`` is ``regex``'s).
    """
    subject, uninformative = text, _UNINFORMATIVE
    if _UNINFORMATIVE_TWIN is not None and (regex is None or twin is not None) and text.isascii():
        subject, uninformative, regex = text.lower(), _UNINFORMATIVE_TWIN, twin
    specific = 0
    generic: list[tuple[int, str]] = []
    in_participant = False
    places = _MAY_START.finditer(text)
    following = next(places, None)
    place = _PAST_THE_END if following is None else following.start()  # the next place not yet tried
    informative_from = phrases_from = 0  # where each regex looks next (past its last match)
    filler_end = phrase_end = -1  # the end of each regex's last match (its start is before the word)
    for match in _PUNCTUATION_IN_WORDS.finditer(text):
        token = match.group()
        position = match.start()
        while place <= position:
            if place >= informative_from:
                found = uninformative.match(subject, place)
                if found is not None:
                    filler_end = informative_from = found.end()
            if regex is not None and place >= phrases_from:
                found = regex.match(subject, place)
                if found is not None:
                    phrase_end = phrases_from = found.end()
            following = next(places, None)
            place = _PAST_THE_END if following is None else following.start()
        if position < filler_end or position < phrase_end:
            in_participant = False
            continue
        if token in ";:,":
            in_participant = False
            continue
        if token in "()":
            continue
        base = _base_form(token)
        if base in PARTICIPANT_START or token.lower() == "w/":
            in_participant = True
            continue
        if base in PARTICIPANT_END:
            in_participant = False
        if base in FILLER:
            continue
        if base in GENERIC:
            generic.append((position, token))
        elif not in_participant:
            specific += 1
            if specific >= enough:
                break
    return specific, generic


# What a token does in the quick reading (``_QuickReading``).
_SKIP, _RESET, _START, _COUNTS, _RESETS_AND_COUNTS = range(5)
# The runs of letters and digits a time can hold besides digits: "(1.2 hrs)", "2.0 hours".
_TIME_WORDS = frozenset(("h", "hr", "hrs", "hour", "hours"))
_FIRST_RUN = re.compile(r"\w+")
_KINDS_KEPT = 65536  # distinct tokens (and chunks between spaces) whose kind a quick reading remembers
_Move = tuple[bool, int]  # inside a participant after a chunk, and the specific words it counted
_Moves = tuple[_Move, _Move]  # a chunk's move from outside a participant, and from inside one
_MOVES: dict[_Moves, _Moves] = {}


class _QuickReading:
    """Proves, for most narratives, that they have ``min_words`` specific words, reading a few lower-case tokens.

    A token counts only when its first run of letters and digits is none that a generic
    phrase, a filler phrase or a time can hold (``coverable``): no match can then cover it.
    A participant ("with", "w/") is taken to start wherever such a word stands, covered or
    not, and to end where the full reading ends one regardless of cover. So the quick
    reading's participants hold wherever the full reading's do, and every word it counts the
    full reading counts too: when it reaches ``min_words`` the narrative is not vague;
    otherwise the full reading decides. For an ASCII text only, with a phrase list whose
    regex folds case as ASCII does (``lower_case_twin``).
    """

    def __init__(self, min_words: int, coverable: frozenset[str]) -> None:
        self.min_words = min_words
        self.coverable = coverable
        self.kinds: dict[str, int] = {}
        self.chunks: dict[str, _Moves] = {}

    def _kind(self, token: str) -> int:
        if token in (";", ":", ","):
            return _RESET
        if token in ("(", ")"):
            return _SKIP
        base = _base_form(token)
        if base in PARTICIPANT_START or token == "w/":
            return _START
        listed = base in FILLER or base in GENERIC
        run = _FIRST_RUN.match(token)
        coverable = run is None or run.group() in self.coverable or not run.group().isalpha()
        if base in PARTICIPANT_END:
            return _RESET if listed or coverable else _RESETS_AND_COUNTS
        return _SKIP if listed or coverable else _COUNTS

    def _moves(self, chunk: str) -> _Moves:
        """What the tokens of ``chunk`` do, from outside and from inside a participant: (inside after, counted)."""
        kinds = self.kinds
        moves = []
        for inside in (False, True):
            counted = 0
            for match in _PUNCTUATION_IN_WORDS.finditer(chunk):
                token = match.group()
                kind = kinds.get(token)
                if kind is None:
                    if len(kinds) >= _KINDS_KEPT:
                        kinds.clear()
                    kind = kinds[token] = self._kind(token)
                if kind == _START:
                    inside = True
                elif kind == _RESET:
                    inside = False
                elif kind != _SKIP:
                    if kind == _RESETS_AND_COUNTS:
                        inside = False
                    if not inside:
                        counted += 1
            moves.append((inside, counted))
        found = (moves[0], moves[1])
        return _MOVES.setdefault(found, found)  # one object for each of the few distinct moves

    def __call__(self, lower: str) -> bool:
        """True when the lower-case narrative surely has ``min_words`` specific words.

        A token never spans spacing, so the text's tokens are those of its chunks between
        spaces, in order; what each chunk does is worked out once (``_moves``), remembered.
        """
        chunks = self.chunks
        enough = self.min_words
        specific = 0
        inside = False
        for chunk in lower.split():
            moves = chunks.get(chunk)
            if moves is None:
                if len(chunks) >= _KINDS_KEPT:
                    chunks.clear()
                moves = chunks[chunk] = self._moves(chunk)
            inside, counted = moves[inside]
            if counted:
                specific += counted
                if specific >= enough:
                    return True
        return False


def _quick_reading(min_words: int, generic_phrases: tuple[str, ...], twin: re.Pattern[str] | None) -> _QuickReading | None:
    """The quick reading for these options, or None when the phrases' regex does not fold case as ASCII does."""
    if _UNINFORMATIVE_TWIN is None or (twin is None and phrase_regex(generic_phrases) is not None):
        return None
    coverable = phrase_runs(generic_phrases) | phrase_runs(FILLER_PHRASES) | _TIME_WORDS
    return _QuickReading(min_words, coverable)


def vague(
    text: str,
    *,
    min_words: int = DEFAULT_MIN_WORDS,
    generic_phrases: Sequence[str] = DEFAULT_VAGUE_PHRASES,
) -> NarrativeFinding | None:
    """A narrative that does not say what was done, to what, or about what.

    Words of `generic_phrases` and of the built-in generic vocabulary (activities such as
    "review" or "call", objects such as "documents", "matter" or "client", and filler) say
    nothing by themselves; the people the work was with ("Emails with OC") are not its subject.
    The narrative is vague when fewer than `min_words` other words are left. Length alone does
    not count: "Draft reply ISO MSJ" is specific. An empty narrative is left to the rule that
    requires a description.
    """
    return vague_checker(min_words, tuple(generic_phrases))(text)


@functools.lru_cache(maxsize=16)
def vague_checker(
    min_words: int, generic_phrases: tuple[str, ...]
) -> Callable[[str | Wording], NarrativeFinding | None]:
    """``vague`` with its options chosen once: the phrases' regex is not looked up again for each text.

    The checker takes a narrative's text or its ``Wording``; most narratives are shown to be
    specific by a quick reading of their first words (``_QuickReading``).
    """
    regex = phrase_regex(generic_phrases)
    twin = lower_case_twin(regex) if regex is not None else None
    quick = _quick_reading(min_words, generic_phrases, twin)

    def checker(narrative: str | Wording) -> NarrativeFinding | None:  # a closure: called faster than a partial
        return _vague(narrative, min_words=min_words, regex=regex, twin=twin, quick=quick)

    return checker


def _vague(
    narrative: str | Wording,
    *,
    min_words: int,
    regex: re.Pattern[str] | None,
    twin: re.Pattern[str] | None,
    quick: _QuickReading | None = None,
) -> NarrativeFinding | None:
    read = wording(narrative)
    text = read.text
    if not text or text.isspace():
        return None
    if quick is not None and read.lower is not None and quick(read.lower):
        return None
    specific, generic = _specific_and_generic(text, regex, twin, min_words)
    if specific >= min_words:
        return None
    phrases = list(regex.finditer(text)) if regex is not None else []
    found = sorted([(m.start(), m.group()) for m in phrases] + generic)
    words = tuple(dict.fromkeys(word for _, word in found)) or (text.strip(),)
    listed = ", ".join(f"'{word}'" for word in words)
    return NarrativeFinding(
        VAGUE, words, f"Says only {listed}, not what was worked on or why; name the document, issue or purpose."
    )
