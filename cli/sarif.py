"""``--format sarif``: the findings as a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format), streamed.

One run; the tool driver lists every rule (id, short and full description, a help URI
into docs/rules.md, default level); each result has its rule, level, message, the file
and line, the XPath as a logical location for XML, the invoice and money at stake in
its properties, and a fingerprint that stays the same from run to run for the same finding.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import PurePath
from typing import TextIO
from urllib.parse import quote

from ledes import ALL_RULES, Diagnostic
from ledes.figures import plain_money
from ledes.safetext import json_escaped, visible
from ledes.version import __version__

from .findings import FileTally, RunTally
from .rule_docs import anchor

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/ledes/ledes"
RULES_URI = f"{INFORMATION_URI}/blob/main/docs/rules.md"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "ledesFinding/v1"


def driver() -> dict:
    """The tool: ledes, its version, and every rule."""
    return {
        "name": "ledes",
        "version": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [
            {
                "id": rule.name,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.doc},
                "helpUri": f"{RULES_URI}#{anchor(rule.name)}",
                "defaultConfiguration": {"level": LEVELS[rule.level.value]},
                "properties": {"group": rule.group, "guideline": rule.guideline},
            }
            for rule in ALL_RULES
        ],
    }


def artifact_uri(path: str) -> str:
    """The file as a URI reference: relative as given (percent-encoded), ``file://`` when absolute.

    A name's bytes that are not UTF-8 are shown in ``path`` as ``\\xff`` (``ledes.safetext.valid_unicode``);
    the URI encodes the byte itself (``%FF``), so that it names the file on disk.
    """
    posix = PurePath(_on_disk(path)).as_posix()
    encoded = quote(posix, safe="/", errors="surrogateescape")
    return f"file://{encoded}" if posix.startswith("/") else encoded


def _on_disk(path: str) -> str:
    """``path`` with the bytes ``valid_unicode`` showed as ``\\xNN`` put back, when that names a file and it does not."""
    if "\\x" not in path or os.path.lexists(path):
        return path
    raw = re.sub(r"\\x([89a-f][0-9a-f])", lambda found: chr(0xDC00 + int(found.group(1), 16)), path)
    return raw if os.path.lexists(raw) else path


def fingerprint(path: str, diagnostic: Diagnostic) -> str:
    """The same for the same finding in every run: its rule, file, line, field or XPath, invoice and message, hashed."""
    parts = (diagnostic.rule, path, str(diagnostic.line), diagnostic.field or "", diagnostic.invoice or "",
             diagnostic.message)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def result(path: str, diagnostic: Diagnostic, rule_index: int, currency: str | None = None, uri: str | None = None) -> dict:
    """One finding as a SARIF result; money at stake to its invoice's currency (``currency``), as the JSON has it.

    ``uri`` is the file's ``artifact_uri``, when the caller has it already.
    """
    physical: dict = {"artifactLocation": {"uri": uri or artifact_uri(path)}}
    if diagnostic.line is not None:
        physical["region"] = {"startLine": diagnostic.line}
    location: dict = {"physicalLocation": physical}
    xpath = diagnostic.location.xpath if diagnostic.location else None
    if xpath:
        location["logicalLocations"] = [{"fullyQualifiedName": xpath, "kind": "element"}]
    properties: dict = {}
    if diagnostic.invoice is not None:
        properties["invoice"] = diagnostic.invoice
    if diagnostic.amount is not None:
        properties["amountAtStake"] = plain_money(diagnostic.amount, currency)
        if currency is not None:
            properties["currency"] = currency
    if diagnostic.field is not None:
        properties["field"] = diagnostic.field
    if diagnostic.hint:
        properties["hint"] = diagnostic.hint
    found = {
        "ruleId": diagnostic.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[diagnostic.severity.value],
        "message": {"text": visible(diagnostic.message)},  # shown by code scanning: no raw control character
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: fingerprint(path, diagnostic)},
    }
    if properties:
        found["properties"] = properties
    return found


class SarifWriter:
    """The log's head (the driver and its rules), each result as it comes, then the tail."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self._index = {rule.name: index for index, rule in enumerate(ALL_RULES)}
        self._results = 0
        self._uri = ""
        head = json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver()}}]},
                          indent=2, ensure_ascii=False)
        self.out.write(head[: head.rindex("}\n  ]\n}")].rstrip() + ',\n      "results": [')

    def file_started(self, path: str, format: str | None) -> None:
        self._uri = artifact_uri(path)

    def finding(self, path: str, diagnostic: Diagnostic, currency: str | None) -> None:
        found = result(path, diagnostic, self._index[diagnostic.rule], currency, self._uri)
        text = json_escaped(json.dumps(found, ensure_ascii=False))
        self.out.write(("," if self._results else "") + "\n        " + text)  # one result a line
        self._results += 1

    def file_finished(self, file: FileTally) -> None:
        pass

    def end(self, run: RunTally) -> None:
        invocation = {"executionSuccessful": True, "properties": {"errors": run.errors, "warnings": run.warnings}}
        tail = json.dumps([invocation], indent=2, ensure_ascii=False).replace("\n", "\n      ")
        self.out.write(("\n      ]" if self._results else "]") + f',\n      "invocations": {tail}\n    }}\n  ]\n}}\n')
