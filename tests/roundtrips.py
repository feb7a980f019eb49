"""Helpers for the round-trip tests across formats: write then read in one format, and what XML does to names."""

from __future__ import annotations

import io

import attrs

from ledes.conversion import split_name
from ledes.diagnostics import DiagnosticSink, Severity
from ledes.engine import Config
from ledes.formats import format_named
from ledes.model import Invoice


def round_trip(key: str, invoices: list[Invoice]) -> list[Invoice]:
    """parse(write(invoices)) in format ``key`` (through text for the pipe formats, bytes for XML); no XML error on reading."""
    file_format = format_named(key)
    out = io.StringIO()
    file_format.write(invoices, out)
    text = out.getvalue()
    stream = io.BytesIO(text.encode("utf-8")) if file_format.binary else io.StringIO(text)
    sink = DiagnosticSink(None, Config().level_of, file_format.field_names)
    read = list(file_format.read(stream, sink.emit, None))
    assert [d for d in sink.diagnostics if d.severity is Severity.ERROR and d.rule.startswith("xml")] == []
    return read


def with_split_names(invoice: Invoice) -> Invoice:
    """The invoice with each named timekeeper's last and first names split from "Last, First", as XML holds them."""
    def split(item):
        keeper = item.timekeeper
        if keeper is None or keeper.name is None:
            return item
        last, first = split_name(keeper.name)
        return attrs.evolve(item, timekeeper=attrs.evolve(keeper, last_name=last, first_name=first))

    return attrs.evolve(invoice, matters=tuple(
        attrs.evolve(matter, line_items=tuple(map(split, matter.line_items))) for matter in invoice.matters))
