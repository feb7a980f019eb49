"""Writer for the pipe-delimited LEDES formats: canonical output driven by the same field table as the reader.

Canonical means: the format line, the header of field names, one record per line item
ending ``[]`` and a line break, matters in order and line items in order within each
matter, dates ``YYYYMMDD``, amounts as the source spelled them where that spelling was
valid (``spellings``) and otherwise as their Decimal (two decimals for money the caller
computed and quantized). Nothing is dropped: a value that cannot be written (a ``|``
or a line break inside it) stops the writer with an error naming the line and field.

Each record's values are rendered once where they live: an invoice's fields once per
invoice, a matter's once per matter, a timekeeper's once per timekeeper of the matter,
and only the line item's own fields on every row. A record is checked whole: a stray
``|`` shows as one separator too many, a line break as itself.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from ledes.errors import LedesWriteError
from ledes.formats.fields import Field
from ledes.formats.pipe.spec import PipeFormat
from ledes.model import Invoice, LineItem

# The records a row's values come from, in the order their texts are laid end to end before reordering.
_SCOPES = ("invoice", "client", "law_firm", "client_address", "law_firm_address", "matter", "line_item", "timekeeper")
_INVOICE_SCOPES = _SCOPES[:5]

Column = tuple[str, Callable[[Any], str], Field]  # attribute, how its kind renders, the field
_MEMO_LIMIT = 4096  # rendered values a column remembers; then it starts again


def write_pipe(spec: PipeFormat, invoices: Iterable[Invoice], out: TextIO, newline: str = "\n") -> None:
    """Write ``invoices`` to ``out`` in the pipe-delimited format ``spec``."""
    write = out.write
    for record in pipe_records(spec, invoices):
        write(record + newline)


class _Scope:
    """The columns one record (the invoice, a matter, a line item, ...) fills, and how to read them all at once."""

    def __init__(self, columns: tuple[Column, ...]) -> None:
        self.columns = columns
        self.renders = tuple(render for _, render, _ in columns)
        self.blank = ("",) * len(columns)
        # Per column, values already rendered, by identity: a file's dates and amounts are mostly shared objects
        # (the readers and the import keep one per distinct text). Each entry keeps its value, so no id is reused.
        self.memos: tuple[dict[int, tuple[object, str]], ...] = tuple({} for _ in columns)
        attributes = [attribute for attribute, _, _ in columns]
        getter = operator.attrgetter(*attributes) if attributes else None
        if len(attributes) == 1:
            self.values: Callable[[object], tuple] = lambda record: (getter(record),)  # type: ignore[misc]
        elif getter is not None:
            self.values = getter
        else:
            self.values = lambda record: ()

    def texts(self, record: object) -> tuple[str, ...]:
        """The record's values as the format writes them: a valid kept spelling, otherwise the rendered value."""
        if record is None:
            return self.blank
        values = self.values(record)
        spellings = getattr(record, "spellings", None)
        if not spellings:
            texts = []
            for render, memo, value in zip(self.renders, self.memos, values, strict=True):
                if type(value) is str:  # every kind writes a str as it is, and None as nothing
                    texts.append(value)
                elif value is None:
                    texts.append("")
                else:
                    known = memo.get(id(value))
                    if known is None or known[0] is not value:
                        if len(memo) >= _MEMO_LIMIT:
                            memo.clear()
                        known = memo[id(value)] = (value, render(value))
                    texts.append(known[1])
            return tuple(texts)
        texts = []
        for (attribute, render, field), value in zip(self.columns, values, strict=True):
            spelling = spellings.get(attribute)
            texts.append(spelling if spelling is not None and _same_value(field, spelling, value) else render(value))
        return tuple(texts)


class _Plan:
    """A format's field table arranged for writing: the columns of each scope, and the order that lays them out."""

    def __init__(self, spec: PipeFormat) -> None:
        fields = spec.fields
        self.fields = fields
        self.separators = len(fields) - 1
        by_scope = {scope: [(i, f) for i, f in enumerate(fields) if f.scope == scope] for scope in _SCOPES}
        self.scopes = {scope: _Scope(tuple((f.attribute, f.kind.render, f) for _, f in found))
                       for scope, found in by_scope.items()}
        laid_out = [i for scope in _SCOPES for i, _ in by_scope[scope]]  # field positions, scope after scope
        self.ordered = operator.itemgetter(*(laid_out.index(position) for position in range(len(fields))))


_PLANS: dict[int, tuple[PipeFormat, _Plan]] = {}


def _plan(spec: PipeFormat) -> _Plan:
    """The format's plan, made once: found by the format's identity (hashing a format hashes its whole field table,
    a cost paid on every call when an import writes invoice by invoice); the format is kept, so its id is not reused."""
    found = _PLANS.get(id(spec))
    if found is None or found[0] is not spec:
        found = _PLANS[id(spec)] = (spec, _Plan(spec))
    return found[1]


def pipe_records(spec: PipeFormat, invoices: Iterable[Invoice]) -> Iterator[str]:
    """The format line, the header, then one record per line item, each ending ``[]``."""
    plan = _plan(spec)
    scopes = plan.scopes
    invoice_scopes = [scopes[scope] for scope in _INVOICE_SCOPES]
    matter_scope, item_texts, keeper_scope = scopes["matter"], scopes["line_item"].texts, scopes["timekeeper"]
    ordered, separators = plan.ordered, plan.separators
    yield spec.format_line
    yield spec.header
    for invoice in invoices:
        client, law_firm = invoice.client, invoice.law_firm
        records = (invoice, client, law_firm, client.address, law_firm.address)
        invoice_texts: tuple[str, ...] = ()
        for scope, record in zip(invoice_scopes, records, strict=True):
            invoice_texts += scope.texts(record)
        for matter in invoice.matters:
            leading = invoice_texts + matter_scope.texts(matter)
            keepers: dict[int, tuple[str, ...]] = {id(None): keeper_scope.blank}
            for item in matter.line_items:
                keeper = item.timekeeper
                keeper_texts = keepers.get(id(keeper))
                if keeper_texts is None:
                    keeper_texts = keepers[id(keeper)] = keeper_scope.texts(keeper)
                line = "|".join(ordered(leading + item_texts(item) + keeper_texts))
                if line.count("|") != separators or "\n" in line or "\r" in line:
                    _unwritable(plan, (*records, matter, item, keeper), invoice, item)
                yield line + "[]"


def _unwritable(plan: _Plan, records: tuple, invoice: Invoice, item: LineItem) -> None:
    """Raise the error for the record's first value, in field order, that holds a ``|`` or a line break."""
    texts = plan.ordered(tuple(text for scope, record in zip(_SCOPES, records, strict=True)
                               for text in plan.scopes[scope].texts(record)))
    for field, text in zip(plan.fields, texts, strict=True):
        if "|" in text or "\n" in text or "\r" in text:
            raise LedesWriteError(
                f"invoice {invoice.number}, line item {item.number}: {field.name} contains"
                f" {_which(text)}, which LEDES cannot hold; remove it before writing"
            )


def _same_value(field: Field, spelling: str, value: object) -> bool:
    """A kept spelling is used only while it still spells the model's value."""
    converted, _, _ = field.kind.convert(spelling)
    return converted == value and type(converted) is type(value)


def _which(text: str) -> str:
    if "|" in text:
        return "a '|'"
    return "a line break"


__all__ = ["pipe_records", "write_pipe"]
