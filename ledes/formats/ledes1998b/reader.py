"""Streaming LEDES 1998B reader: yields one invoice at a time and reports every problem it meets.

Implements ledes-formats.md §1: line 1 ``LEDES1998B[]``, line 2 the 24 field names,
then one line item per record ending ``[]``; invoice-level fields repeat on every row,
and the rows of one invoice are consecutive. The reader is lenient: a value that does
not convert keeps its text (``Unparsed``), a record it cannot map is reported and
skipped, and reading carries on to the end of the file.
"""

from __future__ import annotations

import operator
from decimal import Decimal
from collections.abc import Iterable, Iterator
from typing import TextIO

import attrs

from ledes.diagnostics import Emit
from ledes.formats.fields import Field, Text, cached
from ledes.formats.ledes1998b.table import FIELDS, FORMAT_LINE, HEADER
from ledes.formats.textio import physical_lines
from ledes.model import (
    Client,
    Invoice,
    LawFirm,
    LineItem,
    LineItemType,
    Location,
    Matter,
    Timekeeper,
)

WIDTH = len(FIELDS)
NAMES = tuple(field.name for field in FIELDS)
_INDEX = {field.target: index for index, field in enumerate(FIELDS)}
_INVOICE_NUMBER = _INDEX["invoice.number"]
_LINE_TYPE = _INDEX["line_item.type"]
_MATTER_ID = _INDEX["matter.law_firm_matter_id"]
_DESCRIPTION = _INDEX["invoice.description"]
_TOTAL = _INDEX["invoice.total"]
_CLIENT_MATTER_ID = _INDEX["matter.client_matter_id"]

# Invoice-level values repeat on every row and must agree (Legal Tracker error 007).
_INVOICE_LEVEL = tuple(i for i, f in enumerate(FIELDS) if f.scope in ("invoice", "client", "law_firm"))
_invoice_key = operator.itemgetter(*_INVOICE_LEVEL)
# Matter-level values other than the matter id repeat on every row of that matter.
_MATTER_LEVEL = tuple(i for i, f in enumerate(FIELDS) if f.scope == "matter" and i != _MATTER_ID)

# LineItem's leading attributes, in declaration order, taken positionally from a row.
_LINE_ITEM_ATTRIBUTES = [a.name for a in attrs.fields(LineItem)][: sum(f.scope == "line_item" for f in FIELDS)]
_line_item_values = operator.itemgetter(*(_INDEX[f"line_item.{name}"] for name in _LINE_ITEM_ATTRIBUTES))
_timekeeper_values = operator.itemgetter(
    _INDEX["timekeeper.id"], _INDEX["timekeeper.name"], _INDEX["timekeeper.classification"]
)

_CONVERTED = tuple(
    (index, field, cached(field.kind.convert))
    for index, field in enumerate(FIELDS)
    if type(field.kind) is not Text
)
_TEXT = tuple(index for index, field in enumerate(FIELDS) if type(field.kind) is Text)
_LIMITS = tuple((i, f.max_length, f) for i, f in enumerate(FIELDS) if f.max_length)
_REQUIRED = {
    line_type: tuple((i, f) for i, f in enumerate(FIELDS) if line_type in f.required_for)
    for line_type in LineItemType
}
# When the line type is unknown, only the fields every line type needs are required.
_REQUIRED_ALWAYS = tuple(
    (i, f) for i, f in enumerate(FIELDS) if f.required_for == frozenset(LineItemType)
)


def read_1998b(stream: TextIO, emit: Emit, path: str | None = None) -> Iterator[Invoice]:
    """Yield the invoices of a LEDES 1998B text stream, reporting problems through ``emit``."""
    lines = physical_lines(stream, emit)
    layout, pending = _read_preamble(lines, emit)
    if layout is None:
        return
    invoice: _InvoiceBuilder | None = None
    finished: set[str] = set()
    for number, text, terminated in _records(_chain(pending, lines)):
        parsed = _parse_record(number, text, terminated, layout, emit)
        if parsed is None:
            continue
        raw, values = parsed
        invoice_number = raw[_INVOICE_NUMBER]
        if invoice is None or invoice.number != invoice_number:
            if invoice is not None:
                finished.add(invoice.number)
                yield invoice.build()
            if invoice_number in finished:
                emit(
                    "invoice.non-contiguous",
                    f"rows of invoice {invoice_number} start again here, after rows of other invoices;"
                    " its rows must be consecutive, and these are checked as a separate invoice",
                    line=number,
                    invoice=invoice_number or None,
                )
            invoice = _InvoiceBuilder(invoice_number, number, raw, values, path)
        invoice.add(number, raw, values, emit)
    if invoice is not None:
        yield invoice.build()


def _chain(first: list[tuple[int, str]], rest: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    yield from first
    yield from rest


@attrs.define
class _Layout:
    """How the file's columns map onto the 24 fields: ``order`` is None for the standard header."""

    width: int = WIDTH
    order: tuple[int | None, ...] | None = None


# First lines of other formats: reading on as 1998B would only bury the one real problem.
_OTHER_FORMATS = (
    ("LEDES98BI", "a LEDES 1998BI file"),
    ("<?xml", "an XML file"),
    ("<ledes", "an XML file"),
    ("\x00", "a binary file"),
    ("PK\x03\x04", "a ZIP or Excel file"),
)


def _read_preamble(
    lines: Iterator[tuple[int, str]], emit: Emit
) -> tuple[_Layout | None, list[tuple[int, str]]]:
    """Check the format line and the header; return the column layout and any data line read ahead.

    The layout is None when the file is plainly another format, which is reported once.
    """
    first = next(lines, None)
    if first is None:
        emit("structure.format-line", f"the file is empty; a LEDES 1998B file starts with {FORMAT_LINE}", line=1)
        return _Layout(), []
    number, text = first
    marker = text.lstrip("\ufeff").strip()
    if marker != FORMAT_LINE:
        for start, what in _OTHER_FORMATS:
            if marker.startswith(start):
                emit(
                    "structure.format-line",
                    f"this is {what}, not LEDES 1998B (first line '{_clip(marker)}'); ledes reads LEDES 1998B",
                    line=number,
                )
                return None, []
        if _looks_like_header(marker):
            emit("structure.format-line", f"the format line {FORMAT_LINE} is missing; the file starts with the header", line=number)
            return _check_header(number, marker, emit), []
        emit(
            "structure.format-line",
            f"first line is '{_clip(marker)}'; a LEDES 1998B file starts with {FORMAT_LINE}",
            line=number,
        )
        if _looks_like_record(marker):
            emit("structure.header", "the field-name header is missing; the file starts with data", line=number)
            return _Layout(), [first]
    second = next(lines, None)
    if second is None:
        emit("structure.header", f"the header line is missing; line 2 must be the {WIDTH} field names", line=number + 1)
        return _Layout(), []
    number, text = second
    header = text.strip()
    if _looks_like_record(header) and not _looks_like_header(header):
        emit("structure.header", f"line 2 is data, not the header of {WIDTH} field names", line=number)
        return _Layout(), [second]
    return _check_header(number, header, emit), []


def _looks_like_header(text: str) -> bool:
    return text.upper().startswith("INVOICE_DATE|") or text.upper().count("LINE_ITEM_") >= 3


def _looks_like_record(text: str) -> bool:
    return text.count("|") >= WIDTH // 2 and text[:8].isdigit()


def _check_header(number: int, header: str, emit: Emit) -> _Layout:
    """Compare the header with the 24 names; map columns by name when the names are all there."""
    if header == HEADER:
        return _Layout()
    terminated = header.endswith("[]")
    body = header[:-2] if terminated else header.rstrip("|")
    found = [name.strip().removesuffix("[]") for name in body.split("|")]
    problems = []
    if not terminated:
        problems.append("it does not end with []")
    layout = _Layout(width=len(found))
    upper = [name.upper() for name in found]
    if upper == list(NAMES):
        if found != upper:
            problems.append("field names must be upper case")
    elif len(set(upper)) == len(upper) and set(upper) <= set(NAMES):
        position = {name: i for i, name in enumerate(upper)}
        layout.order = tuple(position.get(name) for name in NAMES)
        missing = [name for name in NAMES if name not in position]
        if missing:
            problems.append(f"missing {', '.join(missing)}")
        if [name for name in upper] != [name for name in NAMES if name in position]:
            problems.append("fields are out of order; columns were matched by name")
    else:
        differences = [
            f"field {i + 1} is '{_clip(name)}', expected '{expected}'"
            for i, (name, expected) in enumerate(zip(found, NAMES))
            if name != expected
        ]
        if len(found) != WIDTH:
            differences.append(f"{len(found)} names instead of {WIDTH}")
        problems.extend(differences[:5] + ([f"and {len(differences) - 5} more"] if len(differences) > 5 else []))
        layout = _Layout()  # fall back to the standard column order
    if problems:
        emit(
            "structure.header",
            f"line 2 must be the {WIDTH} LEDES 1998B field names in order, ending []: " + "; ".join(problems),
            line=number,
        )
    return layout


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _records(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str, bool]]:
    """Yield (first line, record text without ``[]``, whether ``[]`` ended it).

    A record normally is one line ending ``[]``. A line break inside a narrative
    continues the record on the next line, as long as the joined text does not hold
    more fields than a record has; a record of all its fields without ``[]`` ends at
    its line. Blank and whitespace-only lines between records are skipped.
    """
    limit = WIDTH - 1
    buffer: str | None = None
    start = 0
    pipes = 0
    for number, line in lines:
        if buffer is None:
            if line.endswith("[]"):
                yield number, line[:-2], True
                continue
            stripped = line.rstrip()
            if not stripped:
                continue
            if stripped.endswith("[]"):
                yield number, stripped[:-2], True
                continue
            pipes = line.count("|")
            if pipes >= limit:
                yield number, stripped, False
                continue
            buffer, start = line, number
            continue
        more = line.count("|")
        if pipes + more > limit:
            yield start, buffer.rstrip(), False
            buffer = None
            stripped = line.rstrip()
            if not stripped:
                continue
            if stripped.endswith("[]"):
                yield number, stripped[:-2], True
            elif more >= limit:
                yield number, stripped, False
            else:
                buffer, start, pipes = line, number, more
            continue
        buffer = f"{buffer}\n{line}"
        pipes += more
        stripped = buffer.rstrip()
        if stripped.endswith("[]"):
            yield start, stripped[:-2], True
            buffer = None
    if buffer is not None:
        yield start, buffer.rstrip(), False


def _parse_record(
    number: int, text: str, terminated: bool, layout: _Layout, emit: Emit
) -> tuple[list[str], list] | None:
    """Split and convert one record; report its problems; None when it cannot be mapped.

    Returns the field texts and the converted values. Valid numbers whose text differs
    from their canonical rendering (``1250.``) are appended to the values after the
    24 fields as (model path, text) pairs, for ``spellings``.
    """
    raw = text.split("|")
    if not terminated:
        emit("structure.terminator", "the record does not end with []", line=number)
    if len(raw) != layout.width:
        emit(
            "structure.field-count",
            f"the record has {len(raw)} fields, expected {layout.width}; it was skipped"
            + (" (a '|' inside a description splits it)" if 0 < len(raw) - layout.width <= 3 else ""),
            line=number,
            invoice=(raw[_INVOICE_NUMBER] or None) if len(raw) > _INVOICE_NUMBER else None,
        )
        return None
    if layout.order is not None:
        raw = [raw[j] if j is not None else "" for j in layout.order]
    values: list = raw[:]
    invoice_number = raw[_INVOICE_NUMBER] or None
    for index, field, convert in _CONVERTED:
        text_value = raw[index]
        if text_value:
            value, problem, respelled = convert(text_value)
            values[index] = value
            if problem is not None:
                emit(problem[0], problem[1], line=number, field=field.name, invoice=invoice_number)
            if respelled:
                values.append((field.target, text_value))
        else:
            values[index] = None
    for index in _TEXT:
        if not raw[index]:
            values[index] = None
    for index, limit, field in _LIMITS:
        if len(raw[index]) > limit:
            emit(
                "field.length",
                f"{field.name} is {len(raw[index])} characters long; at most {limit} are allowed",
                line=number,
                field=field.name,
                invoice=invoice_number,
            )
    line_type = values[_LINE_TYPE]
    required = _REQUIRED.get(line_type, _REQUIRED_ALWAYS)
    for index, field in required:
        if not raw[index]:
            emit(
                "field.required",
                _required_message(field, line_type),
                line=number,
                field=field.name,
                invoice=invoice_number,
            )
    return raw, values


def _required_message(field: Field, line_type: object) -> str:
    if isinstance(line_type, LineItemType) and field.required_for != frozenset(LineItemType):
        return f"{field.name} is empty; it is required on {line_type.value} ({line_type.name.lower().replace('_', ' ')}) lines"
    return f"{field.name} is empty; it is required"


class _InvoiceBuilder:
    """Collects the rows of one invoice and checks that its repeated values agree."""

    def __init__(self, number: str, line: int, raw: list[str], values: list, path: str | None) -> None:
        self.number = number
        self.line = line
        self.path = path
        self.first_raw = raw
        self.first = values
        self.key = _invoice_key(raw)
        self.matters: dict[str | None, _MatterRows] = {}
        self.timekeepers: dict[tuple, Timekeeper | None] = {}

    def add(self, line: int, raw: list[str], values: list, emit: Emit) -> None:
        if _invoice_key(raw) != self.key:
            self._report_differences(line, raw, values, emit)
        matter_id = values[_MATTER_ID]
        matter = self.matters.get(matter_id)
        if matter is None:
            matter = self.matters[matter_id] = _MatterRows(line, raw)
        else:
            for i in _MATTER_LEVEL:
                if raw[i] != matter.first_raw[i]:
                    emit(
                        "invoice.consistent-fields",
                        f"{FIELDS[i].name} is '{raw[i]}' here but '{matter.first_raw[i]}' on line {matter.line},"
                        f" for the same matter {matter_id}; every row of a matter must repeat the same value",
                        line=line,
                        field=FIELDS[i].name,
                        invoice=self.number or None,
                    )
        matter.items.append(self._line_item(line, values))

    def _report_differences(self, line: int, raw: list[str], values: list, emit: Emit) -> None:
        for i in _INVOICE_LEVEL:
            if raw[i] == self.first_raw[i] or values[i] == self.first[i]:
                continue
            amount = None
            if isinstance(values[i], Decimal) and isinstance(self.first[i], Decimal):
                amount = abs(values[i] - self.first[i])
            emit(
                "invoice.consistent-description" if i == _DESCRIPTION else "invoice.consistent-fields",
                f"{FIELDS[i].name} is '{_clip(raw[i])}' here but '{_clip(self.first_raw[i])}' on line {self.line},"
                " the invoice's first row; every row of an invoice must repeat the same value",
                line=line,
                field=FIELDS[i].name,
                invoice=self.number or None,
                amount=amount,
            )

    def _line_item(self, line: int, values: list) -> LineItem:
        key = _timekeeper_values(values)
        timekeeper = self.timekeepers.get(key, _MISSING)
        if timekeeper is _MISSING:
            timekeeper = None if key == (None, None, None) else Timekeeper(*key)
            self.timekeepers[key] = timekeeper
        return LineItem(
            *_line_item_values(values),
            timekeeper=timekeeper,
            location=Location(self.path, line),
            spellings=_spellings(values, "line_item.") if len(values) > WIDTH else None,
        )

    def build(self) -> Invoice:
        first = self.first
        matters = tuple(
            Matter(
                law_firm_matter_id=matter_id,
                client_matter_id=rows.first_raw[_CLIENT_MATTER_ID] or None,
                line_items=tuple(rows.items),
                location=Location(self.path, rows.line),
            )
            for matter_id, rows in self.matters.items()
        )
        return Invoice(
            number=first[_INVOICE_NUMBER],
            date=first[_INDEX["invoice.date"]],
            client=Client(first[_INDEX["client.id"]]),
            law_firm=LawFirm(first[_INDEX["law_firm.id"]]),
            total=first[_TOTAL],
            billing_start=first[_INDEX["invoice.billing_start"]],
            billing_end=first[_INDEX["invoice.billing_end"]],
            description=first[_DESCRIPTION],
            matters=matters,
            location=Location(self.path, self.line),
            spellings=_spellings(first, "invoice.") if len(first) > WIDTH else None,
        )


def _spellings(values: list, scope: str) -> dict[str, str] | None:
    found = {target[len(scope):]: text for target, text in values[WIDTH:] if target.startswith(scope)}
    return found or None


class _MatterRows:
    __slots__ = ("line", "first_raw", "items")

    def __init__(self, line: int, first_raw: list[str]) -> None:
        self.line = line
        self.first_raw = first_raw
        self.items: list[LineItem] = []


_MISSING = object()
