"""The narrative checks match an ASCII text in lower case without case folding: the same matches, the same findings."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ledes.narratives import clerical, vagueness
from ledes.narratives.clerical import DEFAULT_ADMINISTRATIVE_PHRASES
from ledes.narratives.text import lower_case_twin, phrase_regex
from ledes.narratives.vagueness import DEFAULT_VAGUE_PHRASES

PHRASE_LISTS = [DEFAULT_ADMINISTRATIVE_PHRASES, DEFAULT_VAGUE_PHRASES, ("Bates Stamp", "FILE", "t/c", "misc."),
                ("Q&A", "2nd Review", "x-ray"), ("-", "review"), ("ſcan",), ("\u212aey",), ("naïve", "Über")]
WORDS = ["File", "FILED", "filing", "Bates", "stamp", "bates-stamped", "scan", "SCAN", "key", "KEY", "Q&A", "q&a",
         "2nd", "review", "Review", "X-ray", "misc.", "t/c", "T/C", "In order to", "case LAW", "(1.2)", "2.0 HRS",
         "- 1.3", "0.4 h", "with", "J.", "Smith", "schedule", "Scheduling", "order", "the", "naive", "uber", "work",
         "Attention", "to", "matter"]
MARKS = ["", " ", ";", ",", ":", ".", "-", "/", "(", ")", "'"]


def _texts():
    parts = st.tuples(st.sampled_from(WORDS), st.sampled_from(MARKS + [""] * 4), st.sampled_from(["", " ", " "]))
    return st.lists(parts, max_size=12).map(lambda drawn: "".join(w + m + s for w, m, s in drawn)) | st.text(
        st.characters(max_codepoint=127), max_size=60)


@given(_texts(), st.sampled_from(PHRASE_LISTS))
@example("BATES STAMP exhibits", ("Bates Stamp",))
def test_a_phrase_list_twin_finds_what_the_regex_finds(text: str, phrases: tuple[str, ...]):
    regex = phrase_regex(phrases)
    assert regex is not None
    twin = lower_case_twin(regex)
    if twin is not None and text.isascii():
        assert [m.span() for m in twin.finditer(text.lower())] == [m.span() for m in regex.finditer(text)]


@given(_texts())
@example("Work on file (1.2); 2.0 HRS - 1.3")
def test_the_uninformative_twin_finds_what_the_regex_finds(text: str):
    twin = vagueness._UNINFORMATIVE_TWIN
    assert twin is not None
    if text.isascii():
        assert [m.span() for m in twin.finditer(text.lower())] == [
            m.span() for m in vagueness._UNINFORMATIVE.finditer(text)]


@given(_texts(), st.sampled_from(PHRASE_LISTS), st.integers(min_value=1, max_value=3))
def test_vague_finds_the_same_without_the_twins(text: str, phrases: tuple[str, ...], min_words: int):
    regex = phrase_regex(phrases)
    twin = lower_case_twin(regex) if regex is not None else None
    found = vagueness._vague(text, min_words=min_words, regex=regex, twin=twin)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(vagueness, "_UNINFORMATIVE_TWIN", None)
        assert vagueness._vague(text, min_words=min_words, regex=regex, twin=None) == found


@given(_texts(), st.sampled_from(PHRASE_LISTS))
def test_administrative_finds_the_same_without_the_twin(text: str, phrases: tuple[str, ...]):
    regex = phrase_regex(phrases)
    twin = lower_case_twin(regex) if regex is not None else None
    assert clerical._administrative(text, regex=regex, twin=twin) == clerical._administrative(
        text, regex=regex, twin=None)


def test_only_a_pattern_that_folds_as_ascii_lower_case_has_a_twin():
    assert lower_case_twin(re.compile(r"(?<![\w-])file[\s\-/]+review\W", re.IGNORECASE)) is not None
    assert lower_case_twin(re.compile(r"[-–]\s*\d", re.IGNORECASE)) is not None  # the en dash has no case
    assert lower_case_twin(re.compile(r"File", re.IGNORECASE)) is None  # an upper-case letter
    assert lower_case_twin(re.compile(r"file(?-i:x)", re.IGNORECASE)) is None  # an inline flag
    assert lower_case_twin(re.compile(r"ſcan", re.IGNORECASE)) is None  # the long s folds to s
    assert lower_case_twin(re.compile(r"\u212aey", re.IGNORECASE)) is None  # the Kelvin sign folds to k
    assert lower_case_twin(re.compile(r"\x4bey", re.IGNORECASE)) is None  # an escaped K
    assert lower_case_twin(re.compile(r"file")) is None  # not case-insensitive: nothing to gain
