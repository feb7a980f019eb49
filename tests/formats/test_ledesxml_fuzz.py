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
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from formats_support import fee_row_1998bi, ledes1998bi_file
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

import ledes
from ledes import guidelines
from ledes.diagnostics import DiagnosticSink
from ledes.engine import Config
from ledes.formats import format_named
from ledes.model import Unparsed
from ledes.money import MAX_DIGITS
from ledes.rules import LOSSY_RULES, RULES_BY_NAME
from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_22 = (ROOT / "fixtures" / "xml" / "ledes22_sample.xml").read_bytes()
SAMPLE_21 = (ROOT / "fixtures" / "xml" / "ledes21_sample.xml").read_bytes()
ROOT_22 = b'<ledesxmlebilling2.2 xmlns="http://www.ledes.org/LEDES22.xsd">'
SAMPLE_2000 = (ROOT / "fixtures" / "xml" / "ledes2000_sample.xml").read_bytes()


def _edited(sample: bytes, edit) -> bytes:
    root = etree.fromstring(sample)
    edit(root, lambda name: f"{{{etree.QName(root).namespace}}}{name}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _remove(element: etree._Element) -> None:
    element.getparent().remove(element)


# Inputs random fuzzing found a defect with, pinned below as examples and checked by a plain test each.
# LEDES 2000 with its <firm> renamed <invoice>: an invoice directly under the root (AttributeError).
FIRM_RENAMED_2000 = SAMPLE_2000.replace(b"<firm>", b"<invoice>").replace(b"</firm>", b"</invoice>")
# A fee's <units> 33 digits long: the strict guidelines' time.increment raised decimal.InvalidOperation.
UNITS_33_DIGITS_22 = _edited(SAMPLE_22, lambda root, tag: setattr(next(root.iter(tag("units"))), "text", "9" * 33))
# XML 2.1 whose first tksum has no tk_id, and a fee of that timekeeper with no tk_level: the fee read
# back as PARTNR (the level of the other fee of that timekeeper) after writing and reading again.
TKSUM_WITHOUT_ID_21 = _edited(SAMPLE_21, lambda root, tag: (
    _remove(next(root.iter(tag("tksum"))).find(tag("tk_id"))),
    _remove(list(root.iter(tag("fee")))[1].find(tag("tk_level"))),
))
# A tax rate 33 digits long: each line's total (amount + tax) was rounded to 28 digits, so the amount
# written back (total less tax) was 0.00 and the lines read back changed, with no finding.
TAX_RATE_33_DIGITS_22 = _edited(SAMPLE_22, lambda root, tag: setattr(
    next(root.iter(tag("tax_rate_percent"))), "text", "9" * 32 + ".9"))

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
@example(TKSUM_WITHOUT_ID_21)
@example(TAX_RATE_33_DIGITS_22)
@example(UNITS_33_DIGITS_22)
def test_damaged_samples_give_only_diagnostics(scratch, data):
    validate_and_read(scratch, data)


# For each element of REQUIRED: the segments whose reader reports it missing (field.required), and
# the other rules its removal sets off (the stated totals no longer add up). Every removal is also
# a schema finding. lf_name and file_item_nbr the reader does not need, a fee's or an expense's
# tk_id and a tax item's tx_id are optional; the schema requires each where the sample has it.
REMOVED = {
    "lf_vendor_id": ({"firm"}, set()),
    "lf_name": (set(), set()),
    "cl_id": ({"client"}, set()),
    "inv_id": ({"invoice"}, set()),
    "inv_date": ({"invoice"}, set()),
    "inv_total_net_due": ({"invoice"}, set()),
    "lf_matter_id": ({"matter"}, set()),
    "tk_id": ({"tksum"}, set()),
    "charge_date": ({"fee", "expense"}, set()),
    "units": ({"fee", "expense"}, set()),
    "rate": ({"fee", "expense"}, set()),
    "total_amount": ({"fee", "expense"}, {"arithmetic.matter-totals"}),
    "disc_cred_amount": ({"matter_disc_cred"}, {"arithmetic.matter-totals"}),
    "tx_id": ({"tax", "tax_summary"}, {"arithmetic.matter-totals", "arithmetic.invoice-total", "arithmetic.invoice-tax"}),
    "file_item_nbr": (set(), set()),
}


def test_every_required_element_has_its_expected_findings():
    assert sorted(REMOVED) == sorted(REQUIRED)


@pytest.mark.parametrize("name", REQUIRED)
def test_each_required_element_removed_is_reported(scratch, name):
    """Removing every occurrence of a required element is reported where it is missing, and nothing raises.

    field.required names each segment that lacks it, at the segment's line; the schema
    finding says the element was expected; the totals that relied on it are reported.
    """
    root = etree.fromstring(SAMPLE_22)
    segments, consequences = REMOVED[name]
    lacking = []
    for found in list(root.iter(_tag(root, name))):
        if etree.QName(found.getparent()).localname in segments:
            lacking.append(found.getparent())
        found.getparent().remove(found)
    data = etree.tostring(root)
    damaged_tree = etree.fromstring(data).getroottree()  # its lines are not the sample's: found by path
    missing = sorted(damaged_tree.xpath(root.getroottree().getpath(parent))[0].sourceline for parent in lacking)
    scratch.write_bytes(data)
    report = ledes.validate_file(scratch, config=CONFIG)

    required = [d for d in report.diagnostics if d.rule == "field.required"]
    assert sorted(d.line for d in required) == missing
    assert all(d.field.endswith(f"/{name}") and d.message.endswith(f" has no {name}") for d in required)
    schema = [d for d in report.diagnostics if d.rule == "xml.schema-reconstruction"]
    assert schema
    assert all(re.search(rf"Expected is (one of )?\(.*\b{name}\b", d.message) for d in schema), schema
    assert {d.rule for d in report.diagnostics} == {"xml.schema-reconstruction", *consequences} | (
        {"field.required"} if missing else set())
    assert report.invoices == 1
    validate_and_read(scratch, data)


@pytest.mark.parametrize("key", ["xml2.2", "1998bi"])
def test_a_huge_amount_on_a_taxed_line_is_reported_not_raised(tmp_path: Path, key: str):
    """A 40-digit unit count on a taxed line is a finding, not an exception: arithmetic.line-tax in 1998BI, which
    states the line's tax; arithmetic.line-total in XML, whose line tax is the reader's, from the stated total."""
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
    assert ("arithmetic.line-tax" if key == "1998bi" else "arithmetic.line-total") in {d.rule for d in report.diagnostics}


def test_a_tax_without_a_rate_is_not_dropped_silently():
    """A tax defined without a rate is reported where it is defined and, once, where a line first uses it.

    Its lines read with no rate, an empty tax and their amount kept as text (not their
    total); xml.tax-reference is a lossy finding, so converting the file (which would
    write those lines without a tax) is refused without --allow-loss.
    """
    root = etree.fromstring(SAMPLE_22)
    for rate in list(root.iter(_tag(root, "tax_rate_percent"))):
        rate.getparent().remove(rate)
    invoices, diagnostics = read(etree.tostring(root))
    assert [(d.rule, d.line, d.field) for d in diagnostics] == [
        ("field.required", 22, "/ledesxmlebilling2.2/firm[1]/tax[1]/tax_rate_percent"),
        ("xml.tax-reference", 115, "/ledesxmlebilling2.2/firm[1]/client[1]/invoice[1]/matter[1]/fee[1]/tax_item_fee[1]/tx_id"),
    ]
    assert "xml.tax-reference" in LOSSY_RULES
    first = next(iter(invoices[0].line_items))
    assert (first.tax_rate, first.tax_total, first.total) == (None, Unparsed(""), Unparsed("630.00"))


@FUZZ
@given(damaged(samples=(SAMPLE_22, SAMPLE_21, SAMPLE_2000)))
@example(FIRM_RENAMED_2000)
@example(UNITS_33_DIGITS_22)
def test_damaged_xml_under_strict_guidelines_gives_only_diagnostics(scratch, data):
    """LEDES XML 2.x and 2000, damaged, meet every guideline rule (strict preset) without raising."""
    scratch.write_bytes(data)
    report = ledes.validate([scratch], guidelines.preset("strict"))
    check_diagnostics(report.files[0].diagnostics, data)


# ------------------------------------------------------------------ regressions found by fuzzing


def test_a_2000_file_whose_firm_is_renamed_invoice_is_reported_by_validate_show_and_convert(tmp_path: Path):
    """The renamed firm is an <invoice> outside any client, and the real invoice has no firm: neither is read."""
    path = tmp_path / "renamed.xml"
    path.write_bytes(FIRM_RENAMED_2000)
    report = ledes.validate_file(path)
    assert (report.format, report.invoices, report.errors) == ("LEDES2000", 0, 2)
    assert [(d.rule, d.line, d.field) for d in report.diagnostics] == [
        ("field.required", 4, "/ledesxml/…/invoice"),  # not inside a client
        ("xml.unmapped", 4, "/ledesxml/…/invoice"),
        ("field.required", 39, "/ledesxml/firm"),  # the file has no firm
        ("xml.unmapped", 39, "/ledesxml/…/invoice"),
    ]
    runner = CliRunner()
    validated = runner.invoke(main, ["validate", str(path)])
    assert (validated.exit_code, type(validated.exception)) == (1, SystemExit)
    assert f"{path}:4: error field.required: <invoice> is not inside a <client>" in validated.output
    assert f"{path}:39: error field.required: <ledesxml> has no <firm>" in validated.output
    shown = runner.invoke(main, ["show", str(path)])  # no invoice read: nothing shown, why on stderr, exit 1
    assert (shown.exit_code, type(shown.exception)) == (1, SystemExit)
    assert f"ledes: nothing to show: {path} holds no invoice:" in shown.output
    assert f"{path}:39: error field.required: <ledesxml> has no <firm>" in shown.output
    target = tmp_path / "out.xml"
    converted = runner.invoke(main, ["convert", str(path), "--to", "xml2.2", "-o", str(target)])
    assert (converted.exit_code, type(converted.exception)) == (1, SystemExit)
    assert f"{path} holds no invoice:" in converted.output and not target.exists()  # not "allow the loss"
    assert f"{path}:39: error field.required: <ledesxml> has no <firm>" in converted.output


def test_33_digit_units_under_strict_guidelines_are_findings(scratch):
    """Each rule on the fee with 33 digits of hours reports it; time.increment finds it a whole number of tenths."""
    scratch.write_bytes(UNITS_33_DIGITS_22)
    report = ledes.validate([scratch], guidelines.preset("strict"))
    assert [(d.rule, d.line) for d in report.files[0].diagnostics] == [
        ("arithmetic.line-total", 102),  # base_amount
        ("arithmetic.line-total", 102),  # total_amount (XML states no line tax: no arithmetic.line-tax)
        ("time.long-entry", 102),
        ("time.daily-hours", 102),
        ("time.daily-hours", 121),  # the timekeeper's next fee that day, past the limit too
        ("narrative.vague", 140),  # the sample's own findings
        ("time.increment", 269),  # not expense.unit-cost-cap at 288: the sample is in pounds, the preset's caps in dollars
    ]


@pytest.mark.parametrize("digits", [MAX_DIGITS, MAX_DIGITS + 1, 1_000_001])
@pytest.mark.parametrize("sample", ["xml2.2", "xml2000"])
@pytest.mark.parametrize("name", ["units", "rate", "total_amount", "base_amount"])
def test_a_number_too_wide_to_compute_with_is_kept_as_text_and_reported(tmp_path: Path, sample, name, digits):
    """Up to MAX_DIGITS digits a number is read as one; wider (a million digits overflowed the context) it is text.

    Either way every rule, the strict guidelines' too, meets it without raising, and the
    reader's finding is at its line.
    """
    data, key = (SAMPLE_22, "xml2.2") if sample == "xml2.2" else (SAMPLE_2000, "xml2000")
    text = "9" * digits
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, load_dtd=False))
    element = next(root.iter(_tag(root, name) if sample == "xml2.2" else name))
    element.text = text
    path = tmp_path / "wide.xml"
    path.write_bytes(etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8"))
    file_format = format_named(key)
    sink = DiagnosticSink(None, Config().level_of, file_format.field_names)
    with path.open("rb") as stream:
        invoices = list(file_format.read(stream, sink.emit, None))
    item = next(iter(invoices[0].line_items))
    value = {"units": item.units, "rate": item.unit_cost, "total_amount": None, "base_amount": None}[name]
    wide = [d for d in sink.diagnostics if d.rule == "field.number"]
    if digits <= MAX_DIGITS:
        assert wide == [] and value in (None, decimal.Decimal(text))
    else:
        assert [(d.line, d.field.rsplit("/", 1)[-1]) for d in wide] == [(element.sourceline, name)]
        assert f"has {digits} digits" in wide[0].message and value in (None, Unparsed(text))
    report = ledes.validate([path], guidelines.preset("strict"))
    check_diagnostics(report.files[0].diagnostics, path.read_bytes())


def test_hours_and_minutes_with_many_digits_are_read_exactly_or_reported():
    from ledes.formats.ledes2000.table import HOURS, convert

    assert convert(HOURS, "9" * 30 + ":30")[0] == decimal.Decimal("9" * 30 + ".5")
    assert convert(HOURS, "1" * 40 + ":01")[0] == decimal.Decimal("1" * 40 + ".0167")
    value, (rule, message) = convert(HOURS, "9" * 5000 + ":30")
    assert value == Unparsed("9" * 5000 + ":30") and rule == "field.number" and "has 5000 digits" in message


@pytest.mark.parametrize(("text", "problem"), [
    ("9" * 5000, "already used"),  # once more than int() converts
    ("\u00b2", "expected a positive whole number"),  # a digit to str.isdigit, not to int()
    ("00", "expected a positive whole number"),
])
def test_an_item_number_int_cannot_convert_is_reported(text, problem):
    root = etree.fromstring(SAMPLE_22)
    for number in root.iter(_tag(root, "file_item_nbr")):
        number.text = text
    _, diagnostics = read(etree.tostring(root, encoding="UTF-8"))
    assert {d.rule for d in diagnostics if problem in d.message} == {"xml.item-number"}


def test_an_unclassified_fee_stays_unclassified_when_written_and_read_back():
    """The tksum of 22547 has no tk_id and a fee of theirs no tk_level: the fee reads with no classification.

    The writer used to write the timekeeper's PARTNR summary first, so the fee read back as PARTNR.
    """
    invoices, diagnostics = read_as("xml2.1", TKSUM_WITHOUT_ID_21)
    assert [(d.rule, d.field) for d in diagnostics] == [
        ("field.required", "/ledesxmlebilling2.1/firm[1]/client[1]/invoice[1]/matter[1]/tksum[1]/tk_id")]
    fees = [(item.timekeeper.id, item.timekeeper.classification) for item in invoices[0].matters[0].line_items[:3]]
    assert fees == [("22547", "PARTNR"), ("22547", None), ("45875", "ASSOC")]
    out = io.StringIO()
    format_named("xml2.1").write(invoices, out)
    again, diagnostics = read_as("xml2.1", out.getvalue().encode("utf-8"))
    assert again == invoices and diagnostics == []


def test_a_wide_tax_rate_keeps_every_digit_of_the_lines_and_reads_back_the_same(scratch):
    """630.00 at a rate of 99…9.9 (33 digits) is a tax and a total to the cent, not 6.3E+34; written and read back, the same.

    Validation then reports the stated figures the lines no longer match, and no line as inconsistent with itself.
    """
    rate = decimal.Decimal("9" * 32 + ".9")
    invoices, diagnostics = read(TAX_RATE_33_DIGITS_22)
    assert [d.rule for d in diagnostics] == ["field.tax-rate"]  # not a fraction: a rate is below 1
    fee = next(iter(invoices[0].line_items))
    # 630 × (10**32 - 0.1) = 630 × 10**32 - 63, to the cent; the total is 630 more.
    assert (fee.tax_rate, str(fee.tax_total), str(fee.total)) == (
        rate, "62999999999999999999999999999999937.00", "63000000000000000000000000000000567.00")
    out = io.StringIO()
    format_named("xml2.2").write(invoices, out)
    assert "<total_amount>630.00</total_amount>" in out.getvalue()
    assert read(out.getvalue().encode("utf-8"))[0] == invoices
    scratch.write_bytes(TAX_RATE_33_DIGITS_22)
    report = ledes.validate_file(scratch, config=CONFIG)
    assert {d.rule for d in report.diagnostics} == {
        "field.tax-rate", "arithmetic.invoice-total", "arithmetic.invoice-tax", "arithmetic.matter-totals"}
    assert all("E+" not in d.message for d in report.diagnostics)  # every figure in full


def read_as(key: str, data: bytes) -> tuple[list, list]:
    file_format = format_named(key)
    sink = DiagnosticSink(None, Config().level_of, file_format.field_names)
    return list(file_format.read(io.BytesIO(data), sink.emit, None)), sink.diagnostics
