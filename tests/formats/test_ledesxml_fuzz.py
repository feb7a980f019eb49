"""Fuzzing LEDES XML: whatever the bytes, ``ledes.validate_file`` and the XML reader give only diagnostics.

Inputs: arbitrary bytes (alone, or after a LEDES XML 2.2 root), and the 2.2 and 2.1 samples
damaged at random: elements deleted, duplicated, renamed, moved or emptied, garbage in
numeric and date values, required elements removed, elements nested inside values, then
bytes truncated, deleted, flipped or replaced by XML tokens. Every diagnostic names a
registered rule; and what the reader reads without a lossy finding, the writer writes
back and the reader reads the same again.
"""

from __future__ import annotations

import copy
import decimal
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

import ledes
from formats_support import fee_row_1998bi, ledes1998bi_file
from ledes.diagnostics import DiagnosticSink
from ledes.engine import LOSSY_RULES, Config
from ledes.formats import format_named
from ledes.rules import RULES_BY_NAME

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_22 = (ROOT / "fixtures" / "xml" / "ledes22_sample.xml").read_bytes()
SAMPLE_21 = (ROOT / "fixtures" / "xml" / "ledes21_sample.xml").read_bytes()
ROOT_22 = b'<ledesxmlebilling2.2 xmlns="http://www.ledes.org/LEDES22.xsd">'

FUZZ = settings(max_examples=max(150, 2 * settings().max_examples), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

CONFIG = Config()

NAMES = ["fee", "expense", "matter", "invoice", "client", "firm", "tax", "tx_id", "tksum", "tk_sum", "tk_id", "units",
         "rate", "total_amount", "charge_date", "inv_date", "matter_disc_cred", "disc_cred_amount", "tax_item_fee",
         "lf_address", "cl_address", "file_item_nbr", "tax_rate_percent", "tax_summary", "extend_header",
         "lf_matter_id", "inv_id", "tax_tier_detail", "unknown_element"]
GARBAGE = ["", " ", "abc", "1,5", "-", "1e3", "NaN", "Infinity", "2021-02-30", "20210225", "0001-01-01", "9999-12-31",
           "99999999999999999999999999999999.9", "-0", ".5", "12.", "--1", "1 2", "\u00a0", "TOP", "Y", "T1", "é"]
REQUIRED = ["lf_vendor_id", "lf_name", "cl_id", "inv_id", "inv_date", "inv_total_net_due", "lf_matter_id", "tk_id",
            "charge_date", "units", "rate", "total_amount", "disc_cred_amount", "tx_id", "file_item_nbr"]
TOKENS = [b"<", b">", b"&", b"&amp;", b"&#1;", b"&#13;", b"]]>", b"<![CDATA[x]]>", b"<!--", b"-->", b"<!DOCTYPE x>",
          b"\x00", b"\xff", b"\xef\xbf\xbe", b"</", b"/>", b"<fee>", b"<tx_id>T9</tx_id>", b"\r\n", b"\t", b"\xef\xbb\xbf"]


def _tag(root: etree._Element, name: str) -> str:
    return f"{{{etree.QName(root).namespace}}}{name}"


@st.composite
def damaged(draw: st.DrawFn, samples: tuple[bytes, ...] = (SAMPLE_22, SAMPLE_21)) -> bytes:
    """A sample with a few random edits to its elements, then a few to its bytes."""
    root = etree.fromstring(draw(st.sampled_from(samples)))
    for _ in range(draw(st.integers(1, 4))):
        elements = list(root.iter())
        element = draw(st.sampled_from(elements))
        parent = element.getparent()
        kind = draw(st.sampled_from(["delete", "duplicate", "rename", "garbage", "required", "nest", "move", "empty"]))
        if kind == "delete" and parent is not None:
            parent.remove(element)
        elif kind == "duplicate" and parent is not None:
            element.addnext(copy.deepcopy(element))
        elif kind == "rename":
            element.tag = _tag(root, draw(st.sampled_from(NAMES)))
        elif kind == "garbage" and len(element) == 0:
            element.text = draw(st.sampled_from(GARBAGE))
        elif kind == "required":
            for found in list(root.iter(_tag(root, draw(st.sampled_from(REQUIRED)))))[: draw(st.integers(1, 3))]:
                found.getparent().remove(found)
        elif kind == "nest":
            child = etree.SubElement(element, _tag(root, draw(st.sampled_from(NAMES))))
            child.text = draw(st.sampled_from(GARBAGE))
        elif kind == "move" and parent is not None:
            target = draw(st.sampled_from(elements))
            if target is not element and element not in target.iterancestors():
                target.insert(draw(st.integers(0, len(target))), element)
        elif kind == "empty":
            element.text = None
            for child in list(element):
                element.remove(child)
    data = bytearray(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["truncate", "token", "flip", "delete"]))
        if edit == "truncate":
            del data[at:]
        elif edit == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif edit == "flip" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 40))]
    return bytes(data)


def most_lines(data: bytes) -> int:
    """At most how many lines a file has, whichever reader reads it (CR, LF and CRLF each end a line in 1998B)."""
    return data.count(b"\n") + data.count(b"\r") + 1


def check_diagnostics(diagnostics, data: bytes) -> None:
    for d in diagnostics:
        assert d.rule in RULES_BY_NAME, d
        assert d.severity in (ledes.Severity.ERROR, ledes.Severity.WARNING, ledes.Severity.INFO), d
        assert d.message and isinstance(d.message, str), d
        assert d.line is None or 1 <= d.line <= most_lines(data) + 1, d  # + 1: a missing line after the last
        assert d.invoice is None or isinstance(d.invoice, str), d


def read(data: bytes) -> tuple[list, list]:
    xml = format_named("xml2.2")
    sink = DiagnosticSink(None, Config().level_of, xml.field_names)
    return list(xml.read(io.BytesIO(data), sink.emit, None)), sink.diagnostics


def check_rewrite(invoices, diagnostics) -> None:
    """What was read without a lossy finding is written as XML and read back the same.

    Excluded: a line whose tax has no readable rate (see
    test_a_tax_without_a_rate_is_not_dropped_silently), which the writer cannot write back.
    """
    if not invoices or any(d.rule in LOSSY_RULES for d in diagnostics):
        return
    if any(item.tax_rate is None and item.tax_total is not None for i in invoices for item in i.line_items):
        return
    out = io.StringIO()
    format_named("xml2.2").write(invoices, out)
    again, _ = read(out.getvalue().encode("utf-8"))
    assert again == invoices


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("xmlfuzz") / "input.xml"


def validate_and_read(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    report = ledes.validate_file(path, config=CONFIG)
    check_diagnostics(report.diagnostics, data)
    invoices, diagnostics = read(data)
    check_diagnostics(diagnostics, data)
    if report.format in ("LEDESXML2.1", "LEDESXML2.2") and not any(d.rule == "xml.well-formed" for d in diagnostics):
        assert report.invoices == len(invoices)
    check_rewrite(invoices, diagnostics)


@FUZZ
@given(st.one_of(st.binary(max_size=2000), st.binary(max_size=400).map(lambda data: ROOT_22 + data)))
@example(b"")
@example(b"<")
@example(ROOT_22)
@example(ROOT_22 + b"</ledesxmlebilling2.2>")
@example(b'<?xml version="1.0" encoding="UTF-16"?>' + ROOT_22)
@example(b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + ROOT_22 + b"&a;</ledesxmlebilling2.2>")
@example(ROOT_22 + b"<firm><client><invoice/></client></firm></ledesxmlebilling2.2>")
@example(ROOT_22 + b"<invoice><matter><fee/></matter></invoice></ledesxmlebilling2.2>")
@example(b"<ledesxml><firm/></ledesxml>")
def test_arbitrary_bytes_give_only_diagnostics(scratch, data):
    validate_and_read(scratch, data)


@FUZZ
@given(damaged())
def test_damaged_samples_give_only_diagnostics(scratch, data):
    validate_and_read(scratch, data)


@pytest.mark.parametrize("name", REQUIRED)
def test_each_required_element_removed_is_reported(scratch, name):
    """Removing every occurrence of a required element is reported, and nothing raises."""
    root = etree.fromstring(SAMPLE_22)
    for found in list(root.iter(_tag(root, name))):
        found.getparent().remove(found)
    data = etree.tostring(root)
    scratch.write_bytes(data)
    report = ledes.validate_file(scratch, config=CONFIG)
    assert report.errors + report.warnings > 0
    validate_and_read(scratch, data)


@pytest.mark.parametrize("key", ["xml2.2", "1998bi"])
def test_a_huge_amount_on_a_taxed_line_is_reported_not_raised(tmp_path: Path, key: str):
    """A 40-digit unit count on a taxed line is a finding (arithmetic.line-tax), not an exception."""
    if key == "xml2.2":
        root = etree.fromstring(SAMPLE_22)
        next(root.iter(_tag(root, "units"))).text = "9" * 40
        path = tmp_path / "huge.xml"
        path.write_bytes(etree.tostring(root))
    else:
        path = tmp_path / "huge.txt"
        path.write_text(ledes1998bi_file(fee_row_1998bi("1", "1", {"LINE_ITEM_NUMBER_OF_UNITS": "9" * 40,
                                                                   "LINE_ITEM_TAX_RATE": "0.2"})))
    report = ledes.validate_file(path)
    assert "arithmetic.line-tax" in {d.rule for d in report.diagnostics}


def test_a_tax_without_a_rate_is_not_dropped_silently():
    """A tax defined without a rate is either reported as a loss or written back as it was read.

    Today the lines that refer to it read with tax_rate None, tax_total Unparsed('') and
    an Unparsed total, with no finding; the writer then writes no tax for them.
    """
    root = etree.fromstring(SAMPLE_22)
    for rate in list(root.iter(_tag(root, "tax_rate_percent"))):
        rate.getparent().remove(rate)
    invoices, diagnostics = read(etree.tostring(root))
    if any(d.rule in LOSSY_RULES for d in diagnostics):
        return
    out = io.StringIO()
    format_named("xml2.2").write(invoices, out)
    assert read(out.getvalue().encode("utf-8"))[0] == invoices


SAMPLE_2000 = (ROOT / "fixtures" / "xml" / "ledes2000_sample.xml").read_bytes()


@FUZZ
@given(damaged(samples=(SAMPLE_22, SAMPLE_21, SAMPLE_2000)))
def test_damaged_xml_under_strict_guidelines_gives_only_diagnostics(scratch, data):
    """LEDES XML 2.x and 2000, damaged, meet every guideline rule (strict preset) without raising."""
    from ledes import guidelines

    scratch.write_bytes(data)
    report = ledes.validate([scratch], guidelines.preset("strict"))
    check_diagnostics(report.files[0].diagnostics, data)
