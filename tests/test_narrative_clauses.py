"""The clause splitting's shortcuts never change what it finds: the separator's leading lookahead, and block
billing deciding "one task at most" from the clauses."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ledes.narratives import tasks
from ledes.narratives.tasks import _SKIP_TASK, _TASK, _TOPIC_MARKER, TOPIC_NOUNS, _Task
from ledes.narratives.text import SEPARATOR, clauses, head

WORDS = ["Draft", "review", "and", "then", "AND", "&", "motion", "email", "call", "client", "(1.2)", "0.4", "re:",
         "re", "J.", "Tel.", "conf.", "e.g.", "no.", "Smith", "research", "travel", "prepare", "for", "hearing",
         "1.3", "$185,000", "\u212a", "\u017f", "İ"]
MARKS = ["", ";", ",", ":", ".", " ", "  ", "-", "\u00a0", "\n", "\t", ", and then", "; ", ": ", ". ", " - ", " / ", "/",
         "--", "\u2014", " \u2013 ", " + ", "+"]
LOOKAHEAD = "(?=[\\s;,:.\\-—])(?:"


def _texts():
    return st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(MARKS)), max_size=14).map(
        lambda parts: " ".join(word + mark for word, mark in parts)) | st.text(max_size=60)


def test_the_lookahead_is_the_only_difference_from_the_plain_separator():
    assert SEPARATOR.pattern.startswith(LOOKAHEAD) and SEPARATOR.pattern.endswith(")")


@given(_texts())
@example("Draft motion; call client")
@example("Tel. conf. with J. Smith re: motion, and then review")
def test_the_separator_finds_what_it_finds_without_its_lookahead(text: str):
    plain = re.compile(SEPARATOR.pattern[len(LOOKAHEAD):-1], re.IGNORECASE)
    assert [m.span() for m in SEPARATOR.finditer(text)] == [m.span() for m in plain.finditer(text)]


def _tasks_after_a_separator_search(text: str) -> list[_Task]:
    """``tasks._tasks`` as it was: a text without a separator has no tasks, found by a search of its own."""
    found: list[_Task] = []
    if SEPARATOR.search(text) is None:
        return found
    after_colon = after_topic = False
    for start, end, joiner in clauses(text):
        if joiner == ";":
            after_topic = False
        if joiner == ":" and found:
            after_colon = True
        if after_colon:
            continue
        match = _TASK.match(text, head(text, start, end, _SKIP_TASK), end)
        if match is not None and not (after_topic and match.group().lower() in TOPIC_NOUNS):
            found.append(_Task(match.lastgroup or "", match.start(), match.end(), start, end, joiner))
        if _TOPIC_MARKER.search(text, start, end):
            after_topic = True
    return found


@given(_texts())
@example("Draft motion; ")
@example("; Draft motion")
@example("Draft motion; call client; review order")
def test_block_billing_finds_the_same_as_with_a_separator_search(text: str):
    found = tasks.block_billing(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tasks, "_tasks", _tasks_after_a_separator_search)
        assert tasks.block_billing(text) == found
