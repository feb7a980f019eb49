"""A batch of records of whole invoices, checked column by column: conversion, lengths, required fields."""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ledes.diagnostics import Emit, Named
from ledes.formats.fields import Conversion, Field, Text
from ledes.model import LineItemType
from ledes.rules import field as field_rules

if TYPE_CHECKING:
    from ledes.formats.pipe.reader import Plan
    from ledes.formats.pipe.records import Block

CACHE_LIMIT = 8192  # distinct texts cached per field; the repeats are rates, dates, codes
MISS = object()  # "not in the cache": None is a real value (an empty field)
# A column's values, by row: the texts themselves when the field is text and none is empty.
ColumnValues = list[Any]


class Column:
    """One field's checks over a column of texts, prepared once from the table."""

    def __init__(self, index: int, field: Field, invoice_level: bool) -> None:
        self.index = index
        self.field = field
        self.converted = type(field.kind) is not Text
        self.clean: dict[str, object] = {"": None}  # text -> value, for texts without problems
        self.flawed: dict[str, Conversion] = {}  # text -> (value, problem, respelled)
        self.invoice_level = invoice_level
        self.required_codes = frozenset(t.value for t in field.required_for)
        self.always_required = field.required_for == frozenset(LineItemType)

    def value_of(self, text: str) -> object:
        """The value a text converts to (empty text: None)."""
        if not text:
            return None
        if not self.converted:
            return text
        value = self.clean.get(text, MISS)
        if value is MISS:
            value = (self.flawed.get(text) or self.field.kind.convert(text))[0]
        return value


_EMPTY_TO_NONE = {"": None}


class Rows:
    """The records read and not yet checked, column by column; ``take`` hands over whole invoices as a ``Batch``."""

    def __init__(self, emit: Emit, plan: Plan) -> None:
        self.emit = emit
        self.plan = plan
        self.columns: list[list[str]] = [[] for _ in range(plan.width)]
        self.lines: list[int] = []
        self.starts: list[int] = []  # row index where each invoice begins
        self.previous: str | None = None  # the invoice number of the last row

    def add(self, number: int, raw: list[str]) -> None:
        """Add one record (its fields in table order), read on line ``number``."""
        invoice_number = raw[self.plan.invoice_number]
        if invoice_number != self.previous:
            self.starts.append(len(self.lines))
            self.previous = invoice_number
        for column, text in zip(self.columns, raw, strict=True):
            column.append(text)
        self.lines.append(number)

    def add_block(self, block: Block) -> None:
        """Add a block of records read in one piece."""
        size = len(self.lines)
        numbers = block.column(self.plan.invoice_number)
        if numbers[0] != self.previous:
            self.starts.append(size)
        changed = map(operator.ne, itertools.islice(numbers, 1, None), numbers)
        self.starts.extend(itertools.compress(range(size + 1, size + block.count), changed))
        self.previous = numbers[-1]
        for index, column in enumerate(self.columns):
            column += numbers if index == self.plan.invoice_number else block.column(index)
        self.lines += range(block.first, block.first + block.count)

    def take(self, at_least: int) -> Batch | None:
        """The rows before the first invoice that begins at row ``at_least`` or later, as a Batch; None when there is none."""
        starts = self.starts
        if not starts or starts[-1] < at_least:
            return None
        return self._split(starts[bisect.bisect_left(starts, at_least)])

    def take_all(self) -> Batch | None:
        """Every row, as a Batch; None when there is none."""
        return self._split(len(self.lines)) if self.lines else None

    def _split(self, end: int) -> Batch:
        columns, lines, starts = self.columns, self.lines, self.starts
        self.columns = [column[end:] for column in columns]
        self.lines = lines[end:]
        self.starts = [start - end for start in starts if start >= end]
        for column in columns:
            del column[end:]
        del lines[end:]
        return Batch(self.emit, self.plan, columns, lines, [start for start in starts if start < end])


class Batch:
    """Records of whole invoices, checked column by column; ``assembly`` turns them into invoices."""

    def __init__(self, emit: Emit, plan: Plan, texts: list[list[str]], lines: list[int], starts: list[int]) -> None:
        self.emit = emit
        self.plan = plan
        self.texts = texts  # by field, then row
        self.lines = lines
        self.starts = starts  # row index where each invoice begins
        self.count = len(lines)
        self.empty: dict[int, bool] = {}  # by column: whether a row leaves it empty
        self.varies: dict[int, list[int]] = {}  # by invoice-level column: the rows where it changes within an invoice

    def convert(self) -> tuple[list[ColumnValues], dict[int, dict[str, str]]]:
        """Check the batch's records: each column's values, and the texts respelled, by row and field."""
        texts, starts, count = self.texts, self.starts, self.count
        reportable = self._reportable(texts, starts, count)
        checked_rows = [row for row, flag in enumerate(reportable) if flag]
        spellings: dict[int, dict[str, str]] = {}
        values = [
            self._convert_invoice_level(column, texts[column.index], checked_rows, spellings)
            if column.invoice_level
            else self._convert(column, texts[column.index], spellings)
            for column in self.plan.columns
        ]
        self._check_required(texts, reportable)
        return values, spellings

    def _reportable(self, texts: list[list[str]], starts: list[int], count: int) -> list[bool]:
        """Rows on which invoice-level values are checked: an invoice's first row, and rows where they change.

        Each invoice-level column is compared with itself shifted by a row (in C); the
        rows where a value changes within an invoice are kept in ``varies``, by column,
        for ``assembly`` to report.
        """
        flags = [False] * count
        for start in starts:
            flags[start] = True
        begins = set(starts)
        rows = range(1, count)
        for index in self.plan.invoice_level:
            column = texts[index]
            changed = [row for row in itertools.compress(rows, map(operator.ne, itertools.islice(column, 1, None), column))
                       if row not in begins]
            if changed:
                self.varies[index] = changed
                for row in changed:
                    flags[row] = True
        return flags

    def _convert(self, column: Column, texts: list[str], spellings: dict[int, dict[str, str]]) -> ColumnValues:
        """The column's values, each distinct text converted once; its conversion and length problems reported row by row."""
        field = column.field
        values: ColumnValues
        if column.converted:
            distinct = set(texts)
            values = self._convert_distinct(column, texts, distinct, spellings)
            lengths = set(map(len, distinct))
        else:
            lengths = set(map(len, texts))
            values = list(map(_EMPTY_TO_NONE.get, texts, texts)) if 0 in lengths else texts  # read only from here on
        self.empty[column.index] = 0 in lengths
        limit = field.max_length
        if limit and max(lengths) > limit:
            self._report_lengths(field, limit, texts, range(len(texts)))
        return values

    def _convert_distinct(
        self, column: Column, texts: list[str], distinct: set[str], spellings: dict[int, dict[str, str]]
    ) -> ColumnValues:
        """The values of a converted column: each text new to the column's caches converted once, problems reported by row."""
        field, clean, flawed = column.field, column.clean, column.flawed
        unknown = distinct.difference(clean)
        if unknown and len(clean) + len(unknown) > CACHE_LIMIT:  # the cache starts again from this batch's texts
            clean.clear()
            clean[""] = None
            unknown = distinct.difference(clean)
        flawed_here: dict[str, Conversion] = {}
        convert = field.kind.convert
        for text in unknown:
            found = flawed.get(text) or convert(text)
            if found[1] is None and not found[2]:
                clean[text] = found[0]
            else:
                flawed_here[text] = found
                if len(flawed) < CACHE_LIMIT:
                    flawed[text] = found
        if not flawed_here:
            return list(map(clean.__getitem__, texts))
        values = list(map(clean.get, texts))
        for row in itertools.compress(range(len(texts)), map(flawed_here.__contains__, texts)):
            text = texts[row]
            value, problem, respelled = flawed_here[text]
            values[row] = value
            if respelled:
                spellings.setdefault(row, {})[field.target] = text
            if problem is not None:
                self.report(problem[0], problem[1] + field_rules.arithmetic_note(field.target, value), row, field)
        return values

    def _convert_invoice_level(
        self, column: Column, texts: list[str], rows: list[int], spellings: dict[int, dict[str, str]]
    ) -> list[Any]:
        """Values of an invoice-level column, on the rows where they are checked (the others repeat them)."""
        values: list = [None] * len(texts)
        if column.converted:
            clean = column.clean
            for row in rows:
                values[row] = clean.get(texts[row], MISS)
            self._convert_new(column, texts, values, rows, spellings)
        else:
            for row in rows:
                values[row] = texts[row] or None
        # Every other row repeats a checked row's text: whether any is empty shows on the checked rows.
        self.empty[column.index] = any(not texts[row] for row in rows)
        limit = column.field.max_length
        if limit:
            self._report_lengths(column.field, limit, texts, rows)
        return values

    def _report_lengths(self, field: Field, limit: int, texts: list[str], rows: Iterable[int]) -> None:
        for row in rows:
            text = texts[row]
            if len(text) > limit:
                self.report(
                    field_rules.LENGTH,
                    f"{field.name} is {len(text)} characters long; at most {limit} are allowed",
                    row,
                    field,
                )

    def _convert_new(
        self,
        column: Column,
        texts: list[str],
        values: list,
        rows: Iterable[int],
        spellings: dict[int, dict[str, str]],
    ) -> None:
        """Convert, on the given rows, the texts the column's clean cache did not hold; report their problems."""
        field, clean, flawed = column.field, column.clean, column.flawed
        convert = field.kind.convert
        for row in rows:
            if values[row] is not MISS:
                continue
            text = texts[row]
            value = clean.get(text, MISS)  # an earlier row of this batch may have added it
            if value is not MISS:
                values[row] = value
                continue
            found = flawed.get(text) or convert(text)
            value, problem, respelled = found
            if problem is None and not respelled:
                if len(clean) < CACHE_LIMIT:
                    clean[text] = value
            elif len(flawed) < CACHE_LIMIT:
                flawed[text] = found
            values[row] = value
            if respelled:
                spellings.setdefault(row, {})[field.target] = text
            if problem is not None:
                self.report(problem[0], problem[1] + field_rules.arithmetic_note(field.target, value), row, field)

    def _check_required(self, texts: list[list[str]], reportable: list[bool]) -> None:
        """Report empty fields that the row's line type requires (``field.required``)."""
        types = texts[self.plan.line_type]
        rows = range(len(types))
        of_type: dict[str, list[bool]] = {}  # per line type code: which rows have it
        for column in self.plan.columns:
            if not column.required_codes:
                continue
            column_texts = texts[column.index]
            if not self.empty[column.index]:
                continue
            codes, always = column.required_codes, column.always_required
            if not always:  # is any row of a type that needs the field empty? (one pass per type, in C)
                for code in codes:
                    if code not in of_type:
                        of_type[code] = list(map(operator.eq, types, itertools.repeat(code)))
                if not any("" in itertools.compress(column_texts, of_type[code]) for code in codes):
                    continue
            for row in itertools.compress(rows, map(operator.not_, column_texts)):
                if (always or types[row] in codes) and (reportable[row] or not column.invoice_level):
                    field = column.field
                    self.report(field_rules.REQUIRED, _required_message(field, types[row]), row, field)

    def report(
        self, rule: Named, message: str, row: int, field: Field | None = None, amount: Decimal | None = None
    ) -> None:
        """Report a problem on one of the batch's rows."""
        self.emit(
            rule,
            message,
            line=self.lines[row],
            field=field.name if field else None,
            invoice=self.texts[self.plan.invoice_number][row] or None,
            amount=amount,
        )


_LINE_TYPES = {line_type.value: line_type for line_type in LineItemType}


def _required_message(field: Field, type_code: str) -> str:
    line_type = _LINE_TYPES.get(type_code)
    if line_type is not None and field.required_for != frozenset(LineItemType):
        kind = line_type.name.lower().replace("_", " ")
        return f"{field.name} is empty; it is required on {line_type.value} ({kind}) lines"
    return f"{field.name} is empty; it is required"
