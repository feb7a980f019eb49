"""Amounts to the currency's ISO 4217 minor unit: whole yen (JPY), the fils (KWD, 3 decimals), the cent (GBP, USD, 1998B).

An invoice that states its currency (LEDES 1998BI, XML) is computed to that currency's
minor unit, and an amount with more decimals than it allows is a ``field.currency-decimals``
finding; LEDES 1998B states no currency and stays to the cent.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

import ledes
from ledes.formats.currencies import ISO_4217
from ledes.money import MINOR_UNITS, NO_MINOR_UNIT, decimals_of, minor_unit, to_minor
from ledes.rules.arithmetic import differs
from ledes.totals import line_tax
from ledes_cli.main import main

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "rules" / "field.currency-decimals"
KWD = CASES / "pass_kwd_fils.txt"  # 1.5 h at 12.125 KWD, 5 % tax 0.909, total 19.097; an expense of 10.125
JPY = CASES / "pass_jpy_whole_yen.txt"  # 3 copies at 12.5 JPY (37.5) billed 42 with 4 yen tax: computed to the yen
JPY_FRACTION = CASES / "fail_jpy_fraction_of_a_yen.txt"  # an expense of 0.37 JPY
GBP_THREE = CASES / "fail_gbp_three_decimals.txt"  # an expense of 24.955 GBP


def findings(path: Path | str) -> list[tuple[str, int | None, str | None, Decimal | None]]:
    report = ledes.validate_file(path)
    return [(d.rule, d.line, d.location.field if d.location else None, d.amount) for d in report.diagnostics]


def respelled(path: Path, tmp_path: Path, name: str, **replacements: str) -> Path:
    """A copy of the fixture ``path`` with some whole fields replaced (``old=new``, as ``|old|`` → ``|new|``)."""
    text = path.read_text(encoding="utf-8")
    for old, new in replacements.items():
        old, new = old.replace("_", "."), new.replace("_", ".")
        assert f"|{old}|" in text, old
        text = text.replace(f"|{old}|", f"|{new}|")
    target = tmp_path / name
    target.write_text(text, encoding="utf-8", newline="")
    return target


# The data: ISO 4217 minor units.


def test_minor_units_are_those_of_the_iso_4217_list():
    assert {code: MINOR_UNITS[code] for code in ("JPY", "KRW", "KWD", "BHD", "JOD", "OMR", "TND", "IQD", "LYD", "CLF")} == {
        "JPY": 0, "KRW": 0, "KWD": 3, "BHD": 3, "JOD": 3, "OMR": 3, "TND": 3, "IQD": 3, "LYD": 3, "CLF": 4,
    }
    assert set(MINOR_UNITS) <= ISO_4217 and NO_MINOR_UNIT <= ISO_4217
    assert [decimals_of(code) for code in ("GBP", "USD", "EUR", "HRK", None, "XAU")] == [2, 2, 2, 2, 2, 2]
    assert [minor_unit(code) for code in ("JPY", "KWD", "GBP", None)] == [
        Decimal(1), Decimal("0.001"), Decimal("0.01"), Decimal("0.01")]
    # A code a file writes in lower case or padded (field.currency reports it) still counts in its minor unit.
    assert [decimals_of(code) for code in ("jpy", " kwd ", "Jpy")] == [0, 3, 0]


def test_rounding_is_to_the_currency_s_minor_unit_half_up():
    assert to_minor(Decimal("10.125"), "KWD") == Decimal("10.125")
    assert to_minor(Decimal("10.1255"), "KWD") == Decimal("10.126")
    assert to_minor(Decimal("0.37"), "JPY") == Decimal(0)
    assert to_minor(Decimal("41.5"), "JPY") == Decimal(42)
    assert to_minor(Decimal("10.125"), "GBP") == Decimal("10.13")
    assert to_minor(Decimal("10.125"), None) == Decimal("10.13")  # 1998B: no currency, to the cent


def test_line_tax_and_the_comparison_follow_the_currency_and_1998b_keeps_the_cent():
    assert line_tax(Decimal("18.1875"), Decimal("0.05"), "KWD") == Decimal("0.909")
    assert line_tax(Decimal("18.1875"), Decimal("0.05"), "JPY") == Decimal(1)
    assert line_tax(Decimal("18.1875"), Decimal("0.05")) == Decimal("0.91")
    assert differs(Decimal("10.122"), Decimal("10.121"), Decimal(0), "KWD")
    assert not differs(Decimal("10.122"), Decimal("10.121"), Decimal(0), None)
    assert not differs(Decimal("10.122"), Decimal("10.121"), Decimal(0), "USD")
    assert not differs(Decimal(42), Decimal("41.5"), Decimal(0), "JPY")
    assert differs(Decimal(42), Decimal("41.5"), Decimal(0), "GBP")


# LEDES 1998BI, through the API.


def test_kwd_amounts_to_the_fils_are_kept_and_pass():
    assert findings(KWD) == []
    [invoice] = ledes.load(KWD)
    assert [item.total for item in invoice.line_items] == [Decimal("19.097"), Decimal("10.125")]
    assert invoice.total == Decimal("29.222")


def test_kwd_arithmetic_is_checked_to_the_fils(tmp_path: Path):
    # The expense billed 10.126 for 1 × 10.125: one fils off, which the cent would hide (10.13 both).
    path = respelled(KWD, tmp_path, "kwd_fils_off.txt", **{"10_125|20080115": "10.126|20080115",
                                                            "29_222": "29.223", "28_313": "28.314"})
    assert findings(path) == [("arithmetic.line-total", 4, "LINE_ITEM_TOTAL", Decimal("0.001"))]


def test_jpy_totals_are_computed_in_whole_yen(tmp_path: Path):
    assert findings(JPY) == []  # 3 × 12.5 = 37.5, + 4 tax, billed 42: whole yen
    # The same lines in GBP are computed to the cent: 41.50, not 42.
    gbp = respelled(JPY, tmp_path, "gbp.txt", JPY="GBP")
    assert ("arithmetic.line-total", 4, "LINE_ITEM_TOTAL", Decimal("0.5")) in findings(gbp)


def test_jpy_fraction_of_a_yen_is_a_finding():
    assert findings(JPY_FRACTION) == [
        ("field.currency-decimals", 3, "INVOICE_TOTAL", Decimal("0.37")),
        ("field.currency-decimals", 3, "INVOICE_NET_TOTAL", Decimal("0.37")),
        ("field.currency-decimals", 4, "LINE_ITEM_TOTAL", Decimal("0.37")),
    ]


def test_gbp_and_usd_keep_two_decimals(tmp_path: Path):
    assert [f[:3] for f in findings(GBP_THREE)] == [
        ("field.currency-decimals", 3, "INVOICE_TOTAL"),
        ("field.currency-decimals", 3, "INVOICE_NET_TOTAL"),
        ("field.currency-decimals", 4, "LINE_ITEM_TOTAL"),
    ]
    usd = respelled(GBP_THREE, tmp_path, "usd.txt", GBP="USD", **{"24_955": "24.95", "724_955": "724.95"})
    assert findings(usd) == []


# LEDES XML 2.2, through the API: written from 1998BI, then validated and read back.


def test_kwd_to_xml22_keeps_the_fils_in_taxes_and_matter_totals(tmp_path: Path):
    target = tmp_path / "kwd.xml"
    ledes.convert(KWD, target, to="xml2.2", allow_loss=True)  # the timekeeper name is respelled "Last, First"
    text = target.read_text(encoding="utf-8")
    for element in ("<matter_total_detail_fees>18.188</matter_total_detail_fees>",
                    "<matter_tax_on_fees>0.909</matter_tax_on_fees>",
                    "<matter_total_due>29.222</matter_total_due>",
                    "<total_amount>10.125</total_amount>"):
        assert element in text
    [invoice] = ledes.load(target)
    assert invoice.currency == "KWD"
    # The reader derives the tax from the rate, to the fils: 18.188 × 5 % = 0.9094 is 0.909 (the cent would make it 0.91).
    assert [(item.tax_total, item.total) for item in invoice.line_items] == [
        (Decimal("0.909"), Decimal("19.097")), (Decimal(0), Decimal("10.125"))]
    assert findings(target) == []


def test_jpy_in_xml22_whole_yen_pass_and_a_fraction_is_a_finding(tmp_path: Path):
    whole = tmp_path / "jpy.xml"
    ledes.convert(JPY, whole, to="xml2.2", allow_loss=True)
    assert findings(whole) == []
    fraction = tmp_path / "jpy_fraction.xml"
    ledes.convert(JPY_FRACTION, fraction, to="xml2.2", allow_loss=True)
    assert [(f[0], f[2], f[3]) for f in findings(fraction)] == [
        ("field.currency-decimals", "inv_total_net_due", Decimal("0.37")),
        ("field.currency-decimals", "total_amount", Decimal("0.37")),
    ]


# The CLI.


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_validate_reports_a_fraction_of_a_yen_and_passes_the_fils():
    result = run("validate", JPY_FRACTION)
    assert result.exit_code == 1
    assert "field.currency-decimals" in result.output
    assert "0.37 has more decimals than a JPY amount can have (0 decimals, ISO 4217)" in result.output
    assert run("validate", KWD).exit_code == 0
    assert run("validate", JPY).exit_code == 0


def test_cli_json_names_the_rule_and_the_money_at_stake():
    result = run("validate", "--format", "json", JPY_FRACTION)
    document = json.loads(result.output)
    [file] = document["files"]
    rules = [(d["rule"], d["field"]) for d in file["diagnostics"]]
    assert ("field.currency-decimals", "LINE_ITEM_TOTAL") in rules


def test_cli_convert_to_xml22_keeps_kwd_and_flags_jpy(tmp_path: Path):
    kwd = tmp_path / "kwd.xml"
    assert run("convert", KWD, "-o", kwd, "--to", "xml2.2", "--allow-loss").exit_code == 0
    assert run("validate", kwd).exit_code == 0
    jpy = tmp_path / "jpy.xml"
    run("convert", JPY_FRACTION, "-o", jpy, "--to", "xml2.2", "--allow-loss")  # written: the fraction of a yen is the source's
    result = run("validate", jpy)
    assert result.exit_code == 1
    assert "field.currency-decimals" in result.output
    assert "[total_amount" in result.output
