"""duplicate.line-item compares narratives without case and spacing differences, by a shortcut where they are spaced alike."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ledes.rules.duplicate import _narrative

SPACES = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\x1f", "\x0b", ""])
WORDS = st.sampled_from(["Draft", "motion", "RE:", "straße", "İ", "ǅ", "\u00df", "x"]) | st.text(max_size=8)


@given(st.lists(st.tuples(SPACES, WORDS), max_size=8).map(lambda parts: "".join(a + b for a, b in parts)), SPACES)
def test_the_shortcut_gives_what_splitting_and_joining_gives(text: str, end: str):
    for candidate in (text, text + end, text.strip()):
        assert _narrative(candidate) == " ".join(candidate.split()).casefold()
