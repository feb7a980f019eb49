"""Writer for the pipe-delimited LEDES formats: canonical output driven by the same field table as the reader.

Canonical means: the format line, the header of field names, one record per line item
ending ``[]`` and a line break, matters in order and line items in order within each
matter, dates ``YYYYMMDD``, amounts as the source spelled them where that spelling was
valid (``spellings``) and otherwise as their Decimal (two decimals for money the caller
computed and quantized). Nothing is dropped: a value that cannot be written (a ``|``
or a line break inside it) stops the writer with an error naming the line and field.

Each record's values are rendered once where they live: an invoice's fields once per
invoice, a matter's once per matter, a timekeeper's once (remembered for the next matters).
A matter's line items are rendered a column at a time (each distinct object once), its
records joined and checked as one block: a stray ``|`` shows as one separator too many,
a line break as itself; the records before a bad one are still handed on, then its error.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import repeat
from typing import Any, TextIO

from ledes.errors import LedesWriteError
from ledes.formats.fields import Field, Text
from ledes.formats.pipe.spec import PipeFormat
from ledes.model import Invoice, LineItem

# The records a row's values come from, in the order their texts are laid end to end before reordering.
_SCOPES = ("invoice", "client", "law_firm", "client_address", "law_firm_address", "matter", "line_item", "timekeeper")
_INVOICE_SCOPES = _SCOPES[:5]
_LEADING_SCOPES = _SCOPES[:6]  # one value per matter: the same on each of its records

Column = tuple[str, Callable[[Any], str], Field]  # attribute, how its kind renders, the field
_MEMO_LIMIT = 4096  # rendered values a column remembers; then it starts again
_STR, _STR_OR_NONE = {str}, {str, type(None)}
_timekeeper_of = operator.attrgetter("timekeeper")


def write_pipe(spec: PipeFormat, invoices: Iterable[Invoice], out: TextIO, newline: str = "\n") -> None:
    """Write ``invoices`` to ``out`` in the pipe-delimited format ``spec``."""
    write = out.write
    write(spec.format_line + newline + spec.header + newline)
    for block in _blocks(spec, invoices, newline):
        write(block)


class _Scope:
    """The columns one record (the invoice, a matter, a line item, ...) fills, and how to read them all at once."""

    def __init__(self, columns: tuple[Column, ...]) -> None:
        self.columns = columns
        self.renders = tuple(render for _, render, _ in columns)
        self.blank = ("",) * len(columns)
        # Text kinds write a str as it is (and None as nothing): a column of them needs no rendering.
        self.plain = tuple(getattr(type(field.kind), "render", None) is Text.render for _, _, field in columns)
        # Per column, values already rendered, by identity: a file's dates and amounts are mostly shared objects
        # (the readers and the import keep one per distinct text). Each value is kept, so no id is reused meanwhile.
        self.memos: tuple[dict[int, str], ...] = tuple({} for _ in columns)
        self.kept: tuple[list[object], ...] = tuple([] for _ in columns)
        self.records: dict[int, tuple[object, tuple[str, ...]]] = {}  # ``shared_texts``: by the record's identity
        for index in range(len(columns)):
            self._forget(index)
        attributes = [attribute for attribute, _, _ in columns]
        getter = operator.attrgetter(*attributes) if attributes else None
        if len(attributes) == 1:
            self.values: Callable[[object], tuple] = lambda record: (getter(record),)  # type: ignore[misc]
        elif getter is not None:
            self.values = getter
        else:
            self.values = lambda record: ()

    def _forget(self, index: int) -> None:
        """Start the column's memory again: None alone, as nothing."""
        self.memos[index].clear()
        self.kept[index].clear()
        self.memos[index][id(None)] = ""
        self.kept[index].append(None)

    def _text(self, index: int, value: object) -> str:
        """One value of the column as the format writes it, remembered by identity."""
        memo = self.memos[index]
        text = memo.get(id(value))
        if text is None:
            if type(value) is str:  # every kind writes a str as it is
                return value
            if len(memo) >= _MEMO_LIMIT:
                self._forget(index)
            text = memo[id(value)] = self.renders[index](value)
            self.kept[index].append(value)
        return text

    def shared_texts(self, record: object) -> tuple[str, ...]:
        """``texts`` of a record that many are likely to share (a firm's timekeeper, on every matter it works on),
        remembered by identity: the record is kept with its texts (it is frozen), so no id is reused meanwhile."""
        found = self.records.get(id(record))
        if found is None:
            if len(self.records) >= _MEMO_LIMIT:
                self.records.clear()
            found = self.records[id(record)] = (record, self.texts(record))
        return found[1]

    def texts(self, record: object) -> tuple[str, ...]:
        """The record's values as the format writes them: a valid kept spelling, otherwise the rendered value."""
        if record is None:
            return self.blank
        values = self.values(record)
        spellings = getattr(record, "spellings", None)
        if not spellings:
            return tuple(map(self._text, range(len(values)), values))
        texts = []
        for (attribute, render, field), value in zip(self.columns, values, strict=True):
            spelling = spellings.get(attribute)
            texts.append(spelling if spelling is not None and _same_value(field, spelling, value) else render(value))
        return tuple(texts)

    def column_texts(self, records: Sequence[object]) -> list[Sequence[str]]:
        """The texts of ``records`` (none of them None), column by column, as ``texts`` gives them record by record."""
        if any(map(getattr, records, repeat("spellings"), repeat(None))):
            return list(zip(*map(self.texts, records), strict=True)) or [() for _ in self.columns]
        return [self._column_texts(index, column)
                for index, column in enumerate(zip(*map(self.values, records), strict=True))]

    def _column_texts(self, index: int, column: tuple) -> Sequence[str]:
        if self.plain[index]:
            kinds = set(map(type, column))
            if kinds == _STR:
                return column
            if kinds <= _STR_OR_NONE:
                return ["" if value is None else value for value in column]
        found = list(map(self.memos[index].get, map(id, column)))
        if None in found:  # values not rendered yet
            text_of = self._text
            for position, text in enumerate(found):
                if text is None:
                    found[position] = text_of(index, column[position])
        return found  # type: ignore[return-value]  # each None replaced


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
        positions = [laid_out.index(position) for position in range(len(fields))]
        self.ordered = operator.itemgetter(*positions)
        # A record's pieces in field order: each run of a matter's values (one text per matter, its values joined),
        # and each line item's or timekeeper's column (by its place among the line item's and the timekeeper's).
        leading = sum(len(by_scope[scope]) for scope in _LEADING_SCOPES)
        self.pieces: list[tuple[int, ...] | int] = []
        run: list[int] = []
        for position in [*positions, None]:
            if position is not None and position < leading:
                run.append(position)
                continue
            if run:
                self.pieces.append(tuple(run))
                run = []
            if position is not None:
                self.pieces.append(position - leading)


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
    yield spec.format_line
    yield spec.header
    for block in _blocks(spec, invoices, "\n"):
        yield from block.split("\n")[:-1]


def _blocks(spec: PipeFormat, invoices: Iterable[Invoice], newline: str) -> Iterator[str]:
    """Each matter's records, each ending ``[]`` and ``newline``, as one text; at a record that cannot be written,
    the records before it, then its error."""
    plan = _plan(spec)
    scopes = plan.scopes
    invoice_scopes = [scopes[scope] for scope in _INVOICE_SCOPES]
    matter_scope, separators = scopes["matter"], plan.separators
    end = "[]" + newline
    per_record = (separators + newline.count("|"), newline.count("\n"), newline.count("\r"))
    for invoice in invoices:
        client, law_firm = invoice.client, invoice.law_firm
        records = (invoice, client, law_firm, client.address, law_firm.address)
        invoice_texts: tuple[str, ...] = ()
        for scope, record in zip(invoice_scopes, records, strict=True):
            invoice_texts += scope.texts(record)
        for matter in invoice.matters:
            items = matter.line_items
            count = len(items)
            if not count:
                continue
            lines = _lines(plan, invoice_texts + matter_scope.texts(matter), items)
            block = end.join(lines) + end
            if (block.count("|"), block.count("\n"), block.count("\r")) != tuple(count * n for n in per_record) \
                    or block.count("[]") != count:
                bad = next(index for index, line in enumerate(lines)
                           if line.count("|") != separators or "\n" in line or "\r" in line or "[]" in line
                           or line.endswith("["))
                if bad:
                    yield end.join(lines[:bad]) + end
                item = items[bad]
                _unwritable(plan, (*records, matter, item, item.timekeeper), invoice, item)
            yield block


def _lines(plan: _Plan, leading: tuple[str, ...], items: Sequence[LineItem]) -> list[str]:
    """A matter's records, without their ``[]``: its values (``leading``) with each line item's and its timekeeper's."""
    scopes, count = plan.scopes, len(items)
    keepers = map(scopes["timekeeper"].shared_texts, map(_timekeeper_of, items))
    columns = scopes["line_item"].column_texts(items) + list(zip(*keepers, strict=True))
    pieces = [repeat("|".join(map(leading.__getitem__, piece)), count) if isinstance(piece, tuple) else columns[piece]
              for piece in plan.pieces]
    return list(map("|".join, zip(*pieces, strict=True)))


def _unwritable(plan: _Plan, records: tuple, invoice: Invoice, item: LineItem) -> None:
    """Raise the error for the record's first value, in field order, that holds a ``|``, a line break or ``[]`` (or
    ends ``[`` as the record's last: ``[`` and the terminator would make another ``[]``)."""
    texts = plan.ordered(tuple(text for scope, record in zip(_SCOPES, records, strict=True)
                               for text in plan.scopes[scope].texts(record)))
    for index, (field, text) in enumerate(zip(plan.fields, texts, strict=True)):
        if "|" in text or "\n" in text or "\r" in text or "[]" in text or (index == len(texts) - 1 and text.endswith("[")):
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
    if "\n" in text or "\r" in text:
        return "a line break"
    return "'[]', the record terminator" if "[]" in text else "a final '[' (with the terminator, '[[]')"


__all__ = ["pipe_records", "write_pipe"]
