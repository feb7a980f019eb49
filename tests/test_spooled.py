"""Rows kept on disk past a bound: sorted as ``sorted`` sorts, whatever the runs, and joined with tuples as tuples are."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledes import spooled
from ledes.spooled import Records, sorted_records


@given(st.lists(st.tuples(st.integers(0, 20), st.integers()), max_size=400), st.integers(1, 50))
def test_sorted_records_sort_stably_over_many_runs(rows, run):
    """Equal keys keep their order, across the runs merged from disk as within one."""
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(spooled, "SORTED_IN_MEMORY", run)
        found = sorted_records(rows, key=lambda row: row[0])
    assert tuple(found) == tuple(sorted(rows, key=lambda row: row[0]))
    assert len(found) == len(rows)


def test_records_join_tuples_as_a_tuple_would():
    records: Records[int] = Records(held=2)
    for number in range(5):
        records.append(number)
    assert records == (0, 1, 2, 3, 4)
    assert (9,) + records == (9, 0, 1, 2, 3, 4)  # noqa: RUF005 (the + operator is what is tested)
    assert records + (9,) == (0, 1, 2, 3, 4, 9)  # noqa: RUF005
    with pytest.raises(TypeError):
        _ = records + [9]  # noqa: RUF005
