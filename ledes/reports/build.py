"""Reading invoice files into a billing report: each counted line item added to its groups as it streams past."""

from __future__ import annotations

import functools
import itertools
import operator
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

import attrs

from ledes.api import Split, read_each
from ledes.config import Config
from ledes.diagnostics import Severity
from ledes.errors import LedesConfigError, LedesInputError
from ledes.findingsample import KEPT
from ledes.model import Invoice, LineItem, LineItemType, Matter
from ledes.money import exact
from ledes.reports.keys import (
    KEY_FUNCTIONS,
    KEYS,
    NONE,
    CodeIndex,
    Key,
    Line,
    client_of,
    fullest,
    matter_of,
    ordering,
    shown,
)
from ledes.reports.lines import LineIndex, LineRef
from ledes.reports.model import BillingReport, Findings, Group, InvoiceTotal, SourceFile
from ledes.reports.period import Period, month_of
from ledes.reports.spill import GroupTallies, Records, Rows
from ledes.reports.totals import Tally, columns, counts, figures
from ledes.utbms import code_sets, with_custom

Values = tuple[str | None, ...]
GroupId = tuple[str | None, Values]


def build_report(
    paths: Sequence[str | os.PathLike[str]],
    by: Sequence[str] = ("matter",),
    period: Period | None = None,
    guidelines: Config | None = None,
    format: str | None = None,
    charts: bool = True,
) -> BillingReport:
    """The billing report of ``paths`` grouped by ``by`` (see ``KEYS``), counting only line items dated in ``period``.

    With ``guidelines`` (``ledes.guidelines.load``), the files are also validated as one run and
    the findings on the counted lines are summed by rule, invoice and matter. Without ``charts``,
    the report's ``leading`` and ``months`` (which only the HTML page's charts show) are left
    empty and their tallies never kept. Raises LedesConfigError for an unknown key and
    LedesInputError when a file cannot be read.
    """
    unknown = [key for key in by if key not in KEY_FUNCTIONS]
    if unknown or not by:
        raise LedesConfigError(f"cannot group by '{', '.join(unknown)}': choose from {', '.join(KEYS)}")
    if guidelines is not None and any(str(path) == "-" for path in paths):
        raise LedesInputError("standard input cannot be read twice: with guidelines, give the invoices as files")
    if guidelines is not None:
        sets = with_custom(code_sets(), guidelines.custom_codes)
    elif _CODE_KEYS.isdisjoint(by):
        sets = {}  # no key shows a UTBMS code's name: the code sets are not read
    else:
        sets = code_sets()
    builder = _Builder(tuple(by), period, CodeIndex(sets), indexed=guidelines is not None, charts=charts)
    files = tuple(builder.read(index, path, format) for index, path in enumerate(paths))
    findings = None
    if guidelines is not None:
        # The engine's run and the findings' tables, imported only for a report that has guidelines.
        from ledes.engine import validate
        from ledes.reports.findings import guideline_findings

        run = validate(paths, guidelines, format)
        source = guidelines.sources[-1] if guidelines.sources else "guidelines"
        findings = guideline_findings(
            run, builder.line_indexes, builder.selected_invoices, builder.named_matter, source, guidelines.currency
        )
    return builder.report(files, findings)


@attrs.frozen
class Part:
    """What one invoice adds to a report: its line items, and its tallies by group, leading group, month and currency.

    The tallies' sums are exact (``exact()``), so adding a part's tally to a running one
    gives the sums of adding its lines there one by one; names are the fullest seen first.
    """

    line_items: int
    groups: list[tuple[GroupId, Tally]]
    leading: list[tuple[GroupId, Tally]]
    months: list[tuple[GroupId, Tally]]
    totals: list[tuple[str | None, Tally]]
    invoices: list[InvoiceTotal]
    uncounted: int


class _Builder:
    """The running sums of one report, and (with guidelines) where each line item is."""

    def __init__(
        self, by: tuple[str, ...], period: Period | None, codes: CodeIndex, indexed: bool, charts: bool = True
    ) -> None:
        self.by = by
        self.keys = [KEY_FUNCTIONS[key] for key in by]
        self.period = period
        self.codes = codes
        self.indexed = indexed
        self.charts = charts  # keep ``leading`` and ``months``, which only the charts show
        # Groups and invoices grow with the files: past a bound they wait on disk (ledes.reports.spill).
        self.groups = GroupTallies(_group_order)
        self.leading = GroupTallies(_group_order)
        self.months: dict[GroupId, Tally] = {}
        self.totals: dict[str | None, Tally] = {}
        # Keys of the matter or the invoice (client, matter) are the same on every line of a matter.
        self.matter_wide = all(key in _MATTER_WIDE for key in by)
        self.by_day: dict[tuple[str | None, date], Tally] = {}
        # With guidelines, the fullest name of each matter, for the findings (which keep a line index anyway).
        self.matter_names: dict[str, Key] = {}
        self.invoices: Records[InvoiceTotal] = Records()
        self.uncounted = 0
        self.line_indexes: list[LineIndex] = []
        self.selected_invoices: dict[tuple[int, str], str | None] = {}

    def read(self, index: int, path: str | os.PathLike[str], format: str | None) -> SourceFile:
        """Add every counted line item of one file; a large one is read in two halves at once (``Part``)."""
        self.line_indexes.append(LineIndex())
        counted = [0, 0]  # invoices, line items

        def each(invoice: Invoice) -> None:
            counted[0] += 1
            counted[1] += sum(len(matter.line_items) for matter in invoice.matters)
            with exact():  # every digit, as the rules add them (28 digits would round a wide amount)
                self.add_invoice(index, str(path), invoice)

        def add(parts: Iterable[Part]) -> None:
            for part in parts:
                counted[0] += 1
                counted[1] += part.line_items
                self.add_part(part)

        # With guidelines, each line's place is kept (``index_line``): such a report reads each file whole.
        split = None if self.indexed else Split(functools.partial(self.part_of, str(path)), add)
        found = read_each(path, each, format, split, keep=KEPT)  # the errors counted, the first kept
        # In line order, as ``ledes show`` has them: the same whether the file was read in one process or two.
        errors = tuple(sorted((d for d in found.diagnostics if d.severity is Severity.ERROR), key=lambda d: d.line or 0))
        return SourceFile(str(path), counted[0], counted[1], found.errors, errors[:KEPT])

    def part_of(self, path: str, invoice: Invoice) -> Part:
        """What one invoice adds to the report (``ledes.halves``: made by the child that reads a file's second half)."""
        scratch = _Builder(self.by, self.period, self.codes, indexed=False, charts=self.charts)  # a few microseconds
        with exact():
            scratch.add_invoice(0, path, invoice)
        part = Part(
            sum(len(matter.line_items) for matter in invoice.matters), list(scratch.groups.ordered()),
            list(scratch.leading.ordered()), list(scratch.months.items()), list(scratch.totals.items()),
            list(scratch.invoices), scratch.uncounted,
        )
        for table in (scratch.groups, scratch.leading, scratch.invoices):
            table.close()  # their files, if the invoice spilled any
        return part

    def add_part(self, part: Part) -> None:
        """Add what an invoice read by the child added (``part_of``), as its lines would have been added here."""
        with exact():
            for group, tally in part.groups:
                self.groups.tally(group).add_tally(tally)
            for group, tally in part.leading:
                self.leading.tally(group).add_tally(tally)
            for group, tally in part.months:
                _tally(self.months, group).add_tally(tally)
            for currency, tally in part.totals:
                _tally(self.totals, currency).add_tally(tally)
        for row in part.invoices:
            self.invoices.append(row)
        self.uncounted += part.uncounted

    def add_invoice(self, index: int, path: str, invoice: Invoice) -> None:
        tally = Tally()
        currency = invoice.currency
        for matter in invoice.matters:
            at_once = self.matter_columns(matter)
            if at_once is not None:
                self.add_matter(tally, invoice, matter, *at_once)
                continue
            matter_tallies: list[Tally] | None = None  # when every key is the matter's or the invoice's
            for item in matter.line_items:
                selected = self.selected(item)
                if selected:
                    found = figures(item)
                    tally.add_figures(*found)
                    if matter_tallies is None or not self.matter_wide:
                        matter_tallies = self.tallies(Line(invoice, matter, item))
                    for target in matter_tallies:
                        target.add_figures(*found)
                    day = item.date
                    if self.charts and isinstance(day, date):
                        self.month_tally(currency, day).add_figures(*found)
                if self.indexed:
                    self.index_line(index, invoice, matter, item, selected)
        if not tally.lines:
            return
        if self.indexed and invoice.number:
            self.selected_invoices[(index, invoice.number)] = currency
        client = client_of(invoice)
        self.invoices.append(
            InvoiceTotal(path, invoice.number, invoice.date, client, currency, invoice.total, tally.totals())
        )

    def matter_columns(self, matter: Matter) -> tuple[tuple, ...] | None:
        """A matter's line types, totals, taxes, units and dates, when it can be added a column at a time; else None.

        That is when every key is the matter's or the invoice's, no period selects lines
        and no guideline finding needs each line's place, and every line counts with
        numbers and a date: a known line type, a Decimal total, tax and units a Decimal
        or empty.
        """
        items = matter.line_items
        if not items or not self.matter_wide or self.indexed or self.period is not None:
            return None
        types, totals, taxes, units, days = found = tuple(zip(*map(_FIGURES, items), strict=True))
        if (
            sum(map(types.count, _LINE_TYPES)) != len(types)  # by identity, not Enum's hash
            or not _DECIMAL.issuperset(map(type, totals))
            or not _DECIMAL_OR_NONE.issuperset(map(type, taxes + units))
            or not _DATE.issuperset(map(type, days))
        ):
            return None
        return found

    def add_matter(
        self, tally: Tally, invoice: Invoice, matter: Matter, types: tuple, totals: tuple, taxes: tuple,
        units: tuple, days: tuple,
    ) -> None:
        """Add a matter's lines (``matter_columns``) to the invoice's, the matter's and each month's tallies at once."""
        whole = columns(types, totals, taxes, units)
        tally.add_columns(whole)
        for target in self.tallies(Line(invoice, matter, matter.line_items[0])):
            target.add_columns(whole)
        if not self.charts:
            return
        by_day = {day: self.month_tally(invoice.currency, day) for day in dict.fromkeys(days)}
        months = list(map(by_day.__getitem__, days))
        distinct = list({id(month): month for month in months}.values())  # Tally is not hashable
        if len(distinct) == 1:
            distinct[0].add_columns(whole)
            return
        for month in distinct:
            mask = list(map(operator.is_, months, itertools.repeat(month)))
            month.add_columns(columns(*(list(itertools.compress(column, mask)) for column in (types, totals, taxes, units))))

    def selected(self, item: LineItem) -> bool:
        """True when the report counts the line item; one it cannot count is added to ``uncounted``."""
        if not counts(item) or (self.period is not None and not isinstance(item.date, date)):
            self.uncounted += 1
            return False
        return self.period is None or item.date in self.period

    def tallies(self, line: Line) -> list[Tally]:
        """The tallies a counted line adds to: its group, its leading group (for the charts) and its currency's totals.

        Each group keeps the fullest name of each of its values seen on its lines (``fullest``).
        """
        currency = line.invoice.currency
        found = tuple(key(line, self.codes) for key in self.keys)
        values = tuple(key.value for key in found)
        group = self.groups.tally((currency, values))
        group.names = fullest(group.names, found)
        if not self.charts:
            return [group, _tally(self.totals, currency)]
        leading = self.leading.tally((currency, values[:1]))
        leading.names = fullest(leading.names, found[:1])
        return [group, leading, _tally(self.totals, currency)]

    def month_tally(self, currency: str | None, day: date) -> Tally:
        """The tally of a line's month, in its currency (found once per day and currency, up to a bound)."""
        found = self.by_day.get((currency, day))
        if found is None:
            if len(self.by_day) >= _DAYS_REMEMBERED:
                self.by_day.clear()
            found = self.by_day[(currency, day)] = _tally(self.months, (currency, (month_of(day),)))
        return found

    def index_line(self, index: int, invoice: Invoice, matter: Matter, item: LineItem, selected: bool) -> None:
        """Remember where the line item is, so that guideline findings can be traced to it."""
        found = matter_of(matter)
        matter_id = found.value
        if matter_id is not None:
            known = self.matter_names.get(matter_id)
            if known is None or found.detail > known.detail:
                self.matter_names[matter_id] = found
        ref = LineRef(invoice.number, matter_id, invoice.currency, selected)
        self.line_indexes[index].add(item.location, ref)

    def named_matter(self, value: str | None) -> Key:
        """A matter as guideline findings show it: with the fullest name seen on the matter's lines."""
        return shown(self.matter_names.get(value) or Key(value)) if value is not None else NONE

    def report(self, files: tuple[SourceFile, ...], findings: Findings | None) -> BillingReport:
        totals = sorted(self.totals.items(), key=lambda entry: _currency_order(entry[0]))
        return BillingReport(
            by=self.by,
            period=self.period,
            files=files,
            groups=self.frozen(self.groups),
            totals=tuple(Group(currency, (), tally.totals()) for currency, tally in totals),
            leading=self.frozen(self.leading),
            months=self.frozen(self.months),
            invoices=Rows(lambda: self.invoices, _same, len(self.invoices)),
            uncounted=self.uncounted,
            findings=findings,
        )

    def frozen(self, table: GroupTallies | Mapping[GroupId, Tally]) -> Rows[Group]:
        """The groups in currency order, then in the order of their values, each value with its remembered name.

        Read from ``table`` each time they are iterated: a report's groups wait on disk, not in a list.
        """

        def group(entry: tuple[GroupId, Tally]) -> Group:
            (currency, values), tally = entry
            names = tally.names or tuple(map(Key, values))  # a month's group has no names to show
            return Group(currency, tuple(map(shown, names)), tally.totals())

        if isinstance(table, GroupTallies):
            return Rows(table.ordered, group, sum(1 for _ in table.ordered()))
        ordered = sorted(table.items(), key=lambda entry: _group_order(entry[0]))
        return Rows(lambda: ordered, group, len(ordered))


def _group_order(group: GroupId) -> tuple:
    """Groups in currency order, then in the order of their values."""
    return _currency_order(group[0]), ordering(group[1])


def _same(record: InvoiceTotal) -> InvoiceTotal:
    return record


def _currency_order(currency: str | None) -> tuple[bool, str]:
    """Invoices that state no currency first, then currencies in alphabetical order."""
    return currency is not None, currency or ""


_MATTER_WIDE = frozenset({"client", "matter"})
_CODE_KEYS = frozenset({"phase", "task", "activity", "expense"})
_FIGURES = operator.attrgetter("type", "total", "tax_total", "units", "date")
_LINE_TYPES = tuple(LineItemType)
_DECIMAL, _DECIMAL_OR_NONE, _DATE = frozenset({Decimal}), frozenset({Decimal, type(None)}), frozenset({date})
_DAYS_REMEMBERED = 4096


def _tally(table: dict, group: object) -> Tally:
    """The table's tally of a group, new when the group has none yet."""
    found = table.get(group)
    if found is None:
        found = table[group] = Tally()
    return found
