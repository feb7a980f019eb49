"""LEDES 1998B writer: canonical output driven by the same field table as the reader.

Canonical means: the format line, the 24-name header, one record per line item ending
``[]`` and a line break, matters in order and line items in order within each matter,
dates ``YYYYMMDD``, amounts as the source spelled them where that spelling was valid
(``spellings``) and otherwise as their Decimal (two decimals for money the caller
computed and quantized). Nothing is dropped: a value that cannot be written (a ``|``
or a line break inside it) stops the writer with an error naming the line and field.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from ledes.errors import LedesWriteError
from ledes.formats.ledes1998b.table import FIELDS, FORMAT_LINE, HEADER
from ledes.model import Invoice, LineItem, Matter

def write_1998b(invoices: Iterable[Invoice], out: TextIO, newline: str = "\n") -> None:
    """Write ``invoices`` to ``out`` as LEDES 1998B."""
    for record in records_1998b(invoices):
        out.write(record)
        out.write(newline)


def dumps_1998b(invoices: Iterable[Invoice], newline: str = "\n") -> str:
    """The LEDES 1998B text of ``invoices``."""
    return "".join(record + newline for record in records_1998b(invoices))


def records_1998b(invoices: Iterable[Invoice]) -> Iterator[str]:
    """The format line, the header, then one record per line item, each ending ``[]``."""
    yield FORMAT_LINE
    yield HEADER
    for invoice in invoices:
        for matter in invoice.matters:
            for item in matter.line_items:
                yield "|".join(_row(invoice, matter, item)) + "[]"


# Per field: which record holds the value (0 invoice, 1 client, 2 law firm, 3 matter,
# 4 line item, 5 timekeeper), the attribute, and how the field's kind renders it.
_SCOPES = ("invoice", "client", "law_firm", "matter", "line_item", "timekeeper")
_COLUMNS = tuple((_SCOPES.index(f.scope), f.attribute, f.kind.render, f) for f in FIELDS)


def _row(invoice: Invoice, matter: Matter, item: LineItem) -> list[str]:
    records = (invoice, invoice.client, invoice.law_firm, matter, item, item.timekeeper)
    texts = []
    for scope, attribute, render, field in _COLUMNS:
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
                f" {_which(text)}, which LEDES 1998B cannot hold; remove it before writing"
            )
        texts.append(text)
    return texts


def _same_value(field, spelling: str, value: object) -> bool:
    """A kept spelling is used only while it still spells the model's value."""
    converted, _, _ = field.kind.convert(spelling)
    return converted == value and type(converted) is type(value)


def _which(text: str) -> str:
    if "|" in text:
        return "a '|'"
    return "a line break"
