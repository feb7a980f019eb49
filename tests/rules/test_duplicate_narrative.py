"""duplicate.line-item compares narratives without case and spacing differences, by shortcuts where they are spaced alike."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ledes.rules.duplicate import _narrative, narratives

SPACES = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\x1f", "\x0b", ""])
WORDS = st.sampled_from(["Draft", "motion", "RE:", "straße", "İ", "ǅ", "\u00df", "x"]) | st.text(max_size=8)


@given(st.lists(st.tuples(SPACES, WORDS), max_size=8).map(lambda parts: "".join(a + b for a, b in parts)), SPACES)
def test_the_shortcut_gives_what_splitting_and_joining_gives(text: str, end: str):
    for candidate in (text, text + end, text.strip()):
        assert _narrative(candidate) == " ".join(candidate.split()).casefold()


TEXTS = st.lists(st.tuples(SPACES, WORDS), max_size=5).map(lambda parts: "".join(a + b for a, b in parts))


@given(st.lists(TEXTS | TEXTS.map(str.strip), max_size=12))
def test_an_invoices_narratives_at_once_are_each_narrative_alone(texts: list[str]):
    """Joined, checked and case-folded at once where all are spaced alike; one by one otherwise: the same texts."""
    assert narratives(texts) == [_narrative(text) for text in texts]
    spaced_alike = [" ".join(text.split()) for text in texts]  # the shortcut's own case
    assert narratives(spaced_alike) == [_narrative(text) for text in spaced_alike]
