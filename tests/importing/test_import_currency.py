"""An import computes its amounts in the mapping's currency: whole yen for JPY, the fils for KWD, the cent for USD."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from click.testing import Result
from conftest import run_import

import ledes

ROW = "2024-03-01,C1,M1,T1,\"Doe, Jane\",ASSOC,1.5,12345,{amount},L110,A101,,Draft letter"


def imported(minimal, tmp_path: Path, currency: str, amount: str, row: str = ROW) -> tuple[Result, Path]:
    export, mapping = minimal([row.format(amount=amount)])
    mapping.write_text(mapping.read_text(encoding="utf-8").replace('currency = "USD"', f'currency = "{currency}"'),
                       encoding="utf-8")
    out = tmp_path / "out.txt"
    return run_import(export, "--mapping", mapping, "-o", out, "--to", "1998bi"), out


def test_a_jpy_fee_is_computed_in_whole_yen(minimal, tmp_path):
    # 1.5 h × 12345 yen = 18517.5: the export's 18518 yen is that amount, to the yen.
    result, out = imported(minimal, tmp_path, "JPY", "18518")
    assert result.exit_code == 0, result.output
    [invoice] = ledes.load(out)
    assert invoice.currency == "JPY"
    assert [item.total for item in invoice.line_items] == [Decimal(18518)]
    assert not ledes.validate_file(out).diagnostics


def test_the_same_fee_in_usd_is_computed_to_the_cent(minimal, tmp_path):
    result, _out = imported(minimal, tmp_path, "USD", "18518")
    assert "amount 18518 is not hours × rate (1.5 × 12345 = 18517.50)" in result.stdout


def test_a_kwd_fee_is_computed_to_the_fils(minimal, tmp_path):
    # 1.5 h × 12.345 KWD = 18.5175, to the fils 18.518 (the cent would make it 18.52).
    result, out = imported(minimal, tmp_path, "KWD", "18.518", ROW.replace("12345", "12.345"))
    assert result.exit_code == 0, result.output
    [invoice] = ledes.load(out)
    assert [item.total for item in invoice.line_items] == [Decimal("18.518")]
