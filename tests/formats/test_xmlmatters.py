"""A matter closed after every matter but opened once (one generator's LEDES 2000 R1 and 2.2 routines) is read back."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import ledes
from ledes.formats.xmlmatters import MatterOpenings
from ledes_cli.main import main

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "rules" / "xml.merged-matters"
NEVER_OPENED = FIXTURES / "fail_matter_closed_never_opened.txt"
NEVER_OPENED_22 = FIXTURES / "fail_matter_closed_never_opened_22.txt"
BALANCED = FIXTURES / "pass_ledes2000_handwritten.txt"

UNBALANCED = (
    b"<invoice>\n <matter>\n  <cl_matter_id>A</cl_matter_id>\n  <fee/>\n </matter>\n"
    b"  <cl_matter_id>B</cl_matter_id>\n  <fee/>\n </matter>\n"
    b"  <lf_matter_id>C</lf_matter_id>\n </matter>\n</invoice>\n"
)


class Trickle:
    """A stream that hands out at most ``step`` bytes a read, whatever is asked."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step, self.at = data, step, 0

    def read(self, size: int = -1) -> bytes:
        size = self.step if size is None or size < 0 else min(size, self.step)
        chunk = self.data[self.at : self.at + size]
        self.at += len(chunk)
        return chunk


def read_all(stream: MatterOpenings, size: int) -> bytes:
    pieces = []
    while piece := stream.read(size):
        pieces.append(piece)
    return b"".join(pieces)


def test_each_missing_opening_is_put_back_on_its_own_line():
    opened = MatterOpenings(io.BytesIO(UNBALANCED))
    repaired = opened.read()
    root = etree.fromstring(repaired)
    assert [matter[0].text for matter in root.iter("matter")] == ["A", "B", "C"]
    assert repaired.count(b"\n") == UNBALANCED.count(b"\n")  # every line where it was
    assert sorted(opened.repairs) == [6, 9]


@settings(max_examples=60, deadline=None)
@given(step=st.integers(1, 700), size=st.integers(1, 900), crlf=st.booleans(), padding=st.integers(0, 400))
def test_the_repair_does_not_depend_on_how_the_bytes_arrive(step: int, size: int, crlf: bool, padding: int):
    # Matters far apart and close together, a closing at every distance from a read's end.
    document = b"<all>" + b" " * padding + UNBALANCED + NEVER_OPENED.read_bytes().split(b"?>", 1)[1] + b"</all>"
    document = document.replace(b"\n", b"\r\n") if crlf else document
    whole = MatterOpenings(io.BytesIO(document))
    expected = whole.read()
    trickled = MatterOpenings(Trickle(document, step))
    assert read_all(trickled, size) == expected
    assert trickled.repairs == whole.repairs
    assert len(whole.repairs) == 3
    lines = expected.splitlines()
    assert all(lines[line - 1].lstrip().startswith(b"<matter><") for line in whole.repairs)


def test_a_well_formed_document_passes_through_unchanged():
    data = BALANCED.read_bytes()
    opened = MatterOpenings(Trickle(data, 4096))
    assert read_all(opened, 4096) == data
    assert opened.repairs == {}


def test_a_closing_followed_by_anything_but_a_matter_id_is_left_as_written():
    data = b"<i><matter><cl_matter_id>A</cl_matter_id></matter>\n<tax_summary/><cl_matter_id>B</cl_matter_id></i>"
    assert MatterOpenings(io.BytesIO(data)).read() == data


def test_the_2000_file_reads_as_two_matters_with_their_own_lines_and_totals():
    result = ledes.validate_file(str(NEVER_OPENED))
    assert [d.rule for d in result.diagnostics] == ["xml.merged-matters"]
    assert result.diagnostics[0].location.line == 164
    balanced = {invoice.number: invoice for invoice in ledes.load(str(BALANCED))}
    for invoice in ledes.iter_invoices(str(NEVER_OPENED)):
        assert [m.law_firm_matter_id for m in invoice.matters] == [
            m.law_firm_matter_id for m in balanced[invoice.number].matters]
        assert [len(m.line_items) for m in invoice.matters] == [
            len(m.line_items) for m in balanced[invoice.number].matters]


def test_the_22_file_reads_as_two_matters_and_passes_the_schema_once_repaired():
    result = ledes.validate_file(str(NEVER_OPENED_22))
    assert [(d.rule, d.location.line) for d in result.diagnostics] == [("xml.merged-matters", 198)]
    (invoice,) = ledes.iter_invoices(str(NEVER_OPENED_22))
    assert len(invoice.matters) == 2
    assert sum((item.total for m in invoice.matters for item in m.line_items), Decimal(0)) > 0


def test_the_command_line_converts_a_repaired_file(tmp_path: Path):
    out = tmp_path / "out.xml"
    result = CliRunner().invoke(main, ["convert", str(NEVER_OPENED_22), "--to", "xml2.2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = out.read_bytes()
    assert written.count(b"<matter>") == written.count(b"</matter>") == 2
    assert ledes.validate_file(str(out)).diagnostics == ()
