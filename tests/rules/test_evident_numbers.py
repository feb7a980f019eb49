"""A malformed number with one evident value is reported and still computed with; one with none names the checks it stops.

``fixtures/generators/1998b_malformed_numbers.txt`` is an invoice as spreadsheet-fed
generators write it: ``+1225.00``, ``$200.00``, ``$157.50`` and ``(100.00)`` for amounts,
``1,200`` for units (1200 or 1.2?), and an INVOICE_TOTAL that is wrong however those are
read. Converted to LEDES XML 2.1, 2.2 and 2000 (which write the text as the source has
it), the same arithmetic runs on the same values.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import ledes
from ledes.model import Unparsed, amount
from ledes.money import evident_amount
from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
MALFORMED = ROOT / "fixtures" / "generators" / "1998b_malformed_numbers.txt"
VAT_1998BI = ROOT / "fixtures" / "1998bi" / "valid" / "multi_matter_vat.txt"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("+100.00", "100.00"), ("1,250.00", "1250.00"), ("$5", "5"), ("(70.00)", "-70.00"), ("70.00-", "-70.00"),
        (" 5", "5"), ("1 250,00", "1250.00"), ("1.250,00", "1250.00"), ("1\u00a0250,00", "1250.00"),
        ("12,50", "12.50"), ("0,125", "0.125"), ("1,250,000", "1250000"), ("($1,250.00)", "-1250.00"),
        ("-$5", "-5"), ("£24.95", "24.95"), ("5 €", "5"),
    ],
)
def test_a_number_with_one_reading_has_that_evident_value(text: str, value: str):
    assert evident_amount(text) == Decimal(value)
    assert str(evident_amount(text)) == value


@pytest.mark.parametrize("text", ["1,250", "N/A", "(-5)", "--5", "1.2.3", "1,25,0", "01,250.00", "", "+", "abc"])
def test_a_number_that_reads_two_ways_or_none_has_no_evident_value(text: str):
    assert evident_amount(text) is None


def findings(report: ledes.Report) -> list[tuple[str, str | None, Decimal | None]]:
    """(rule, field, money at stake) of each finding; the money compares by value (17.5000 is 17.50)."""
    return [(d.rule, d.location.field, d.amount) for d in report.diagnostics]


def test_1998b_syntax_is_reported_and_the_arithmetic_runs_on_the_evident_values():
    """Each malformed number is a field.number error saying how it is read; the wrong total and line are still found."""
    report = ledes.validate_file(MALFORMED)
    assert findings(report) == [
        ("field.number", "LINE_ITEM_TOTAL", None),
        ("arithmetic.invoice-total", "INVOICE_TOTAL", Decimal("65.50")),  # 1800.00 stated; 1225+250+190+12+157.50-100
        ("field.number", "LINE_ITEM_UNIT_COST", None),
        ("field.number", "LINE_ITEM_NUMBER_OF_UNITS", None),
        ("field.number", "LINE_ITEM_TOTAL", None),
        ("arithmetic.line-total", "LINE_ITEM_TOTAL", Decimal("17.50")),  # $157.50 for 0.50 h at 350.00
        ("field.number", "LINE_ITEM_TOTAL", None),
    ]
    messages = [d.message for d in report.diagnostics if d.rule == "field.number"]
    assert messages[0].endswith("read as 1225.00 for the arithmetic")
    assert messages[1].endswith("read as 200.00 for the arithmetic")
    assert "reads two ways" in messages[2] and messages[2].endswith("this line's total is not checked (arithmetic.line-total)")
    assert messages[3].endswith("read as 157.50 for the arithmetic")
    assert messages[4].endswith("read as -100.00 for the arithmetic")


def test_the_model_keeps_the_text_and_carries_the_evident_value_and_the_writer_reproduces_the_file(tmp_path: Path):
    [invoice] = ledes.iter_invoices(MALFORMED)
    first = next(invoice.line_items)
    assert type(first.total) is Unparsed and first.total == "+1225.00" and first.total.evident == Decimal("1225.00")
    assert amount(first.total) == Decimal("1225.00")
    units = list(invoice.line_items)[3].units
    assert units == "1,200" and amount(units) is None
    out = tmp_path / "again.txt"
    ledes.write([invoice], out, "1998b")  # with LF line ends, the writer's own
    assert out.read_bytes().replace(b"\r\n", b"\n") == MALFORMED.read_bytes().replace(b"\r\n", b"\n")


def test_show_and_report_total_the_evident_values(tmp_path: Path):
    shown = CliRunner().invoke(main, ["show", str(MALFORMED)])
    assert "invoice total 1,800.00  ≠ lines 1,734.50" in shown.output
    assert re.search(r"all line items +6 +1,734\.50\n", shown.output)
    report = CliRunner().invoke(main, ["report", "--format", "csv", str(MALFORMED)])
    assert "1734.50" in report.output


@pytest.mark.parametrize("target", ["xml2.1", "xml2.2", "xml2000"])
def test_xml_reads_the_same_malformed_numbers_the_same_way(target: str, tmp_path: Path):
    """The XML writers write the text as it is; read back, the same values are evident and the same totals wrong."""
    out = tmp_path / "invoice.xml"
    converted = ledes.convert(MALFORMED, out, to=target, law_firm_name="Arnsley LLP", allow_loss=True)
    found = findings(ledes.validate_file(out))
    assert ("arithmetic.invoice-total", "inv_total_net_due", Decimal("65.50")) in found
    assert ("arithmetic.line-total", "total_amount", Decimal("17.50")) in found
    assert "arithmetic.matter-totals" not in {rule for rule, _, _ in found}  # the writer's figures use the same values
    messages = [d.message for d in converted.output_diagnostics if d.rule == "field.number"]
    assert any(message.endswith("read as 200.00 for the arithmetic") for message in messages)
    assert any("this line's total is not checked" in message for message in messages)
    # XML 2.x writes a discount's amount as the source has it; LEDES 2000 writes the matter's reduction it computes.
    assert any(message.endswith("read as -100.00 for the arithmetic") for message in messages) == (target != "xml2000")


def test_1998bi_computes_with_an_evident_thousands_separated_total(tmp_path: Path):
    """1,250.00 for 840 in a 1998BI line total is still 1250.00 to the line and invoice arithmetic."""
    text = VAT_1998BI.read_text(encoding="utf-8").replace("|0|840|", "|0|1,250.00|", 1)
    path = tmp_path / "invoice.txt"
    path.write_text(text, encoding="utf-8")
    found = findings(ledes.validate_file(path))
    assert ("field.number", "LINE_ITEM_TOTAL", None) in found
    assert ("arithmetic.line-total", "LINE_ITEM_TOTAL", Decimal("410.00")) in found  # 2 × 350 + 140 tax = 840
    assert ("arithmetic.invoice-total", "INVOICE_TOTAL", Decimal("410.00")) in found


def test_a_line_total_with_no_evident_value_stops_only_the_checks_it_feeds(tmp_path: Path):
    text = MALFORMED.read_text(encoding="utf-8").replace("|+1225.00|", "|N/A|")
    path = tmp_path / "invoice.txt"
    path.write_text(text, encoding="utf-8")
    report = ledes.validate_file(path)
    [unread] = [d for d in report.diagnostics if d.message.startswith("'N/A'")]
    assert unread.message.endswith(
        "neither this line's total nor the invoice total is checked (arithmetic.line-total, arithmetic.invoice-total)")
    rules = [d.rule for d in report.diagnostics]
    assert "arithmetic.invoice-total" not in rules
    assert rules.count("arithmetic.line-total") == 1  # the $157.50 line is still checked
