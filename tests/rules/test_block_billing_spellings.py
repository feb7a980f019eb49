"""narrative.block-billing reads the common ways of listing tasks, and the common ways of timing each one."""

from __future__ import annotations

import pytest

from ledes.narratives import block_billing
from ledes.narratives.text import clauses


@pytest.mark.parametrize("narrative", [
    "(1) Review complaint; (2) draft answer; (3) call with client",
    "1) Review complaint; 2) draft answer; 3) call with client",
    "(a) review complaint; (b) draft answer",
    "(i) review complaint; (ii) draft answer",
    "Review complaint / draft answer",
    "Review complaint -- draft answer -- call with client",
    "Review complaint—draft answer—call with client",
    "Review complaint - draft answer - call with client regarding defenses",
    "Review complaint – draft answer",
    "Review complaint + draft answer + call with client",
    "Draft motion to compel (1.2); call with client re same (0.3); review order",  # the review has no time
    "Review Rule 12.1; draft memo",  # a rule's number is no time
])
def test_tasks_listed_by_number_letter_slash_dash_or_plus_are_block_billing(narrative: str):
    assert block_billing(narrative) is not None


@pytest.mark.parametrize("narrative", [
    "Draft motion to compel [0.5]; call with client re same [0.3]",
    "Draft motion to compel (30 min); call with client re same (18 min)",
    "Draft motion to compel 0.5; call with client re same 0.3",
    "Draft motion to compel 0.5 hrs; call with client re same 30 minutes",
    "Draft motion to compel - 0.5; call with client re same - 0.3",
    "Draft motion to compel (.5); call with client re same (.3)",
])
def test_a_time_for_each_task_in_brackets_minutes_or_bare_is_not_block_billing(narrative: str):
    assert block_billing(narrative) is None


@pytest.mark.parametrize("narrative", [
    "Re-draft motion to compel and/or follow-up with client",
    "Review Smith/Jones merger agreement",
    "Review Smith / Jones merger agreement",
    "Draft letter w/ exhibits re 1/15 hearing",
    "Follow-up call w/ client re re-draft of SPA",
    "Review documents produced in Smith-Jones matter",
    "Draft and revise motion to compel",
])
def test_hyphens_slashes_and_dates_inside_one_task_are_not_block_billing(narrative: str):
    assert block_billing(narrative) is None


@pytest.mark.parametrize(("text", "parts"), [
    ("and/or w/ 1/15 Smith/Jones re-draft follow-up 1-3", 1),
    ("Review complaint / draft answer", 2),
    ("Review complaint--draft answer", 2),
    ("Review complaint + draft answer", 2),
])
def test_one_splitter_serves_every_narrative_check(text: str, parts: int):
    """The clauses every narrative check reads: a spaced slash, a dash or a plus sign separates; the same marks
    inside a word, a date or a name do not."""
    assert len(clauses(text)) == parts


def test_a_dash_breaks_as_a_semicolon_and_a_slash_joins_as_and():
    assert [joiner for *_, joiner in clauses("Review complaint - draft answer / call client")] == ["", ";", "and"]
