"""Convert validates its LEDES XML output in one parse that checks the schema on the way (``Format.read_valid``).

The proof that it may: ``read_valid`` gives the invoices and findings ``read_xml`` gives
after a passing precheck, and raises NotValid wherever the precheck would not pass the
document or the reader would find it not well-formed; ``convert`` returns the same conversion and writes the same bytes as when its
output is validated the usual way (precheck, then reader), for every fixture, whether
the output turns out valid or not.
"""

from __future__ import annotations

import io
from pathlib import Path

import attrs
import pytest
from conversion_support import converted

from ledes import api
from ledes.diagnostics import DiagnosticSink
from ledes.formats import FORMATS, Format, format_named
from ledes.formats.base import NotValid
from ledes.formats.ledesxml import precheck

ROOT = Path(__file__).resolve().parents[1]
ONE_PARSE = [file_format for file_format in FORMATS if file_format.read_valid is not None]
SOURCES = sorted(path for folder in ("1998b", "1998bi", "xml", "rules") for path in (ROOT / "fixtures" / folder).rglob("*")
                 if path.suffix in (".txt", ".xml"))
SAMPLE = ROOT / "fixtures" / "xml" / "ledes21_sample.xml"


def test_every_xml_version_with_a_schema_is_read_in_one_parse():
    assert {file_format.key for file_format in ONE_PARSE} == {"xml2.0", "xml2.1", "xml2.2"}


def findings_and_invoices(read, document: bytes) -> tuple[list, list]:
    sink = DiagnosticSink("doc.xml", lambda rule: None)
    invoices = list(read(io.BytesIO(document), sink.emit, "doc.xml"))
    return invoices, sink.diagnostics


def test_a_valid_document_reads_as_the_reader_alone_reads_it():
    xml21 = format_named("xml2.1")
    document = SAMPLE.read_bytes()
    checked = precheck.schema_check("xml2.1", "ledes-xml-2.1.xsd", lambda: io.BytesIO(document), lambda *a, **k: None,
                                    None)
    assert checked.readable and checked.format_name is None  # the precheck passes it
    assert findings_and_invoices(xml21.read_valid, document) == findings_and_invoices(xml21.read, document)


@pytest.mark.parametrize("damage", [
    lambda text: text.replace(b"<inv_date>", b"<inv_date>not a date", 1),  # a value of the wrong type
    lambda text: text.replace(b"<inv_id>", b"<unknown_element/><inv_id>", 1),  # an element the schema does not allow
    # Not well-formed: never closed, cut short, an unescaped "&" (errors lxml passes over with a schema and
    # resolve_entities=False, as the precheck parses; the reader reports them)
    lambda text: text.replace(b"</ledesxmlebilling2.1>", b"", 1),
    lambda text: text[:-300],
    lambda text: text.replace(b"<inv_desc>", b"<inv_desc>a & b", 1),
])
def test_a_document_the_reader_would_not_read_as_valid_raises_not_valid(damage):
    document = damage(SAMPLE.read_bytes())
    assert document != SAMPLE.read_bytes()
    with pytest.raises(NotValid):
        findings_and_invoices(format_named("xml2.1").read_valid, document)


@pytest.mark.parametrize("target", ONE_PARSE, ids=lambda target: target.key)
def test_every_fixture_converts_the_same_validated_in_one_parse(
    target: Format, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    outcomes = {"valid": 0, "not valid": 0}
    one_parse = target.read_valid
    assert one_parse is not None

    def counted(*args, **kwargs):
        try:
            yield from one_parse(*args, **kwargs)
        except NotValid:
            outcomes["not valid"] += 1
            raise
        outcomes["valid"] += 1

    def refused(*args, **kwargs):
        raise NotValid
        yield  # a generator, as read_valid is

    def reading_with(read_valid):
        """``convert``'s target format, its one-parse reading replaced (the format itself is frozen)."""
        return lambda key: attrs.evolve(format_named(key), read_valid=read_valid)

    for source in SOURCES:
        out = tmp_path / f"out.{target.key}"
        monkeypatch.setattr(api, "format_named", reading_with(refused))
        usual = converted(source, target, out)
        monkeypatch.setattr(api, "format_named", reading_with(counted))
        assert converted(source, target, out) == usual, source
    assert outcomes["valid"] > 20 and outcomes["not valid"] > 0, outcomes
