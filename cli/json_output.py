"""The public ``--format json`` document (schemas/validate-report.schema.json), written as the findings stream past.

The bytes are those of ``json.dumps(document, indent=2, ensure_ascii=False)``, DEL, the C1 and
the bidirectional controls escaped (``ledes.safetext.json_escaped``); a file's
findings wait in a temporary file (in memory while small) until its counts are known,
and with money at risk, the files wait so until the run says whether it is in several
currencies (``at_risk_currency``). Memory stays bounded whatever the number of findings.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TextIO

from ledes import Diagnostic
from ledes.figures import plain_money
from ledes.safetext import json_escaped, visible

from .findings import FileTally, RunTally, Spool, copy_rest, spool

_SPOOL_IN_MEMORY = 1 << 18  # characters of findings held in memory before the spool goes to disk
_CHUNK = 1 << 16  # characters copied at a time from the temporary files
_FINDINGS = "\0findings\0"


def diagnostic_document(diagnostic: Diagnostic, currency: str | None) -> dict:
    """One finding as the document has it; money at stake to its invoice's currency's minor unit."""
    return {
        "rule": diagnostic.rule,
        "severity": diagnostic.severity.value,
        "message": visible(diagnostic.message),  # a control character from the input as its escape (\x1b)
        "line": diagnostic.line,
        "field": diagnostic.field,
        "invoice": diagnostic.invoice,
        "amount": None if diagnostic.amount is None else plain_money(diagnostic.amount, currency),
        "xpath": diagnostic.location.xpath if diagnostic.location else None,
    }


_encode = json.JSONEncoder(ensure_ascii=False).encode


def _finding_text(diagnostic: Diagnostic, currency: str | None) -> str:
    """One finding as ``_finding_text(diagnostic, currency)`` writes it, a value at a time (many times faster)."""
    members = ",\n          ".join(f'"{key}": {_encode(value)}' for key, value in diagnostic_document(diagnostic, currency).items())
    return json_escaped("{\n          " + members + "\n        }")


def _dumps(value: object, indent: int) -> str:
    """``value`` as ``json.dumps(indent=2)`` writes it nested ``indent`` spaces deep."""
    return json_escaped(json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + " " * indent))


class JsonWriter:
    """Writes the document: ``{"files": [...], "summary": {...}}``; ``at_risk_possible`` when a guideline rule is on."""

    def __init__(self, out: TextIO, at_risk_possible: bool) -> None:
        self.out = out
        self._deferred = at_risk_possible
        self._files = spool(_SPOOL_IN_MEMORY)
        self._ends: list[tuple[int, dict[str, str | None]]] = []
        self._findings = spool(_SPOOL_IN_MEMORY)
        self._findings_length = 0  # characters in ``_findings``: a text file's tell() is no count of them
        self._files_length = 0
        self._count = 0
        self._write('{\n  "files": [')

    def _write(self, text: str) -> None:
        """To the output, or (``deferred``) to the temporary file of the files, counting the characters."""
        if self._deferred:
            self._files.write(text)
            self._files_length += len(text)
        else:
            self.out.write(text)

    def file_started(self, path: str, format: str | None) -> None:
        self._findings.seek(0)
        self._findings.truncate()
        self._findings_length = 0

    def finding(self, path: str, diagnostic: Diagnostic, currency: str | None) -> None:
        text = (",\n        " if self._findings_length else "\n        ") + _finding_text(diagnostic, currency)
        self._findings.write(text)
        self._findings_length += len(text)

    def file_finished(self, file: FileTally) -> None:
        document = {
            "path": file.path, "format": file.format, "invoices": file.invoices, "line_items": file.line_items,
            "diagnostics": _FINDINGS,
            "at_risk": {invoice: plain_money(amount, file.currencies.get(invoice)) for invoice, amount in file.at_risk.items()},
        }
        before, after = _dumps(document, 4).split(json.dumps(_FINDINGS), 1)
        self._write((",\n    " if self._count else "\n    ") + before)
        self._count += 1
        if self._findings_length:
            self._write("[")
            self._findings.seek(0)
            if self._deferred:
                copy_rest(self._findings, self._files)
                self._files_length += self._findings_length
            else:
                copy_rest(self._findings, self.out)
            self._write("\n      ]")
        else:
            self._write("[]")
        if self._deferred:
            self._write(after[: -len("\n    }")])
            self._ends.append((self._files_length, file.currencies))
        else:
            self._write(after)

    def end(self, run: RunTally) -> None:
        if self._deferred:
            self._replay(run.several_currencies)
        self._findings.close()
        self._files.close()
        several = run.several_currencies
        at_risk = sum(run.at_risk_by_currency.values(), Decimal(0))
        only = next(iter(run.at_risk_by_currency), None)
        summary: dict[str, object] = {"files": run.files, "errors": run.errors, "warnings": run.warnings,
                                      "at_risk": None if several else plain_money(at_risk, only)}
        if several:
            # Money in several currencies: ``at_risk`` is null, and each currency has its own figure ("": none stated).
            summary["at_risk_by_currency"] = {currency or "": plain_money(amount, currency)
                                              for currency, amount in run.at_risk_by_currency.items()}
        self.out.write(("\n  ]" if self._count else "]") + ',\n  "summary": ' + _dumps(summary, 2) + "\n}\n")

    def _replay(self, several: bool) -> None:
        """The files, from the temporary file, each with the currency of its invoices at risk when there are several."""
        self._files.seek(0)
        start = 0
        for end, currencies in self._ends:
            _copy(self._files, self.out, end - start)
            if several:
                self.out.write(',\n      "at_risk_currency": ' + _dumps(currencies, 6))
            self.out.write("\n    }")
            start = end
        copy_rest(self._files, self.out)


def _copy(source: Spool, out: TextIO, characters: int) -> None:
    """The next ``characters`` of ``source`` to ``out``, a chunk at a time: a file's findings can run to megabytes."""
    while characters > 0:
        chunk = source.read(min(characters, _CHUNK))
        if not chunk:
            return
        out.write(chunk)
        characters -= len(chunk)
