"""Validating each generated invoice as the target format's reader and the engine's rules see it, before anything is written."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

import attrs

from ledes.config import Config
from ledes.diagnostics import Diagnostic, DiagnosticSink, Severity
from ledes.engine import checked, run_findings
from ledes.formats import Format
from ledes.model import Invoice


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

    @property
    def errors(self) -> int:
        return sum(finding.is_error for finding in self.findings)

    def check(self, invoice: Invoice, rows: list[int | None]) -> bytes:
        """Validate one invoice as it will be written (``rows``: its line items' source rows, in order); return its
        text in the target format, written alone (``invoice_text``)."""
        text = invoice_text(self.target, invoice)
        self.check_text(text, invoice.number, rows)
        return text

    def check_text(self, text: bytes, number: object, rows: list[int | None]) -> None:
        """Validate the text (``invoice_text``) of one invoice written alone; ``rows`` are its line items' source rows,
        in order."""
        self.check_texts([(text, number, rows)])

    def check_texts(self, texts: Iterable[tuple[bytes, object, list[int | None]]]) -> None:
        """``check_text`` for each (text, number, rows), in one pass of the rules over them all."""
        for _ in checked(self._read_all(texts), self.sink, self.config, self.context):
            pass

    def _read_all(self, texts: Iterable[tuple[bytes, object, list[int | None]]]) -> Iterator[Invoice]:
        """Each text's invoices, then (once the rules have seen them) the text's findings kept."""
        for text, number, rows in texts:
            yield from self.read(text)  # the rules run on each invoice as it is handed on, before reading resumes
            self.keep(number, rows)
            del text, rows  # not held while the next is received

    def read(self, text: bytes) -> Iterator[Invoice]:
        """The invoices the target format's reader finds in ``text`` (``invoice_text``), its problems reported into
        the sink."""
        # A text format is read as the text itself, with universal newlines (as io.StringIO(text, newline=None) would
        # give it, decoded a chunk at a time): the writer wrote no byte-order mark and ends lines with "\n".
        stream = io.BytesIO(text)
        if not self.target.binary:
            return self.target.read(io.TextIOWrapper(stream, encoding=_ENCODING, errors=_ERRORS, newline=None),
                                    self.sink.emit, self.sink.path)
        return self.target.read(stream, self.sink.emit, self.sink.path)

    def keep(self, number: object, rows: list[int | None]) -> None:
        """Keep what the sink holds as findings on the invoice ``number`` whose lines' source rows are ``rows``."""
        if self.sink.diagnostics:
            for diagnostic in self.sink.diagnostics:
                self.findings.append(self._finding(diagnostic, number, rows))
            self.sink.diagnostics.clear()

    def finish(self) -> None:
        """Add the findings of the rules that look across the whole run."""
        for diagnostic in run_findings(self.config, self.context):
            self.findings.append(self._finding(diagnostic, diagnostic.invoice, []))

    def _finding(self, diagnostic: Diagnostic, invoice: object, rows: list[int | None]) -> Finding:
        """A pipe file's record line gives the line item (and through it the source row); an XML line does not."""
        number = invoice if isinstance(invoice, str) else diagnostic.invoice
        preamble = self.target.preamble_lines
        if preamble is None or diagnostic.line is None or diagnostic.line <= preamble:
            return Finding(diagnostic, number)
        item = diagnostic.line - preamble
        return Finding(diagnostic, number, item, rows[item - 1] if item <= len(rows) else None)
