"""The LEDES XML writers' text for every fixture, as a digest per file and version: ``python tests/golden/xmlwritten.py``
rewrites ``xml_written.json``, which tests/formats/test_ledesxml_written.py compares with the current writers.

Each fixture the library reads is prepared for each XML version as ``ledes convert`` prepares it
(``--law-firm-name "Firm LLP"``) and written whole; a fixture that cannot be read or written
records the error's class instead. Recorded from the writer before its segments were written by
made functions (``fieldcode``), so that any change to a written byte shows.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RECORDED = HERE / "xml_written.json"
VERSIONS = ("xml2.0", "xml2.1", "xml2.2")


def written() -> dict[str, dict[str, str]]:
    """{fixture path: {version: the SHA-256 of its text, or the error that stopped reading or writing it}}."""
    import ledes
    from ledes.formats import WriteOptions, format_named
    from ledes.money import exact

    options = WriteOptions(law_firm_name="Firm LLP")
    found: dict[str, dict[str, str]] = {}
    for path in sorted(p for p in (ROOT / "fixtures").rglob("*") if p.suffix in (".txt", ".xml") and p.is_file()):
        try:
            invoices = list(ledes.iter_invoices(path))
        except Exception as error:  # not a file the library reads: nothing written
            found[str(path.relative_to(ROOT))] = {"read": type(error).__name__}
            continue
        by_version = found[str(path.relative_to(ROOT))] = {}
        for key in VERSIONS:
            writer = format_named(key)
            text: list[str] = []
            try:
                with exact():
                    prepared = [writer.prepared(invoice, options) for invoice in invoices]
                writer.write(prepared, _Collected(text))
                by_version[key] = hashlib.sha256("".join(text).encode("utf-8", "surrogatepass")).hexdigest()
            except Exception as error:  # the writer's refusal (a control character, say): recorded as such
                by_version[key] = type(error).__name__
    return found


class _Collected:
    def __init__(self, parts: list[str]) -> None:
        self.write = parts.append


if __name__ == "__main__":
    RECORDED.write_text(json.dumps(written(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
