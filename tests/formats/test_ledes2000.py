"""LEDES 2000: a hand-written file is read with the totals worked out by hand; the generator-quirks fixture
with the right totals and a diagnostic per quirk; the writer is clean."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import ledes
from ledes.diagnostics import DiagnosticSink
from ledes.engine import Config
from ledes.formats import format_named
from ledes.formats.ledes2000 import read_2000
from ledes.rules import RULES_BY_NAME
from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
QUIRKS = ROOT / "fixtures" / "xml" / "ledes2000_generator_quirks.xml"
# Written by hand, its arithmetic worked out by hand in fixtures/xml/README.md: the reader's clean input.
HANDWRITTEN = ROOT / "fixtures" / "xml" / "ledes2000_handwritten.xml"
# The writer's output for the 2.1 sample: only ever the writer's expected output, never a reader's input.
WRITER_OUTPUT = ROOT / "fixtures" / "xml" / "ledes2000_sample.xml"
XML_21 = ROOT / "fixtures" / "xml" / "ledes21_sample.xml"
LEDES_2000 = format_named("xml2000")


def read(data: bytes) -> tuple[list[ledes.Invoice], list[ledes.Diagnostic]]:
    sink = DiagnosticSink("t", Config().level_of, LEDES_2000.field_names)
    invoices = list(read_2000(io.BytesIO(data), sink.emit, "t"))
    return invoices, sink.diagnostics


# ------------------------------------------------------------- the hand-written file
# Every figure below was worked out by hand (fixtures/xml/README.md, "ledes2000_handwritten.xml"),
# never taken from the library: per line, per matter and per invoice.
D = Decimal
HAND_LINES = {  # (invoice, matter) -> (type, units, unit cost, total) of each line, the adjustment last
    ("HWL-24-0311", "HWL-5521"): [
        ("F", D("1.20"), D("540.00"), D("648.00")),
        ("F", D("4.50"), D("325.00"), D("1300.00")),  # base 1462.50, written down by 162.50
        ("F", D("0.80"), D("540.00"), D("432.00")),
        ("F", D("2.30"), D("165.00"), D("379.50")),
        ("E", D("1"), D("435.00"), D("435.00")),
        ("E", D("1250"), D("0.10"), D("125.00")),
    ],
    ("HWL-24-0311", "HWL-5530"): [
        ("F", D("3.00"), D("325.00"), D("975.00")),
        ("F", D("0.50"), D("540.00"), D("270.00")),
        ("E", D("1"), D("650.00"), D("650.00")),
        ("IF", None, None, D("-100.00")),  # matter_adj_on_fees 100.00
    ],
    ("HWL-24-0312", "HWL-5547"): [
        ("F", D("1.75"), D("325.00"), D("568.75")),
        ("E", D("38"), D("0.67"), D("25.46")),
        ("E", D("1"), D("42.80"), D("42.80")),
        ("IE", None, None, D("-42.80")),  # matter_adj_on_exp 42.80
    ],
}
# matter -> detail fees, detail expenses, net fees, net expenses, total due
HAND_MATTERS = {
    "HWL-5521": (D("2759.50"), D("560.00"), D("2759.50"), D("560.00"), D("3319.50")),
    "HWL-5530": (D("1245.00"), D("650.00"), D("1145.00"), D("650.00"), D("1795.00")),
    "HWL-5547": (D("568.75"), D("68.26"), D("568.75"), D("25.46"), D("594.21")),
}
HAND_INVOICES = {"HWL-24-0311": D("5114.50"), "HWL-24-0312": D("594.21")}  # inv_total_net_due; 5708.71 in all


def test_the_handwritten_file_is_read_with_the_totals_worked_out_by_hand():
    report = ledes.validate_file(HANDWRITTEN)
    assert (report.format, report.invoices, report.line_items, report.diagnostics) == ("LEDES2000", 2, 14, ())
    invoices = list(ledes.iter_invoices(HANDWRITTEN))
    assert {invoice.number: invoice.total for invoice in invoices} == HAND_INVOICES
    lines, matters = {}, {}
    for invoice in invoices:
        assert (invoice.currency, invoice.client.id, invoice.law_firm.id) == ("USD", "GRN-0042", "94-3318120")
        assert invoice.law_firm.name == "Harrow, Wexley & Lund LLP"
        for matter in invoice.matters:
            items = matter.line_items
            lines[(invoice.number, matter.law_firm_matter_id)] = [
                (item.type.value, item.units, item.unit_cost, item.total) for item in items]
            fees = sum(item.total for item in items if item.type is ledes.LineItemType.FEE)
            expenses = sum(item.total for item in items if item.type is ledes.LineItemType.EXPENSE)
            fee_adjustment = sum(item.total for item in items if item.type is ledes.LineItemType.FEE_ADJUSTMENT)
            expense_adjustment = sum(item.total for item in items if item.type is ledes.LineItemType.EXPENSE_ADJUSTMENT)
            matters[matter.law_firm_matter_id] = (fees, expenses, fees + fee_adjustment, expenses + expense_adjustment,
                                                  sum(item.total for item in items))
        assert sum(matters[m.law_firm_matter_id][4] for m in invoice.matters) == HAND_INVOICES[invoice.number]
    assert lines == HAND_LINES
    assert matters == HAND_MATTERS
    written_down = invoices[0].matters[0].line_items[1]
    assert (written_down.adjustment, written_down.timekeeper.classification) == (D("-162.50"), "ASSOC")


def test_the_handwritten_file_through_the_command_line():
    """`ledes validate` finds nothing; `ledes show --format json` gives the figures worked out by hand."""
    runner = CliRunner()
    validated = runner.invoke(main, ["validate", str(HANDWRITTEN)])
    assert validated.exit_code == 0, validated.output
    assert validated.output.strip().endswith("LEDES2000, 2 invoices, 14 line items: 0 errors, 0 warnings")
    as_json = runner.invoke(main, ["validate", "--format", "json", str(HANDWRITTEN)])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output)["summary"] == {"files": 1, "errors": 0, "warnings": 0, "at_risk": "0.00"}
    shown = runner.invoke(main, ["show", "--format", "json", str(HANDWRITTEN)])
    assert shown.exit_code == 0, shown.output
    document = json.loads(shown.output)
    assert document["format"] == "LEDES2000"
    first, second = document["invoices"]
    assert [(i["number"], i["invoice_total"], i["line_total"], i["currency"], i["tax_total"]) for i in (first, second)] == [
        ("HWL-24-0311", "5114.50", "5114.50", "USD", None),
        ("HWL-24-0312", "594.21", "594.21", "USD", None),
    ]
    # A matter's units are its fee hours; its expense quantities (1,251 copies) are apart, never added to them.
    assert [(m["law_firm_matter_id"], m["client_matter_id"], m["lines"], m["units"], m["expense_units"], m["amount"])
            for i in (first, second) for m in i["matters"]] == [
        ("HWL-5521", "GB-LIT-118", 6, "8.80", "1251.00", "3319.50"),
        ("HWL-5530", "GB-IP-204", 4, "3.50", "1.00", "1795.00"),
        ("HWL-5547", "GB-RE-031", 4, "1.75", "39.00", "594.21"),
    ]
    assert first["by_line_type"] == {
        "F fee": {"lines": 6, "units": "12.30", "amount": "4004.50"},
        "E expense": {"lines": 3, "units": "1252.00", "amount": "1210.00"},
        "IF fee adjustment": {"lines": 1, "units": "0.00", "amount": "-100.00"},
    }
    assert second["by_line_type"] == {
        "F fee": {"lines": 1, "units": "1.75", "amount": "568.75"},
        "E expense": {"lines": 2, "units": "39.00", "amount": "68.26"},
        "IE expense adjustment": {"lines": 1, "units": "0.00", "amount": "-42.80"},
    }
    assert [(k["id"], k["classification"], k["hours"], k["fees"]) for k in first["timekeepers"]] == [
        ("T101", "PARTNR", "2.50", "1350.00"), ("T214", "ASSOC", "7.50", "2275.00"), ("T307", "PARALG", "2.30", "379.50")]
    assert [(k["id"], k["hours"], k["fees"]) for k in second["timekeepers"]] == [("T214", "1.75", "568.75")]
    assert (document["totals"]["line_items"], document["totals"]["amount"]) == (14, "5708.71")


def test_generator_quirks_are_read_with_the_right_totals_per_matter():
    """Two matters merged in one element come back as two matters, each with its own lines and totals."""
    [invoice], _ = read(QUIRKS.read_bytes())
    assert [matter.law_firm_matter_id for matter in invoice.matters] == ["0528", "1326"]
    totals = [sum(item.total for item in matter.line_items) for matter in invoice.matters]
    assert totals == [Decimal("1090.00"), Decimal("600.00")]
    assert sum(totals) == invoice.total == Decimal("1690.00")
    fees = [item for item in invoice.line_items if item.type is ledes.LineItemType.FEE]
    assert [item.units for item in fees] == [Decimal("2.5"), Decimal("1"), Decimal("3")]
    assert [item.timekeeper.classification for item in fees] == ["PARTNR", "PARTNR", "ASSOC"]  # from tk_sum
    assert invoice.law_firm.id == "SP01" and invoice.law_firm.name == "Escritorio Silva & Souza"  # if_ prefix
    assert invoice.law_firm.address.city == "São Paulo"  # Windows-1252 bytes, read as such
    assert invoice.description == "Fees < USD 5,000 cap"
    assert fees[2].description == "Review licence agreement for Smith & Jones"


def test_each_quirk_that_changes_meaning_is_reported_with_line_and_xpath():
    """One diagnostic per quirk, at its line, with the XPath of the element it concerns; nothing else."""
    report = ledes.validate_file(QUIRKS)
    found = [(d.rule, d.line, d.location.xpath) for d in report.diagnostics]
    assert found == [
        ("xml.unescaped", 8, "/ledesxml/firm/if_name"),
        ("xml.encoding", 12, "/ledesxml/firm/if_address/address_info/city"),
        ("field.currency", 35, "/ledesxml/client[1]/invoice[1]/inv_currency"),  # 'Dolar', as in 1998BI
        ("xml.unescaped", 38, "/ledesxml/client[1]/invoice[1]/inv_desc"),
        ("field.hours-minutes", 71, "/ledesxml/client[1]/invoice[1]/matter[1]/fee[1]/units"),
        ("field.hours-minutes", 83, "/ledesxml/client[1]/invoice[1]/matter[1]/fee[2]/units"),
        ("xml.merged-matters", 97, "/ledesxml/client[1]/invoice[1]/matter[1]/cl_matter_id[2]"),
        ("xml.unescaped", 121, "/ledesxml/client[1]/invoice[1]/matter[2]/fee[1]/charge_desc"),
        ("field.hours-minutes", 125, "/ledesxml/client[1]/invoice[1]/matter[2]/fee[1]/units"),
    ]
    assert report.format == "LEDES2000" and report.invoices == 1 and report.line_items == 4


def test_two_elements_on_one_line_are_well_formed_not_unescaped_markup():
    """``<units>1.00</units><units>9.00</units>`` is well-formed XML: the second value is reported as repeated (the
    first is read), as in XML 2.x, not as one value holding unescaped markup."""
    data = QUIRKS.read_bytes().replace(b"<units>03:00</units>", b"<units>03:00</units><units>9.00</units>")
    [invoice], diagnostics = read(data)
    rules = {(d.rule, d.line) for d in diagnostics}
    assert ("xml.unmapped", 125) in rules and ("field.hours-minutes", 125) in rules
    assert not {(rule, line) for rule, line in rules if line == 125} & {("xml.unescaped", 125), ("field.number", 125)}
    assert invoice.matters[1].line_items[0].units == Decimal("3")


def test_hours_minutes_edge_cases_are_reported_never_silently_changed():
    """``:60`` minutes and ``****`` (100 hours or more) are reported; the second keeps its text."""
    data = QUIRKS.read_bytes().replace(b"<units>01:00</units>", b"<units>00:60</units>").replace(
        b"<units>03:00</units>", b"<units>****</units>")
    [invoice], diagnostics = read(data)
    rules = {(d.rule, d.line) for d in diagnostics}
    assert ("field.hours-minutes", 83) in rules and ("field.number", 125) in rules
    assert [item.units for item in invoice.line_items][1] == Decimal("1")
    assert isinstance(invoice.matters[1].line_items[0].units, ledes.Unparsed)


def test_hours_minutes_units_are_multiplied_to_the_minute_not_at_four_decimals(tmp_path: Path):
    """``00:20`` at 300.00 is 100.00, as the file states it; read to 4 decimals (0.3333) it would give 99.99 and a
    cent of arithmetic error that the file never had. Twenty-one minutes at the same rate (105.00) is still an error."""
    data = QUIRKS.read_bytes().replace(b"<units>01:00</units>", b"<units>00:20</units>")
    data = data.replace(b"<base_amount>300.00</base_amount>", b"<base_amount>100.00</base_amount>")
    data = data.replace(b"<total_amount>300.00</total_amount>", b"<total_amount>100.00</total_amount>")
    [invoice], _ = read(data)
    assert invoice.matters[0].line_items[1].units == Decimal("0.3333")  # the model keeps 4 decimals
    assert invoice.matters[0].line_items[1].spellings == {"units": "00:20"}

    def findings_on_the_fee(document: bytes) -> list[tuple[str, int, Decimal | None]]:
        path = tmp_path / "invoice.xml"
        path.write_bytes(document)
        return sorted((d.rule, d.line, d.amount) for d in ledes.validate_file(path).diagnostics if 76 <= d.line <= 87)

    assert findings_on_the_fee(data) == [("field.hours-minutes", 83, None)]
    wrong = data.replace(b"<units>00:20</units>", b"<units>00:21</units>")
    assert findings_on_the_fee(wrong) == [  # the stated total and the stated base, each 5.00 short of 21 minutes
        ("arithmetic.line-total", 76, Decimal("5")), ("arithmetic.line-total", 76, Decimal("5")),
        ("field.hours-minutes", 83, None)]


def test_the_writer_writes_clean_2000():
    """Decimal hours, one matter per element, escaped text, the DOCTYPE line; well-formed without any repair."""
    [invoice], _ = read(QUIRKS.read_bytes())
    text = ledes.dumps([invoice], "xml2000")
    lines = text.splitlines()
    assert lines[:3] == ['<?xml version="1.0" encoding="UTF-8"?>',
                         '<!DOCTYPE ledesxml SYSTEM "http://www.ledes.org/ledes2000.dtd">', "<ledesxml>"]
    tree = etree.fromstring(text.encode("utf-8"), etree.XMLParser(load_dtd=False, no_network=True))
    assert [matter.findtext("lf_matter_id") for matter in tree.iter("matter")] == ["0528", "1326"]
    assert [units.text for units in tree.iter("units")] == ["2.5", "1", "1", "3"]
    assert "Smith &amp; Jones" in text and "Fees &lt; USD 5,000 cap" in text
    again, diagnostics = read(text.encode("utf-8"))
    # The generator's inv_currency 'Dolar' is written as it was read, and reported as in 1998BI.
    assert [d.rule for d in diagnostics] == ["field.currency"] and again == [invoice]


def test_several_firms_cannot_share_one_2000_file():
    """LEDES 2000 has one firm per file: a second firm is a clear error, not a silently merged file."""
    [invoice], _ = read(QUIRKS.read_bytes())
    other = attrs.evolve(invoice, law_firm=ledes.LawFirm("OTHER", "Other LLP"))
    with pytest.raises(ledes.LedesWriteError, match="one firm per file"):
        ledes.dumps([invoice, other], "xml2000")


def test_21_to_2000_lists_exactly_what_2000_cannot_hold(tmp_path: Path):
    """2.1 -> 2000 names the PO number, account type, URL, contact phone, discount code and an item discount of
    0.00: 2000 has no field for them (nor for a line number of its own; the zero discount would come back as no
    discount), so they are warnings and the file is written; strict refuses."""
    expected = {"po_number", "account_type", "firm_URL", "client_contact/contact_phone", "disc_cred",
                "item_disc_cred_amount", "line number (document order)"}
    with pytest.raises(ledes.LedesDataLossError) as refused:
        ledes.convert(XML_21, tmp_path / "strict.xml", to="xml2000", strict=True)
    assert {loss.location.field for loss in refused.value.losses} == expected
    written = ledes.convert(XML_21, tmp_path / "out.xml", to="xml2000")
    assert {loss.location.field for loss in written.losses} == expected
    assert {loss.rule for loss in written.losses} == {"convert.unsupported-field"}
    assert written.output_diagnostics == ()


def test_the_writer_writes_the_21_sample_as_this_2000_file(tmp_path: Path):
    """ledes2000_sample.xml is the writer's expected output for the 2.1 sample, byte for byte (and nothing else)."""
    out = tmp_path / "out.xml"
    ledes.convert(XML_21, out, to="xml2000", allow_loss=True)
    assert out.read_bytes() == WRITER_OUTPUT.read_bytes()


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare(1) to cut the network off")
def test_no_network_while_reading_a_file_whose_doctype_points_at_the_ledes_site():
    """`ledes validate` and `ledes show` on a 2000 file, in a process with no network at all, succeed."""
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot create a network namespace here: {probe.stderr.decode().strip()}")
    for command in ("validate", "show"):
        result = subprocess.run(
            ["unshare", "-rn", sys.executable, "-m", "ledes_cli", command, str(HANDWRITTEN)],
            capture_output=True, text=True, timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert "LEDES2000" in result.stdout


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(QUIRKS.read_bytes())), st.integers(0, 40), st.binary(max_size=12)),
                min_size=1, max_size=4))
def test_the_quirks_file_damaged_gives_only_diagnostics(tmp_path: Path, edits):
    """Bytes cut, replaced or inserted anywhere in the quirks file: the repairing reader gives findings, never an exception."""
    data = QUIRKS.read_bytes()
    for position, length, replacement in edits:
        data = data[:position] + replacement + data[position + length:]
    path = tmp_path / "damaged.xml"
    path.write_bytes(data)
    report = ledes.validate_file(path, format="xml2000")
    assert all(d.rule in RULES_BY_NAME for d in report.diagnostics)
    assert report.format == "LEDES2000"


def test_one_rate_spelt_two_ways_is_one_timekeeper_summary(tmp_path: Path):
    """Fees at 1250.00 and at 1250 are one rate: one tk_sum whose hours and cost are both fees', not two summaries
    that each disagree with the timekeeper's fees (as the arithmetic reads them)."""
    header = (ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt").read_text(encoding="utf-8")
    head = "".join(header.splitlines(keepends=True)[:2])
    rows = [
        "20240331|Q-1|00711|M-1|4375.00|20240301|20240331|Legal services|1|F|2.5||3125.00|20240304|L110||A106|0042|"
        "Review coverage letter|36-4815162|1250.00|Arnsley, Robert|PARTNR|[]",
        "20240331|Q-1|00711|M-1|4375.00|20240301|20240331|Legal services|2|F|1||1250.00|20240305|L120||A104|0042|"
        "Draft memo|36-4815162|1250|Arnsley, Robert|PARTNR|[]",
    ]
    source = tmp_path / "in.txt"
    source.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    target = tmp_path / "out.xml"
    ledes.write(ledes.load(source), target, format="xml2000")
    written = target.read_text(encoding="utf-8")
    assert written.count("<tk_sum>") == 1 and "<tk_hours>3.5</tk_hours>" in written
    assert [d.rule for d in ledes.validate_file(target).diagnostics if d.severity.value == "error"] == []


def test_a_tk_sum_of_a_timekeeper_no_line_bills_is_reported_and_refused_by_convert(tmp_path: Path):
    """A ``tk_sum`` whose tk_id no line of its matter bills is not read into the model: an ``xml.unmapped`` finding at
    its line and XPath, which ``convert`` lists as a loss (nothing written without allow_loss)."""
    text = (ROOT / "fixtures" / "xml" / "ledes2000_sample.xml").read_text(encoding="utf-8")
    first = text.index("<tk_sum>")
    unused = ("<tk_sum><tk_id>99999</tk_id><tk_lname>Unused</tk_lname><tk_fname>Nobody</tk_fname>"
              "<tk_level>PARALG</tk_level><tk_rate>100.00</tk_rate><tk_hours>0.00</tk_hours><tk_cost>0.00</tk_cost>"
              "</tk_sum>\n")
    changed = text[:first] + unused + text[first:]
    read_back, diagnostics = read(changed.encode("utf-8"))
    assert [(d.rule, d.message, d.location.line) for d in diagnostics] == [
        ("xml.unmapped", "<tk_sum> of tk_id '99999' (Unused, Nobody, PARALG) names a timekeeper no line of this matter"
                         " bills; it is not read, and converting does not carry it over",
         text.count("\n", 0, first) + 1)]
    assert read(text.encode("utf-8"))[1] == []
    source = tmp_path / "unused.xml"
    assert read_back == read(text.encode("utf-8"))[0]  # the rest is read as before
    source.write_text(changed, encoding="utf-8")
    with pytest.raises(ledes.LedesDataLossError) as refused:
        ledes.convert(source, tmp_path / "out.xml", to="xml2000")
    assert [loss.rule for loss in refused.value.losses] == ["xml.unmapped"]
