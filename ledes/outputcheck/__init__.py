"""Convert's check of its written output: validated as ``ledes validate`` would, each invoice compared for its losses."""

from __future__ import annotations

import contextlib
import functools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TextIO, cast

import attrs

from ledes.config import Config
from ledes.diagnostics import Diagnostic, DiagnosticSink
from ledes.engine import check
from ledes.errors import LedesInputError
from ledes.formats import FORMATS, Format, WriteOptions
from ledes.formats.base import NotValid
from ledes.formats.io import Source, xml_ceiling
from ledes.formats.losses import read_back_losses
from ledes.listeners import Collector
from ledes.model import Invoice
from ledes.money import exact
from ledes.results import FileReport
from ledes.spooled import Records

# A source at most this fraction of the XML ceiling is checked as its output is written (see ``AsWritten``): its
# output is expected under the ceiling (LEDES XML from 1998B is about 2.7 times its size), so its one validating
# read is not cut off there. A larger one is written first, then checked (``validated_with_losses``).
_AS_WRITTEN_SHARE = 4


def opened_source(path: str | os.PathLike[str], format: str | None) -> Source:
    """The file with its format; an XML document whose root is past its first bytes and no LEDES root is refused.

    XML of another kind whose root element is in the first bytes is ``foreign``, one
    finding like any other file that is no invoice file.
    """
    source = Source(path, format)
    if source.format.binary and not source.recognised and source.foreign is None:
        raise LedesInputError(
            f"'{path}' is XML, not {' or '.join(f.title for f in FORMATS if f.binary)}: ledes validates it"
            " (ledes validate) but cannot show, load or convert it"
        )
    return source



def validated(path: str, format: Format | str, on_invoice: Callable[[Invoice], None] | None = None) -> FileReport:
    """``ledes validate`` of the written file, its findings on disk past a few hundred (``Collector(spooled=True)``):
    a source with a finding on each of a million lines gives an output with as many."""
    collected = Collector(spooled=True)
    check([path], collected, None, format, None, None, on_invoice)
    return collected.files[0]


def rereadable(path: str | os.PathLike[str]) -> bool:
    """Whether the source can be read a second time: a regular file (not standard input or a pipe)."""
    return str(path) != "-" and os.path.isfile(path)


def validated_with_losses(
    written: str, writer: Format, source: str | os.PathLike[str], format: str | None, options: WriteOptions,
    whole: tuple[Sequence[Diagnostic], bool] | None = None,
) -> tuple[Sequence[Diagnostic], Sequence[Diagnostic]]:
    """The findings on the written file, validated as ``ledes validate`` would, and the losses of its invoices.

    Each invoice the validation reads is compared with the source's invoice, read again and
    prepared as it was written (in ``exact``, as the writer pulled it): the losses
    ``by_reading_back`` finds, from one reading of the output: first one parse that checks
    its schema on the way (``Format.read_valid``), else (not valid) the usual validation.
    An output too large for the validation to read (``xml.size``) is read back whole for
    its losses, up to its own size (it is ours): ``whole`` is that reading's outcome when it
    is already known (``compared_losses``). When the output does not give back one
    invoice for each written, each invoice is written and read back alone.
    """
    reports: list[FileReport] = []

    def validated_as(reading: Format) -> Callable[[Callable[[Invoice], None]], None]:
        def validated_with(compare: Callable[[Invoice], None]) -> None:
            reports.append(validated(written, reading, compare))

        return validated_with

    if writer.read_valid is not None:  # usually valid: read in one parse that checks the schema on the way
        with contextlib.suppress(NotValid):
            one_parse = attrs.evolve(writer, precheck=None, read=writer.read_valid)
            dropped, unmatched = compared_losses(validated_as(one_parse), writer, source, format, options)
    if not reports:
        dropped, unmatched = compared_losses(validated_as(writer), writer, source, format, options)
    if unmatched and os.path.getsize(written) > xml_ceiling():
        dropped, unmatched = whole if whole is not None else compared_losses(
            functools.partial(read_whole, written, writer), writer, source, format, options)
    if unmatched:
        dropped = Records()
        with prepared_again(writer, source, format, options) as (source_names, originals), exact():
            lost = writer.losses(writer, source_names, str(source))
            for original in originals:
                for loss in lost(original):
                    dropped.append(loss)
    return reports[0].diagnostics, dropped


def compared_losses(
    read_back: Callable[[Callable[[Invoice], None]], None], writer: Format, source: str | os.PathLike[str],
    format: str | None, options: WriteOptions, keep: Callable[[Diagnostic], None] | None = None,
) -> tuple[Sequence[Diagnostic], bool]:
    """The losses of the invoices ``read_back`` gives back (to the function it is called with), each compared with
    the source's invoice prepared as written; and whether it gave back more or fewer invoices than the source holds.

    With ``keep``, each loss is handed to it as it is found, and the list returned is empty.
    """
    dropped: Records[Diagnostic] = Records()  # on disk past a few hundred: a loss an invoice, of millions
    add = keep or dropped.append
    unmatched = False
    with prepared_again(writer, source, format, options) as (source_names, originals):

        def compare(again: Invoice) -> None:
            nonlocal unmatched
            with exact():
                original = next(originals, None)
                if original is None:
                    unmatched = True
                    return
                for loss in read_back_losses(original, again, writer.write, source_names,
                                             writer.title, str(source), writer.unread):
                    add(loss)

        read_back(compare)
        with exact():
            unmatched = unmatched or next(originals, None) is not None
    return dropped, unmatched


def read_whole(written: str, writer: Format, compare: Callable[[Invoice], None]) -> None:
    """Each invoice of the written file, read up to its own size (``max_bytes``: LEDES XML's and 2000's readers take it).

    Its findings are the validation's to report.
    """
    read = cast(Callable[..., Iterator[Invoice]], writer.read)
    with open(written, "rb") as stream:
        for again in read(stream, lambda *args, **kwargs: None, None, max_bytes=os.path.getsize(written)):
            compare(again)


@contextlib.contextmanager
def prepared_again(
    writer: Format, source: str | os.PathLike[str], format: str | None, options: WriteOptions
) -> Iterator[tuple[Mapping[str, str], Iterator[Invoice]]]:
    """The source's field names and its invoices read again, each prepared for ``writer`` as ``convert`` wrote it."""
    reading = opened_source(source, format)
    with reading.stream() as stream:
        names = reading.format.field_names
        # What this reading finds was found and kept by the first: not kept again (a finding on each of a million lines).
        sink = DiagnosticSink(str(source), Config().level_of, names, collect=_passed_over)
        yield names, (writer.prepared(invoice, options) for invoice in reading.invoices(stream, sink))


def _passed_over(diagnostic: Diagnostic) -> None:
    """What a second reading of the source finds: the first reading's findings again."""


def checked_as_written(source: str | os.PathLike[str], writer: Format) -> bool:
    """Whether ``convert`` checks its output as it writes it (``AsWritten``): a target that gives its text in pieces
    and reads a valid document in one parse, from a source small enough that its output stays under the XML ceiling."""
    return (writer.texts is not None and writer.read_valid is not None
            and os.path.getsize(source) * _AS_WRITTEN_SHARE <= xml_ceiling())


class AsWritten:
    """Convert's output validated in the same pass that writes it, each invoice compared with the one written.

    The validation's reader (``Format.read_valid``) pulls the writer's text a piece at a
    time (``read``): each piece is written to the output, then read; so the text validated
    is the text written, and each invoice written waits in ``originals`` for the one read
    back (those in the bytes the reader has taken ahead: memory stays bounded), where ``validated_with_losses`` reads
    the source again. ``check`` gives None when the one-parse reading does not see the
    document to its end with one invoice for each written (not valid, say): the output
    is then complete and is checked by ``validated_with_losses``.
    """

    def __init__(self, writer: Format, out: TextIO) -> None:
        self.writer = writer
        self.out = out
        out.flush()  # its text so far before the bytes written to its buffer
        self.originals: deque[Invoice] = deque()
        self.keeping = True  # whether invoices written are kept for their comparison
        self.pieces: Iterator[str] = iter(())
        self.pending = b""
        self.error: BaseException | None = None

    def kept(self, invoices: Iterable[Invoice]) -> Iterator[Invoice]:
        """``invoices``, each kept for its comparison as the writer takes it."""
        for invoice in invoices:
            if self.keeping:
                self.originals.append(invoice)
            yield invoice

    def read(self, size: int = -1) -> bytes:
        """The output's next bytes, for the validating reader: the writer's next pieces, written on the way."""
        pending = [self.pending]
        length = len(self.pending)
        while size < 0 or length < size:
            piece = self._next_piece()
            if piece is None:
                break
            pending.append(piece)
            length += len(piece)
        data = b"".join(pending)
        if size < 0:
            size = len(data)
        self.pending = data[size:]
        return data[:size]

    def _next_piece(self) -> bytes | None:
        """The writer's next piece, written to the output; None at its end (or when it raised: kept for ``check``)."""
        if self.error is not None:
            return None
        try:
            with exact():
                text = next(self.pieces, None)
        except Exception as error:  # the writer's or the source's: raised again once the reader has stopped
            self.error = error
            return None
        if text is None:
            return None
        data = text.encode("utf-8")  # once: the output is UTF-8, its line ends as written (safeoutput.atomic_output)
        self.out.buffer.write(data)
        self.out.buffer.flush()  # the output on disk is all the reader has read
        return data

    def check(self, invoices: Iterable[Invoice], source_names: Mapping[str, str],
              source: str | os.PathLike[str]) -> tuple[Sequence[Diagnostic], Sequence[Diagnostic]] | None:
        """Write ``invoices`` (prepared) and validate them as written: the findings and the losses, or None (see above)."""
        writer = self.writer
        texts = cast(Callable[[Iterable[Invoice]], Iterator[str]], writer.texts)
        read_valid = cast(Callable[..., Iterator[Invoice]], writer.read_valid)
        self.pieces = texts(self.kept(invoices))
        dropped: Records[Diagnostic] = Records()
        matched = True

        def compare(again: Invoice) -> None:
            nonlocal matched
            if not self.originals:
                matched = False
                return
            with exact():
                for loss in read_back_losses(self.originals.popleft(), again, writer.write, source_names,
                                             writer.title, str(source), writer.unread):
                    dropped.append(loss)

        as_written = attrs.evolve(writer, precheck=None, read=lambda _file, emit, path: read_valid(self, emit, path))
        report: FileReport | None = None
        try:
            report = validated(self.out.name, as_written, compare)
        except NotValid:
            pass
        finally:
            self.keeping = False
            matched = matched and not self.originals
            self.originals.clear()
            while self._next_piece() is not None:  # the rest of the output, when the reader stopped short
                pass
        if self.error is not None:
            raise self.error
        return (report.diagnostics, dropped) if report is not None and matched else None
