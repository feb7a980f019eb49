"""The literal checks that skip a regex never change what it finds: block billing and word lists, with and without them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledes.narratives import literals, tasks
from ledes.narratives.literals import may_contain, word_literals
from ledes.rules.lineitems import word_pattern, words_in
from ledes.rules.travel import TRAVEL_WORDS

WORDS = ["Draft", "review", "and", "then", "AND", "travel", "Travelled", "drive", "to", "flight", "hearing",
         "Meeting", "motion", "email", "call", "client", "(1.2)", "0.4", "re:", "J.", "Smith", "&", "trial"]
PUNCTUATION = ["", ";", ",", ":", ".", " ", "-", "’", "\u212a", "\u017f", "ſ", "İ", "\u00a0"]


def _texts():
    return st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(PUNCTUATION)), max_size=12).map(
        lambda parts: " ".join(word + mark for word, mark in parts)) | st.text(max_size=60)


@given(_texts())
def test_block_billing_finds_the_same_without_the_separator_check(text: str):
    found = tasks.block_billing(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tasks, "may_contain", lambda text, literals: True)
        assert tasks.block_billing(text) == found


@given(_texts(), st.sampled_from([TRAVEL_WORDS, ("meeting", "hearing", "deposition", "trial"), ("K\u212aX", "Ab", "ſ")]))
def test_a_word_list_finds_the_same_with_its_literals(text: str, words: tuple[str, ...]):
    pattern = word_pattern(words)
    assert words_in(pattern, text, word_literals(words)) == words_in(pattern, text)


def test_only_an_ascii_text_and_ascii_literals_are_ruled_out():
    assert not may_contain("Draft motion to compel", ("travel",))
    assert may_contain("Drafted TRAVEL memo", ("travel",))
    assert may_contain("Draft motion \u212a", ("k",))  # the Kelvin sign matches k case-insensitively
    assert literals.word_literals(("Kelvin", "\u212aelvin")) == ("kelvin",)  # the Kelvin sign lower-cases to k
    assert literals.word_literals(("ſ", "Ab")) is None  # the long s does not: no shortcut
    assert word_literals(TRAVEL_WORDS)[-1] == "travel"  # "travelled" holds "travel": one look for both
    assert may_contain("anything", None)
