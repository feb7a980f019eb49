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
