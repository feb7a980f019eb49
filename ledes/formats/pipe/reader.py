"""Streaming reader for the pipe-delimited LEDES formats: one invoice at a time, every problem reported.

Implements the LEDES 1998B and LEDES 1998BI specifications (ledes.org): line 1 the format
line, line 2 the field names, then one line item per record ending ``[]``; invoice-level
fields repeat on every row, and the rows of one invoice are consecutive. The reader is
lenient: a value that does not convert keeps its text (``Unparsed``), a record it cannot
map is reported and skipped, and reading carries on to the end of the file.

Records are read in batches of whole invoices and checked column by column, driven by
the format's field table: each field's conversion, length and required checks run over
the batch's column at once, and only a column with a problem is walked row by row. That
keeps the per-record work small; memory stays bounded by the batch size and the
largest invoice.

The parts live in their own modules: ``preamble`` (format line and header), ``records``
(physical lines to records), ``batch`` (column checks) and ``assembly`` (building invoices).
"""

from __future__ import annotations

import functools
import gc
import itertools
import operator
from collections.abc import Callable, Iterator, Sequence
from typing import TextIO

import attrs

from ledes.diagnostics import Emit, Named
from ledes.formats.pipe.assembly import InvoiceBuilder
from ledes.formats.pipe.batch import Batch, Column
from ledes.formats.pipe.preamble import OTHER_FORMATS, Layout, read_preamble
from ledes.formats.pipe.records import record_blocks
from ledes.formats.pipe.spec import PipeFormat
from ledes.formats.textio import LineReader
from ledes.model import Invoice, LineItem
from ledes.rules import structure as structure_rules
from ledes.rules.runstore import SpillingMap

_INVOICE_SCOPES = ("invoice", "client", "law_firm", "client_address", "law_firm_address")
_LINE_ITEM_ATTRIBUTES = tuple(a.name for a in attrs.fields(LineItem))
_BUILT_BY_READER = ("timekeeper", "location", "spellings")


class Plan:
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
        columns = [
            name if name in _BUILT_BY_READER else index.get(f"line_item.{name}") for name in _LINE_ITEM_ATTRIBUTES
        ]
        while columns and columns[-1] is None:  # trailing attributes the table lacks keep their defaults
            columns.pop()
        self.line_item_columns = tuple(columns)
        names = {field.name: i for i, field in enumerate(fields)}
        self.columns = tuple(Column(i, field, i in self.invoice_level, tuple(names[name] for name in field.required_with))
                             for i, field in enumerate(fields))
        self.others = tuple((pattern, what) for pattern, what in OTHER_FORMATS if not pattern.match(spec.format_line))
        # (attribute, column) of the fields of each scope, for building the invoice-level records.
        self.scoped = {
            scope: tuple((f.attribute, i) for i, f in enumerate(fields) if f.scope == scope)
            for scope in (*_INVOICE_SCOPES, "matter")
        }


@functools.cache
def _plan(spec: PipeFormat) -> Plan:
    return Plan(spec)


# Records checked together; a batch always ends at an invoice boundary. Small enough that a
# batch's texts stay in the processor's cache while its columns are checked and its invoices
# built: at 2,048 rows, 100k lines took a third more time.
_BATCH_ROWS = 512


@attrs.frozen
class Resume:
    """Where a reader of a file's second half starts: after ``lines_before`` lines, with the header's ``layout``.

    The stream starts at a record that begins an invoice (``ledes.halves``); an invoice
    number that may also be in the first half is reported as ``unsure`` instead of
    ``invoice.non-contiguous``, for the reader of the first half to decide.
    """

    layout: Layout
    lines_before: int
    unsure: Named


# Told, after each batch's invoices are handed on, the line of the record that starts the next invoice and the invoice
# numbers read so far; True stops the reading there (``ledes.halves``: the rest is another process's).
Pause = Callable[[int, SpillingMap[str]], bool]


def read_pipe(
    spec: PipeFormat,
    stream: TextIO,
    emit: Emit,
    path: str | None = None,
    *,
    resume: Resume | None = None,
    pause: Pause | None = None,
) -> Iterator[Invoice]:
    """Yield the invoices of a pipe-delimited LEDES text stream, reporting problems through ``emit``.

    ``resume`` reads a stream that starts after the header (see ``Resume``); ``pause`` is
    asked at each batch's end whether to stop there (see ``Pause``).
    """
    plan = _plan(spec)
    reader = LineReader(stream, emit)
    if resume is None:
        layout, pending = read_preamble(iter(reader), emit, plan)
        if layout is None:
            return
    else:
        layout, pending, reader.number = resume.layout, [], resume.lines_before
    batch = Batch(emit, plan)
    builder = InvoiceBuilder(path, batch)
    if resume is not None:
        builder.unsure = resume.unsure
    invoice_number_of = operator.itemgetter(plan.invoice_number)
    header_number = plan.names[plan.invoice_number]  # a repeated header's "invoice number": never a real one
    rows, lines = batch.rows, batch.lines
    previous_invoice = None
    # The records hold no reference cycles, so the cyclic garbage collector only slows
    # the building of a batch (by a third): it is paused while this generator runs and
    # resumed whenever it hands invoices to its caller.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for numbers, block in record_blocks(reader, pending, layout, plan):
            end = 0
            for invoice_number, same in itertools.groupby(map(invoice_number_of, block)):
                start, end = end, end + len(list(same))
                if invoice_number == header_number and _repeated_header(block, numbers, start, end, plan, emit):
                    continue
                if invoice_number != previous_invoice:
                    if len(rows) >= _BATCH_ROWS:
                        invoices = _flush(batch, builder)
                        if collecting:
                            gc.enable()
                        yield from invoices
                        gc.disable()
                        if pause is not None and pause(numbers[start], builder.finished):
                            return
                    batch.starts.append(len(rows))
                    previous_invoice = invoice_number
                rows.extend(block[start:end])
                lines.extend(numbers[start:end])
        invoices = _flush(batch, builder)
    finally:
        if collecting:
            gc.enable()
    yield from invoices


def _repeated_header(block: list[list[str]], numbers: Sequence[int], start: int, end: int, plan: Plan,
                     emit: Emit) -> bool:
    """Whether the records ``start``…``end`` of a block are the header given again (two files joined into one), each
    reported; such a record is skipped, not read as an invoice numbered INVOICE_NUMBER."""
    names = list(plan.names)
    if any(block[row] != names for row in range(start, end)):
        return False
    for row in range(start, end):
        emit(structure_rules.HEADER, "the header is given again here: two files joined into one? It was skipped, and"
             " what follows read as this file's records", line=numbers[row])
    return True


def _flush(batch: Batch, builder: InvoiceBuilder) -> list[Invoice]:
    """Check the batch's records and build its invoices; the batch is empty afterwards."""
    if not batch.rows:
        return []
    texts, values, spellings = batch.convert()
    invoices = builder.build(len(batch.rows), batch.starts, texts, values, spellings)
    batch.clear()
    return invoices
