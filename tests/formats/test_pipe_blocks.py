"""The pipe reader reads the same invoices and reports the same problems however its text is cut into pieces."""

from __future__ import annotations

import io

import pytest
from formats_support import fee_row, ledes_file, read_bytes
from hypothesis import given
from hypothesis import strategies as st

from ledes.formats import textio
from ledes.formats.ledes1998b.table import FORMAT
from ledes.formats.pipe.preamble import read_preamble
from ledes.formats.pipe.reader import _plan
from ledes.formats.pipe.records import record_blocks

# Lines of every kind the reader meets: plain records, and each case that needs reading line by line.
_LINES = st.sampled_from(
    [
        fee_row("1", "1"),
        fee_row("1", "2", {"LINE_ITEM_DESCRIPTION": "Café meeting"}),  # not ASCII
        fee_row("2", "1"),
        fee_row("2", "2", {"LINE_ITEM_TOTAL": "701"}),  # a finding on the line
        fee_row("3", "1", {"LINE_ITEM_DESCRIPTION": "Call with\nclient"}),  # a record over two lines
        fee_row("3", "2")[:-2],  # no "[]"
        fee_row("3", "3") + "  ",  # spaces after "[]"
        fee_row("1", "3").replace("|", "||", 1),  # one field too many
        fee_row("4", "1", {"LINE_ITEM_DATE": "bad"}),
        "",  # a blank line
        "   ",
        "x" * 700,  # longer than the limit set below
        "[]",
    ]
)


def _read(data: bytes, chunk: int) -> tuple[list, list]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textio, "CHUNK", chunk)
        patch.setattr(textio, "MAX_LINE", 600)
        return read_bytes(data, "f.txt")


@given(st.lists(_LINES, max_size=30), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_pieces_of_any_size_read_alike(lines, newline, final):
    data = ledes_file(*lines, newline=newline, final=final).encode()
    whole = _read(data, 1 << 16)
    assert _read(data, 1) == whole  # one line a piece
    assert _read(data, 97) == whole  # pieces that cut records anywhere
    assert _read(data, 5000) == whole


def test_a_piece_of_plain_records_is_read_in_one_step():
    """The common case takes the block path: every record of a plain piece comes in one block."""
    text = ledes_file(*(fee_row("1", str(n)) for n in range(1, 41)))
    reader = textio.LineReader(io.StringIO(text), lambda *args, **kwargs: None)
    plan = _plan(FORMAT)
    layout, pending = read_preamble(iter(reader), reader.emit, plan)
    blocks = list(record_blocks(reader, pending, layout, plan))
    assert [(list(numbers), len(rows)) for numbers, rows in blocks] == [(list(range(3, 43)), 40)]
