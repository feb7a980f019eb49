"""Invoices from a converted batch: line items, timekeepers, matters, parties and addresses, with their consistency checks."""

from __future__ import annotations

import itertools
import operator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from ledes.diagnostics import Named
from ledes.formats.pipe.batch import CACHE_LIMIT, MISS, Batch, ColumnValues
from ledes.formats.pipe.preamble import clip
from ledes.model import (
    Client,
    Invoice,
    LawFirm,
    LineItem,
    Location,
    Matter,
    Timekeeper,
)
from ledes.rules import invoice as invoice_rules
from ledes.rules.runstore import SpillingMap, digest

if TYPE_CHECKING:
    from ledes.model import Address

# A spilling map's first spill makes the 4 MiB filter the run's maps share: at the maps' usual 2,048 entries,
# a file's 2,049th invoice added that step (1M lines of 200-line invoices peaked 6 MB above 100k lines). An
# invoice number held costs about 100 bytes: 32,768 of them (3 MB, at files of more than 32,768 invoices) keep
# every command's memory flat from a hundred thousand lines to millions.
INVOICE_NUMBERS_HELD = 1 << 15


class InvoiceBuilder:
    """Builds the invoices of a batch from its converted columns; its caches last for the whole file."""

    def __init__(self, path: str | None, batch: Batch) -> None:
        self.path = path
        self.plan = batch.plan
        self.lines = batch.lines  # the batch's list, filled and cleared in place
        self.report = batch.report
        self.varying = batch.varying  # the batch's, filled by its column checks
        # The invoice numbers read so far (for rows that start again later), in flat memory however many there are.
        self.finished: SpillingMap[str] = SpillingMap(str, str, INVOICE_NUMBERS_HELD)
        self.timekeepers: dict[tuple, Timekeeper | None] = {}
        # Reading a file's second half: what an invoice number not read so far is reported as (``reader.Resume``).
        self.unsure: Named | None = None

    def build(
        self,
        count: int,
        starts: list[int],
        texts: list[tuple[str, ...]],
        values: list[ColumnValues],
        spellings: dict[int, dict[str, str]],
    ) -> list[Invoice]:
        """The invoices of the batch's ``count`` rows, each beginning at one of ``starts``."""
        lines = self.lines
        built = {
            "timekeeper": self._timekeepers(values, count),
            "location": map(Location, itertools.repeat(self.path, count), lines),
            "spellings": _line_item_spellings(spellings, count) if spellings else itertools.repeat(None, count),
        }
        items = list(
            map(
                LineItem,
                *(
                    built[column]
                    if isinstance(column, str)
                    else itertools.repeat(None, count)
                    if column is None
                    else values[column]
                    for column in self.plan.line_item_columns
                ),
            )
        )
        bounds = [*starts, count]
        return [self._invoice(start, end, texts, values, items, spellings) for start, end in itertools.pairwise(bounds)]

    def _timekeepers(self, values: list[ColumnValues], count: int) -> list:
        plan = self.plan
        keys = list(zip(*(values[i] for i in plan.timekeeper), strict=True))
        cache = self.timekeepers
        found = list(map(cache.get, keys, itertools.repeat(MISS, count)))
        # The rows whose key the cache lacks, found by identity (Timekeeper.__eq__ is Python): usually none.
        for row in itertools.compress(range(count), list(map(operator.is_, found, itertools.repeat(MISS)))):
            key = keys[row]
            timekeeper = cache.get(key, MISS)  # an earlier row of this batch may have built it
            if timekeeper is MISS:
                empty = not any(value is not None for value in key)
                timekeeper = None if empty else Timekeeper(**dict(zip(plan.timekeeper_attributes, key, strict=True)))
                if len(cache) < CACHE_LIMIT:
                    cache[key] = timekeeper
            found[row] = timekeeper
        return found

    def _invoice(
        self,
        start: int,
        end: int,
        texts: list[tuple[str, ...]],
        values: list[ColumnValues],
        items: list[LineItem],
        spellings: dict[int, dict[str, str]],
    ) -> Invoice:
        """Check that the invoice's repeated values agree, group its items by matter, and build it."""
        plan, path, lines = self.plan, self.path, self.lines
        number = texts[plan.invoice_number][start]
        key = digest((number,))
        rule = invoice_rules.NON_CONTIGUOUS if self.finished.get(key) is not None else self.unsure
        if rule is not None:
            self.report(
                rule,
                f"rows of invoice {number} start again here, after rows of other invoices;"
                " its rows must be consecutive, and these are checked as a separate invoice",
                start,
            )
        self.finished.set(key, "")
        for index in self.varying.get(start, ()):
            self._report_differences(index, start, end, texts, values)
        matter_ids = texts[plan.matter_id][start:end]
        if matter_ids.count(matter_ids[0]) == len(matter_ids):
            groups = {matter_ids[0]: list(range(start, end))}
        else:
            groups = {}
            for row, matter_id in enumerate(matter_ids, start):
                groups.setdefault(matter_id, []).append(row)
        matters = []
        for rows in groups.values():
            first = rows[0]
            for index in plan.matter_level:
                column = texts[index]
                held = column[start:end] if len(groups) == 1 else tuple(map(column.__getitem__, rows))
                if held.count(column[first]) == len(held):  # the matter's rows agree: one count, in C
                    continue
                for row in rows[1:]:
                    if column[row] != column[first]:
                        self.report(
                            invoice_rules.CONSISTENT_FIELDS,
                            f"{plan.fields[index].name} is '{clip(column[row])}' here but '{clip(column[first])}'"
                            f" on line {lines[first]}, for the same matter {texts[plan.matter_id][first]};"
                            " every row of a matter must repeat the same value",
                            row,
                            plan.fields[index],
                        )
            matters.append(
                Matter(
                    **self._record_values("matter", values, first),
                    line_items=tuple(items[rows[0] : rows[-1] + 1])
                    if len(groups) == 1
                    else tuple(map(items.__getitem__, rows)),
                    location=Location(path, lines[first]),
                )
            )
        client = Client(**self._record_values("client", values, start))
        law_firm = LawFirm(**self._record_values("law_firm", values, start))
        client_address = self._address("client_address", values, start)
        law_firm_address = self._address("law_firm_address", values, start)
        return Invoice(
            **self._record_values("invoice", values, start),
            client=attrs.evolve(client, address=client_address) if client_address else client,
            law_firm=attrs.evolve(law_firm, address=law_firm_address) if law_firm_address else law_firm,
            matters=tuple(matters),
            location=Location(path, lines[start]),
            spellings=_scoped(spellings.get(start), "invoice."),
        )

    def _record_values(self, scope: str, values: list[ColumnValues], row: int) -> dict[str, Any]:
        """Keyword arguments for a record of one scope: its attributes' values on the given row."""
        return {attribute: values[column][row] for attribute, column in self.plan.scoped[scope]}

    def _address(self, scope: str, values: list[ColumnValues], row: int) -> Address | None:
        found = self._record_values(scope, values, row)
        if not found or all(value is None for value in found.values()):
            return None
        from ledes.model import Address  # built when first used: a 1998B file has no address

        return Address(**found)

    def _report_differences(
        self, index: int, start: int, end: int, texts: list[tuple[str, ...]], values: list[ColumnValues]
    ) -> None:
        field = self.plan.fields[index]
        column = texts[index]
        first_text, first_value = column[start], values[index][start]
        for row in range(start + 1, end):
            if column[row] == first_text:
                continue
            value = self.plan.columns[index].value_of(column[row])
            if type(value) is type(first_value) and value == first_value:
                continue  # the same value spelled differently: 1250 and 1250.00
            amount = None
            if type(value) is Decimal and type(first_value) is Decimal:
                amount = abs(value - first_value)
            self.report(
                invoice_rules.CONSISTENT_DESCRIPTION if index == self.plan.description else invoice_rules.CONSISTENT_FIELDS,
                f"{field.name} is '{clip(column[row])}' here but '{clip(first_text)}' on line {self.lines[start]},"
                " the invoice's first row; every row of an invoice must repeat the same value",
                row,
                field,
                amount,
            )


def _scoped(spellings: dict[str, str] | None, scope: str) -> dict[str, str] | None:
    """The spellings of one record (``invoice.`` or ``line_item.``), keyed by model attribute."""
    found = {target[len(scope) :]: text for target, text in (spellings or {}).items() if target.startswith(scope)}
    return found or None


def _line_item_spellings(spellings: dict[int, dict[str, str]], count: int) -> list:
    return [_scoped(spellings.get(row), "line_item.") for row in range(count)]
