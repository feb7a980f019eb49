"""What a file holds, in figures: invoices, matters, timekeepers, hours and amounts by line type."""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, cast

import attrs

from ledes.distinct import DistinctCount
from ledes.model import Invoice, LineItem, LineItemType, amount
from ledes.money import exact

ZERO = Decimal(0)


def _number(value: object) -> Decimal:
    """A value as a number to add: a malformed amount at its evident value (``+100.00``: 100.00); empty or unreadable, 0."""
    number = amount(value)
    return ZERO if number is None else number


@attrs.define
class Tally:
    """Line count, units and money for one group of line items."""

    lines: int = 0
    units: Decimal = ZERO
    amount: Decimal = ZERO

    def add(self, units: Decimal, amount: Decimal) -> None:
        """Count one line of ``units`` and ``amount``, both already read as numbers (``_number``)."""
        self.lines += 1
        self.units += units
        self.amount += amount


@attrs.define
class TimekeeperSummary:
    id: str | None
    name: str | None
    classification: str | None
    fees: Tally = attrs.field(factory=Tally)


@attrs.define
class MatterSummary:
    """A matter's lines and amount; its ``lines.units`` are its fee hours, never added to expense quantities."""

    law_firm_matter_id: str | None
    client_matter_id: str | None
    lines: Tally = attrs.field(factory=Tally)
    expense_units: Decimal = ZERO


@attrs.define
class InvoiceSummary:
    """One invoice's header and the sums of its lines."""

    number: str | None
    date: object
    client_id: str | None
    law_firm_id: str | None
    billing_start: object
    billing_end: object
    stated_total: object
    currency: str | None = None
    tax_total: object = None
    line_total: Decimal = ZERO
    matters: list[MatterSummary] = attrs.field(factory=list)
    by_type: dict[str, Tally] = attrs.field(factory=dict)
    timekeepers: dict[str, TimekeeperSummary] = attrs.field(factory=dict)

    @classmethod
    def of(cls, invoice: Invoice) -> InvoiceSummary:
        """The invoice's header, no line counted yet."""
        return cls(
            number=invoice.number,
            date=invoice.date,
            client_id=invoice.client.id,
            law_firm_id=invoice.law_firm.id,
            billing_start=invoice.billing_start,
            billing_end=invoice.billing_end,
            stated_total=invoice.total,
            currency=invoice.currency,
            tax_total=invoice.tax_total,
        )


@attrs.define
class CurrencyFigures:
    """The sums of a file's invoices in one currency (None: invoices that state none), by line type and in all."""

    currency: str | None
    invoices: int = 0
    line_items: int = 0
    total: Decimal = ZERO
    by_type: dict[str, Tally] = attrs.field(factory=dict)


@attrs.define
class FileSummary:
    """Every invoice of a file, and totals over all of them: by currency, never added across currencies.

    ``by_type`` and ``total`` are the file's when its invoices are in one currency (or none
    states one); with several, they are empty and None, and ``by_currency`` holds each.
    """

    invoices: list[InvoiceSummary] = attrs.field(factory=list)
    by_type: dict[str, Tally] = attrs.field(factory=dict)
    line_items: int = 0
    total: Decimal | None = ZERO
    by_currency: list[CurrencyFigures] = attrs.field(factory=list)

    @property
    def matters(self) -> int:
        """Distinct matters: one billed on two invoices counts once."""
        return len({matter.law_firm_matter_id for invoice in self.invoices for matter in invoice.matters})

    @property
    def timekeepers(self) -> int:
        return len({key for invoice in self.invoices for key in invoice.timekeepers})


@attrs.define
class FileFigures:
    """A file's figures over its invoices, added one invoice at a time (``summarize_each``); money by currency."""

    by_currency: dict[str | None, CurrencyFigures] = attrs.field(factory=dict)  # in the order each first came
    invoices: int = 0
    line_items: int = 0
    matters: DistinctCount = attrs.field(factory=lambda: DistinctCount())
    timekeepers: DistinctCount = attrs.field(factory=lambda: DistinctCount())

    def of(self, currency: str | None) -> CurrencyFigures:
        """The sums of the invoices in ``currency`` (new when none came yet)."""
        found = self.by_currency.get(currency)
        if found is None:
            found = self.by_currency[currency] = CurrencyFigures(currency)
        return found

    def add(self, entry: InvoiceSummary) -> None:
        """Count an invoice whose lines ``_summary_of`` has already added to its currency's ``by_type``."""
        lines = sum(matter.lines.lines for matter in entry.matters)
        self.invoices += 1
        self.line_items += lines
        sums = self.of(entry.currency)
        sums.invoices += 1
        sums.line_items += lines
        sums.total += entry.line_total
        for matter in entry.matters:
            self.matters.add(matter.law_firm_matter_id)
        for key in entry.timekeepers:
            self.timekeepers.add(key)

    @property
    def currency(self) -> str | None:
        """The currency every invoice states, if they state one and the same (else None: amounts to the cent)."""
        return next(iter(self.by_currency)) if len(self.by_currency) == 1 else None

    @property
    def by_type(self) -> dict[str, Tally]:
        """The line types' sums when the invoices are in one currency; empty with several (never added across them)."""
        return next(iter(self.by_currency.values())).by_type if len(self.by_currency) == 1 else {}

    @property
    def total(self) -> Decimal | None:
        """The lines' sum when the invoices are in one currency (0 for none); None with several."""
        if len(self.by_currency) > 1:
            return None
        return next(iter(self.by_currency.values())).total if self.by_currency else ZERO

    def summary(self, entries: list[InvoiceSummary]) -> FileSummary:
        """The file's ``FileSummary`` with ``entries``, its invoices."""
        return FileSummary(entries, self.by_type, self.line_items, self.total, list(self.by_currency.values()))


def type_label(line_type: object) -> str:
    """``F fee``, ``IE expense adjustment``, or the unreadable code itself."""
    if isinstance(line_type, LineItemType):
        return f"{line_type.value} {line_type.name.lower().replace('_', ' ')}"
    return "unknown" if line_type is None else f"{line_type} (unknown)"


# Each line type's label, looked up rather than formatted for every line.
_LABELS: dict[object, str] = {line_type: type_label(line_type) for line_type in LineItemType}


def summarize(invoices: Iterable[Invoice]) -> FileSummary:
    """Sum the invoices as they stream past; only the per-invoice summaries are kept."""
    entries: list[InvoiceSummary] = []
    return summarize_each(invoices, entries.append).summary(entries)


def summarize_each(invoices: Iterable[Invoice], each: Callable[[InvoiceSummary], object]) -> FileFigures:
    """Sum the invoices as they stream past, handing each invoice's summary to ``each`` as it is made.

    Nothing of an invoice is kept here once ``each`` has it: the file's figures are running
    sums and distinct counts (``DistinctCount``), so memory does not grow with the file.
    """
    figures = FileFigures()
    for invoice in invoices:
        if not isinstance(invoice, Invoice):
            raise TypeError(f"expected Invoice objects to summarize, found {type(invoice).__name__}")
        each(add_invoice(figures, invoice))
    return figures


def add_invoice(figures: FileFigures, invoice: Invoice) -> InvoiceSummary:
    """The invoice's summary, its lines added to ``figures`` (``summarize_each``'s step)."""
    with exact():  # every digit, as the rules add them: the same sums, whatever order they are added in
        entry = _summary_of(invoice, figures.of(invoice.currency).by_type)
        figures.add(entry)
    return entry


def invoice_summary(invoice: Invoice) -> InvoiceSummary:
    """One invoice's summary alone (``ledes.halves``: of an invoice of the second half, for ``add_each``)."""
    with exact():
        return _summary_of(invoice, {})


def add_each(figures: FileFigures, entries: Iterable[InvoiceSummary], each: Callable[[InvoiceSummary], object]) -> None:
    """Add summaries ``invoice_summary`` made to ``figures``, handing each to ``each``, as ``summarize_each`` would.

    Each line type's tally takes the invoice's sums: in ``exact()``, the same sums as line
    by line, and the labels come in the order their first line came.
    """
    for entry in entries:
        by_type = figures.of(entry.currency).by_type
        with exact():
            for label, tally in entry.by_type.items():
                found = by_type.get(label)
                if found is None:
                    found = by_type[label] = Tally()
                found.lines += tally.lines
                found.units += tally.units
                found.amount += tally.amount
            figures.add(entry)
        each(entry)


def _summary_of(invoice: Invoice, file_by_type: dict[str, Tally]) -> InvoiceSummary:
    """One invoice's summary; each line is also added to ``file_by_type``.

    Each line adds its units and amount to its matter, its line type (in the invoice and
    in the file) and, for a fee, its timekeeper, as ``Tally.add`` would, in the same order:
    the sums are the same to the last digit. A matter whose line types are all known is
    added a column at a time (``_add_columns``), any other line by line (``_add_lines``).
    """
    entry = InvoiceSummary.of(invoice)
    for matter in invoice.matters:
        matter_entry = MatterSummary(matter.law_firm_matter_id, matter.client_matter_id)
        items = matter.line_items
        if items:
            columns = tuple(zip(*map(_LINE_FIELDS, items), strict=True))
            if sum(map(columns[0].count, _LINE_TYPES)) == len(items):  # by identity, not Enum's hash
                _add_columns(entry, matter_entry, file_by_type, *columns)
            else:
                _add_lines(entry, matter_entry, file_by_type, items)
        entry.matters.append(matter_entry)
    return entry


def _add_lines(
    entry: InvoiceSummary, matter_entry: MatterSummary, file_by_type: dict[str, Tally], items: Iterable[LineItem]
) -> None:
    """Add a matter's lines one at a time."""
    fee, expense = LineItemType.FEE, LineItemType.EXPENSE
    by_type, keepers = entry.by_type, entry.timekeepers
    lines = matter_entry.lines
    for item in items:
        line_type, units, total = item.type, item.units, item.total
        units = units if type(units) is Decimal else _number(units)
        total = total if type(total) is Decimal else _number(total)
        lines.add(units if line_type is fee else ZERO, total)
        if line_type is expense:
            matter_entry.expense_units += units
        label = _LABELS.get(line_type) or type_label(line_type)
        for groups in (by_type, file_by_type):
            tally = groups.get(label)
            if tally is None:
                tally = groups[label] = Tally()
            tally.add(units, total)
        entry.line_total += total
        keeper = item.timekeeper
        if keeper is not None and line_type is fee:
            key = keeper.id or keeper.name or "?"
            person = keepers.get(key)
            if person is None:
                person = keepers[key] = TimekeeperSummary(keeper.id, keeper.name, keeper.classification)
            person.fees.add(units, total)


def _add_columns(
    entry: InvoiceSummary, matter_entry: MatterSummary, file_by_type: dict[str, Tally],
    types: tuple[object, ...], units: tuple[object, ...], totals: tuple[object, ...], keepers: tuple[Any, ...],
) -> None:
    """Add a matter's lines, every one of a known line type, a column at a time.

    Each tally's sums are taken over its lines in line order, starting from what it held, as
    ``_add_lines`` takes them; a fee's ZERO added to other lines' units is left out (a sum
    that starts at ZERO is unchanged by it). Labels and timekeepers are added to their
    tables in the order their first line comes, as line by line.
    """
    numbers, amounts = _numbers(units), _numbers(totals)
    is_fee = list(map(operator.is_, types, itertools.repeat(LineItemType.FEE)))
    fee_units = list(itertools.compress(numbers, is_fee))
    lines = matter_entry.lines
    lines.lines += len(types)
    lines.units = sum(fee_units, lines.units)
    lines.amount = sum(amounts, lines.amount)
    entry.line_total = sum(amounts, entry.line_total)
    present = sorted((line_type for line_type in _LINE_TYPES if line_type in types), key=types.index)
    for line_type in present:
        mask = list(map(operator.is_, types, itertools.repeat(line_type)))
        if line_type is LineItemType.EXPENSE:
            matter_entry.expense_units = sum(itertools.compress(numbers, mask), matter_entry.expense_units)
        _add_masked((entry.by_type, file_by_type), _LABELS[line_type], mask, numbers, amounts)
    fee_keepers = list(itertools.compress(keepers, is_fee))
    if not fee_keepers:
        return
    fee_amounts = list(itertools.compress(amounts, is_fee))
    _add_timekeepers(entry.timekeepers, fee_keepers, fee_units, fee_amounts)


def _add_timekeepers(
    people: dict[str, TimekeeperSummary], keepers: list[Any], units: list[Decimal], amounts: list[Decimal]
) -> None:
    """Add each fee to its timekeeper's tally, in one pass over the fees however many timekeepers there are.

    Each timekeeper's fees are gathered in line order and added as ``Tally.add`` would, the
    timekeepers to ``people`` in the order their first fee comes, as ``_add_lines`` does.
    """
    chosen: dict[str, tuple[Any, list[Decimal], list[Decimal]]] = {}
    for keeper, number, total in zip(keepers, units, amounts, strict=True):
        if keeper is not None:
            key = keeper.id or keeper.name or "?"
            group = chosen.get(key)
            if group is None:
                group = chosen[key] = (keeper, [], [])
            group[1].append(number)
            group[2].append(total)
    for key, (first, fee_units, fee_amounts) in chosen.items():
        person = people.get(key)
        if person is None:
            person = people[key] = TimekeeperSummary(first.id, first.name, first.classification)
        fees = person.fees
        fees.lines += len(fee_units)
        fees.units = sum(fee_units, fees.units)
        fees.amount = sum(fee_amounts, fees.amount)


def _add_masked(
    tables: tuple[dict[str, Tally], ...], label: str, mask: list[bool], units: list[Decimal], amounts: list[Decimal],
) -> None:
    """Add the lines ``mask`` selects to each table's tally of ``label`` (new when it has none)."""
    count = sum(mask)
    chosen_units, chosen_amounts = list(itertools.compress(units, mask)), list(itertools.compress(amounts, mask))
    for tally in (table.get(label) or table.setdefault(label, Tally()) for table in tables):
        tally.lines += count
        tally.units = sum(chosen_units, tally.units)
        tally.amount = sum(chosen_amounts, tally.amount)


def _numbers(values: tuple[object, ...]) -> list[Decimal]:
    """Each value as a number to add (``_number``), the Decimals as they are."""
    if _DECIMAL.issuperset(map(type, values)):
        return cast(list[Decimal], list(values))
    return [value if type(value) is Decimal else _number(value) for value in values]


_LINE_FIELDS = operator.attrgetter("type", "units", "total", "timekeeper")
_LINE_TYPES = tuple(LineItemType)
_DECIMAL = frozenset({Decimal})
