"""Writer for the pipe-delimited LEDES formats: canonical output driven by the same field table as the reader.

Canonical means: the format line, the header of field names, one record per line item
ending ``[]`` and a line break, matters in order and line items in order within each
matter, dates ``YYYYMMDD``, amounts as the source spelled them where that spelling was
valid (``spellings``) and otherwise as their Decimal (two decimals for money the caller
computed and quantized). Nothing is dropped: a value that cannot be written (a ``|``
or a line break inside it) stops the writer with an error naming the line and field.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import TextIO

from ledes.errors import LedesWriteError
from ledes.formats.fields import Field
from ledes.formats.pipe.spec import PipeFormat
from ledes.model import Invoice, LineItem

# Which record holds each scope's values, by position in the tuple _records() builds.
_SCOPES = ("invoice", "client", "law_firm", "client_address", "law_firm_address", "matter", "line_item", "timekeeper")


def write_pipe(spec: PipeFormat, invoices: Iterable[Invoice], out: TextIO, newline: str = "\n") -> None:
    """Write ``invoices`` to ``out`` in the pipe-delimited format ``spec``."""
    for record in pipe_records(spec, invoices):
        out.write(record)
        out.write(newline)


def pipe_records(spec: PipeFormat, invoices: Iterable[Invoice]) -> Iterator[str]:
    """The format line, the header, then one record per line item, each ending ``[]``."""
    columns = _columns(spec)
    yield spec.format_line
    yield spec.header
    for invoice in invoices:
        client, law_firm = invoice.client, invoice.law_firm
        for matter in invoice.matters:
            for item in matter.line_items:
                records = (
                    invoice, client, law_firm, client.address, law_firm.address, matter, item, item.timekeeper,
                )
                yield "|".join(_row(columns, records, invoice, item)) + "[]"


@functools.cache
def _columns(spec: PipeFormat) -> tuple[tuple[int, str, object, Field], ...]:
    """Per field: the position of its record, its attribute, how its kind renders, the field."""
    return tuple((_SCOPES.index(f.scope), f.attribute, f.kind.render, f) for f in spec.fields)


def _row(columns, records: tuple, invoice: Invoice, item: LineItem) -> list[str]:
    texts = []
    for scope, attribute, render, field in columns:
        record = records[scope]
        if record is None:
            texts.append("")
            continue
        value = getattr(record, attribute)
        spellings = getattr(record, "spellings", None)
        spelling = spellings.get(attribute) if spellings else None
        text = spelling if spelling is not None and _same_value(field, spelling, value) else render(value)
        if "|" in text or "\n" in text or "\r" in text:
            raise LedesWriteError(
                f"invoice {invoice.number}, line item {item.number}: {field.name} contains"
                f" {_which(text)}, which LEDES cannot hold; remove it before writing"
            )
        texts.append(text)
    return texts


def _same_value(field: Field, spelling: str, value: object) -> bool:
    """A kept spelling is used only while it still spells the model's value."""
    converted, _, _ = field.kind.convert(spelling)
    return converted == value and type(converted) is type(value)


def _which(text: str) -> str:
    if "|" in text:
        return "a '|'"
    return "a line break"


__all__ = ["pipe_records", "write_pipe"]
