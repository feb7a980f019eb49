"""Physical lines to records: joining records that span lines, and mapping each record's fields onto the table."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat
from operator import contains
from typing import TYPE_CHECKING

from ledes.diagnostics import Emit
from ledes.formats.pipe.preamble import Layout, strip_end
from ledes.formats.textio import MAX_LINE, LineReader
from ledes.rules import field as field_rules
from ledes.rules import structure as structure_rules

if TYPE_CHECKING:
    from ledes.formats.pipe.reader import Plan


def record_blocks(
    reader: LineReader, pending: list[tuple[int, str]], layout: Layout, plan: Plan
) -> Iterator[tuple[Sequence[int], list[list[str]]]]:
    """Yield (line numbers, fields) of the records after the header, a block at a time, mapped onto the table.

    A record normally is one line ending ``[]``. A line break inside a narrative
    continues the record on the next line, as long as the joined text does not hold
    more fields than a record has; a record of all its fields without ``[]`` ends at
    its line. Blank and whitespace-only lines between records are skipped, and a record
    that cannot be mapped (``map_record``) is reported and left out.

    The common case, a piece of text whose every line is an ASCII record ending ``[]``
    with the table's fields in its order, is split in one step, without a Python loop
    over its lines; any other piece is read line by line.
    """
    width, plain = layout.width, layout.order is None
    emit = reader.emit
    assembler = _Assembler(emit, width - 1)
    told: dict[int, tuple[str, str]] = {}  # an invoice-level field's invoice and text last reported (its rows repeat it)

    def mapped(found: Iterable[tuple[int, str, bool]]) -> Iterator[tuple[Sequence[int], list[list[str]]]]:
        for number, text, terminated in found:
            raw = text.split("|")
            if terminated and plain and len(raw) == width:
                fields: list[str] | None = raw
            else:
                fields = map_record(number, raw, terminated, layout, emit, plan)
            if fields is not None:
                if _CONTROL.search(text):
                    _report_controls(number, fields, plan, emit, told)
                if _NULL in text or _LOWER_NULL in text:
                    _report_nulls(number, fields, plan, emit, told)
                if "[]" in text:
                    _report_terminators(number, fields, plan, emit)
                yield (number,), [fields]

    for number, line in pending:
        yield from mapped(assembler.feed(number, line))
    for body in reader.bodies():
        # The piece's text in one step: ASCII (isascii), and printable but for tabs and line ends (no byte left once
        # the printable ones are taken out); a control character takes it line by line, where it is reported.
        if (plain and assembler.buffer is None and len(body) <= reader.longest and body.endswith("[]\n")
                and body.isascii() and not body.encode("ascii").translate(None, _PRINTABLE)
                and _NULL not in body and _LOWER_NULL not in body):  # field.null takes it line by line
            texts = body.split("[]\n")
            texts.pop()  # the empty text after the last record
            rows = list(map(str.split, texts, repeat("|")))
            # Every line ends with "[]" (no record holds a line break, nor a "[]" of its own) and every record has the
            # table's fields.
            if list(map(len, rows)).count(width) == len(rows) and not any(map(contains, texts, repeat("\n"))) \
                    and body.count("[]") == len(texts):
                first = reader.number + 1
                reader.number += len(rows)
                yield range(first, first + len(rows)), rows
                continue
        yield from mapped(_line_by_line(reader, body, assembler))
    yield from mapped(assembler.finish())


_PRINTABLE = bytes(range(0x20, 0x7F)) + b"\t\n"  # the ASCII text may hold
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what it may not: every other ASCII control, DEL and C1


_NULL, _LOWER_NULL = "NULL", "null"  # a database's word for no value, written where the field should be empty


def _once(index: int, invoice: str, text: str, plan: Plan, told: dict[int, tuple[str, str]]) -> bool:
    """Whether a finding on field ``index`` of a record is told: an invoice-level or timekeeper field's once for the
    consecutive rows of its invoice that repeat it (``told``), every other field's each time."""
    if index in plan.invoice_level or index in plan.timekeeper:
        if told.get(index) == (invoice, text):
            return False
        told[index] = (invoice, text)
    return True


def _report_nulls(number: int, fields: list[str], plan: Plan, emit: Emit, told: dict[int, tuple[str, str]]) -> None:
    """``field.null`` on each field of a record (in the table's order) that is the word NULL."""
    invoice = fields[plan.invoice_number]
    for index, text in enumerate(fields):
        if text.strip() in (_NULL, _LOWER_NULL) and _once(index, invoice, text, plan, told):
            name = plan.fields[index].name
            emit(field_rules.NULL, f"{name} is the word {text.strip()!r}; an empty value is nothing between the"
                 " pipes", line=number, field=name, invoice=invoice or None,
                 hint="leave the field empty (Collaborati rejects NULL), or give its value if it is required")


def _report_terminators(number: int, fields: list[str], plan: Plan, emit: Emit) -> None:
    """``structure.embedded-terminator`` on each field of a record (in the table's order) that holds ``[]``."""
    invoice = fields[plan.invoice_number]
    for index, text in enumerate(fields):
        if "[]" in text:
            name = plan.fields[index].name
            where = "ends" if text.endswith("[]") and index == len(fields) - 1 else "holds"
            emit(structure_rules.EMBEDDED_TERMINATOR,
                 f"{name} {where} '[]', the record terminator, at character {text.index('[]') + 1}: a"
                 " reader that ends the record at the first '[]' cuts it there",
                 line=number, field=name, invoice=invoice or None,
                 hint="remove the '[]' from the value" + (" (the record ends '[][]')" if where == "ends" else ""))


def _report_controls(number: int, fields: list[str], plan: Plan, emit: Emit, told: dict[int, tuple[str, str]]) -> None:
    """``field.control-character`` on each field of a record (in the table's order) that holds a control character;
    an invoice-level field's once for the consecutive rows of its invoice that repeat it (``told``)."""
    invoice = fields[plan.invoice_number]
    for index, text in enumerate(fields):
        found = _CONTROL.search(text)
        if found is not None and (index not in plan.invoice_level or _once(index, invoice, text, plan, told)):
            name = plan.fields[index].name
            emit(field_rules.CONTROL_CHARACTER,
                 f"{name} holds the control character U+{ord(found.group()):04X} at character {found.start() + 1};"
                 " LEDES text holds printable characters (and tabs) only",
                 line=number, field=name, invoice=invoice or None,
                 hint="remove it from the system that exported the invoice")


def _line_by_line(reader: LineReader, body: str, assembler: _Assembler) -> Iterator[tuple[int, str, bool]]:
    """(first line, record text without ``[]``, whether ``[]`` ended it) for the records of a piece of text."""
    lines = body.split("\n")
    unfinished = lines.pop()  # empty when the piece ends with a whole line
    for line in lines:
        reader.number += 1
        if assembler.buffer is None and line.endswith("[]") and line.isascii() and len(line) <= reader.longest:
            yield reader.number, line[:-2], True
            continue
        cleaned = reader.clean(line + "\n")
        if cleaned is not None:
            yield from assembler.feed(reader.number, cleaned)
    if unfinished:
        reader.number += 1
        cleaned = reader.clean(unfinished)
        if cleaned is not None:
            yield from assembler.feed(reader.number, cleaned)


class _Assembler:
    """Joins the physical lines of records that span lines; see ``records``.

    The lines of a record are kept in a list and joined once, when it ends, so joining
    takes time linear in its length; a record that grows past ``MAX_LINE`` characters
    ends there (unterminated, and so reported), which keeps memory bounded.
    """

    def __init__(self, emit: Emit, separators: int) -> None:
        self.emit = emit
        self.limit = separators  # the number of "|" in a whole record
        self.buffer: list[str] | None = None
        self.size = 0
        self.start = 0
        self.pipes = 0

    def feed(self, number: int, line: str) -> list[tuple[int, str, bool]]:
        if self.buffer is not None:
            more = line.count("|")
            if self.pipes + more <= self.limit and more < self.limit and self.size + len(line) <= MAX_LINE:
                self.buffer.append(line)
                self.size += len(line) + 1
                self.pipes += more
                # The first line did not end with "[]", nor did any line since: only this one can end the record.
                if not line.rstrip().endswith("[]"):
                    return []
                joined = "\n".join(self.buffer).rstrip()
                self.buffer = None
                self.emit(
                    structure_rules.LINE_BREAK,
                    f"the record goes on to line {number}: a field holds a line break, and portals"
                    " read one record per line",
                    line=self.start,
                    hint="replace the line break inside the description with a space",
                )
                return [(self.start, joined[:-2], True)]
            done = self.finish()
            return done + self.feed(number, line)
        stripped = strip_end(line)
        if not stripped:
            return []
        if stripped.endswith("[]"):
            return [(number, stripped[:-2], True)]
        pipes = line.count("|")
        if pipes >= self.limit:
            return [(number, stripped, False)]
        self.buffer, self.size, self.start, self.pipes = [line], len(line), number, pipes
        return []

    def finish(self) -> list[tuple[int, str, bool]]:
        if self.buffer is None:
            return []
        done = [(self.start, "\n".join(self.buffer).rstrip(), False)]
        self.buffer = None
        return done


def map_record(
    number: int, raw: list[str], terminated: bool, layout: Layout, emit: Emit, plan: Plan
) -> list[str] | None:
    """Report a record's structural problems; its fields in table order, or None when it cannot be mapped."""
    if not terminated:
        emit(structure_rules.TERMINATOR, "the record does not end with []", line=number)
    if len(raw) == layout.width + 1 and not raw[-1]:  # "…|423-987|[]": nothing is lost by dropping it
        raw.pop()
        if not layout.trailing_pipe:
            emit(
                structure_rules.TRAILING_SEPARATOR,
                f"the record ends with '|[]' ({layout.width + 1} fields, expected {layout.width});"
                " it was read without the empty last field",
                line=number,
                invoice=(raw[plan.invoice_number] or None) if len(raw) > plan.invoice_number else None,
            )
    if len(raw) == 1 and raw[0].lstrip("\ufeff").upper().startswith("LEDES"):
        emit(structure_rules.FORMAT_LINE, f"a format line ({raw[0].strip()[:40]}) after the first records: two files"
             " joined into one? It was skipped, and what follows read as this file's records", line=number)
        return None
    if layout.short_header and len(raw) == plan.width:  # every field of the table, where the header lacks some
        return raw
    if len(raw) != layout.width:
        emit(
            structure_rules.FIELD_COUNT,
            f"the record has {len(raw)} fields, expected {layout.width}; it was skipped"
            + (" (a '|' inside a description splits it)" if 0 < len(raw) - layout.width <= 3 else ""),
            line=number,
            invoice=(raw[plan.invoice_number] or None) if len(raw) > plan.invoice_number else None,
        )
        return None
    if layout.order is not None:
        raw = [raw[j] if j is not None else "" for j in layout.order]
    return raw
