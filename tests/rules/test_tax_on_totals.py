"""LEDES XML gives each line's taxes by rate only: a tax worked out once on the taxable total is as right as line by line."""

from __future__ import annotations

from pathlib import Path

import pytest

import ledes

ROOT = Path(__file__).resolve().parents[2]
ON_TOTAL = ROOT / "fixtures" / "xml" / "ledes22_tax_on_total.xml"


def errors(path: Path) -> list[tuple[str, str]]:
    checked = ledes.validate([path]).files[0]
    return [(d.rule, d.message) for d in checked.diagnostics if d.severity is ledes.Severity.ERROR]


def test_vat_rounded_once_on_the_matters_taxable_total_passes():
    """99.99 × 20 % = 20.00 in the tax summary, the matter, the invoice and the total due (line by line: 20.01)."""
    assert errors(ON_TOTAL) == []


def test_vat_rounded_line_by_line_passes_too(tmp_path: Path):
    text = ON_TOTAL.read_text(encoding="utf-8").replace(">20.00<", ">20.01<").replace(">119.99<", ">120.00<")
    by_line = tmp_path / "by_line.xml"
    by_line.write_text(text, encoding="utf-8")
    assert errors(by_line) == []


@pytest.mark.parametrize(("tax", "due"), [("20.02", "120.01"), ("19.99", "119.98")])
def test_a_tax_that_is_neither_is_an_error_at_each_figure(tmp_path: Path, tax: str, due: str):
    text = ON_TOTAL.read_text(encoding="utf-8").replace(">20.00<", f">{tax}<").replace(">119.99<", f">{due}<")
    wrong = tmp_path / "wrong.xml"
    wrong.write_text(text, encoding="utf-8")
    found = sorted(rule for rule, _ in errors(wrong))
    assert found == ["arithmetic.invoice-tax", "arithmetic.invoice-total", "arithmetic.matter-totals",
                     "arithmetic.matter-totals", "arithmetic.matter-totals"]


def test_the_tax_on_the_total_is_shared_out_over_the_lines_so_every_command_counts_it(tmp_path: Path):
    """The reader shares the stated 20.00 out as 6.67 + 6.67 + 6.66, so the lines add up to the stated total (show,
    report); 1998BI, which states each line's tax as base × rate, then holds a line 0.01 off, which it reports."""
    invoice = next(iter(ledes.load(ON_TOTAL)))
    assert invoice.taxes_by_rate
    assert [str(item.tax_total) for item in invoice.line_items] == ["6.67", "6.67", "6.66"]
    assert sum(item.total for item in invoice.line_items) == invoice.total
    written = tmp_path / "bi.txt"
    ledes.write([invoice], written, "1998bi")
    assert not next(iter(ledes.iter_invoices(written))).taxes_by_rate
    assert "arithmetic.line-tax" in {rule for rule, _ in errors(written)}


def test_a_tax_rate_written_as_a_percentage_is_reported_at_its_element(tmp_path: Path):
    """tax_rate_percent holds a fraction (7.2516 % is 0.072516): 20.00 for 20 % is a field.tax-rate error at it."""
    percent = tmp_path / "percent.xml"
    percent.write_text(ON_TOTAL.read_text(encoding="utf-8").replace(">0.20<", ">20.00<"), encoding="utf-8")
    checked = ledes.validate([percent]).files[0]
    (rate,) = [d for d in checked.diagnostics if d.rule == "field.tax-rate"]
    assert rate.location is not None and rate.location.xpath == "/ledesxmlebilling2.2/firm[1]/tax[1]/tax_rate_percent"
    assert "20 % is 0.20" in rate.message


def _two_taxes(text: str) -> str:
    """The fixture with a second tax, T2 at 5 %, on every fee beside VAT, each fee 0.10 h × 300.20 = 30.02: taxable
    90.06, VAT 18.012 → 18.01 and T2 4.503 → 4.50 worked out on the total (22.51), line by line 3 × 7.51 = 22.53."""
    tax2 = ("<tax><tx_id>T2</tx_id><tax_type>GST</tax_type><tax_rate_percent>0.05</tax_rate_percent>"
            "<increase_decrease>Increase</increase_decrease><tax_tiers>N</tax_tiers><file_item_nbr>90</file_item_nbr></tax>")
    text = text.replace("<client>", tax2 + "<client>", 1)
    for number, item in ((11, 91), (13, 92), (15, 93)):
        text = text.replace(f"<file_item_nbr>{number}</file_item_nbr>\n            </tax_item_fee>",
                            f"<file_item_nbr>{number}</file_item_nbr></tax_item_fee><tax_item_fee><tx_id>T2</tx_id>"
                            f"<file_item_nbr>{item}</file_item_nbr></tax_item_fee>", 1)
    for old, new in ((">333.30<", ">300.20<"), (">33.33<", ">30.02<"), (">99.99<", ">90.06<"), (">20.00<", ">22.51<"),
                     (">119.99<", ">112.57<")):
        text = text.replace(old, new)
    summary = ("<tax_summary><tx_id>T2</tx_id><tax_total_detail_fees>90.06</tax_total_detail_fees><total_tax_on_fees>"
               "4.50</total_tax_on_fees><tax_total_detail_expense>0.00</tax_total_detail_expense><total_tax_on_expense>"
               "0.00</total_tax_on_expense><file_item_nbr>94</file_item_nbr></tax_summary>")
    text = text.replace("<total_tax_on_fees>22.51</total_tax_on_fees>", "<total_tax_on_fees>18.01</total_tax_on_fees>", 1)
    return text.replace("</tax_summary>", "</tax_summary>" + summary, 1)


def test_two_taxes_on_a_line_each_worked_out_on_its_total_pass(tmp_path: Path):
    """Each tax rounded once on the taxable total (18.01 + 4.50 = 22.51), not the lines' combined rate (22.52)."""
    path = tmp_path / "two.xml"
    path.write_text(_two_taxes(ON_TOTAL.read_text(encoding="utf-8")), encoding="utf-8")
    assert errors(path) == []


def test_a_tax_summarised_twice_two_ways_is_reported_at_the_second(tmp_path: Path):
    """Two summaries of VAT in one matter, one line by line (20.01), one on the total (20.00): each way is right alone,
    but not both; the second is reported against the first."""
    text = ON_TOTAL.read_text(encoding="utf-8")
    first = text[text.index("<tax_summary>"):text.index("</tax_summary>") + len("</tax_summary>")]
    again = first.replace(">20.00<", ">20.01<").replace(">30<", ">31<")
    path = tmp_path / "twice.xml"
    path.write_text(text.replace(first, again + first), encoding="utf-8")
    found = [message for rule, message in errors(path) if rule == "arithmetic.matter-totals"]
    assert found == ["total_tax_on_fees is 20.00 but the figures of the tax's first summary give 20.01"]
