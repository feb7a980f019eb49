"""Physical lines to records: joining records that span lines, and mapping each record's fields onto the table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ledes.diagnostics import Emit
from ledes.formats.pipe.preamble import Layout, strip_end
from ledes.formats.textio import ESCAPED_BYTE, MAX_LINE, LineReader
from ledes.rules import structure as structure_rules

if TYPE_CHECKING:
    from ledes.formats.pipe.reader import Plan


CHUNK = 1 << 18  # characters read at a time: about a thousand records


class Block:
    """Consecutive records read in one piece, every one a clean line of all its fields.

    ``flat`` holds their fields in one list, record after record, each record followed
    by a ``"\\n"`` marker: field ``j`` of every record is ``flat[j::stride]``. The first
    record is on line ``first``, the others on the lines after it.
    """

    __slots__ = ("count", "first", "flat", "stride")

    def __init__(self, first: int, count: int, flat: list[str], stride: int) -> None:
        self.first = first
        self.count = count
        self.flat = flat
        self.stride = stride

    def column(self, index: int) -> list[str]:
        return self.flat[index :: self.stride]


Record = tuple[int, str, bool]


def records(reader: LineReader, pending: list[tuple[int, str]], layout: Layout) -> Iterator[Block | Record]:
    """Yield the records of the file, as blocks of clean records or one at a time.

    The text is read in chunks of whole lines. A chunk whose lines are all records of
    all the layout's fields ending ``[]`` (the common case) is split at once into a
    ``Block``; any other chunk is read line by line, each record as (first line, record
    text without ``[]``, whether ``[]`` ended it). A line break inside a narrative
    continues the record on the next line, as long as the joined text does not hold
    more fields than a record has; a record of all its fields without ``[]`` ends at
    its line. Blank and whitespace-only lines between records are skipped.
    """
    assembler = _Assembler(reader.emit, layout.width - 1)
    for number, line in pending:
        yield from assembler.feed(number, line)
    stride = layout.width + 1
    ending = "|[]\n" if layout.trailing_pipe else "[]\n"
    bulk = layout.order is None
    read, readline = reader.stream.read, reader.stream.readline
    size = min(CHUNK, reader.limit)  # so that every whole line of a chunk is within the limit
    while chunk := read(size):
        cut = chunk.rfind("\n") + 1
        if cut:
            whole = chunk[:cut] if cut < len(chunk) else chunk
            block = _block(whole, reader.number + 1, stride, ending) if bulk and assembler.buffer is None else None
            if block is not None:
                reader.number += block.count
                yield block
            else:
                yield from _lines(reader, assembler, whole.split("\n")[:-1], "\n")
        if cut < len(chunk):  # a line goes on past the chunk: read to its end, as LineReader reads a line
            rest = chunk[cut:]
            yield from _lines(reader, assembler, [rest + readline(reader.limit + 1 - len(rest))], "")
    yield from assembler.finish()


def _block(text: str, first: int, stride: int, ending: str) -> Block | None:
    """The records of whole lines of text as a Block; None unless every line is a clean record of all its fields."""
    count = text.count("\n")
    if text.count(ending) != count or (not text.isascii() and ESCAPED_BYTE.search(text)):
        return None
    flat = text.replace(ending, "|\n|").split("|")
    # Every "\n" ends a record; when each is where a record of all its fields puts it, each record has them all.
    if len(flat) != stride * count + 1 or flat[stride - 1 :: stride].count("\n") != count:
        return None
    flat.pop()  # the empty text after the last marker
    return Block(first, count, flat, stride)


def _lines(reader: LineReader, assembler: _Assembler, lines: list[str], end: str) -> Iterator[Record]:
    """The records of physical lines read as they are (``end`` restores the line end a split took off)."""
    number = reader.number
    for line in lines:
        line += end
        number += 1
        if assembler.buffer is None and line.endswith("[]\n") and line.isascii():
            reader.number = number
            yield number, line[:-3], True
            continue
        reader.number = number
        cleaned = reader.clean(line)
        if cleaned is not None:
            yield from assembler.feed(number, cleaned)
    reader.number = number


class _Assembler:
    """Joins the physical lines of records that span lines; see ``records``.

    The lines of a record are kept in a list and joined once, when it ends, so joining
    takes time linear in its length; a record that grows past ``MAX_LINE`` characters
    ends there (unterminated, and so reported), which keeps memory bounded.
    """

    def __init__(self, emit: Emit, separators: int) -> None:
        self.emit = emit
        self.limit = separators  # the number of "|" in a whole record
        self.buffer: list[str] | None = None
        self.size = 0
        self.start = 0
        self.pipes = 0

    def feed(self, number: int, line: str) -> list[tuple[int, str, bool]]:
        if self.buffer is not None:
            more = line.count("|")
            if self.pipes + more <= self.limit and more < self.limit and self.size + len(line) <= MAX_LINE:
                self.buffer.append(line)
                self.size += len(line) + 1
                self.pipes += more
                # The first line did not end with "[]", nor did any line since: only this one can end the record.
                if not line.rstrip().endswith("[]"):
                    return []
                joined = "\n".join(self.buffer).rstrip()
                self.buffer = None
                self.emit(
                    structure_rules.LINE_BREAK,
                    f"the record goes on to line {number}: a field holds a line break, and portals"
                    " read one record per line",
                    line=self.start,
                    hint="replace the line break inside the description with a space",
                )
                return [(self.start, joined[:-2], True)]
            done = self.finish()
            return done + self.feed(number, line)
        stripped = strip_end(line)
        if not stripped:
            return []
        if stripped.endswith("[]"):
            return [(number, stripped[:-2], True)]
        pipes = line.count("|")
        if pipes >= self.limit:
            return [(number, stripped, False)]
        self.buffer, self.size, self.start, self.pipes = [line], len(line), number, pipes
        return []

    def finish(self) -> list[tuple[int, str, bool]]:
        if self.buffer is None:
            return []
        done = [(self.start, "\n".join(self.buffer).rstrip(), False)]
        self.buffer = None
        return done


def map_record(
    number: int, raw: list[str], terminated: bool, layout: Layout, emit: Emit, plan: Plan
) -> list[str] | None:
    """Report a record's structural problems; its fields in table order, or None when it cannot be mapped."""
    if not terminated:
        emit(structure_rules.TERMINATOR, "the record does not end with []", line=number)
    if len(raw) == layout.width + 1 and not raw[-1]:  # "…|423-987|[]": nothing is lost by dropping it
        raw.pop()
        if not layout.trailing_pipe:
            emit(
                structure_rules.TRAILING_SEPARATOR,
                f"the record ends with '|[]' ({layout.width + 1} fields, expected {layout.width});"
                " it was read without the empty last field",
                line=number,
                invoice=(raw[plan.invoice_number] or None) if len(raw) > plan.invoice_number else None,
            )
    if len(raw) != layout.width:
        emit(
            structure_rules.FIELD_COUNT,
            f"the record has {len(raw)} fields, expected {layout.width}; it was skipped"
            + (" (a '|' inside a description splits it)" if 0 < len(raw) - layout.width <= 3 else ""),
            line=number,
            invoice=(raw[plan.invoice_number] or None) if len(raw) > plan.invoice_number else None,
        )
        return None
    if layout.order is not None:
        raw = [raw[j] if j is not None else "" for j in layout.order]
    return raw
