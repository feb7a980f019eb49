"""A batch of records of whole invoices, checked column by column: conversion, lengths, required fields."""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ledes.diagnostics import Emit, Named
from ledes.formats.fields import Conversion, Field, IdList, Text
from ledes.model import LineItemType
from ledes.rules import field as field_rules

if TYPE_CHECKING:
    from ledes.formats.pipe.reader import Plan

CACHE_LIMIT = 8192  # distinct texts cached per field; the repeats are rates, dates, codes
MISS = object()  # "not in the cache": None is a real value (an empty field)
# A column's values, by row: the texts themselves when the field is text and none is empty.
ColumnValues = list[Any] | tuple[str, ...]


class Column:
    """One field's checks over a column of texts, prepared once from the table."""

    def __init__(self, index: int, field: Field, invoice_level: bool, required_with: tuple[int, ...] = ()) -> None:
        self.index = index
        self.field = field
        self.converted = type(field.kind) is not Text
        self.clean: dict[str, object] = {"": None}  # text -> value, for texts without problems
        self.flawed: dict[str, Conversion] = {}  # text -> (value, problem, respelled)
        self.invoice_level = invoice_level
        self.required_codes = frozenset(t.value for t in field.required_for)
        self.always_required = field.required_for == frozenset(LineItemType)
        # Required on a line of an unknown type too: the fields every charge (F and E) line needs.
        self.required_if_unknown = not self.always_required and {LineItemType.FEE, LineItemType.EXPENSE} <= field.required_for
        self.required_with = required_with  # the columns that, one filled, make this one required
        # Blank text (spaces only) in a required field is as empty as none; a number, date or code reports it itself.
        self.blank_is_empty = type(field.kind) in (Text, IdList)

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


class Batch:
    """Records of whole invoices, checked column by column; ``assembly`` turns them into invoices."""

    def __init__(self, emit: Emit, plan: Plan) -> None:
        self.emit = emit
        self.plan = plan
        self.rows: list[list[str]] = []
        self.lines: list[int] = []
        self.starts: list[int] = []  # row index where each invoice begins
        # Per invoice (its first row): the invoice-level columns whose texts vary, in the order checked.
        self.varying: dict[int, list[int]] = {}

    def convert(self) -> tuple[list[tuple[str, ...]], list[ColumnValues], dict[int, dict[str, str]]]:
        """Check the batch's records: each column's texts and values, and the texts respelled, by row and field."""
        rows, starts = self.rows, self.starts
        count = len(rows)
        texts = list(zip(*rows, strict=True))
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
        return texts, values, spellings

    def clear(self) -> None:
        """Empty the batch for the next invoices."""
        self.rows.clear()
        self.lines.clear()
        self.starts.clear()
        self.varying.clear()

    def _reportable(self, texts: list[tuple[str, ...]], starts: list[int], count: int) -> list[bool]:
        """Rows on which invoice-level values are checked: an invoice's first row, and rows where they change.

        A column that holds one value over an invoice (the rule) is found so with one
        count per invoice; only an invoice whose values vary is walked row by row, and its
        varying columns are noted (``varying``) for the builder to report.
        """
        flags = [False] * count
        bounds = [*starts, count]
        varying = self.varying
        for start, end in itertools.pairwise(bounds):
            flags[start] = True
            for index in self.plan.invoice_level:
                column = texts[index][start:end]
                if column.count(column[0]) != len(column):
                    varying.setdefault(start, []).append(index)
                    for row in range(start + 1, end):
                        if texts[index][row] != texts[index][row - 1]:
                            flags[row] = True
        return flags

    def _convert(self, column: Column, texts: tuple[str, ...], spellings: dict[int, dict[str, str]]) -> ColumnValues:
        """The column's values; its conversion and length problems reported row by row."""
        field = column.field
        values: ColumnValues
        if column.converted:
            values = list(map(column.clean.get, texts, itertools.repeat(MISS, len(texts))))
            if any(map(operator.is_, values, itertools.repeat(MISS))):  # by identity: Decimal == object() is slow
                missing = itertools.compress(range(len(texts)), map(operator.is_, values, itertools.repeat(MISS)))
                self._convert_new(column, texts, values, list(missing), spellings)
        elif all(texts):  # no empty text (a truth test per text: no comparison, no hashing)
            values = texts  # read only from here on
        else:
            values = [text or None for text in texts]
        limit = field.max_length
        if limit and max(map(len, texts)) > limit:
            self._report_lengths(field, limit, texts, range(len(texts)))
        return values

    def _convert_invoice_level(
        self, column: Column, texts: tuple[str, ...], rows: list[int], spellings: dict[int, dict[str, str]]
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
        limit = column.field.max_length
        if limit:
            self._report_lengths(column.field, limit, texts, rows)
        return values

    def _report_lengths(self, field: Field, limit: int, texts: tuple[str, ...], rows: Iterable[int]) -> None:
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
        texts: tuple[str, ...],
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

    def _check_required(self, texts: list[tuple[str, ...]], reportable: list[bool]) -> None:
        """Report empty fields that the row's line type, or a filled field they go with, requires (``field.required``)."""
        types = texts[self.plan.line_type]
        rows = range(len(types))
        of_type: dict[str, list[bool]] = {}  # per line type code: which rows have it
        strange = set(types).difference(_LINE_TYPES, ("",))  # line types that are none of the four
        unknown = [code in strange for code in types] if strange else None  # which rows have one
        for column in self.plan.columns:
            if not (column.required_codes or column.required_with):
                continue
            column_texts = texts[column.index]
            # Blank texts, among the rows reported on: an invoice-level field's are its invoices' first rows.
            told = itertools.compress(column_texts, reportable) if column.invoice_level else column_texts
            blank = column.blank_is_empty and any(map(str.isspace, told))
            if not blank and all(column_texts):
                continue
            codes, always = column.required_codes, column.always_required
            empty = [not text or text.isspace() for text in column_texts] if blank else list(map(operator.not_, column_texts))
            if not always:  # is any row of a type that needs the field empty? (one pass per type, in C)
                for code in codes:
                    if code not in of_type:
                        of_type[code] = list(map(operator.eq, types, itertools.repeat(code)))
                if (not any(any(itertools.compress(empty, of_type[code])) for code in codes)
                        and not (column.required_if_unknown and unknown and any(itertools.compress(empty, unknown)))
                        and not any(any(itertools.compress(texts[other], empty)) for other in column.required_with)):
                    continue
            for row in itertools.compress(rows, empty):
                if not (reportable[row] or not column.invoice_level):
                    continue
                line_type = types[row]
                if (always or line_type in codes or (column.required_if_unknown and unknown and unknown[row])
                        or any(texts[other][row] for other in column.required_with)):
                    field = column.field
                    message = _required_message(field, line_type, column, texts, row)
                    if column_texts[row]:
                        message = message.replace(" is empty;", f" is blank (only whitespace, {len(column_texts[row])} characters);", 1)
                    self.report(field_rules.REQUIRED, message, row, field)

    def report(
        self, rule: Named, message: str, row: int, field: Field | None = None, amount: Decimal | None = None
    ) -> None:
        """Report a problem on one of the batch's rows."""
        self.emit(
            rule,
            message,
            line=self.lines[row],
            field=field.name if field else None,
            invoice=self.rows[row][self.plan.invoice_number] or None,
            amount=amount,
        )


_LINE_TYPES = {line_type.value: line_type for line_type in LineItemType}


def _required_message(field: Field, type_code: str, column: Column, texts: list[tuple[str, ...]], row: int) -> str:
    line_type = _LINE_TYPES.get(type_code)
    if column.always_required:
        return f"{field.name} is empty; it is required"
    if line_type is not None:
        if line_type in field.required_for:
            kind = line_type.name.lower().replace("_", " ")
            return f"{field.name} is empty; it is required on {line_type.value} ({kind}) lines"
    elif column.required_if_unknown:
        return f"{field.name} is empty; it is required on every line but an IF or IE adjustment"
    filled = [name for name, other in zip(field.required_with, column.required_with, strict=True) if texts[other][row]]
    if filled:
        return f"{field.name} is empty; it is required where {' or '.join(filled)} is filled"
    return f"{field.name} is empty; it is required"
