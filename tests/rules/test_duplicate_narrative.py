"""duplicate.line-item compares narratives without case, spacing or punctuation differences, an invoice's at once."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from ledes.rules.duplicate import _narrative, narratives

SPACES = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\x1f", "\x0b", ""])
WORDS = st.sampled_from(["Draft", "motion", "RE:", "straße", "İ", "ǅ", "\u00df", "x", "re-draft", "1-3", "a_b",
                         "fees."]) | st.text(max_size=8)


@given(st.lists(st.tuples(SPACES, WORDS), max_size=8).map(lambda parts: "".join(a + b for a, b in parts)), SPACES)
def test_a_narrative_is_its_case_folded_runs_of_letters_and_digits(text: str, end: str):
    for candidate in (text, text + end, text.strip()):
        assert _narrative(candidate) == " ".join(re.findall(r"[^\W_]+", candidate.casefold()))


def test_punctuation_does_not_tell_two_narratives_apart_but_what_it_separates_does():
    """A re-billed entry with a full stop more is the same narrative; the digits of "1-3" and "13" are not."""
    assert _narrative("Draft motion to dismiss for lack of jurisdiction.") == _narrative(
        "draft motion to dismiss -- for lack of jurisdiction")
    assert _narrative("Research attorney's fees; set-off claim") == _narrative("Research attorney's fees, set off claim")
    assert _narrative("Review production, boxes 1-3") != _narrative("Review production, boxes 13")


TEXTS = st.lists(st.tuples(SPACES, WORDS), max_size=5).map(lambda parts: "".join(a + b for a, b in parts))


@given(st.lists(TEXTS | TEXTS.map(str.strip), max_size=12))
def test_an_invoices_narratives_at_once_are_each_narrative_alone(texts: list[str]):
    """Joined and read at once where none holds a line feed; one by one otherwise: the same texts."""
    assert narratives(texts) == [_narrative(text) for text in texts]
    spaced_alike = [" ".join(text.split()) for text in texts]  # the shortcut's own case
    assert narratives(spaced_alike) == [_narrative(text) for text in spaced_alike]
