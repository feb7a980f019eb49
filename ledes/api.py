"""The public functions: read, validate, write and convert invoice files."""

from __future__ import annotations

import contextlib
import functools
import io
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar, cast

import attrs

from ledes.config import Config
from ledes.convertfindings import in_line_order, located, spooled, weighed
from ledes.diagnostics import Diagnostic, DiagnosticSink, Severity
from ledes.engine import HALVES_WINDOW, read_in_halves
from ledes.errors import LedesError, LedesInputError
from ledes.findingsample import FindingSample
from ledes.formats import DEFAULT, Format, WriteOptions, format_named
from ledes.formats.base import BY_READING_BACK
from ledes.formats.io import Source
from ledes.model import Invoice
from ledes.outputcheck import (
    AsWritten,
    checked_as_written,
    opened_source,
    rereadable,
    validated,
    validated_with_losses,
)
from ledes.outputcheck.forked import ForkedCheck, forks_check
from ledes.rules import LOSSY_RULES
from ledes.safeoutput import atomic_output, writable_target
from ledes.spooled import Records
from ledes.summary import FileFigures, FileSummary, InvoiceSummary, add_each, add_invoice, invoice_summary

Kept = TypeVar("Kept")


class LedesInvalidFileError(LedesError):
    """Raised by ``load`` when reading a file found errors; ``diagnostics`` lists them."""

    def __init__(self, path: str, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        first = diagnostics[0]
        super().__init__(
            f"{path}:{first.line}: {first.rule}: {first.message}"
            + (f" (and {len(diagnostics) - 1} more)" if len(diagnostics) > 1 else "")
        )


class LedesNoInvoiceError(LedesInvalidFileError):
    """Raised by ``convert`` when the source holds no invoice (nothing is written); ``diagnostics`` say why.

    The source is another kind of file (a CSV export, an Excel workbook, a PDF, ...:
    one ``structure.format-line`` finding), an invoice file with no invoice in it
    (``structure.no-invoice``), or one whose every record reading had to skip (its errors).
    """

    def __init__(self, path: str, diagnostics: Sequence[Diagnostic]) -> None:
        if diagnostics:
            super().__init__(path, diagnostics)
        else:  # not reached with the default rule levels, which report why
            self.diagnostics = diagnostics
            LedesError.__init__(self, f"{path}: no invoice was read")


class LedesDataLossError(LedesError):
    """Raised by ``convert`` when the output would not hold everything the input holds."""

    def __init__(self, losses: Sequence[Diagnostic]) -> None:
        self.losses = losses
        super().__init__(f"converting would lose data: {len(losses)} finding(s), each naming its field's values")


def iter_invoices(
    path: str | os.PathLike[str],
    format: str | None = None,
    diagnostics: list[Diagnostic] | None = None,
) -> Iterator[Invoice]:
    """Stream the invoices of a file; reading problems go to ``diagnostics`` when a list is given.

    When an invoice is yielded, ``diagnostics`` already holds every problem found up to
    and including its rows. A file that is no invoice file (a CSV export, a PDF, ...)
    yields nothing, and one finding says what it is; so does one with no invoice in it.
    """
    source = opened_source(path, format)
    file_format = source.format
    if source.foreign is not None:
        if diagnostics is not None:
            diagnostics.extend(_foreign_findings(source))
        return
    with source.stream() as stream:
        sink = DiagnosticSink(str(path), Config().level_of, file_format.field_names)
        for invoice in source.invoices(stream, sink):
            if diagnostics is not None:
                diagnostics.extend(sink.diagnostics)
            sink.diagnostics.clear()
            yield invoice
        if diagnostics is not None:
            diagnostics.extend(sink.diagnostics)


@attrs.frozen
class Overview:
    """A file's format (None for a file that is no invoice file), the figures of its invoices, and what reading it found."""

    path: str
    format: str | None
    summary: FileSummary
    diagnostics: tuple[Diagnostic, ...]


def overview(path: str | os.PathLike[str], format: str | None = None) -> Overview:
    """Summarise a file's invoices as they stream past (see ``ledes show``)."""
    entries: list[InvoiceSummary] = []
    seen = overview_each(path, entries.append, format)
    figures = seen.figures
    return Overview(seen.path, seen.format, figures.summary(entries), seen.diagnostics)


@attrs.frozen
class FiguresOverview:
    """``overview_each``'s answer: the file's format (None: no invoice file), its figures, what reading it found."""

    path: str
    format: str | None
    figures: FileFigures
    diagnostics: tuple[Diagnostic, ...]  # in line order; with ``keep``, the first of them and of its errors
    count: int = 0  # how many findings, and errors, reading found in all
    errors: int = 0


def overview_each(path: str | os.PathLike[str], each: Callable[[InvoiceSummary], object],
                  format: str | None = None, keep: int | None = None) -> FiguresOverview:
    """Summarise a file's invoices, handing each invoice's summary to ``each`` as it is made; none is kept.

    With ``keep``, only the first ``keep`` findings and errors are kept (``read_each``)."""
    figures = FileFigures()
    found = read_each(
        path, lambda invoice: each(add_invoice(figures, invoice)), format,
        Split(invoice_summary, lambda entries: add_each(figures, entries, each)), keep,
    )
    return FiguresOverview(str(path), found.format, figures, tuple(sorted(found.diagnostics, key=lambda d: d.line or 0)),
                           found.count, found.errors)


@attrs.frozen
class Split(Generic[Kept]):
    """How ``read_each`` may read a large file's second half in a forked child (``ledes.halves``).

    The child makes ``keep(invoice)`` of each invoice it reads; ``add`` is given, in order,
    those of the invoices the reading process did not read itself, after its last.
    """

    keep: Callable[[Invoice], Kept]
    add: Callable[[Iterable[Kept]], object]


@attrs.frozen
class FileRead:
    """What ``read_each`` found: the file's format (None: no invoice file), and what reading it found, as found."""

    format: str | None
    diagnostics: tuple[Diagnostic, ...]
    count: int = 0  # how many findings, and errors, reading found in all (``diagnostics`` may hold fewer: ``keep``)
    errors: int = 0


def read_each(path: str | os.PathLike[str], each: Callable[[Invoice], object], format: str | None = None,
              split: Split[Any] | None = None, keep: int | None = None) -> FileRead:
    """Hand each invoice of a file to ``each`` as it is read; none is kept.

    With ``split``, a large LEDES 1998B or 1998BI file (``ledes.engine.read_in_halves``) is
    read in two halves at once (``Split``), the same in the end as if ``each`` had been given them all.
    With ``keep``, what reading found is counted, and only the first ``keep`` findings by line
    and the first ``keep`` errors are kept (``FindingSample``): memory stays flat however many
    there are. Without it, every finding is kept.
    """
    source = opened_source(path, format)
    if source.foreign is not None:
        foreign = tuple(_foreign_findings(source))
        return FileRead(None, foreign, len(foreign), sum(d.severity is Severity.ERROR for d in foreign))
    with source.stream() as stream, contextlib.ExitStack() as stack:
        sample = FindingSample(keep) if keep is not None else None
        kept: list[Diagnostic] = []  # the sink's list, which the sample cuts back and the halves' merge replaces
        collect = functools.partial(sample.add, kept) if sample is not None else None
        sink = DiagnosticSink(str(path), Config().level_of, source.format.field_names, collect=collect)
        if sample is not None:
            sink.diagnostics = kept
        halves = None
        if split is not None:  # no rule runs: the halves are merged unless the child finds more than the window
            window = sys.maxsize if sample is None else HALVES_WINDOW
            halves = read_in_halves(stack, path, source, sink, _unchecked, window, None, split.keep)
        for invoice in source.invoices(stream, sink, halves.read if halves is not None else None):
            each(invoice)
        if split is not None and halves is not None and halves.merged is not None:  # the second half, as read there
            split.add(halves.merged.kept)
    found = sink.diagnostics
    if sample is None:
        return FileRead(source.format.name, tuple(found), len(found), sum(d.severity is Severity.ERROR for d in found))
    sample.cut(found)  # the child's findings, merged, are not yet cut back
    return FileRead(source.format.name, tuple(found), *sample.counts(found))


def _unchecked(invoices: Iterator[Invoice], sink: DiagnosticSink) -> Iterator[Invoice]:
    """The invoices as read: no rule is run on them."""
    return invoices


def _foreign_findings(source: Source) -> list[Diagnostic]:
    """The one finding on a file that is no invoice file: what it is, and what to run instead."""
    sink = DiagnosticSink(str(source.path), Config().level_of)
    if source.foreign is not None:
        source.foreign.report(sink.emit)
    return sink.diagnostics


def load(path: str | os.PathLike[str], format: str | None = None) -> list[Invoice]:
    """Read every invoice of a file; raises LedesInvalidFileError if reading it found an error."""
    found: list[Diagnostic] = []
    invoices = list(iter_invoices(path, format, found))
    errors = [d for d in found if d.severity is Severity.ERROR]
    if errors:
        raise LedesInvalidFileError(str(path), errors)
    return invoices


def dumps(invoices: Iterable[Invoice], format: str = DEFAULT.key) -> str:
    """The text of ``invoices`` in ``format``."""
    out = io.StringIO()
    _target(format).write(_invoices_only(invoices), out)
    return out.getvalue()


def _target(key: object) -> Format:
    """The format to write: LedesInputError for an unknown key, TypeError for what is no key at all."""
    if not isinstance(key, str):
        raise TypeError(f"expected a format key such as '1998b', found {type(key).__name__}")
    try:
        return format_named(key)
    except KeyError:
        raise LedesInputError(f"unknown format '{key}'") from None


def _invoices_only(invoices: Iterable[Invoice]) -> Iterator[Invoice]:
    """The invoices, each checked to be one as it is written (a TypeError names what else was given)."""
    for invoice in invoices:
        if not isinstance(invoice, Invoice):
            raise TypeError(f"expected Invoice objects to write, found {type(invoice).__name__}")
        yield invoice


def write(invoices: Iterable[Invoice], path: str | os.PathLike[str], format: str = DEFAULT.key) -> None:
    """Write ``invoices`` to ``path`` atomically: the file appears whole or not at all (``-``: standard output).

    ``path`` must be a regular file, a symbolic link to one, or a new file
    (``ledes.safeoutput``); anything else is a LedesWriteError.
    """
    target = _target(format)
    with atomic_output(os.fsdecode(path) if isinstance(path, bytes) else path) as out:
        target.write(_invoices_only(invoices), out)


@attrs.frozen
class Conversion:
    """What ``convert`` wrote, what it could not carry over, and what validating the written file found.

    ``losses`` lists the values the output goes without (``convert.unsupported-field``
    warnings) and, only with ``allow_loss``, those it changes; ``output_diagnostics``
    are the findings of ``ledes validate`` on the written file, against its path: what
    the output carries that a portal would reject (a value invalid in the source, say).
    """

    invoices: int
    line_items: int
    # Each a sequence equal to the tuple of its findings, kept on disk past a few hundred (``ledes.spooled.Records``).
    diagnostics: Sequence[Diagnostic]
    losses: Sequence[Diagnostic]
    output_diagnostics: Sequence[Diagnostic] = ()
    currencies: Mapping[str, str | None] = attrs.field(factory=dict)  # each written invoice's, by its number

    @property
    def output_errors(self) -> int:
        """How many errors validating the written file found (``ledes convert`` exits 1 when there are any)."""
        return sum(d.severity is Severity.ERROR for d in self.output_diagnostics)


def convert(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    to: str = DEFAULT.key,
    format: str | None = None,
    allow_loss: bool = False,
    currency: str | None = None,
    law_firm_name: str | None = None,
    strict: bool = False,
) -> Conversion:
    """Read ``source`` and write it to ``target`` in format ``to``, atomically.

    Refuses to overwrite the source. Nothing is lost silently, in two classes: a value
    the target has no field for at all (taxes or addresses into 1998B, say) is listed in
    ``losses`` as a ``convert.unsupported-field`` warning and the output is written
    without it (with ``strict``, it refuses as the other class does); a value the target
    would give back changed or empty (``convert.changed-value``), a record reading
    skipped or repeated values that disagree make LedesDataLossError list every loss,
    and nothing is written, unless ``allow_loss``. The written file is then validated
    as ``ledes validate`` would (``output_diagnostics``): it stays written, and what it
    carries that a portal would reject (a value invalid in the source) is reported
    against its path. Values the
    target requires and the source lacks are derived where the arithmetic allows (zero
    line tax, tax and net totals for 1998BI) or taken from options (``currency``,
    ``law_firm_name``); otherwise LedesMissingValueError names the missing field. For
    LEDES XML targets, each invoice is also read back (from the written file, as its
    validation reads it, when the source can be read again; else written and read back
    alone), and any value that would not come back as it was (a line number XML cannot
    hold, say) is a loss. A source
    that holds no invoice (another kind of file, an invoice file with none in it, or one
    whose every record was skipped, with ``allow_loss``) raises LedesNoInvoiceError: an
    empty output is never written.
    """
    writer = _target(to)
    target = os.fsdecode(target) if isinstance(target, bytes) else target
    writable_target(target, [source])  # a device, a directory or the source itself is refused before reading
    reading = opened_source(source, format)
    if reading.foreign is not None:
        raise LedesNoInvoiceError(str(source), _foreign_findings(reading))
    # An ISO 4217 code, however it is typed (--currency eur): as every target writes it.
    options = WriteOptions(currency=currency.strip().upper() if currency else currency, law_firm_name=law_firm_name)
    # A target read back for its losses is compared with its output as validated: as it is written (each invoice
    # written kept for its comparison), else once written, the source read again beside it.
    from_output = writer.losses is BY_READING_BACK and rereadable(source)
    forked = from_output and forks_check(source, writer)
    as_written = from_output and not forked and checked_as_written(source, writer)
    lost_here: Records[Diagnostic] = Records()  # the losses the target's table tells, on disk past a few hundred
    dropped: Sequence[Diagnostic] = lost_here
    counts = [0, 0]
    currencies: dict[str, str | None] = {}

    def prepared(invoices: Iterable[Invoice], source_names: Mapping[str, str]) -> Iterator[Invoice]:
        lost = writer.losses(writer, source_names, str(source))
        for invoice in invoices:
            counts[0] += 1
            counts[1] += sum(len(matter.line_items) for matter in invoice.matters)
            invoice = writer.prepared(invoice, options)
            if isinstance(invoice.number, str):
                currencies.setdefault(invoice.number, invoice.currency)
            if not from_output:
                for loss in lost(invoice):
                    lost_here.append(loss)
            yield invoice

    source_format = reading.format
    with reading.stream() as stream:
        read: Records[Diagnostic] = Records()  # on disk past a few hundred: a file can hold one on every line
        sink = DiagnosticSink(str(source), Config().level_of, source_format.field_names, collect=read.append)
        sink.diagnostics = cast(list, read)  # what the reading reports, looked through for its errors at the end
        with atomic_output(target, [source]) as out:
            invoices = prepared(reading.invoices(stream, sink), source_format.field_names)
            outcome, whole = None, None
            if forked:
                outcome, whole = ForkedCheck(writer, out, source, format, options).check(invoices)
            elif as_written:
                outcome = AsWritten(writer, out).check(invoices, source_format.field_names, source)
            else:
                writer.write(invoices, out)
            found = in_line_order(read)
            read.close()
            out.flush()  # the complete text, validated before it is put in place (or copied to standard output)
            checked: Sequence[Diagnostic] = ()
            if outcome is not None:
                checked, dropped = outcome
            elif from_output and counts[0]:
                checked, dropped = validated_with_losses(out.name, writer, source, format, options, whole)
            losses, refused = weighed(itertools.chain((d for d in found if d.rule in LOSSY_RULES), dropped), strict)
            # Nothing to write (every record skipped, a file not well-formed): no empty output, and no advice to allow
            # a loss that would still write nothing.
            if not counts[0]:
                errors = spooled(d for d in found if d.severity is Severity.ERROR)
                raise LedesNoInvoiceError(str(source), errors or found)
            if refused and not allow_loss:
                raise LedesDataLossError(losses)
            if not from_output:
                checked = validated(out.name, writer.key).diagnostics
    return Conversion(counts[0], counts[1], found, losses, located(checked, str(target)), currencies)
