"""One import: rows read and converted, grouped into invoices, validated, then written atomically or not at all."""

from __future__ import annotations

import contextlib
import gc
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import TextIO

import attrs

from ledes.config import Config
from ledes.errors import LedesConfigError, LedesInputError, LedesWriteError
from ledes.formats import DEFAULT, Format, WriteOptions, format_named
from ledes.guidelines import load_config
from ledes.importing.checking import Finding
from ledes.importing.entries import Entry, Rounding, RowConverter, RowError, column_indexes, wider_than_header
from ledes.importing.forked import Checker, invoice_checker
from ledes.importing.grouping import EntrySorter, OutOfOrder
from ledes.importing.invoices import build_invoice
from ledes.importing.mapping import ImportMapping, load_mapping
from ledes.importing.pricing import HoursRule
from ledes.importing.sources import open_rows
from ledes.importing.values import ValueReader
from ledes.model import Invoice
from ledes.rules import timeentries
from ledes.rules.timeentries import IncrementOptions
from ledes.safeoutput import atomic_output, writable_target
from ledes.spooled import Records

PathLike = str | os.PathLike[str]


@attrs.frozen
class InvoiceSummary:
    """What one generated invoice holds, for the report: number, client, matter, period, lines and total."""

    number: str
    client_id: str
    matter_id: str
    start: date
    end: date
    lines: int
    total: Decimal
    currency: str | None


@attrs.frozen
class ImportResult:
    """Everything an import found and did: bad rows, roundings, the invoices, validation findings, whether it wrote."""

    source: str
    target: str | None
    format: str
    rows: int
    blank_rows: int
    bad_rows: tuple[RowError, ...]
    roundings: Sequence[Rounding]  # read from disk past a few hundred (ledes.spooled), as ``invoices``
    invoices: Sequence[InvoiceSummary]
    findings: tuple[Finding, ...]
    written: bool
    dry_run: bool
    skip_bad_rows: bool

    @property
    def errors(self) -> int:
        """Validation errors in the generated invoices."""
        return sum(finding.is_error for finding in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def line_items(self) -> int:
        return sum(invoice.lines for invoice in self.invoices)

    @property
    def total(self) -> Decimal:
        return sum((invoice.total for invoice in self.invoices), Decimal(0))

    @property
    def blocked(self) -> bool:
        """True when bad rows, validation errors or an empty source kept the invoices from being written."""
        return bool(self.bad_rows and not self.skip_bad_rows) or self.errors > 0 or not self.invoices


class _NotWritten(Exception):
    """Raised inside the atomic output to discard it: the invoices had validation errors."""


def import_file(
    source: PathLike,
    mapping: PathLike,
    target: PathLike | None = None,
    to: str = DEFAULT.key,
    guidelines: str | None = None,
    skip_bad_rows: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Import a CSV or XLSX export of time entries and expenses into LEDES invoices in format ``to``.

    Every row ends up on one invoice line or among ``bad_rows``. Nothing is written when a
    row is bad (unless ``skip_bad_rows``), when a generated invoice has a validation error,
    or with ``dry_run``. Usage problems (a mistake in the mapping, an unreadable source, an
    output that would overwrite an input) are LedesError exceptions.
    """
    _readable_twice(source)
    rules = load_mapping(mapping)
    writer = _target_format(to, rules)
    if target is None and not dry_run:
        raise LedesWriteError("no output file: give one (-o OUT), or ask for a dry run")
    config = load_config(guidelines)
    if target is not None and not dry_run:
        writable_target(target, (source, mapping, *config.sources))
    inputs = (source, mapping, *config.sources)
    try:  # one invoice per matter is complete only at the end: there is nothing to hand on before
        return _imported(source, rules, writer, config, target, inputs, skip_bad_rows, dry_run,
                         early=EARLY and rules.per != "matter")
    except OutOfOrder:  # a row of a billing period already handed on: read the source again, sorting it whole
        return _imported(source, rules, writer, config, target, inputs, skip_bad_rows, dry_run, early=False)


def _readable_twice(source: PathLike) -> None:
    """LedesInputError unless ``source`` is a regular file (or a name no file has yet, reported when it is opened): the
    import opens it more than once (its first bytes, then its rows; again, sorted, for rows out of date order), and a
    pipe (``<(…)``, a FIFO) gives its text once, then nothing, or blocks."""
    try:
        mode = os.stat(source).st_mode
    except (OSError, ValueError):
        return
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise LedesInputError(f"cannot import '{os.fsdecode(source)}': it is a pipe or device, not a file, and import"
                              " reads its source more than once; save the export to a file and import that")


# Invoices are built and checked as soon as the rows show them complete (rows in billing-period order); tests turn
# this off to compare with sorting the whole source first.
EARLY = True


def _imported(source: PathLike, rules: ImportMapping, writer: Format, config: Config, target: PathLike | None,
              inputs: tuple[PathLike, ...], skip_bad_rows: bool, dry_run: bool, early: bool) -> ImportResult:
    """One reading of the source: invoices built, checked and written as the sorter hands them on (``early``: while
    rows are still read); OutOfOrder when a row belongs to a billing period already handed on."""
    found = _Found()
    summaries: Records[InvoiceSummary] = Records()  # one per invoice: on disk past a few hundred
    # The checker starts first: forked while this process is small, it then costs no more memory than it uses.
    with _collector_paused(), invoice_checker(writer, config, str(target or source)) as checker, \
            EntrySorter(early=early) as sorter:
        entries = _read_entries(source, rules, config, writer.title if writer.preamble_lines else None, found)
        groups = _accepted(sorter.sorted_invoices(entries), found, skip_bad_rows)
        invoices = _prepared(groups, rules, writer, checker, summaries, str(source))
        try:
            if dry_run:
                for _ in invoices:
                    pass
                checker.finish()
                written = False
            else:
                written = _write(invoices, writer, checker, target, inputs)  # type: ignore[arg-type]
        except _Rejected:
            return found.result(source, target, writer, dry_run, skip_bad_rows, (), (), False)
    return found.result(source, target, writer, dry_run, skip_bad_rows, summaries, checker.findings, written)


class _Rejected(Exception):
    """Raised once every row is read when bad rows (not skipped) or no rows at all leave nothing to write."""


def _accepted(groups: Iterator[list[Entry]], found: _Found, skip_bad_rows: bool) -> Iterator[list[Entry]]:
    """The groups, until a bad row (unless skipped) makes them pointless: the rest of the rows are then read for
    their problems alone; _Rejected at the end when a bad row or an empty source leaves no invoice to write."""
    some = False
    for group in groups:
        if found.bad and not skip_bad_rows:
            break
        some = True
        yield group
        del group  # not held while the next is gathered
    for _ in groups:  # every row read, for every bad row to be reported
        some = True
    if (found.bad and not skip_bad_rows) or not some:
        raise _Rejected


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: entries and invoices hold no reference cycles, and its passes over the
    entries held for sorting cost a tenth of an import; freed memory is still freed at once (reference counting)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class _Found:
    """The rows an import has seen: how many, how many blank, which were bad, which hours it rounded."""

    def __init__(self) -> None:
        self.rows = 0
        self.blank = 0
        self.bad: list[RowError] = []
        self.roundings: Sequence[Rounding] = ()

    def result(self, source: PathLike, target: PathLike | None, writer: Format, dry_run: bool, skip: bool,
               summaries: Sequence[InvoiceSummary], findings: Iterable[Finding], written: bool) -> ImportResult:
        return ImportResult(str(source), None if target is None else str(target), writer.title, self.rows,
                            self.blank, tuple(self.bad), self.roundings, summaries, tuple(findings),
                            written, dry_run, skip)


def _target_format(key: str, mapping: ImportMapping) -> Format:
    """The writer for ``key``, once the mapping is known to give what that format requires."""
    try:
        writer = format_named(key)
    except KeyError:
        raise LedesConfigError(f"unknown format '{key}'") from None
    for option in writer.required_options:
        if not getattr(mapping, option.name):
            raise LedesConfigError(f"{mapping.path}: defaults.{option.name}: {writer.title} needs {option.what},"
                                   " found nothing")
    return writer


def hours_rule(mapping: ImportMapping, config: Config) -> HoursRule:
    """The increment hours are rounded to: the mapping's, else the guidelines' ``time.increment`` option; else none."""
    if mapping.increment is not None:
        return HoursRule(mapping.increment, mapping.rounding)
    rule = timeentries.increment
    if not config.guidelines or config.level_of(rule.name) is None:
        return HoursRule()
    options = config.options_of(rule)
    assert isinstance(options, IncrementOptions)
    increment = options.increment
    if mapping.rounding is None:
        raise LedesConfigError(f"{mapping.path}: hours.rounding: expected up, down or nearest, found nothing (the"
                               f" guidelines bill in increments of {increment} h)")
    return HoursRule(increment, mapping.rounding)


def _read_entries(source: PathLike, mapping: ImportMapping, config: Config, pipe_title: str | None,
                  found: _Found) -> Iterator[Entry]:
    """Convert every row: the entries, in row order; bad rows and roundings into ``found``."""
    hours = hours_rule(mapping, config)
    with open_rows(source, mapping) as rows:
        indexes = column_indexes(mapping, rows.header, str(source))
        converter = RowConverter(mapping, indexes, ValueReader(mapping, rows.workbook), config.timekeepers, hours,
                                 pipe_title)
        found.roundings = converter.roundings
        convert, bad, seen, blank = converter.convert, found.bad, 0, 0
        # A CSV record wider than its header (past empty trailing cells) is not taken as it stands: most often a quote
        # left open has joined the next rows into it, and the cells past the header would be dropped unread.
        width = None if rows.workbook else len(rows.header)
        broken = rows.broken
        for number, cells in rows.rows:
            seen += 1
            if broken and number in broken:  # a quote left open at the end of the file, say
                bad.append(RowError(number, broken[number]))
                continue
            if not "".join(cells).strip():  # a blank row (is_blank, without its call)
                blank += 1
                continue
            if width is not None and len(cells) > width and any(cells[width:]):
                bad.append(wider_than_header(number, cells, width))
                continue
            made = convert(number, cells)
            if type(made) is RowError:
                bad.append(made)
            else:
                yield made  # type: ignore[misc]
        found.rows, found.blank = seen - blank, blank


def _prepared(groups: Iterator[list[Entry]], mapping: ImportMapping, writer: Format, checker: Checker,
              summaries: Records[InvoiceSummary], source: str) -> Iterator[tuple[Invoice, bytes]]:
    """The invoices, numbered in order, completed for the target format, each validated (with its text) before it is
    handed on; none is held once the next is asked for (with its entries and text, a large invoice's is hundreds of KB)."""
    counter = mapping.first_number
    today = date.today()  # one day for the whole import, however long it runs
    for group in groups:
        invoice = build_invoice(group, counter, mapping, source, today)
        invoice = writer.prepared(invoice, WriteOptions(mapping.currency, mapping.law_firm_name))
        text = checker.check(invoice, [entry.row for entry in group])
        summaries.append(InvoiceSummary(invoice.number, group[0].client_id, group[0].matter_id,  # type: ignore[arg-type]
                                        invoice.billing_start, invoice.billing_end, len(group),  # type: ignore[arg-type]
                                        invoice.total, invoice.currency))  # type: ignore[arg-type]
        del group
        yield invoice, text
        del invoice, text
        counter += 1


def _write(invoices: Iterator[tuple[Invoice, bytes]], writer: Format, checker: Checker, target: PathLike,
           inputs: Iterable[PathLike]) -> bool:
    """Write atomically; the output is discarded when any invoice had a validation error."""
    try:
        with atomic_output(target, inputs) as out:
            if writer.preamble_lines is None:
                writer.write(_invoices(invoices), out)
            else:
                _write_records(invoices, writer.preamble_lines, out)
            checker.finish()
            if checker.errors:
                raise _NotWritten
    except _NotWritten:
        return False
    return True


def _invoices(invoices: Iterator[tuple[Invoice, bytes]]) -> Iterator[Invoice]:
    """The invoices alone, none held once the next is asked for."""
    for invoice, _text in invoices:
        yield invoice
        del invoice, _text


def _write_records(invoices: Iterator[tuple[Invoice, bytes]], preamble_lines: int, out: TextIO) -> None:
    """A pipe file is its preamble (format line and header), then each invoice's records: the text validated (UTF-8,
    as ``out`` encodes) is the text written, its bytes as they are; no text is held once the next is asked for."""
    out.flush()
    binary = out.buffer
    skipped = 0  # the preamble's lines, written with the first invoice's text
    for invoice, text in invoices:
        start = 0
        for _ in range(skipped):
            start = text.index(b"\n", start) + 1
        binary.write(memoryview(text)[start:])
        skipped = preamble_lines
        del invoice, text
