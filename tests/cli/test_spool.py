"""The writers' Spool reads back what tempfile.SpooledTemporaryFile would, in memory and once rolled over to disk."""

from __future__ import annotations

import io
import tempfile

from hypothesis import given
from hypothesis import strategies as st

from ledes_cli.findings import Spool, copy_rest, spool

# What the writers do with a spool: write text, read it all back from the start (in chunks), empty it, write again.
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.text(max_size=40)),
        st.tuples(st.just("read back"), st.integers(min_value=1, max_value=30)),  # chunk size
        st.tuples(st.just("empty"), st.none()),
    ),
    max_size=30,
)


def read_back(held, chunk: int) -> list[str]:
    held.seek(0)
    return list(iter(lambda: held.read(chunk), ""))


@given(OPERATIONS, st.integers(min_value=0, max_value=64))
def test_spool_reads_back_what_a_spooled_temporary_file_does(operations, in_memory):
    ours = spool(in_memory)
    with tempfile.SpooledTemporaryFile(in_memory, mode="w+", encoding="utf-8") as theirs:
        try:
            for name, argument in operations:
                if name == "write":
                    assert ours.write(argument) == theirs.write(argument)
                elif name == "read back":
                    assert read_back(ours, argument) == read_back(theirs, argument)
                else:
                    for held in (ours, theirs):
                        held.seek(0)
                        held.truncate()
            assert read_back(ours, 1 << 16) == read_back(theirs, 1 << 16)
        finally:
            ours.close()


def test_a_spool_past_its_size_goes_to_disk_and_keeps_its_place():
    held = Spool(4)
    held.write("ab")
    held.write("cdé")  # past 4 characters: on disk from here
    held.write("f")
    held.seek(0)
    assert held.read(3) == "abc"
    out = io.StringIO()
    copy_rest(held, out, chunk=2)
    assert out.getvalue() == "déf"
    held.close()
