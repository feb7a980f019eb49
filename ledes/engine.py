"""The validation engine: reads each file once, streaming, and runs every enabled rule on each invoice."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import cast

import attrs

from ledes.config import Config
from ledes.diagnostics import Diagnostic, DiagnosticSink, Emit, Severity
from ledes.formats import Format, format_named
from ledes.formats.base import Precheck
from ledes.formats.io import Source
from ledes.model import Invoice
from ledes.money import exact
from ledes.rules import ALL_RULES, RULES_BY_NAME, WHOLE_INVOICE_RULES
from ledes.rules.base import Context, GuidelineCheck


@attrs.frozen
class FileReport:
    """What validating one file found; ``format`` is None for a file that is no LEDES file at all."""

    path: str
    format: str | None
    invoices: int
    line_items: int
    diagnostics: tuple[Diagnostic, ...]
    # Each invoice number read, with the currency its invoice states (None: none stated, as in 1998B),
    # recorded as the file streams past; the first invoice of a number repeated in the file decides.
    currencies: Mapping[str, str | None] = attrs.field(factory=dict, hash=False)

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    @property
    def at_risk(self) -> dict[str, Decimal]:
        """Per invoice, the reduction a client's review would likely make: each line's largest guideline finding, summed.

        Findings on one line overlap (a rate above the cap on a block-billed entry is not
        cut twice), so each line counts once, at its largest amount at stake.
        """
        largest: dict[tuple[str, object], Decimal] = {}
        whole: dict[str, Decimal] = {}
        for d in self.diagnostics:
            rule = RULES_BY_NAME.get(d.rule)
            if rule is None or not rule.guideline or d.amount is None or d.invoice is None:
                continue
            if d.rule in WHOLE_INVOICE_RULES:
                whole[d.invoice] = max(whole.get(d.invoice, Decimal(0)), abs(d.amount))
                continue
            key = (d.invoice, (d.line, d.location.xpath if d.location else None))
            largest[key] = max(largest.get(key, Decimal(0)), abs(d.amount))
        totals: dict[str, Decimal] = {}
        for (invoice, _), amount in largest.items():
            totals[invoice] = totals.get(invoice, Decimal(0)) + amount
        # A finding on the invoice or a matter as a whole overlaps its lines' findings: the larger counts.
        for invoice, amount in whole.items():
            totals[invoice] = max(totals.get(invoice, Decimal(0)), amount)
        return totals

    @property
    def at_risk_by_currency(self) -> dict[str | None, Decimal]:
        """The money at risk per currency (None: the invoices that state none): ``at_risk``'s invoices summed."""
        return _by_currency(self.at_risk.items(), self.currencies)


@attrs.frozen
class Report:
    """What validating several files found."""

    files: tuple[FileReport, ...]

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    @property
    def at_risk(self) -> Decimal | None:
        """The money at risk over every file; None when it is in more than one currency (see ``at_risk_by_currency``).

        Invoices that state no currency count as a currency of their own: money in different
        currencies is never added together.
        """
        if len(self.at_risk_by_currency) > 1:
            return None
        return sum((amount for file in self.files for amount in file.at_risk.values()), Decimal(0))

    @property
    def at_risk_by_currency(self) -> dict[str | None, Decimal]:
        """The money at risk over every file, per currency (None: the invoices that state none), in currency order."""
        totals: dict[str | None, Decimal] = {}
        for file in self.files:
            for currency, amount in file.at_risk_by_currency.items():
                totals[currency] = totals.get(currency, Decimal(0)) + amount
        return dict(sorted(totals.items(), key=lambda entry: _currency_order(entry[0])))


def _currency_order(currency: str | None) -> tuple[bool, str]:
    """Invoices that state no currency first, then currencies in alphabetical order."""
    return currency is not None, currency or ""


def _by_currency(
    amounts: Iterable[tuple[str, Decimal]], currencies: Mapping[str, str | None]
) -> dict[str | None, Decimal]:
    """Per-invoice amounts summed per currency, in currency order."""
    totals: dict[str | None, Decimal] = {}
    for invoice, amount in amounts:
        currency = currencies.get(invoice)
        totals[currency] = totals.get(currency, Decimal(0)) + amount
    return dict(sorted(totals.items(), key=lambda entry: _currency_order(entry[0])))


@attrs.frozen
class Progress:
    """How far a run has got: file ``file`` of ``files``, its line items read so far, and its bytes (None: unknown)."""

    path: str
    file: int
    files: int
    line_items: int
    bytes_read: int | None
    size: int | None


OnProgress = Callable[[Progress], None]


def validate(
    paths: Iterable[str | os.PathLike[str]],
    config: Config | None = None,
    format: str | None = None,
    xsd: str | os.PathLike[str] | None = None,
    progress: OnProgress | None = None,
) -> Report:
    """Validate each file and collect every finding; raises LedesInputError when a file cannot be read.

    The files are one run: guideline rules that look across invoices (a timekeeper's
    hours on one day, a duplicate invoice number) see every invoice of every file.
    ``progress``, if given, is called as each file starts and after each invoice read.
    """
    config = config or Config()
    context = config.context()
    paths = list(paths)
    reports = []
    for number, path in enumerate(paths, 1):
        told = functools.partial(_told, progress, number, len(paths)) if progress is not None else None
        reports.append(_validate_file(path, config, format, xsd, context, told))
    return Report(_finished(reports, config, context))


def _told(progress: OnProgress, number: int, files: int, path: str, line_items: int, source: Source) -> None:
    progress(Progress(path, number, files, line_items, source.bytes_read(), source.size()))


def run_findings(config: Config, context: Context) -> list[Diagnostic]:
    """The findings of the rules that look across the whole run (their ``finish``), once every invoice is checked."""
    found: list[Diagnostic] = []
    for rule in ALL_RULES:
        if rule.finish is None or config.level_of(rule.name) is None:
            continue
        sink = DiagnosticSink(None, config.level_of)
        with exact():
            rule.finish(functools.partial(_report_late, sink.emit, rule.name), config.options_of(rule), context)
        found.extend(sink.diagnostics)
    return found


def _finished(reports: list[FileReport], config: Config, context: Context) -> tuple[FileReport, ...]:
    """The reports with the findings of the rules that look across the whole run (their ``finish``) added."""
    late: dict[str | None, list[Diagnostic]] = {}  # by file (None: the finding's record names none)
    for diagnostic in run_findings(config, context):
        late.setdefault(diagnostic.location.path if diagnostic.location else "", []).append(diagnostic)
    if not late:
        return tuple(reports)
    finished = []
    for report in reports:
        found = late.get(report.path, [])
        if found:
            try:
                names = format_named(report.format).field_names if report.format else {}
            except KeyError:
                names = {}
            found = [_named(diagnostic, names) for diagnostic in found]
        finished.append(attrs.evolve(report, diagnostics=tuple(
            sorted((*report.diagnostics, *found), key=lambda d: d.line or 0))))
    return tuple(finished)


def _named(diagnostic: Diagnostic, names: Mapping[str, str]) -> Diagnostic:
    """A finding with its field in the file format's own name (``LINE_ITEM_NUMBER_OF_UNITS``)."""
    location = diagnostic.location
    if location is None or location.field is None or location.field not in names:
        return diagnostic
    return attrs.evolve(diagnostic, location=attrs.evolve(location, field=names[location.field]))


def validate_file(
    path: str | os.PathLike[str],
    config: Config | None = None,
    format: str | None = None,
    xsd: str | os.PathLike[str] | None = None,
) -> FileReport:
    """Validate one file, as a run of its own (see ``validate``)."""
    config = config or Config()
    context = config.context()
    return _finished([_validate_file(path, config, format, xsd, context)], config, context)[0]


def _validate_file(
    path: str | os.PathLike[str],
    config: Config,
    format: str | None,
    xsd: str | os.PathLike[str] | None,
    context: Context,
    told: Callable[[str, int, Source], None] | None = None,
) -> FileReport:
    """Validate one file: its format's checks before reading (an XML schema), then one streaming read with every enabled rule.

    A file that the checks before reading found to be another format than the one
    detected (a LEDES XML version ledes does not read) is not read into invoices. A file
    that is no invoice file at all (a CSV export, a PDF, ...) is one finding, of no format.
    """
    name = _display(path)
    source = Source(path, format)
    file_format = source.format
    sink = DiagnosticSink(name, config.level_of, file_format.field_names)
    if source.foreign is not None:
        source.foreign.report(sink.emit)
        return FileReport(name, None, 0, 0, tuple(sink.diagnostics))
    checked = file_format.precheck(source.binary, sink.emit, xsd) if file_format.precheck else Precheck()
    format_name = checked.format_name or file_format.name
    invoices = line_items = 0
    currencies: dict[str, str | None] = {}
    if checked.readable and (format is not None or format_name == file_format.name):
        with source.stream() as stream:
            if told is not None:
                told(name, 0, source)
            for invoice in _checked(source.invoices(stream, sink), sink, config, context):
                invoices += 1
                line_items += sum(len(matter.line_items) for matter in invoice.matters)
                if isinstance(invoice.number, str):
                    currencies.setdefault(invoice.number, invoice.currency)
                if told is not None:
                    told(name, line_items, source)
    ordered = sorted(sink.diagnostics, key=lambda d: d.line or 0)
    return FileReport(name, format_name, invoices, line_items, tuple(ordered), currencies)


def checked_invoices(
    stream, file_format: Format, sink: DiagnosticSink, config: Config, context: Context | None = None
) -> Iterator[Invoice]:
    """Read invoices from ``stream`` and run the invoice rules on each, reporting into ``sink``."""
    return _checked(file_format.read(stream, sink.emit, sink.path), sink, config, context)


def _checked(
    invoices: Iterable[Invoice], sink: DiagnosticSink, config: Config, context: Context | None = None
) -> Iterator[Invoice]:
    """Run the invoice rules on each invoice as it is read, reporting into ``sink``."""
    context = context or config.context()
    checks = [
        (rule, rule.check, config.options_of(rule))
        for rule in ALL_RULES
        if rule.check is not None and config.level_of(rule.name) is not None
    ]
    for invoice in invoices:
        with exact():  # as the reader computed the invoice's amounts: every digit
            for rule, check, options in checks:
                report = functools.partial(_report, sink.emit, rule.name, invoice)
                if rule.guideline:
                    # A guideline rule's check also receives the Context (``guideline_rule`` declares it so).
                    cast(GuidelineCheck, check)(invoice, report, options, context)
                else:
                    check(invoice, report, options)
        yield invoice


def _report(
    emit: Emit,
    rule_name: str,
    invoice: Invoice,
    message: str,
    *,
    record=None,
    field: str | None = None,
    amount: Decimal | None = None,
    hint: str | None = None,
) -> None:
    location = (record or invoice).location
    emit(
        rule_name,
        message,
        line=location.line if location else None,
        field=field,
        xpath=location.xpath if location else None,
        invoice=invoice.number if isinstance(invoice.number, str) else None,
        amount=amount,
        hint=hint,
    )


def _report_late(
    emit: Emit,
    rule_name: str,
    message: str,
    *,
    record=None,
    field: str | None = None,
    amount: Decimal | None = None,
    hint: str | None = None,
    invoice: str | None = None,
) -> None:
    """How a rule's ``finish`` reports: at its record's own file and line (the record knows both)."""
    location = record.location if record is not None else None
    emit(
        rule_name,
        message,
        line=location.line if location else None,
        field=field,
        xpath=location.xpath if location else None,
        invoice=invoice,
        amount=amount,
        hint=hint,
        path=location.path if location else None,
    )


def _display(path: str | os.PathLike[str]) -> str:
    return "-" if str(path) == "-" else str(Path(path))
