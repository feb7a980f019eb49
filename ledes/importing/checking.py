"""Validating each generated invoice as the target format's reader and the engine's rules see it, before anything is written."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from ledes.config import Config
from ledes.diagnostics import Diagnostic, DiagnosticSink, Emit, RuleName, Severity
from ledes.engine import checked, run_findings
from ledes.formats import Format
from ledes.model import Invoice, LineItemType, Location
from ledes.rules.catalogue import CATALOGUE


@attrs.frozen
class Finding:
    """A validation finding on a generated invoice, with the line item and the source row it concerns when known."""

    diagnostic: Diagnostic
    invoice: str | None
    line_item: int | None = None
    row: int | None = None

    @property
    def is_error(self) -> bool:
        return self.diagnostic.severity is Severity.ERROR


# Texts are held as UTF-8 bytes (about a byte a character, where a str read through io.StringIO takes four), lone
# surrogates kept as they are (surrogatepass), so that an invoice's text is read back exactly as written.
_ENCODING, _ERRORS = "utf-8", "surrogatepass"


def invoice_text(target: Format, invoice: Invoice) -> bytes:
    """The invoice written alone in the target format, encoded as UTF-8 (the one copy kept of its text)."""
    out = io.StringIO()
    target.write([invoice], out)
    return out.getvalue().encode(_ENCODING, _ERRORS)


class InvoiceChecker:
    """Writes each invoice in the target format, reads it back through its reader and the rules, and keeps what it finds.

    The rules that look across the run (a repeated invoice number, a timekeeper's hours on
    one day) see every invoice, as in one ``ledes validate`` run; ``finish`` adds theirs.
    """

    def __init__(self, target: Format, config: Config, path: str) -> None:
        self.target = target
        self.config = config
        self.context = config.context()
        self.sink = DiagnosticSink(path, config.level_of, target.field_names)
        self.findings: list[Finding] = []
        # The records read back are located at their source rows only when a rule may name another record's place in
        # its message ("as line 5"): the guideline rules, and those that report once the run ends. Otherwise each
        # finding's row is found from its place in the text (``_Places.row_in_text``), at no cost per line item.
        self.relocating = any((entry.guideline or entry.finishes) and config.level_of(entry.name) is not None
                              for entry in CATALOGUE)

    @property
    def errors(self) -> int:
        return sum(finding.is_error for finding in self.findings)

    def check(self, invoice: Invoice, rows: list[int | None]) -> bytes:
        """Validate one invoice as it will be written (``rows``: its line items' source rows, in order); return its
        text in the target format, written alone (``invoice_text``)."""
        text = invoice_text(self.target, invoice)
        self.check_text(text, invoice.number, Rows(rows, line_kinds(invoice) if self.target.binary else ""))
        return text

    def check_text(self, text: bytes, number: object, rows: Rows) -> None:
        """Validate the text (``invoice_text``) of one invoice written alone; ``rows`` are its line items' source rows."""
        self.check_texts([(text, number, rows)])

    def check_texts(self, texts: Iterable[tuple[bytes, object, Rows]]) -> None:
        """``check_text`` for each (text, number, rows), in one pass of the rules over them all."""
        for _ in checked(self._read_all(texts), self.sink, self.config, self.context):
            pass

    def _read_all(self, texts: Iterable[tuple[bytes, object, Rows]]) -> Iterator[Invoice]:
        """Each text's invoices, each record at its source row, then (once the rules have seen them) the text's
        findings kept."""
        path, preamble, relocating = self.sink.path, self.target.preamble_lines, self.relocating
        for text, number, rows in texts:
            places = _Places(rows, preamble)
            if not relocating:  # each finding's row is found from its place in the text when it is kept
                yield from self.read(text)
                self.keep(number, places)
                continue
            for invoice in self.read(text, functools.partial(self._emit_at_row, places)):
                yield places.relocated(invoice, path)  # the rules run on each before reading resumes
            self.keep(number, places)
            del text, rows, places  # not held while the next is received

    def read(self, text: bytes, emit: Emit | None = None) -> Iterator[Invoice]:
        """The invoices the target format's reader finds in ``text`` (``invoice_text``), its problems reported into
        the sink (through ``emit`` when given)."""
        # A text format is read as the text itself, with universal newlines (as io.StringIO(text, newline=None) would
        # give it, decoded a chunk at a time): the writer wrote no byte-order mark and ends lines with "\n".
        emit = emit or self.sink.emit
        stream = io.BytesIO(text)
        if not self.target.binary:
            return self.target.read(io.TextIOWrapper(stream, encoding=_ENCODING, errors=_ERRORS, newline=None),
                                    emit, self.sink.path)
        return self.target.read(stream, emit, self.sink.path)

    def _emit_at_row(self, places: _Places, rule: RuleName, message: str, *, line: int | None = None,
                     xpath: str | None = None, **details: Any) -> None:
        """The reader's report of a problem in the text, at the source row of the line item (else of the invoice)
        it is in."""
        self.sink.emit(rule, message, line=places.row(line, xpath, invoice_row=True), xpath=xpath, **details)

    def keep(self, number: object, places: _Places) -> None:
        """Keep what the sink holds as findings on the invoice ``number`` whose line items are at ``places``."""
        if self.sink.diagnostics:
            items = {row: item for item, row in enumerate(places.rows, start=1)}
            row_of = places.row_of if self.relocating else places.row_in_text
            for diagnostic in self.sink.diagnostics:
                self.findings.append(_finding(diagnostic, number, row_of(diagnostic), items))
            self.sink.diagnostics.clear()

    def finish(self) -> None:
        """Add the findings of the rules that look across the whole run (at their records, read at their rows)."""
        for diagnostic in run_findings(self.config, self.context):
            self.findings.append(_finding(diagnostic, diagnostic.invoice, diagnostic.line, {}))


def _finding(diagnostic: Diagnostic, invoice: object, row: int | None, items: dict[int | None, int]) -> Finding:
    """A finding at its source ``row`` (its diagnostic's line); ``items`` gives the line item each row is."""
    number = invoice if isinstance(invoice, str) else diagnostic.invoice
    if diagnostic.line != row:
        diagnostic = attrs.evolve(diagnostic, location=attrs.evolve(diagnostic.location or Location(), line=row))
    return Finding(diagnostic, number, items.get(row), row)


@attrs.frozen
class Rows:
    """An invoice's line items' source rows, in order, and their kinds ("F" or "E" each, in one string)."""

    rows: list[int | None]
    kinds: str = ""


def line_kinds(invoice: Invoice) -> str:
    """The kind of each line of ``invoice``, in order: "FFEF"."""
    return "".join("E" if item.type is LineItemType.EXPENSE else "F" for item in invoice.line_items)


# A line item's element in an XPath, as the XML readers give it: its name and its place among its kind.
_XML_ITEM = re.compile(r"/matter\[\d+\]/(fee|expense)\[(\d+)\]")


class _Places:
    """Where each line item of one invoice's text is, as its reader locates it (a pipe format's record line, an XML
    element's fee[k] or expense[k]), turned into its source row."""

    def __init__(self, rows: Rows, preamble: int | None) -> None:
        self.rows = rows.rows
        self.kinds = rows.kinds
        self.preamble = preamble
        self._by_element: dict[str, list[int | None]] | None = None  # XML: the rows of the fees, of the expenses

    def row(self, line: int | None, xpath: str | None, invoice_row: bool = False) -> int | None:
        """The source row of the line item at ``line`` or ``xpath`` in the text; with ``invoice_row``, of a place
        elsewhere in an XML invoice, its first row (where the invoice is located); else None."""
        rows = self.rows
        if self.preamble is not None:
            item = (line or 0) - self.preamble
            return rows[item - 1] if 0 < item <= len(rows) else None
        found = _XML_ITEM.search(xpath) if xpath else None
        if found is None:
            return rows[0] if invoice_row and rows and "/invoice[" in (xpath or "") else None
        if self._by_element is None:
            self._by_element = {"fee": [], "expense": []}
            for kind, row in zip(self.kinds, rows, strict=False):
                self._by_element["expense" if kind == "E" else "fee"].append(row)
        same = self._by_element[found.group(1)]
        nth = int(found.group(2))
        return same[nth - 1] if 0 < nth <= len(same) else None

    def row_of(self, diagnostic: Diagnostic) -> int | None:
        """A finding's source row: in XML, by the XPath, which a rule's report at a figure of its own (a stated
        base_amount, a tk_sum) has too; in a pipe format, its line, the record's (``relocated``), or put there when
        the reader reported it (``InvoiceChecker._emit_at_row``)."""
        location = diagnostic.location
        if self.preamble is None and location is not None and location.xpath:
            return self.row(None, location.xpath, invoice_row=True)
        return diagnostic.line

    def row_in_text(self, diagnostic: Diagnostic) -> int | None:
        """A finding's source row from its place in the text as read (its line, or its XPath in XML)."""
        location = diagnostic.location
        return self.row(diagnostic.line, location.xpath if location is not None else None, invoice_row=True)

    def relocated(self, invoice: Invoice, path: str | None) -> Invoice:
        """The invoice as read back, each line item located at its source row (its XPath kept), the invoice and its
        matters at their first line's: a finding, and a rule's mention of an earlier record ("as line 5"), names the
        source row, not a line of the text generated for checking."""
        first = self.rows[0] if self.rows else None
        # The records were read a moment ago from the checker's own text and nothing else holds them: each one's
        # location is set in place (equality and hashing ignore it), where evolving every line item would cost more
        # than reading it did.
        for matter in invoice.matters:
            for item in matter.line_items:
                object.__setattr__(item, "location", self._at_row(item.location, path))
            object.__setattr__(matter, "location", Location(path, first, None, _xpath(matter.location)))
        object.__setattr__(invoice, "location", Location(path, first, None, _xpath(invoice.location)))
        return invoice

    def _at_row(self, location: Location | None, path: str | None) -> Location:
        if location is None:
            return Location(path)
        return Location(path, self.row(location.line, location.xpath), None, location.xpath)


def _xpath(location: Location | None) -> str | None:
    return location.xpath if location is not None else None
