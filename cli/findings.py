"""Validation findings as they stream past: the run's tallies, the writer interface, and the text and concise writers."""

from __future__ import annotations

import io
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, TextIO

import attrs

from ledes import Diagnostic
from ledes.diagnostics import Severity
from ledes.engine import FileChecked
from ledes.results import AtRisk, by_currency, in_currency_order
from ledes.safetext import visible

from .output import diagnostic_line, money, plural

if TYPE_CHECKING:
    from typing import TextIO as _TextFile


@attrs.define
class FileTally:
    """One checked file: its format, counts, and money at risk per invoice (with each invoice's currency)."""

    path: str
    format: str | None
    invoices: int = 0
    line_items: int = 0
    errors: int = 0
    warnings: int = 0
    at_risk: dict[str, Decimal] = attrs.field(factory=dict)
    currencies: dict[str, str | None] = attrs.field(factory=dict)


@attrs.define
class RunTally:
    """The whole run: files, errors, warnings, findings per rule, money at risk per currency."""

    files: int = 0
    errors: int = 0
    warnings: int = 0
    by_rule: Counter[tuple[str, str]] = attrs.field(factory=Counter)
    at_risk_by_currency: dict[str | None, Decimal] = attrs.field(factory=dict)
    invoices_at_risk: int = 0

    @property
    def several_currencies(self) -> bool:
        return len(self.at_risk_by_currency) > 1


class Spool:
    """A temporary text file, in memory until it holds more than ``in_memory`` characters, then on disk.

    What ``tempfile.SpooledTemporaryFile`` does for the writers (write, seek, truncate, read,
    close), without importing ``tempfile`` (with ``shutil``, ``bz2``, ``lzma``, ``random``)
    in a run whose findings stay in memory, as most do. The writer that opens one closes it.
    """

    def __init__(self, in_memory: int) -> None:
        self._file: io.StringIO | _TextFile = io.StringIO(newline=None)  # as a text file: "\r" reads as "\n"
        self._in_memory = in_memory
        self._on_disk = False

    def write(self, text: str) -> int:
        written = self._file.write(text)
        if not self._on_disk and self._file.tell() > self._in_memory:
            self._roll_over()
        return written

    def _roll_over(self) -> None:
        """Move what is held to a temporary file, at the same position."""
        import tempfile  # only when the findings outgrow memory

        held = self._file
        assert isinstance(held, io.StringIO)
        text, position = held.getvalue(), held.tell()
        disk = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - closed by close()
        disk.write(text[:position])
        cookie = disk.tell()
        disk.write(text[position:])
        disk.seek(cookie)
        held.close()
        self._file, self._on_disk = disk, True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def truncate(self, size: int | None = None) -> int:
        return self._file.truncate(size)

    def read(self, size: int = -1) -> str:
        return self._file.read(size)

    def close(self) -> None:
        self._file.close()


def spool(in_memory: int) -> Spool:
    """A ``Spool``: a temporary text file, in memory while it holds at most ``in_memory`` characters."""
    return Spool(in_memory)


def copy_rest(source: Spool, out: Spool | TextIO, chunk: int = 1 << 16) -> None:
    """What is left to read of ``source``, written to ``out`` a chunk at a time."""
    while text := source.read(chunk):
        out.write(text)


class Writer(Protocol):
    """An output of ``ledes validate``: told each file's start, each finding, each file's end, then the run's end."""

    def file_started(self, path: str, format: str | None) -> None: ...

    def finding(self, path: str, diagnostic: Diagnostic, currency: str | None) -> None:
        """A finding in the file ``path``, with the currency its invoice states (None: none, or no invoice)."""

    def file_finished(self, file: FileTally) -> None: ...

    def end(self, run: RunTally) -> None: ...


class Run:
    """The engine's listener: keeps the tallies as findings stream past, and passes everything on to a writer."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        self.tally = RunTally()
        self._file = FileTally("", None)
        self._risk = AtRisk()

    def file_started(self, path: str, format: str | None) -> None:
        self._file = FileTally(path, format)
        self._risk = AtRisk()
        self.writer.file_started(path, format)

    def finding(self, diagnostic: Diagnostic, currency: str | None) -> None:
        if diagnostic.severity is Severity.ERROR:
            self._file.errors += 1
        elif diagnostic.severity is Severity.WARNING:
            self._file.warnings += 1
        self._risk.add(diagnostic)
        self.tally.by_rule[diagnostic.rule, diagnostic.severity.value] += 1
        self.writer.finding(self._file.path, diagnostic, currency)

    def file_finished(self, checked: FileChecked) -> None:
        file = self._file
        file.invoices, file.line_items = checked.invoices, checked.line_items
        file.at_risk = self._risk.totals()
        file.currencies = {invoice: checked.currencies.get(invoice) for invoice in file.at_risk}
        run = self.tally
        run.files += 1
        run.errors += file.errors
        run.warnings += file.warnings
        run.invoices_at_risk += len(file.at_risk)
        for currency, amount in by_currency(file.at_risk.items(), file.currencies).items():
            run.at_risk_by_currency[currency] = run.at_risk_by_currency.get(currency, Decimal(0)) + amount
        run.at_risk_by_currency = in_currency_order(run.at_risk_by_currency)
        self.writer.file_finished(file)

    def end(self) -> None:
        self.writer.end(self.tally)


@attrs.frozen
class TextOptions:
    """What the text outputs show: findings (not with ``quiet``), hints (not ``concise``), statistics, totals at risk."""

    quiet: bool = False
    concise: bool = False
    statistics: bool = False
    guidelines: bool = False


class TextWriter:
    """For people: each finding (a rule's hint once per run), each file's counts and money at risk, then the totals.

    ``concise`` is for CI logs: one line per finding and no hints, no per-file lines, then the summary.
    """

    def __init__(self, out: TextIO, options: TextOptions) -> None:
        self.out = out
        self.options = options
        self._hinted: set[str] = set()

    def _line(self, text: str) -> None:
        self.out.write(text + "\n")

    def file_started(self, path: str, format: str | None) -> None:
        pass

    def finding(self, path: str, diagnostic: Diagnostic, currency: str | None) -> None:
        if self.options.quiet:
            return
        hint = diagnostic.hint and not self.options.concise and diagnostic.rule not in self._hinted
        if hint:
            self._hinted.add(diagnostic.rule)
        self._line(diagnostic_line(path, diagnostic if hint else attrs.evolve(diagnostic, hint=None), currency))

    def file_finished(self, file: FileTally) -> None:
        if self.options.concise:
            return
        self._line(
            f"{visible(file.path)}: {file.format or 'not a LEDES file'}, {plural(file.invoices, 'invoice')},"
            f" {plural(file.line_items, 'line item')}: {plural(file.errors, 'error')}, {plural(file.warnings, 'warning')}"
        )
        for invoice, amount in file.at_risk.items():
            currency = file.currencies.get(invoice)
            self._line(f"{visible(file.path)}: invoice {visible(invoice)}: {money(amount, currency)}"
                       f"{f' {visible(currency)}' if currency else ''} at risk under the client's guidelines")

    def end(self, run: RunTally) -> None:
        if self.options.statistics:
            for line in statistics_lines(run):
                self._line(line)
        if run.files > 1 or self.options.concise:
            self._line(f"{plural(run.files, 'file')}: {plural(run.errors, 'error')}, {plural(run.warnings, 'warning')}")
        if self.options.guidelines:
            # The grand total, one per currency: money in different currencies is never added together.
            for currency, amount in run.at_risk_by_currency.items() or {None: Decimal(0)}.items():
                figure = money(amount, currency)
                self._line(f"Total at risk{currency_suffix(currency) if run.several_currencies else ''}: {figure}")


def statistics_lines(run: RunTally) -> list[str]:
    """``--statistics``: the number of findings of each rule (and level), by rule name."""
    return [f"{count:>8}  {severity:<8} {rule}" for (rule, severity), count in sorted(run.by_rule.items())]


def currency_suffix(currency: str | None) -> str:
    """`` GBP`` after a figure in a run with several currencies; `` (no currency stated)`` for 1998B and the like."""
    return f" {visible(currency)}" if currency is not None else " (no currency stated)"
