"""A report whose groups and invoices wait on disk (``ledes.reports.spill``) is the report held in memory, byte for byte.

With the bounds set to two groups and two invoices (and the text tables holding one row), every fixture spills many times; its
report, in every output and grouping, is the same as with the bounds never reached. The
merged tallies are those of one running tally, to the last digit and exponent.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_support import FIXTURES

from ledes import reports, spooled
from ledes.reports import spill, text
from ledes.reports.keys import Key, fullest
from ledes.reports.totals import Tally

GROUPINGS = [("matter",), ("client", "matter"), ("timekeeper", "task"), ("month",)]


def outputs(by: tuple[str, ...]) -> dict[str, str]:
    report = reports.build_report(FIXTURES, by)
    rendered = {fmt: reports.render(report, fmt) for fmt in reports.RENDERERS}
    rendered["chunks"] = "".join(reports.render_chunks(report, "text"))
    rendered["repr"] = repr(report)
    return rendered


@pytest.mark.parametrize("by", GROUPINGS, ids="+".join)
def test_a_report_that_spills_is_the_report_held_in_memory(monkeypatch: pytest.MonkeyPatch, by: tuple[str, ...]):
    held = outputs(by)
    monkeypatch.setattr(spill, "GROUPS_HELD", 2)
    monkeypatch.setattr(spooled, "RECORDS_HELD", 2)
    monkeypatch.setattr(text, "ROWS_HELD", 1)  # the text tables read their rows twice instead of holding them
    spilled = outputs(by)
    assert spilled == held
    assert held["chunks"] == held["text"]
    document = held["json"]
    assert document == json.dumps(json.loads(document), indent=2, ensure_ascii=False) + "\n"


@given(st.lists(st.tuples(st.sampled_from("abcde"), st.decimals(min_value=-1000, max_value=1000, places=2,
                                                                allow_nan=False),
                          st.sampled_from([None, "Ann", "Bob", "Annie"])), max_size=40),
       st.integers(min_value=1, max_value=4), st.integers(min_value=2, max_value=4))
def test_merged_tallies_are_the_running_tallies(lines: list[tuple[str, Decimal, str | None]], held: int,
                                                fan_in: int):
    """Each group's partial tallies, added in the order they were made, give the one running tally's sums exactly,
    and the fullest name its lines gave (the first of the longest)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(spill, "FAN_IN", fan_in)  # runs merged in tiers while the groups are added
        table = spill.GroupTallies(lambda group: group, held)
        running: dict[str, Tally] = {}
        for group, amount, name in lines:
            for tally in (table.tally(group), running.setdefault(group, Tally())):
                tally.add_figures(None, amount, amount, None)
            table.tally(group).names = fullest(table.tally(group).names, (Key(group, name),))
        for group, tally in running.items():  # the first of the longest names the group's lines gave
            tally.names = (Key(group, max((name for line, _, name in lines if line == group), key=lambda n: len(n or ""))),)
        assert repr(list(table.ordered())) == repr(sorted(running.items()))
        table.close()


def test_runs_are_merged_in_tiers(monkeypatch: pytest.MonkeyPatch):
    """1,024 spills leave at most one run per tier and place in it: open files grow as the log of the groups."""
    monkeypatch.setattr(spill, "FAN_IN", 2)
    table = spill.GroupTallies(lambda group: group, held=1)
    for group in range(1025):  # each new group spills the one before
        table.tally(group % 7).add_figures(None, Decimal(1), None, None)
    assert len(table.runs) == 1 and table.tiers == [10]  # 1,024 runs of tier 0 became one run of tier 10
    assert [(group, tally.lines) for group, tally in table.ordered()] == [
        (group, 147 if group < 3 else 146) for group in range(7)]
    table.close()


def test_rows_are_a_sequence_read_again_each_time():
    source = spill.Records[int](held=3)
    for number in range(10):
        source.append(number)
    rows = spill.Rows(lambda: source, lambda n: n * 2, len(source))
    assert list(rows) == list(rows) == [n * 2 for n in range(10)]
    assert (len(rows), rows[0], rows[-1], rows[2:4], rows == tuple(n * 2 for n in range(10))) == (
        10, 0, 18, (4, 6), True)
    with pytest.raises(IndexError):
        rows[10]
    source.close()
