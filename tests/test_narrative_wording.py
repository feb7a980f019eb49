"""A narrative's words rule out a check only where it finds nothing: the same findings with the proofs as without."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ledes.narratives import tasks, vagueness
from ledes.narratives.clerical import DEFAULT_ADMINISTRATIVE_PHRASES, _administrative
from ledes.narratives.text import _word_pattern, lower_case_twin, phrase_regex, word_forms
from ledes.narratives.vagueness import DEFAULT_VAGUE_PHRASES, _quick_reading, _vague
from ledes.narratives.wording import Wording, phrase_needs, word_list_needs
from ledes.rules.lineitems import word_pattern, words_in
from ledes.rules.travel import TRAVEL_WORDS

WORDS = ["Draft", "review", "REVIEWED", "documents", "file", "Filing", "filed", "work", "on", "attention", "to",
         "matter", "with", "w/", "OC", "re", "in order to", "case law", "next steps", "(1.2)", "2.0 hrs", "- 1.3",
         "0.4", "q&a", "x/review", "follow-up", "client's", "Call", "conference", "prepare", "misc.", "t/c", "§",
         "and", "then", "Bates", "stamp", "bates-stamped", "scheduling", "order", "hearing", "date", "Travelled",
         "drive", "flight", "meeting", "depositions", "trial", "set", "up", "copies", "index", "J.", "Smith",
         "indemnity", "mediator", "7", "\u212a", "\u017f", "İ", "naïve"]
MARKS = ["", " ", ";", ",", ":", ".", "-", "/", "(", ")", "'", "’", "\u00a0", "&"]
PHRASE_LISTS = [DEFAULT_ADMINISTRATIVE_PHRASES, DEFAULT_VAGUE_PHRASES, ("Bates Stamp", "FILE", "t/c", "misc."),
                ("Q&A", "2nd Review", "x-ray", "set up"), ("-", "review"), ("ſcan",), ("\u212aey",), ("naïve",),
                ("hearing date", "scheduling", "pick up"), ()]
WORD_LISTS = [TRAVEL_WORDS, ("meeting", "hearing", "deposition", "trial"), ("K\u212aX", "Ab", "ſ"), ("co.", "#1", "x/y"),
              ("-",), ()]


def _texts():
    parts = st.tuples(st.sampled_from(WORDS), st.sampled_from(MARKS + [""] * 6), st.sampled_from(["", " ", " "]))
    return st.lists(parts, max_size=14).map(lambda drawn: "".join(w + m + s for w, m, s in drawn)) | st.text(
        st.characters(max_codepoint=127), max_size=60) | st.text(max_size=40)


@given(st.text(string.ascii_lowercase, min_size=1, max_size=8), st.text("sedingyia", max_size=5))
@example("file", "s")
@example("copy", "ies")
def test_a_word_s_forms_are_what_its_pattern_matches(word: str, ending: str):
    pattern = re.compile(_word_pattern(word))
    forms = word_forms(word)
    assert all(pattern.fullmatch(form) for form in forms)
    for candidate in (word + ending, word[:-1] + ending):
        assert (pattern.fullmatch(candidate) is not None) == (candidate in forms)


@settings(max_examples=500)
@given(_texts(), st.sampled_from(PHRASE_LISTS))
@example("Bates-stamp", ("Bates Stamp",))
@example("SET\tUP binders", ("set up",))
def test_a_phrase_list_s_regex_finds_nothing_where_the_words_lack_what_it_needs(text: str, phrases: tuple[str, ...]):
    regex = phrase_regex(phrases)
    if not Wording(text).may_hold(phrase_needs(phrases)):
        assert regex is None or regex.search(text) is None


@settings(max_examples=500)
@given(_texts(), st.sampled_from(WORD_LISTS))
@example("Travels to Boston", TRAVEL_WORDS)
@example("drove  TO Boston", TRAVEL_WORDS)
def test_a_word_list_finds_nothing_where_the_words_lack_what_it_needs(text: str, words: tuple[str, ...]):
    if not Wording(text).may_hold(word_list_needs(words)):
        assert words_in(word_pattern(words), text) == []


@settings(max_examples=500)
@given(_texts(), st.sampled_from(PHRASE_LISTS))
def test_administrative_finds_the_same_without_the_words(text: str, phrases: tuple[str, ...]):
    regex = phrase_regex(phrases)
    twin = lower_case_twin(regex) if regex is not None else None
    assert _administrative(Wording(text), regex=regex, twin=twin, needs=phrase_needs(phrases)) == _administrative(
        text, regex=regex, twin=twin, needs=None)


@settings(max_examples=1000)
@given(_texts())
@example("Draft motion; draft reply")
@example("Call client, call OC")
@example("Draft motion; also review file")
@example("Call client, and then draft memo")
@example("0.4 draft motion. 1.6 REVIEW reply")
@example("Review file & (draft) memo")
def test_block_billing_finds_the_same_without_the_words_and_the_later_task(text: str):
    found = tasks.block_billing(Wording(text))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tasks, "_TASK_HEADS", None)
        patch.setattr(tasks, "_LATER_TASK_TWIN", None)
        patch.setattr(tasks, "_LATER_TASK", "")  # found in every text: rules nothing out
        tasks._later_task.cache_clear()
        assert tasks.block_billing(text) == found
    tasks._later_task.cache_clear()


@settings(max_examples=1000)
@given(_texts(), st.sampled_from(PHRASE_LISTS), st.integers(min_value=1, max_value=3))
@example("with J. Smith re order", DEFAULT_VAGUE_PHRASES, 1)
@example("with review indemnity", ("review",), 1)
@example("Draft order (1.2)", DEFAULT_VAGUE_PHRASES, 2)
def test_vague_finds_the_same_without_the_quick_reading(text: str, phrases: tuple[str, ...], min_words: int):
    regex = phrase_regex(phrases)
    twin = lower_case_twin(regex) if regex is not None else None
    quick = _quick_reading(min_words, phrases, twin)
    assert _vague(Wording(text), min_words=min_words, regex=regex, twin=twin, quick=quick) == _vague(
        text, min_words=min_words, regex=regex, twin=twin, quick=None)


def _token_by_token(reading: vagueness._QuickReading, lower: str) -> bool:
    """The quick reading's answer taken one token at a time over the whole text (no chunks between spaces)."""
    specific, inside = 0, False
    for match in vagueness._PUNCTUATION_IN_WORDS.finditer(lower):
        kind = reading._kind(match.group())
        if kind == vagueness._START:
            inside = True
        elif kind == vagueness._RESET:
            inside = False
        elif kind != vagueness._SKIP:
            if kind == vagueness._RESETS_AND_COUNTS:
                inside = False
            if not inside:
                specific += 1
    return specific >= reading.min_words


@settings(max_examples=1000)
@given(_texts(), st.sampled_from(PHRASE_LISTS), st.integers(min_value=1, max_value=3))
@example("with j. smith, (re) draft-order; e-mail w/ o'brien", DEFAULT_VAGUE_PHRASES, 1)
@example("w/\x1fclient\u2003draft brief", DEFAULT_VAGUE_PHRASES, 1)
def test_the_quick_reading_by_chunks_answers_as_token_by_token(text: str, phrases: tuple[str, ...], min_words: int):
    regex = phrase_regex(phrases)
    reading = _quick_reading(min_words, phrases, lower_case_twin(regex) if regex is not None else None)
    if reading is not None:
        lower = text.lower()
        assert reading(lower) == _token_by_token(reading, lower)
        assert reading(lower) == _token_by_token(reading, lower)  # the chunks remembered answer alike


def test_the_fixture_narratives_read_alike_with_and_without_the_proofs() -> None:
    from pathlib import Path

    table = Path(__file__).parent.parent / "fixtures" / "narratives" / "narratives.tsv"
    lists: Sequence[tuple[str, ...]] = (DEFAULT_VAGUE_PHRASES, DEFAULT_ADMINISTRATIVE_PHRASES)
    for row in table.read_text(encoding="utf-8").splitlines():
        for text in row.split("\t"):
            for phrases in lists:
                regex = phrase_regex(phrases)
                twin = lower_case_twin(regex)
                quick = _quick_reading(1, phrases, twin)
                assert _vague(Wording(text), min_words=1, regex=regex, twin=twin, quick=quick) == _vague(
                    text, min_words=1, regex=regex, twin=twin)
                assert _administrative(Wording(text), regex=regex, twin=twin, needs=phrase_needs(phrases)) == (
                    _administrative(text, regex=regex, twin=twin))


def test_what_the_proofs_rule_out():
    assert not Wording("Draft motion to compel").may_hold(word_list_needs(TRAVEL_WORDS))
    assert Wording("Drove to Boston").may_hold(word_list_needs(TRAVEL_WORDS))
    assert Wording("Draft motion \u212a").may_hold(word_list_needs(("k",)))  # not ASCII: never ruled out
    assert word_list_needs(("K\u212aX",)) is None  # the Kelvin sign folds to k: no proof
    needs = phrase_needs(DEFAULT_ADMINISTRATIVE_PHRASES)
    assert not Wording("Review Bates HF0001-HF0100 for privilege").may_hold(needs)  # "bates" without "stamp"
    assert Wording("Bates stamp production").may_hold(needs)
    assert phrase_needs(("ſcan",)) is None  # the long s folds to s: no lower-case twin, no proof
    assert vagueness._QuickReading(1, frozenset())("draft the indemnity clause")
    assert not vagueness._QuickReading(1, frozenset())("with j")  # a participant is not the subject
    assert tasks._TASK_HEADS is not None  # the task regex folds case as ASCII does (its group names aside)
    assert tasks._LATER_TASK_TWIN is not None
    assert tasks.block_billing("Draft motion; 77 pages (Bates HF0001-HF0002) and exhibits") is None  # no later task
    assert lower_case_twin(re.compile(r"(?P<call>call)|(?P=call)", re.IGNORECASE)) is not None
