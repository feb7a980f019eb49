"""``CappedReader`` counts line breaks as libxml2 does (CRLF, CR or LF), chunk by chunk, whatever the chunks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ledes.formats.xmlbytes import CappedReader


class Chunked:
    """A stream that gives at most the next of ``sizes`` bytes a read, and keeps each chunk it gave."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self.data, self.sizes, self.given = data, sizes, []

    def read(self, size: int = -1, /) -> bytes:
        most = self.sizes[len(self.given) % len(self.sizes)]
        chunk, self.data = self.data[:min(size, most)], self.data[min(size, most):]
        self.given.append(chunk)
        return chunk


@given(data=st.lists(st.sampled_from([b"a", b"\r", b"\n", b"\r\n", b"\x00"]), max_size=300).map(b"".join),
       sizes=st.lists(st.integers(1, 40), min_size=1, max_size=5))
def test_line_breaks_are_counted_in_each_chunk_as_three_counts_count_them(data: bytes, sizes: list[int]):
    stream = Chunked(data, sizes)
    reader = CappedReader(stream, 1 << 20)
    while reader.read(17):
        pass
    expected = sum(chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n") for chunk in stream.given)
    assert reader.breaks == expected


def test_crlf_cr_and_lf_are_one_break_each():
    reader = CappedReader(Chunked(b"a\r\nb\nc\rd", [100]), 1 << 20)
    assert (reader.breaks, reader.last_line) == (3, 4)
