"""The validation engine: reads each file once, streaming, and runs every enabled rule on each invoice."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, cast

from ledes.config import Config
from ledes.diagnostics import Diagnostic, DiagnosticSink
from ledes.findingwindow import FindingWindow
from ledes.formats import Format, message_names
from ledes.formats.base import Precheck
from ledes.formats.io import Source, check_readable, input_path
from ledes.listeners import IGNORED, Collector, Spool
from ledes.model import Invoice
from ledes.money import exact
from ledes.results import FileChecked, FileReport, Listener, Progress, Report
from ledes.rulereports import report_late, report_on_invoice
from ledes.rules.base import Context, GuidelineCheck
from ledes.rules.catalogue import CATALOGUE, rule_named
from ledes.safetext import valid_unicode
from ledes.workers import MIN_BYTES  # a smaller file is read in one process (ledes.halves not imported for it)

if TYPE_CHECKING:
    from ledes.halves import Check, Halves
    from ledes.workers import Recorder, Split

OnProgress = Callable[[Progress], None]
Told = Callable[[str, int, Source], None]


# A file's findings are held and sorted by line up to this many; past it, each full window is sorted and
# passed on, so memory stays bounded whatever the number of findings (the order is then by line per window).
# About 1 KB a finding: a window of 10,000 grew a run by some 9 MB once it had that many findings, so a run's
# memory was flat only past 10,000 of them. A file read in two halves at once keeps HALVES_WINDOW, the most
# that its two processes' findings are merged from (``ledes.halves``); past it, one process reads on.
WINDOW = 1_000
HALVES_WINDOW = 10_000


def validate(
    paths: Iterable[str | os.PathLike[str]],
    config: Config | None = None,
    format: str | Format | None = None,
    xsd: str | os.PathLike[str] | None = None,
    progress: OnProgress | None = None,
    on_invoice: Callable[[Invoice], None] | None = None,
    jobs: int | None = 1,
) -> Report:
    """Validate each file and collect every finding; raises LedesInputError when a file cannot be read.

    The files are one run: guideline rules that look across invoices (a timekeeper's
    hours on one day, a duplicate invoice number) see every invoice of every file.
    ``progress``, if given, is called as each file starts and after each invoice read.
    ``check`` does the same without holding the findings. ``on_invoice`` receives each
    invoice as it is checked, so that a caller that needs the invoices too (the ledger)
    reads each file once. ``jobs`` shares the costly guideline rules between processes
    (see ``check``).
    """
    collected = Collector()
    check(paths, collected, config, format, xsd, progress, on_invoice, jobs)
    return Report(tuple(collected.files))


def check(
    paths: Iterable[str | os.PathLike[str]],
    listener: Listener,
    config: Config | None = None,
    format: str | Format | None = None,
    xsd: str | os.PathLike[str] | None = None,
    progress: OnProgress | None = None,
    on_invoice: Callable[[Invoice], None] | None = None,
    jobs: int | None = 1,
) -> None:
    """Validate each file as one run (see ``validate``), telling ``listener`` each finding as the files stream past.

    When a rule that looks across the whole run is on (``time.daily-hours``, with
    guidelines), a file's findings are final only after the last file: they are then
    kept in a temporary file, not in memory, and told with the run's own findings at
    the end, each file's merged by line as ``validate`` orders them. ``jobs`` is the
    number of processes that share the costly guideline rules (``ledes.workers``; None:
    one per processor, for large files); the findings are the same whatever it is.
    """
    config = config or Config()
    paths = [input_path(path) for path in _path_list(paths)]
    check_readable(paths)  # before anything is told: a missing later file never cuts a run's output short
    if jobs == 1:
        _check_run(paths, listener, config, format, xsd, progress, on_invoice)
        return
    from ledes.workers import Workers, plan

    shares = plan(paths, config, jobs)
    if not shares:
        _check_run(paths, listener, config, format, xsd, progress, on_invoice, jobs=jobs)
        return

    workers = Workers(shares, functools.partial(_check_share, paths, config, format, xsd))
    try:
        _check_run(paths, listener, config, format, xsd, progress, on_invoice, workers)
    finally:
        workers.close()


def _check_run(
    paths: list[str | os.PathLike[str]],
    listener: Listener,
    config: Config,
    format: str | Format | None,
    xsd: str | os.PathLike[str] | None,
    progress: OnProgress | None,
    on_invoice: Callable[[Invoice], None] | None,
    split: Split | None = None,
    jobs: int | None = 1,
) -> None:
    """``check`` in this process, with the rules of ``split``'s workers told from what they found.

    Without a rule that looks across invoices, a large file is read in two halves at once
    (``ledes.halves``) unless ``jobs`` is 1.
    """
    context = config.context()

    def told(number: int) -> Told | None:
        return functools.partial(_told, progress, number, len(paths)) if progress is not None else None

    if not any(entry.finishes and config.level_of(entry.name) is not None for entry in CATALOGUE):
        if split or on_invoice or any(entry.guideline and config.level_of(entry.name) for entry in CATALOGUE):
            jobs = 1  # the rules share what they saw across invoices, or the caller wants each invoice
        for number, path in enumerate(paths, 1):
            _check_file(path, config, format, xsd, context, listener, told(number), on_invoice, split, jobs)
        if split is not None:
            split.end_run()
        return
    from ledes.latefindings import LateFindings  # only a run with a run-wide rule on keeps findings back

    with Spool() as spool, LateFindings() as late:
        for number, path in enumerate(paths, 1):
            _check_file(path, config, format, xsd, context, spool, told(number), on_invoice, split)
        if split is not None:
            split.end_run()
        _report_run_findings(config, context, late.add, split)
        spool.replay(listener, late)


def _check_share(
    paths: list[str | os.PathLike[str]],
    config: Config,
    format: str | Format | None,
    xsd: str | os.PathLike[str] | None,
    recorder: Recorder,
) -> None:
    """A worker's run: every file read again, only its share of the rules run, what they find sent as they find it."""
    context = config.context()
    for path in paths:
        _check_file(path, config, format, xsd, context, IGNORED, split=recorder)
    recorder.end_run()
    _report_run_findings(config, context, recorder.keep, recorder)


def _told(progress: OnProgress, number: int, files: int, path: str, line_items: int, source: Source) -> None:
    progress(Progress(path, number, files, line_items, source.bytes_read(), source.size()))


def run_findings(config: Config, context: Context) -> list[Diagnostic]:
    """The findings of the rules that look across the whole run (their ``finish``), once every invoice is checked."""
    found: list[Diagnostic] = []
    _report_run_findings(config, context, found.append)
    return found


def _report_run_findings(
    config: Config, context: Context, collect: Callable[[Diagnostic], None], split: Split | None = None
) -> None:
    """Pass each finding of the rules' ``finish`` to ``collect`` as it is reported.

    With a ``split``, a rule this process does not run is told from what its worker found.
    """
    for entry in CATALOGUE:
        if not entry.finishes or config.level_of(entry.name) is None:
            continue
        if split is not None and not split.runs(entry.name):
            for diagnostic in split.finished(entry.name):
                collect(diagnostic)
            continue
        rule = rule_named(entry.name)
        assert rule.finish is not None, rule.name
        sink = DiagnosticSink(None, config.level_of, collect=collect)
        with exact():
            rule.finish(functools.partial(report_late, sink.emit, rule.name, guideline=rule.guideline),
                        config.options_of(rule), context)
        if split is not None:
            split.rule_finished(rule.name)


def validate_file(
    path: str | os.PathLike[str],
    config: Config | None = None,
    format: str | None = None,
    xsd: str | os.PathLike[str] | None = None,
) -> FileReport:
    """Validate one file, as a run of its own (see ``validate``)."""
    return validate([path], config, format, xsd).files[0]


def _check_file(
    path: str | os.PathLike[str],
    config: Config,
    format: str | Format | None,
    xsd: str | os.PathLike[str] | None,
    context: Context,
    listener: Listener,
    told: Told | None = None,
    on_invoice: Callable[[Invoice], None] | None = None,
    split: Split | None = None,
    jobs: int | None = 1,
) -> None:
    """Check one file: its format's checks before reading (an XML schema), then one streaming read with every enabled rule.

    A file that the checks before reading found to be another format than the one
    detected (a LEDES XML version ledes does not read) is not read into invoices. A file
    that is no invoice file at all (a CSV export, a PDF, ...) is one finding, of no format.
    Findings go to ``listener`` sorted by line, a window (``WINDOW``; ``HALVES_WINDOW`` read in halves) at a time.
    """
    name = _display(path)
    source = Source(path, format)
    file_format = source.format
    sink = DiagnosticSink(name, config.level_of, file_format.field_names, message_names(file_format.key))
    if source.foreign is not None:
        source.foreign.report(sink.emit)
        listener.file_started(name, None)
        FindingWindow(sink, listener, {}, WINDOW).pass_on()
        listener.file_finished(FileChecked(name, None, 0, 0))
        return
    checked = file_format.precheck(source.binary, sink.emit, xsd) if file_format.precheck else Precheck()
    format_name = checked.format_name or file_format.name
    listener.file_started(name, format_name)
    invoices = line_items = 0
    currencies: dict[str, str | None] = {}
    window = FindingWindow(sink, listener, currencies, WINDOW)
    if checked.readable and (format is not None or format_name == file_format.name):
        with source.stream() as stream, contextlib.ExitStack() as stack:
            halves = read_in_halves(stack, path, source, sink, functools.partial(_check_half, config, context),
                                    HALVES_WINDOW, jobs)
            if halves is not None:  # findings told in windows: only one process's reading tells them so
                window = FindingWindow(sink, listener, currencies, HALVES_WINDOW, halves.cancel)
            if told is not None:
                told(name, 0, source)
            read = halves.read if halves is not None else None
            for invoice in _checked(source.invoices(stream, sink, read), sink, config, context, split):
                invoices += 1
                line_items += sum(len(matter.line_items) for matter in invoice.matters)
                if isinstance(invoice.number, str):
                    currencies.setdefault(invoice.number, _currency(invoice, context))
                if told is not None:
                    told(name, line_items, source)
                if on_invoice is not None:
                    on_invoice(invoice)
                if window.full():
                    window.tell_window()
            if halves is not None and halves.merged is not None:  # the second half, as the child read it
                invoices, line_items = halves.merged.add_to(invoices, line_items, currencies)
                if context.currency is not None:  # the child recorded the currencies its invoices state
                    stating_none = [number for number, stated in currencies.items()
                                    if not (isinstance(stated, str) and stated.strip())]
                    currencies.update(dict.fromkeys(stating_none, context.currency))
                if told is not None:
                    told(name, line_items, source)
    window.pass_on()
    listener.file_finished(FileChecked(name, format_name, invoices, line_items, currencies))


def _currency(invoice: Invoice, context: Context) -> str | None:
    """The currency an invoice's money at stake is in: the one it states, else that of the guidelines' amounts, which
    their rules take an invoice that states none (LEDES 1998B) to be in (None: neither)."""
    stated = invoice.currency
    return stated if isinstance(stated, str) and stated.strip() else context.currency


def read_in_halves(
    stack: contextlib.ExitStack, path: str | os.PathLike[str], source: Source, sink: DiagnosticSink, check: Check,
    window: int, jobs: int | None, keep: Callable[[Invoice], object] | None = None,
) -> Halves | None:
    """The two halves of a file being read at once (``ledes.halves.start``), closed with ``stack``; None for one process.

    ``jobs`` 1 reads in one process, None splits a file of ``MIN_BYTES`` or more; a smaller
    file does not import ``ledes.halves`` at all.
    """
    if jobs == 1 or (jobs is None and (source.size() or 0) < MIN_BYTES):
        return None
    from ledes import halves as two_halves

    halves = two_halves.start(path, source, sink, check, window, jobs, keep)
    if halves is not None:
        stack.callback(halves.close)
    return halves


def _check_half(config: Config, context: Context, invoices: Iterable[Invoice], sink: DiagnosticSink) -> Iterator[Invoice]:
    """The invoice rules over the second half of a file (``ledes.halves``)."""
    return _checked(invoices, sink, config, context)


def checked_invoices(
    stream, file_format: Format, sink: DiagnosticSink, config: Config, context: Context | None = None
) -> Iterator[Invoice]:
    """Read invoices from ``stream`` and run the invoice rules on each, reporting into ``sink``."""
    return _checked(file_format.read(stream, sink.emit, sink.path), sink, config, context)


def checked(
    invoices: Iterable[Invoice], sink: DiagnosticSink, config: Config, context: Context | None = None
) -> Iterator[Invoice]:
    """Run the invoice rules on each invoice of ``invoices`` (read by the caller), reporting into ``sink``."""
    return _checked(invoices, sink, config, context)


def _checked(
    invoices: Iterable[Invoice],
    sink: DiagnosticSink,
    config: Config,
    context: Context | None = None,
    split: Split | None = None,
) -> Iterator[Invoice]:
    """Run the invoice rules on each invoice as it is read, reporting into ``sink``.

    With a ``split`` (``ledes.workers``), the rules it does not run here are told from
    what the process that runs them reported, in their place.
    """
    context = context or config.context()
    # Only the modules of the rules that run are imported (a run without guidelines imports none of theirs).
    enabled = [entry.name for entry in CATALOGUE if entry.checks and config.level_of(entry.name) is not None]
    records = split is not None and split.records
    if records:  # a worker: its share of the rules only
        enabled = [name for name in enabled if split.runs(name)]  # type: ignore[union-attr]
    rules = [rule_named(name) for name in enabled]
    checks = [(rule, rule.check, config.options_of(rule), split is None or split.runs(rule.name))
              for rule in rules if rule.check is not None]
    emit = split.emit if records else sink.emit  # type: ignore[union-attr]
    for invoice in invoices:
        if split is not None:
            split.begin(invoice)
        with exact():  # as the reader computed the invoice's amounts: every digit
            for rule, check, options, here in checks:
                if not here:  # run by a worker: what it reported, in its place
                    split.replay(rule.name, sink.emit)  # type: ignore[union-attr]
                    continue
                report = functools.partial(report_on_invoice, emit, rule.name, invoice, guideline=rule.guideline)
                if rule.guideline:
                    # A guideline rule's check also receives the Context (``guideline_rule`` declares it so).
                    cast(GuidelineCheck, check)(invoice, report, options, context)
                else:
                    check(invoice, report, options)
        if split is not None:
            split.end(invoice)
        yield invoice


def _path_list(paths: Iterable[str | os.PathLike[str]]) -> list[str | os.PathLike[str]]:
    """``paths`` as a list; a TypeError for a single path (a string would be read character by character)."""
    if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
        raise TypeError(f"paths is a list of paths: give [{paths!r}], not the path alone")
    return list(paths)


def _display(path: str | os.PathLike[str]) -> str:
    """The path as findings name it: valid Unicode even when the file name is not UTF-8 (``bad\\xff.txt``)."""
    return "-" if str(path) == "-" else valid_unicode(as_pathlib_shows(os.fspath(path)))


def as_pathlib_shows(text: str) -> str:
    """``text`` as ``str(pathlib.Path(text))`` writes it (no empty or "." parts, no trailing slash), without importing
    pathlib on POSIX: it cost every run's start a twentieth of its instructions."""
    if os.sep != "/" or os.altsep:
        from pathlib import Path

        return str(Path(text))
    root = "//" if text.startswith("//") and not text.startswith("///") else "/" if text.startswith("/") else ""
    return root + "/".join(part for part in text.split("/") if part not in ("", ".")) or "."
