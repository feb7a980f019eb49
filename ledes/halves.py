"""A large pipe-delimited file read in two halves at once: a forked child reads and checks the second half.

The file is split at an invoice boundary near its middle: the first line after the
byte midpoint that is a plain record (ASCII, the table's fields, ending ``[]``) of
another invoice than the plain record on the line before it. Such a record starts an
invoice wherever reading began, and nothing read before it changes how it or any
later line is read, except two things the child cannot know: whether an invoice
number was already used in the first half (``invoice.non-contiguous``: the child
reports such a finding as ``UNSURE``, the parent decides) and whether the file's one
``structure.encoding`` finding came earlier.

The parent reads on as one process does and, at the end of the first batch of its
reader past the split, takes the child's findings on the lines from there, drops its
own on those lines, and stops reading. A line's findings come from one process, in
the order one process reports them, and the engine sorts a file's findings by line:
so the output is that of one process, as long as the file's findings are told in one
piece (fewer than the engine's window). Whenever that is not certain (too many
findings, the child failed or read another thing than the parent), the parent
reads on alone, as if there were no child.

``ledes show`` and ``ledes report`` (without guidelines) split a file the same way
(``ledes.api.read_each``): the child also sends what each invoice it read adds up to
(``Half.keep``: its summary, or its part of the report), and the parent adds those from
its stop on as one process would have added the invoices' lines (the sums are exact,
so the same in either order).
"""

from __future__ import annotations

import bisect
import functools
import io
import itertools
import os
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs

from ledes.diagnostics import Diagnostic, DiagnosticSink
from ledes.formats.io import Source
from ledes.formats.pipe.preamble import Layout, read_preamble
from ledes.formats.pipe.reader import Plan, Resume, _plan, read_pipe
from ledes.formats.pipe.spec import PipeFormat
from ledes.formats.textio import UTF16_BOMS, LineReader, text_stream
from ledes.model import Invoice
from ledes.rules import invoice as invoice_rules
from ledes.rules import structure as structure_rules
from ledes.rules.runstore import SpillingMap, digest
from ledes.spooled import Records
from ledes.workers import MIN_BYTES, _regular_size, can_fork, processors, start_child

ONE_READER = "LEDES_ONE_READER"  # set (to anything but empty): every file is read in one process
LOOK_AHEAD = 1 << 20  # bytes read from the middle to find the invoice boundary
_PIECE = 1024  # findings, invoices or currencies per message on the pipe
_KEPT = 32  # records of ``Half.keep`` per message, and held in memory: one holds an invoice's summary

Check = Callable[[Iterator[Invoice], DiagnosticSink], Iterator[Invoice]]


@attrs.frozen
class _Unsure:
    """How the child reports an invoice number it has not read: maybe ``invoice.non-contiguous``."""

    name: str = "invoice.non-contiguous (unsure)"


UNSURE = _Unsure()


@attrs.frozen
class Merged:
    """What the child's half adds: its invoices and line items, each invoice's currency, and what ``Half.keep`` kept."""

    invoices: int
    line_items: int
    currencies: list[tuple[str, str | None]]
    kept: Iterable[object] = ()  # one record for each of the half's invoices, in order

    def add_to(self, invoices: int, line_items: int, currencies: dict[str, str | None]) -> tuple[int, int]:
        """The file's counts with the child's half added; its invoices' currencies added to ``currencies``."""
        for number, currency in self.currencies:
            currencies.setdefault(number, currency)
        return invoices + self.invoices, line_items + self.line_items


@attrs.frozen
class Half:
    """The second half of a file: where it starts, how it is read and checked, and the sink it reports to."""

    path: str | os.PathLike[str]
    spec: PipeFormat
    resume: Resume  # the header's layout, read by the parent
    offset: int  # the byte where the second half starts
    preamble_lines: int
    sink: DiagnosticSink
    check: Check
    window: int  # the engine's window: from this many findings on, the file is read in one process
    keep: Callable[[Invoice], object] | None = None  # what the parent is sent of each invoice the child reads


def specs() -> dict[str, PipeFormat]:
    """The pipe-delimited formats whose files can be split, by format key."""
    from ledes.formats.ledes1998b.table import FORMAT as LEDES_1998B
    from ledes.formats.ledes1998bi.table import FORMAT as LEDES_1998BI

    return {"1998b": LEDES_1998B, "1998bi": LEDES_1998BI}


def middle(size: int) -> int:
    """Where the search for the split starts."""
    return size // 2


def start(
    path: str | os.PathLike[str], source: Source, sink: DiagnosticSink, check: Check, window: int, jobs: int | None,
    keep: Callable[[Invoice], object] | None = None,
) -> Halves | None:
    """The halves of a file being read, its child started; None when the file is read in one process.

    ``jobs`` None splits a file of at least ``MIN_BYTES`` on a machine of two processors
    or more; a number above 1 splits any file that can be. ``keep`` makes the record of
    each invoice of the second half that ``Merged.kept`` hands on.
    """
    if jobs == 1 or os.environ.get(ONE_READER) or not can_fork() or source.format.binary:
        return None
    spec = specs().get(source.format.key)
    size = _regular_size(path)
    if spec is None or size is None or source.head[:2] in UTF16_BOMS:
        return None
    if jobs is None and (size < MIN_BYTES or processors() < 2):
        return None
    plan = _plan(spec)
    found = _layout(path, plan)
    if found is None:
        return None
    layout, preamble_lines = found
    offset = boundary(path, middle(size), plan)
    if offset is None:
        return None
    return Halves(Half(path, spec, Resume(layout, 0, UNSURE), offset, preamble_lines, sink, check, window, keep))


def _ignore(*arguments: object, **keywords: object) -> None:
    """An emit that drops what it is told."""


def _layout(path: str | os.PathLike[str], plan: Plan) -> tuple[Layout, int] | None:
    """The file's layout and the lines its preamble takes, when its records are in the table's order."""
    with open(path, "rb") as binary:
        reader = LineReader(text_stream(binary), _ignore)
        layout, _ = read_preamble(iter(reader), _ignore, plan)
        lines = reader.number
    if layout is None or layout.order is not None or layout.trailing_pipe or layout.width != plan.width:
        return None
    return layout, lines


def boundary(path: str | os.PathLike[str], around: int, plan: Plan) -> int | None:
    """The byte offset of the first plain record after ``around`` whose invoice differs from the one on the line before."""
    with open(path, "rb") as binary:
        binary.seek(around)
        data = binary.read(LOOK_AHEAD)
    position = data.find(b"\n") + 1
    if not position:
        return None
    previous = None
    while (end := data.find(b"\n", position)) >= 0:
        number = _invoice_of(data[position:end], plan)
        if number is not None and previous is not None and number != previous:
            return around + position
        previous, position = number, end + 1
    return None


def _invoice_of(line: bytes, plan: Plan) -> bytes | None:
    """The invoice number of a plain record line (ASCII, the table's fields, ending ``[]``); None for any other line."""
    line = line.removesuffix(b"\r")
    if not line.isascii() or not line.endswith(b"[]") or b"\r" in line or line.count(b"|") != plan.width - 1:
        return None
    return line.split(b"|")[plan.invoice_number]


def line_ends(path: str | os.PathLike[str], offset: int) -> int:
    """The number of lines that end before ``offset`` (LF, CRLF and CR each end one, as the text reader reads them)."""
    ends = 0
    carriage = False
    with open(path, "rb") as binary:
        remaining = offset
        while remaining > 0 and (chunk := binary.read(min(1 << 20, remaining))):
            remaining -= len(chunk)
            ends += chunk.count(b"\n")
            returns = chunk.count(b"\r")
            if returns:
                ends += returns - chunk.count(b"\r\n")
            if carriage and chunk.startswith(b"\n"):
                ends -= 1  # a CRLF across two chunks: counted once for each part
            carriage = chunk.endswith(b"\r")
    return ends


class Halves:
    """The parent's side: the child reading the second half, and what it found once merged (``merged``)."""

    def __init__(self, half: Half) -> None:
        self.sink = half.sink
        self.window = half.window
        self.first_line: int | None = None
        self.decided = False
        self.merged: Merged | None = None
        self.read = functools.partial(read_pipe, half.spec, pause=self.pause)  # the parent's reader of the file
        self._receiving, self._process = start_child(functools.partial(_read_half, half))

    def pause(self, next_line: int, finished: SpillingMap[str]) -> bool:
        """At the end of a batch of the parent's reader: True when the child's findings from ``next_line`` on are taken.

        Asked until the child's first line is known and reached; then the child's whole
        outcome is waited for, once, and merged or given up.
        """
        if self.decided:
            return False
        if self.first_line is None:
            if not self._receiving.poll():
                return False
            kind, payload = self._receive()
            if kind != "start":
                self.cancel()
                return False
            self.first_line = payload
        if next_line < self.first_line:
            return False
        self.decided = True
        try:
            self.merged = self._merge(next_line, finished)
        except (EOFError, OSError, ValueError):
            self.merged = None
        self.close()
        return self.merged is not None

    def cancel(self) -> None:
        """The file is read in one process after all: stop the child."""
        self.decided = True
        self.close()

    def close(self) -> None:
        """Stop the child, if it runs, and close the pipe."""
        self._receiving.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()

    def _receive(self) -> tuple[str, Any]:
        try:
            return self._receiving.recv()
        except (EOFError, OSError):
            return "stopped", None

    def _merge(self, next_line: int, finished: SpillingMap[str]) -> Merged | None:
        """The sink's findings from ``next_line`` on replaced with the child's, as they come; None when not certain.

        The child's findings are filtered as they arrive, so the parent holds only those it
        takes: fewer than the engine's window, or it gives up.
        """
        own = [d for d in self.sink.diagnostics if (d.line or 0) < next_line]
        encoding = structure_rules.ENCODING.name
        warned = any(d.rule == encoding for d in own)  # the file's one warning, on a line before
        taken: list[Diagnostic] = []
        starts, items = array("q"), array("q")
        currencies: list[tuple[str, str | None]] = []
        kept: Records[object] = Records(_KEPT)  # on disk past a bound, as in the child
        while True:
            kind, payload = self._receive()
            if kind == "kept":
                for record in payload:
                    kept.append(record)
            elif kind == "findings":
                for diagnostic in payload:
                    line = diagnostic.line
                    if line is None:
                        return None
                    if line < next_line or (warned and diagnostic.rule == encoding):
                        continue
                    if diagnostic.rule == UNSURE.name:
                        if finished.get(digest((diagnostic.invoice or "",))) is None:
                            continue  # a number the first half did not use: the invoice is where it belongs
                        diagnostic = attrs.evolve(diagnostic, rule=invoice_rules.NON_CONTIGUOUS.name)
                    taken.append(diagnostic)
                if len(own) + len(taken) >= self.window:
                    return None  # one process would tell them in windows
            elif kind == "invoices":
                starts.frombytes(payload[0])
                items.frombytes(payload[1])
            elif kind == "currencies":
                currencies.extend(payload)
            elif kind != "end":
                return None  # the child failed, or found too many
            else:
                break
        index = bisect.bisect_left(starts, next_line)
        if index == len(starts) or starts[index] != next_line:
            return None  # the child did not read the invoice the parent stopped before
        self.sink.diagnostics[:] = own + taken
        return Merged(len(starts) - index, sum(items[index:]), currencies, itertools.islice(kept, index, None))


def _read_half(half: Half, send: Callable[[object], None]) -> None:
    """Read and check the file's second half, then send what was found, in pieces."""
    path, spec, sink, window = half.path, half.spec, half.sink, half.window
    before = line_ends(path, half.offset)
    if before <= half.preamble_lines:
        send(("small", None))
        return
    send(("start", before + 1))
    level_of = sink.level_of  # the child's copy of the parent's sink, emptied
    unsure, non_contiguous = UNSURE.name, invoice_rules.NON_CONTIGUOUS.name
    sink.level_of = lambda name: level_of(non_contiguous if name == unsure else name)
    sink.diagnostics.clear()
    held = 2 * window  # the child's own findings past which the file is surely told in windows
    found: Records[Diagnostic] = Records()  # on disk past a bound: one unsure number for each invoice of the half
    certain = 0
    starts, items = array("q"), array("q")
    currencies: dict[str, str | None] = {}
    kept: Records[object] = Records(_KEPT)
    with open(path, "rb") as binary:
        binary.seek(half.offset)
        stream = io.TextIOWrapper(binary, encoding="utf-8", errors="surrogateescape", newline=None)
        invoices = read_pipe(spec, stream, sink.emit, sink.path, resume=attrs.evolve(half.resume, lines_before=before))
        for invoice in half.check(invoices, sink):
            starts.append(invoice.location.line if invoice.location and invoice.location.line else 0)
            items.append(sum(len(matter.line_items) for matter in invoice.matters))
            if isinstance(invoice.number, str):
                currencies.setdefault(invoice.number, invoice.currency)
            if half.keep is not None:
                kept.append(half.keep(invoice))
            for diagnostic in sink.diagnostics:
                found.append(diagnostic)
                certain += diagnostic.rule != unsure
            sink.diagnostics.clear()
            if certain > held:
                send(("many", None))
                return
    for diagnostic in sink.diagnostics:  # what the reader reports after the last invoice
        found.append(diagnostic)
    for first in range(0, len(starts), _PIECE * 8):
        send(("invoices", (starts[first : first + _PIECE * 8].tobytes(), items[first : first + _PIECE * 8].tobytes())))
    pairs = list(currencies.items())
    for first in range(0, len(pairs), _PIECE):
        send(("currencies", pairs[first : first + _PIECE]))
    for kind, records, size in (("kept", kept, _KEPT), ("findings", found, _PIECE)):
        iterator = iter(records)
        while piece := list(itertools.islice(iterator, size)):
            send((kind, piece))
    send(("end", None))
