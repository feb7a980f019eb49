"""Streaming reader for the pipe-delimited LEDES formats: one invoice at a time, every problem reported.

Implements ledes-formats.md §1 (LEDES 1998B) and §2 (LEDES 1998BI): line 1 the format
line, line 2 the field names, then one line item per record ending ``[]``; invoice-level
fields repeat on every row, and the rows of one invoice are consecutive. The reader is
lenient: a value that does not convert keeps its text (``Unparsed``), a record it cannot
map is reported and skipped, and reading carries on to the end of the file.

Records are read in batches of whole invoices and checked column by column, driven by
the format's field table: each field's conversion, length and required checks run over
the batch's column at once, and only a column with a problem is walked row by row. That
keeps the per-record work small; memory stays bounded by the batch size and the
largest invoice.
"""

from __future__ import annotations

import functools
import gc
import itertools
import operator
from collections.abc import Iterator
from decimal import Decimal
from typing import TextIO

import attrs

from ledes.diagnostics import Emit
from ledes.formats.fields import Field, Text
from ledes.formats.pipe.spec import PipeFormat
from ledes.formats.textio import LineReader
from ledes.model import (
    Address,
    Client,
    Invoice,
    LawFirm,
    LineItem,
    LineItemType,
    Location,
    Matter,
    Timekeeper,
)

_INVOICE_SCOPES = ("invoice", "client", "law_firm", "client_address", "law_firm_address")
_LINE_ITEM_ATTRIBUTES = tuple(a.name for a in attrs.fields(LineItem))
_BUILT_BY_READER = ("timekeeper", "location", "spellings")


class _Plan:
    """What the reader needs to know about a format, derived once from its field table."""

    def __init__(self, spec: PipeFormat) -> None:
        self.spec = spec
        self.fields = fields = spec.fields
        self.width = len(fields)
        self.names = tuple(field.name for field in fields)
        index = {field.target: i for i, field in enumerate(fields)}
        self.invoice_number = index["invoice.number"]
        self.line_type = index["line_item.type"]
        self.matter_id = index["matter.law_firm_matter_id"]
        self.description = index["invoice.description"]
        # Invoice-level values repeat on every row and must agree (Legal Tracker error 007).
        self.invoice_level = frozenset(i for i, f in enumerate(fields) if f.scope in _INVOICE_SCOPES)
        self.invoice_level_columns = operator.itemgetter(*sorted(self.invoice_level))
        # Matter-level values other than the matter id repeat on every row of that matter.
        self.matter_level = tuple(i for i, f in enumerate(fields) if f.scope == "matter" and i != self.matter_id)
        self.timekeeper = tuple(i for i, f in enumerate(fields) if f.scope == "timekeeper")
        self.timekeeper_attributes = tuple(fields[i].attribute for i in self.timekeeper)
        # LineItem's attributes in declaration order: a column, the name of what the reader
        # builds itself (timekeeper, location, spellings), or None when the table has no field.
        columns = [name if name in _BUILT_BY_READER else index.get(f"line_item.{name}") for name in _LINE_ITEM_ATTRIBUTES]
        while columns and columns[-1] is None:  # trailing attributes the table lacks keep their defaults
            columns.pop()
        self.line_item_columns = tuple(columns)
        self.columns = tuple(_Column(i, field, i in self.invoice_level) for i, field in enumerate(fields))
        self.others = tuple((prefix, what) for prefix, what in _OTHER_FORMATS if not spec.marker.startswith(prefix))
        # (attribute, column) of the fields of each scope, for building the invoice-level records.
        self.scoped = {
            scope: tuple((f.attribute, i) for i, f in enumerate(fields) if f.scope == scope)
            for scope in (*_INVOICE_SCOPES, "matter")
        }


@functools.cache
def _plan(spec: PipeFormat) -> _Plan:
    return _Plan(spec)


_BATCH_ROWS = 2048  # records checked together; a batch always ends at an invoice boundary
_CACHE_LIMIT = 8192  # distinct texts cached per field; the repeats are rates, dates, codes
_MISS = object()  # "not in the cache": None is a real value (an empty field)


def read_pipe(spec: PipeFormat, stream: TextIO, emit: Emit, path: str | None = None) -> Iterator[Invoice]:
    """Yield the invoices of a pipe-delimited LEDES text stream, reporting problems through ``emit``."""
    plan = _plan(spec)
    reader = LineReader(stream, emit)
    layout, pending = _read_preamble(iter(reader), emit, plan)
    if layout is None:
        return
    batch = _Batch(path, emit, plan)
    invoice_number_column = plan.invoice_number
    rows, lines = batch.rows, batch.lines
    width, standard = layout.width, layout.order is None
    previous_invoice = None
    # The records hold no reference cycles, so the cyclic garbage collector only slows
    # the building of a batch (by a third): it is paused while this generator runs and
    # resumed whenever it hands invoices to its caller.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for number, text, terminated in _records(reader, pending, width - 1):
            raw = text.split("|")
            if not (terminated and standard and len(raw) == width):
                raw = _map_record(number, raw, terminated, layout, emit, plan)
                if raw is None:
                    continue
            invoice_number = raw[invoice_number_column]
            if invoice_number != previous_invoice:
                if len(rows) >= _BATCH_ROWS:
                    invoices = batch.flush()
                    if collecting:
                        gc.enable()
                    yield from invoices
                    gc.disable()
                batch.starts.append(len(rows))
                previous_invoice = invoice_number
            rows.append(raw)
            lines.append(number)
        invoices = batch.flush()
    finally:
        if collecting:
            gc.enable()
    yield from invoices


@attrs.define
class _Layout:
    """How the file's columns map onto the table's fields: ``order`` is None for the standard header."""

    width: int
    order: tuple[int | None, ...] | None = None
    trailing_pipe: bool = False  # the header ends "|[]", and so (probably) do the records


# First lines of other formats: reading on as 1998B would only bury the one real problem.
# A NUL anywhere in the first line means binary (or UTF-16 without a byte-order mark).
_OTHER_FORMATS = (
    ("LEDES1998B", "a LEDES 1998B file"),
    ("LEDES98BI", "a LEDES 1998BI file"),
    ("<?xml", "an XML file"),
    ("<ledes", "an XML file"),
    ("%PDF", "a PDF file"),
    ("PK\x03\x04", "a ZIP or Excel file"),
    ("\x00", "a binary file"),
)


def _read_preamble(
    lines: Iterator[tuple[int, str]], emit: Emit, plan: _Plan
) -> tuple[_Layout | None, list[tuple[int, str]]]:
    """Check the format line and the header; return the column layout and any data line read ahead.

    The layout is None when the file is plainly another format, which is reported once.
    """
    spec, width = plan.spec, plan.width
    standard = _Layout(width)
    first = next(lines, None)
    blank = 0
    while first is not None and not _strip_end(first[1].lstrip("\ufeff")):
        blank += 1
        first = next(lines, None)
    if first is None:
        emit("structure.format-line", f"the file is empty; a {spec.title} file starts with {spec.format_line}", line=1)
        return standard, []
    if blank:
        emit(
            "structure.format-line",
            f"the file starts with {blank} blank line{'s' if blank > 1 else ''}; {spec.format_line} must be line 1",
            line=1,
        )
    number, text = first
    marker = text.lstrip("\ufeff").strip()
    if not spec.accepted_lines.fullmatch(marker):
        for start, what in plan.others:
            if marker.startswith(start) or (start == "\x00" and start in marker):
                emit(
                    "structure.format-line",
                    f"this is {what}, not {spec.title} (first line '{_clip(marker.replace(chr(0), ''))}')",
                    line=number,
                )
                return None, []
        if _looks_like_header(marker):
            emit(
                "structure.format-line",
                f"the format line {spec.format_line} is missing; the file starts with the header",
                line=number,
            )
            return _check_header(number, marker, emit, plan), []
        emit(
            "structure.format-line",
            f"first line is '{_clip(marker)}'; a {spec.title} file starts with {spec.format_line}",
            line=number,
        )
        if _looks_like_record(marker, width):
            emit("structure.header", "the field-name header is missing; the file starts with data", line=number)
            return standard, [first]
    second = next(lines, None)
    if second is None:
        emit("structure.header", f"the header line is missing; line 2 must be the {width} field names", line=number + 1)
        return standard, []
    number, text = second
    header = text.strip()
    if _looks_like_record(header, width) and not _looks_like_header(header):
        emit("structure.header", f"line 2 is data, not the header of {width} field names", line=number)
        return standard, [second]
    return _check_header(number, header, emit, plan), []


def _looks_like_header(text: str) -> bool:
    return text.upper().startswith("INVOICE_DATE|") or text.upper().count("LINE_ITEM_") >= 3


def _looks_like_record(text: str, width: int) -> bool:
    return text.count("|") >= width // 2 and text[:8].isdigit()


def _check_header(number: int, header: str, emit: Emit, plan: _Plan) -> _Layout:
    """Compare the header with the table's names; map columns by name when the names are all there.

    Names are matched exactly, mixed case included (``LAW_FIRM_STATEorREGION``); a header
    that differs only in case is mapped and reported.
    """
    names, width = plan.names, plan.width
    if header == plan.spec.header:
        return _Layout(width)
    terminated = header.endswith("[]")
    body = header[:-2] if terminated else header.rstrip("|")
    written = body.split("|")
    found = [name.strip().removesuffix("[]") for name in written]
    problems = []
    if not terminated:
        problems.append("it does not end with []")
    if any(name != name.strip() for name in written):
        problems.append("field names have spaces around them")
    if any(name.strip().endswith("[]") for name in written[:-1]):
        problems.append("each name ends with [] (only the line should)")
    trailing_pipe = len(found) > 1 and not found[-1]
    if trailing_pipe:
        found.pop()
        problems.append("it ends with '|[]' (records that end so too are read without the empty last field)")
    layout = _Layout(width=len(found), trailing_pipe=trailing_pipe)
    upper = [name.upper() for name in found]
    expected = [name.upper() for name in names]
    if upper == expected:
        if found != list(names):
            wrong = next((f, n) for f, n in zip(found, names) if f != n)
            problems.append(
                f"field names must be in upper case as the specification writes them ('{wrong[0]}' should be '{wrong[1]}')"
            )
    elif len(set(upper)) == len(upper) and set(upper) <= set(expected):
        position = {name: i for i, name in enumerate(upper)}
        layout.order = tuple(position.get(name) for name in expected)
        missing = [name for name, key in zip(names, expected) if key not in position]
        if missing:
            problems.append(f"missing {', '.join(missing)}")
        if upper != [key for key in expected if key in position]:
            problems.append("fields are out of order; columns were matched by name")
    else:
        differences = [
            f"field {i + 1} is '{_clip(name)}', expected '{wanted}'"
            for i, (name, wanted) in enumerate(zip(found, names))
            if name != wanted
        ]
        if len(found) != width:
            differences.append(f"{len(found)} names instead of {width}")
        problems.extend(differences[:5] + ([f"and {len(differences) - 5} more"] if len(differences) > 5 else []))
        layout = _Layout(width, trailing_pipe=trailing_pipe)  # fall back to the standard column order
    if problems:
        emit(
            "structure.header",
            f"line 2 must be the {width} {plan.spec.title} field names in order, ending []: " + "; ".join(problems),
            line=number,
        )
    return layout


def _strip_end(text: str) -> str:
    """Text without trailing white space or DOS end-of-file marks (Ctrl-Z)."""
    return text.rstrip().rstrip("\x1a").rstrip()


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _records(reader: LineReader, pending: list[tuple[int, str]], separators: int) -> Iterator[tuple[int, str, bool]]:
    """Yield (first line, record text without ``[]``, whether ``[]`` ended it).

    A record normally is one line ending ``[]``. A line break inside a narrative
    continues the record on the next line, as long as the joined text does not hold
    more fields than a record has; a record of all its fields without ``[]`` ends at
    its line. Blank and whitespace-only lines between records are skipped.
    """
    assembler = _Assembler(reader.emit, separators)
    for number, line in pending:
        yield from assembler.feed(number, line)
    number = reader.number
    for line in reader.raw_lines():
        number += 1
        if assembler.buffer is None and line.endswith("[]\n") and line.isascii():
            yield number, line[:-3], True
            continue
        reader.number = number
        cleaned = reader.clean(line)
        if cleaned is not None:
            yield from assembler.feed(number, cleaned)
    yield from assembler.finish()


class _Assembler:
    """Joins the physical lines of records that span lines; see ``_records``."""

    def __init__(self, emit: Emit, separators: int) -> None:
        self.emit = emit
        self.limit = separators  # the number of "|" in a whole record
        self.buffer: str | None = None
        self.start = 0
        self.pipes = 0

    def feed(self, number: int, line: str) -> list[tuple[int, str, bool]]:
        if self.buffer is not None:
            more = line.count("|")
            if self.pipes + more <= self.limit and more < self.limit:
                self.buffer = f"{self.buffer}\n{line}"
                self.pipes += more
                joined = self.buffer.rstrip()
                if not joined.endswith("[]"):
                    return []
                self.buffer = None
                self.emit(
                    "structure.line-break",
                    f"the record goes on to line {number}: a field holds a line break, and portals"
                    " read one record per line",
                    line=self.start,
                    hint="replace the line break inside the description with a space",
                )
                return [(self.start, joined[:-2], True)]
            done = [(self.start, self.buffer.rstrip(), False)]
            self.buffer = None
            return done + self.feed(number, line)
        stripped = _strip_end(line)
        if not stripped:
            return []
        if stripped.endswith("[]"):
            return [(number, stripped[:-2], True)]
        pipes = line.count("|")
        if pipes >= self.limit:
            return [(number, stripped, False)]
        self.buffer, self.start, self.pipes = line, number, pipes
        return []

    def finish(self) -> list[tuple[int, str, bool]]:
        if self.buffer is None:
            return []
        done = [(self.start, self.buffer.rstrip(), False)]
        self.buffer = None
        return done


def _map_record(
    number: int, raw: list[str], terminated: bool, layout: _Layout, emit: Emit, plan: _Plan
) -> list[str] | None:
    """Report a record's structural problems; its fields in table order, or None when it cannot be mapped."""
    if not terminated:
        emit("structure.terminator", "the record does not end with []", line=number)
    if len(raw) == layout.width + 1 and not raw[-1]:  # "…|423-987|[]": nothing is lost by dropping it
        raw.pop()
        if not layout.trailing_pipe:
            emit(
                "structure.trailing-separator",
                f"the record ends with '|[]' ({layout.width + 1} fields, expected {layout.width});"
                " it was read without the empty last field",
                line=number,
                invoice=raw[plan.invoice_number] or None,
            )
    if len(raw) != layout.width:
        emit(
            "structure.field-count",
            f"the record has {len(raw)} fields, expected {layout.width}; it was skipped"
            + (" (a '|' inside a description splits it)" if 0 < len(raw) - layout.width <= 3 else ""),
            line=number,
            invoice=(raw[plan.invoice_number] or None) if len(raw) > plan.invoice_number else None,
        )
        return None
    if layout.order is not None:
        raw = [raw[j] if j is not None else "" for j in layout.order]
    return raw


class _Column:
    """One field's checks over a column of texts, prepared once from the table."""

    def __init__(self, index: int, field: Field, invoice_level: bool) -> None:
        self.index = index
        self.field = field
        self.converted = type(field.kind) is not Text
        self.clean: dict[str, object] = {"": None}  # text -> value, for texts without problems
        self.flawed: dict[str, tuple] = {}  # text -> (value, problem, respelled)
        self.invoice_level = invoice_level
        self.required_codes = frozenset(t.value for t in field.required_for)
        self.always_required = field.required_for == frozenset(LineItemType)

    def value_of(self, text: str) -> object:
        """The value a text converts to (empty text: None)."""
        if not text:
            return None
        if not self.converted:
            return text
        value = self.clean.get(text, _MISS)
        if value is _MISS:
            value = (self.flawed.get(text) or self.field.kind.convert(text))[0]
        return value




def _scoped(spellings: dict[str, str] | None, scope: str) -> dict[str, str] | None:
    """The spellings of one record (``invoice.`` or ``line_item.``), keyed by model attribute."""
    found = {target[len(scope) :]: text for target, text in (spellings or {}).items() if target.startswith(scope)}
    return found or None


def _line_item_spellings(spellings: dict[int, dict[str, str]], count: int) -> list:
    return [_scoped(spellings.get(row), "line_item.") for row in range(count)]


_EMPTY_TO_NONE = {"": None}


class _Batch:
    """Records of whole invoices, checked column by column and turned into invoices."""

    def __init__(self, path: str | None, emit: Emit, plan: _Plan) -> None:
        self.path = path
        self.emit = emit
        self.plan = plan
        self.rows: list[list[str]] = []
        self.lines: list[int] = []
        self.starts: list[int] = []  # row index where each invoice begins
        self.finished: set[str] = set()
        self.timekeepers: dict[tuple, Timekeeper | None] = {}

    def flush(self) -> list[Invoice]:
        """Check the batch's records and build its invoices; the batch is empty afterwards."""
        rows, lines, starts = self.rows, self.lines, self.starts
        if not rows:
            return []
        count = len(rows)
        texts = list(zip(*rows))
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
        built = {
            "timekeeper": self._timekeepers(values, count),
            "location": map(Location, itertools.repeat(self.path, count), lines),
            "spellings": _line_item_spellings(spellings, count) if spellings else itertools.repeat(None, count),
        }
        items = list(
            map(
                LineItem,
                *(
                    built[column] if type(column) is str else itertools.repeat(None, count) if column is None
                    else values[column]
                    for column in self.plan.line_item_columns
                ),
            )
        )
        bounds = [*starts, count]
        invoices = [
            self._invoice(start, end, texts, values, items, spellings) for start, end in zip(bounds, bounds[1:])
        ]
        rows.clear()
        lines.clear()
        starts.clear()
        return invoices

    def _reportable(self, texts: list[tuple[str, ...]], starts: list[int], count: int) -> list[bool]:
        """Rows on which invoice-level values are checked: an invoice's first row, and rows where they change.

        A column that holds one value over an invoice (the rule) is found so with one
        count per invoice; only an invoice whose values vary is walked row by row.
        """
        flags = [False] * count
        bounds = [*starts, count]
        for start, end in zip(bounds, bounds[1:]):
            flags[start] = True
            for index in self.plan.invoice_level:
                column = texts[index][start:end]
                if column.count(column[0]) != len(column):
                    for row in range(start + 1, end):
                        if texts[index][row] != texts[index][row - 1]:
                            flags[row] = True
        return flags

    def _convert(self, column: _Column, texts: tuple[str, ...], spellings: dict[int, dict[str, str]]) -> list:
        """The column's values; its conversion and length problems reported row by row."""
        field = column.field
        if column.converted:
            values = list(map(column.clean.get, texts, itertools.repeat(_MISS, len(texts))))
            if any(map(operator.is_, values, itertools.repeat(_MISS))):  # by identity: Decimal == object() is slow
                self._convert_new(column, texts, values, range(len(texts)), spellings)
        elif "" in texts:
            values = list(map(_EMPTY_TO_NONE.get, texts, texts))
        else:
            values = texts  # type: ignore[assignment]  # read only from here on
        limit = field.max_length
        if limit and max(map(len, texts)) > limit:
            self._report_lengths(field, texts, range(len(texts)))
        return values

    def _convert_invoice_level(
        self, column: _Column, texts: tuple[str, ...], rows: list[int], spellings: dict[int, dict[str, str]]
    ) -> list:
        """Values of an invoice-level column, on the rows where they are checked (the others repeat them)."""
        values: list = [None] * len(texts)
        if column.converted:
            clean = column.clean
            for row in rows:
                values[row] = clean.get(texts[row], _MISS)
            self._convert_new(column, texts, values, rows, spellings)
        else:
            for row in rows:
                values[row] = texts[row] or None
        limit = column.field.max_length
        if limit:
            self._report_lengths(column.field, texts, rows)
        return values

    def _report_lengths(self, field: Field, texts: tuple[str, ...], rows) -> None:
        limit = field.max_length
        for row in rows:
            text = texts[row]
            if len(text) > limit:  # type: ignore[operator]
                self._report(
                    "field.length",
                    f"{field.name} is {len(text)} characters long; at most {limit} are allowed",
                    row,
                    field,
                )

    def _convert_new(
        self,
        column: _Column,
        texts: tuple[str, ...],
        values: list,
        rows,
        spellings: dict[int, dict[str, str]],
    ) -> None:
        """Convert, on the given rows, the texts the column's clean cache did not hold; report their problems."""
        field, clean, flawed = column.field, column.clean, column.flawed
        convert = field.kind.convert
        for row in rows:
            if values[row] is not _MISS:
                continue
            text = texts[row]
            value = clean.get(text, _MISS)  # an earlier row of this batch may have added it
            if value is not _MISS:
                values[row] = value
                continue
            found = flawed.get(text) or convert(text)
            value, problem, respelled = found
            if problem is None and not respelled:
                if len(clean) < _CACHE_LIMIT:
                    clean[text] = value
            elif len(flawed) < _CACHE_LIMIT:
                flawed[text] = found
            values[row] = value
            if respelled:
                spellings.setdefault(row, {})[field.target] = text
            if problem is not None:
                self._report(problem[0], problem[1], row, field)

    def _check_required(self, texts: list[tuple[str, ...]], reportable: list[bool]) -> None:
        """Report empty fields that the row's line type requires (``field.required``)."""
        types = texts[self.plan.line_type]
        rows = range(len(types))
        of_type: dict[str, list[bool]] = {}  # per line type code: which rows have it
        for column in self.plan.columns:
            if not column.required_codes:
                continue
            column_texts = texts[column.index]
            if "" not in column_texts:
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
                    self._report("field.required", _required_message(field, types[row]), row, field)

    def _timekeepers(self, values: list, count: int) -> list:
        plan = self.plan
        keys = list(zip(*(values[i] for i in plan.timekeeper)))
        cache = self.timekeepers
        found = list(map(cache.get, keys, itertools.repeat(_MISS, count)))
        for row, timekeeper in enumerate(found):
            if timekeeper is _MISS:
                key = keys[row]
                empty = not any(value is not None for value in key)
                timekeeper = None if empty else Timekeeper(**dict(zip(plan.timekeeper_attributes, key)))
                if len(cache) < _CACHE_LIMIT:
                    cache[key] = timekeeper
                found[row] = timekeeper
        return found

    def _invoice(
        self,
        start: int,
        end: int,
        texts: list[tuple[str, ...]],
        values: list,
        items: list[LineItem],
        spellings: dict[int, dict[str, str]],
    ) -> Invoice:
        """Check that the invoice's repeated values agree, group its items by matter, and build it."""
        plan, path, lines = self.plan, self.path, self.lines
        number = texts[plan.invoice_number][start]
        if number in self.finished:
            self._report(
                "invoice.non-contiguous",
                f"rows of invoice {number} start again here, after rows of other invoices;"
                " its rows must be consecutive, and these are checked as a separate invoice",
                start,
            )
        self.finished.add(number)
        for index in plan.invoice_level:
            column = texts[index][start:end]
            if column.count(column[0]) != len(column):
                self._report_differences(index, start, end, texts, values)
        matter_ids = texts[plan.matter_id][start:end]
        if matter_ids.count(matter_ids[0]) == len(matter_ids):
            groups = {matter_ids[0]: list(range(start, end))}
        else:
            groups = {}
            for row in range(start, end):
                groups.setdefault(texts[plan.matter_id][row], []).append(row)
        matters = []
        for rows in groups.values():
            first = rows[0]
            for index in plan.matter_level:
                column = texts[index]
                for row in rows[1:]:
                    if column[row] != column[first]:
                        self._report(
                            "invoice.consistent-fields",
                            f"{plan.fields[index].name} is '{_clip(column[row])}' here but '{_clip(column[first])}'"
                            f" on line {lines[first]}, for the same matter {texts[plan.matter_id][first]};"
                            " every row of a matter must repeat the same value",
                            row,
                            plan.fields[index],
                        )
            matters.append(
                Matter(
                    **self._record_values("matter", values, first),
                    line_items=tuple(items[rows[0] : rows[-1] + 1]) if len(groups) == 1 else tuple(
                        items[row] for row in rows
                    ),
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

    def _record_values(self, scope: str, values: list, row: int) -> dict[str, object]:
        return {attribute: values[column][row] for attribute, column in self.plan.scoped[scope]}

    def _address(self, scope: str, values: list, row: int) -> Address | None:
        found = self._record_values(scope, values, row)
        if not found or all(value is None for value in found.values()):
            return None
        return Address(**found)

    def _report_differences(
        self, index: int, start: int, end: int, texts: list[tuple[str, ...]], values: list
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
            self._report(
                "invoice.consistent-description" if index == self.plan.description else "invoice.consistent-fields",
                f"{field.name} is '{_clip(column[row])}' here but '{_clip(first_text)}' on line {self.lines[start]},"
                " the invoice's first row; every row of an invoice must repeat the same value",
                row,
                field,
                amount,
            )

    def _report(
        self, rule: str, message: str, row: int, field: Field | None = None, amount: Decimal | None = None
    ) -> None:
        self.emit(
            rule,
            message,
            line=self.lines[row],
            field=field.name if field else None,
            invoice=self.rows[row][self.plan.invoice_number] or None,
            amount=amount,
        )


_LINE_TYPES = {line_type.value: line_type for line_type in LineItemType}


def _required_message(field: Field, type_code: str) -> str:
    line_type = _LINE_TYPES.get(type_code)
    if line_type is not None and field.required_for != frozenset(LineItemType):
        kind = line_type.name.lower().replace("_", " ")
        return f"{field.name} is empty; it is required on {line_type.value} ({kind}) lines"
    return f"{field.name} is empty; it is required"
