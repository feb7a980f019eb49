"""Amounts a writer computes are written to the currency's minor unit: an XML base_amount (units × rate) is money.

1.125 h at 333.3333 is 374.9999625, billed 375.00: written as it is, base_amount plus the
discount no longer gave total_amount, and LEDES 2000 read the gap back as an adjustment of
0.0000375 (a field.currency-decimals error in ledes's own output). In yen, 1.5 × 3333 is
4,999.5, billed 5,000: the base is 5000, not 4999.50.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import ledes
from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[1]
HEADER_1998B = "".join((ROOT / "fixtures" / "1998b" / "valid" / "multi_matter.txt").read_text(encoding="utf-8")
                       .splitlines(keepends=True)[:2])
HEADER_1998BI = "".join((ROOT / "fixtures" / "1998bi" / "valid" / "multi_matter_vat.txt").read_text(encoding="utf-8")
                        .splitlines(keepends=True)[:2])
FRACTIONAL = HEADER_1998B + (
    "20240215|FR-1|00042|000123|375.00|20240101|20240131|Fractional rate|1|F|1.125|0|375.00|20240110|L110||A101|007|"
    "Review|12-3456789|333.3333|O'Brien, Sean|PARTNR|CM-0001[]\n")
YEN = HEADER_1998BI + (
    "20240225|JP-2|711|528|5500|20240101|20240131|For services rendered|1|F|1.5|0|5500|20240115|L510||A102|22547|"
    "Research|24-6437381|3333|Arnsley, Robert|PARTNR|423-987|77654|76-1235|Merten Merger|500|5000|JPY|Arnsley|Robert|"
    "O|Law Offices|One Fleet Street||London||EC2A 2EG|GBR|Stanley's Widgets|One Times Square||New York|NY|10036|USA|"
    "0.1|500|VAT|500|JPY[]\n")


def written(tmp_path: Path, text: str, to: str) -> tuple[ledes.Conversion, str]:
    source, target = tmp_path / "in.txt", tmp_path / "out.xml"
    source.write_text(text, encoding="utf-8")
    result = ledes.convert(source, target, to=to, law_firm_name="Law Offices", allow_loss=True)
    return result, target.read_text(encoding="utf-8")


@pytest.mark.parametrize("to", ["xml2.0", "xml2.1", "xml2.2", "xml2000"])
def test_a_fractional_base_is_written_to_the_cent(tmp_path: Path, to: str):
    result, text = written(tmp_path, FRACTIONAL, to)
    assert re.findall(r"<base_amount>([^<]*)<", text) == ["375.00"]
    assert result.output_diagnostics == ()
    assert not [d for d in result.losses if d.severity is ledes.Severity.ERROR]


@pytest.mark.parametrize("to", ["xml2.1", "xml2.2"])
def test_a_yen_base_is_written_in_whole_yen(tmp_path: Path, to: str):
    result, text = written(tmp_path, YEN, to)
    assert re.findall(r"<base_amount>([^<]*)<", text) == ["5000"]
    assert result.output_diagnostics == ()


def test_convert_shows_the_money_at_stake_of_its_output_in_the_invoice_currency(tmp_path: Path):
    """A yen invoice into LEDES 2000 (no line tax: its totals no longer add up, written with --allow-loss): 500 at
    stake, as ``ledes validate`` shows it, not 500.00."""
    source, target = tmp_path / "yen.txt", tmp_path / "yen.xml"
    source.write_text(YEN, encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(source), "-o", str(target), "--to", "xml2000", "--allow-loss",
                                       "--law-firm-name", "Law Offices"])
    assert result.exit_code == 1
    stakes = re.findall(r"at stake ([^\]]*)\]", result.output)
    assert stakes and all("." not in stake for stake in stakes), result.output
    checked = CliRunner().invoke(main, ["validate", str(target)])
    assert sorted(re.findall(r"at stake ([^\]]*)\]", checked.output)) == sorted(stakes)


ZERO_TAX = HEADER_1998BI + (
    "20080225|96545|711|1326|1250|20080101|20080131|Monthly Retainer|1|IF|1|0|1250|20080131|||||Monthly Retainer Fee|"
    "24-6437381~GB123456789|1250|||425-936||76-1235|Somos Merger|0.00|1250|GBP|||T|Law Offices of John Smith|"
    "One Fleet Street||London||EC2A 2EG|GBR|Stanley's Widgets|One Times Square||New York|NY|10036|USA|0|0.00|VAT|0.00|"
    "GBP[]\n")


@pytest.mark.parametrize("written_as", ["0.00", "0"])
def test_a_zero_tax_is_no_loss_into_ledes_2000_however_it_is_written(tmp_path: Path, written_as: str):
    """A zero tax says nothing: written 0.00 it was refused as a changed value, since LEDES 2000's matter total then
    read 0.00 where it reads 0 without it; the same in value."""
    source = tmp_path / "zero.txt"
    source.write_text(ZERO_TAX.replace("|0.00|", f"|{written_as}|"), encoding="utf-8")
    result = ledes.convert(source, tmp_path / "zero.xml", to="xml2000", law_firm_name="Law Offices")
    assert not [d for d in result.losses if "TAX_TOTAL" in (d.field or "")]
    assert result.output_diagnostics == ()


def test_a_yen_base_beside_an_adjustment_is_written_in_whole_yen_in_ledes_2000(tmp_path: Path):
    """1.125 × 3333 less 7 yen, billed 3,743: LEDES 2000's base is total less adjustment, 3750 (not 3750.00)."""
    adjusted = (YEN.replace("|5500|20240101", "|3743|20240101").replace("|1|F|1.5|0|5500|", "|1|F|1.125|-7|3743|")
                .replace("|500|5000|JPY|", "|0|3743|JPY|").replace("|0.1|500|VAT|500|JPY", "|0|0|VAT|0|JPY"))
    result, text = written(tmp_path, adjusted, "xml2000")
    assert re.findall(r"<base_amount>([^<]*)<", text) == ["3750"]
    assert result.output_diagnostics == ()
