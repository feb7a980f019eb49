"""A matter discount or credit is signed as its increase_decrease says: either way round, the clash reported."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import ledes

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "fixtures" / "xml" / "ledes22_sample.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("flag", "written", "read", "clash"), [
    ("Decrease", "-100.00", "-100.00", False), ("Decrease", "100.00", "-100.00", True),
    ("Increase", "100.00", "100.00", False), ("Increase", "-100.00", "100.00", True),
])
def test_a_discounts_amount_takes_the_sign_of_its_flag(tmp_path: Path, flag: str, written: str, read: str, clash: bool):
    text = (SAMPLE.replace("<disc_cred_amount>-100.00<", f"<disc_cred_amount>{written}<", 1)
            .replace("<increase_decrease>Decrease</increase_decrease>", f"<increase_decrease>{flag}</increase_decrease>", 1))
    path = tmp_path / "invoice.xml"
    path.write_text(text, encoding="utf-8")
    found: list = []
    (invoice,) = ledes.iter_invoices(path, None, found)
    (adjustment,) = [item for item in invoice.line_items if item.type is ledes.LineItemType.FEE_ADJUSTMENT]
    assert adjustment.adjustment == Decimal(read)
    assert [d.rule for d in found if d.rule == "xml.discount-sign"] == (["xml.discount-sign"] if clash else [])
