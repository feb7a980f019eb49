"""narrative.vague reads a narrative only as far as its specific words: the same findings as reading it whole."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ledes.narratives.finding import VAGUE, NarrativeFinding
from ledes.narratives.text import phrase_regex
from ledes.narratives.vagueness import (
    _PUNCTUATION_IN_WORDS,
    _UNINFORMATIVE,
    DEFAULT_MIN_WORDS,
    DEFAULT_VAGUE_PHRASES,
    FILLER,
    GENERIC,
    PARTICIPANT_END,
    PARTICIPANT_START,
    _base_form,
    vague,
)


# The whole-text reading, as narrative.vague did it before it stopped at the words it needs: every
# phrase and time found first, then the words read against them.
def _specific_and_generic(
    text: str, spans: list[tuple[int, int]], enough: int
) -> tuple[int, list[tuple[int, str]]]:
    """How many specific words the narrative has outside `spans` (counting stops at `enough`), and where
    its generic words are."""
    specific = 0
    generic: list[tuple[int, str]] = []
    in_participant = False
    span_index = 0
    for match in _PUNCTUATION_IN_WORDS.finditer(text):
        token = match.group()
        while span_index < len(spans) and spans[span_index][1] <= match.start():
            span_index += 1
        if span_index < len(spans) and spans[span_index][0] <= match.start():
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
            generic.append((match.start(), token))
        elif not in_participant:
            specific += 1
            if specific >= enough:
                break
    return specific, generic


def whole_text_vague(
    text: str,
    *,
    min_words: int = DEFAULT_MIN_WORDS,
    generic_phrases: Sequence[str] = DEFAULT_VAGUE_PHRASES,
) -> NarrativeFinding | None:
    """``vague`` as it read before: phrases, filler phrases and times found over the whole text first."""
    if not text or text.isspace():
        return None
    regex = phrase_regex(tuple(generic_phrases))
    phrases = list(regex.finditer(text)) if regex is not None else []
    spans = [m.span() for m in _UNINFORMATIVE.finditer(text)]
    spans.extend(m.span() for m in phrases)
    spans.sort()
    specific, generic = _specific_and_generic(text, spans, min_words)
    if specific >= min_words:
        return None
    found = sorted([(m.start(), m.group()) for m in phrases] + generic)
    words = tuple(dict.fromkeys(word for _, word in found)) or (text.strip(),)
    listed = ", ".join(f"'{word}'" for word in words)
    return NarrativeFinding(
        VAGUE, words, f"Says only {listed}, not what was worked on or why; name the document, issue or purpose."
    )


# Mostly words that say nothing by themselves, so that many texts are vague and a word missed or
# wrongly skipped changes the finding; a few specific words, people and times.
SAYS_NOTHING = ["Draft", "review", "REVIEWED", "documents", "file", "filing", "work", "on", "attention", "to",
                "matter", "with", "w/", "OC", "re", "in order to", "case law", "next steps", "(1.2)", "2.0 hrs",
                "- 1.3", "– 0.5", "0.4", "hours", "q&a", "x/review", "follow-up", "follow up", "client's", "Call",
                "conference", "prepare", "witness kit", "misc.", "t/c", "§", "(", ")", "the", "and", "emails",
                "legal research"]
SPECIFIC = ["J.", "Smith", "indemnity", "cap", "mediator", "Bates", "\u212a", "\u017f", "İ", "1.2", "7"]
WORDS = SAYS_NOTHING * 4 + SPECIFIC
MARKS = ["", " ", "  ", ";", ",", ":", ".", "-", "/", "’", "'", "(", ")", "\u00a0", "\n"]
PHRASES = [DEFAULT_VAGUE_PHRASES, ("witness kit",), ("-",), ("q&a", "x", "k"), ("review", "- -", "misc."), ()]


def _texts():
    parts = st.tuples(st.sampled_from(WORDS), st.sampled_from(MARKS + [""] * 8), st.sampled_from(["", " ", " "]))
    return st.lists(parts, max_size=14).map(
        lambda drawn: "".join(word + mark + space for word, mark, space in drawn)
    ) | st.text(max_size=60)


@settings(max_examples=1000)  # a few milliseconds each
@given(_texts(), st.sampled_from(PHRASES), st.integers(min_value=1, max_value=3))
@example("Prepare the motion to compel; 2.0 hrs", DEFAULT_VAGUE_PHRASES, 1)
@example("with q&a review", ("q&a",), 1)
@example("- review - files", ("-",), 2)
@example("Review(1.2)", DEFAULT_VAGUE_PHRASES, 1)
@example("the(1.2): with\u00a0 ", DEFAULT_VAGUE_PHRASES, 1)  # a time right after a word
@example("§)legal research\nemails- 1.3", DEFAULT_VAGUE_PHRASES, 2)  # a dash right after a word
def test_reading_up_to_the_specific_words_finds_what_reading_the_whole_text_finds(
    text: str, phrases: Sequence[str], min_words: int
) -> None:
    assert vague(text, min_words=min_words, generic_phrases=phrases) == whole_text_vague(
        text, min_words=min_words, generic_phrases=phrases
    )


def test_the_fixture_narratives_read_alike() -> None:
    from pathlib import Path

    table = Path(__file__).parent.parent / "fixtures" / "narratives" / "narratives.tsv"
    for row in table.read_text(encoding="utf-8").splitlines():
        for text in row.split("\t"):
            assert vague(text) == whole_text_vague(text)
