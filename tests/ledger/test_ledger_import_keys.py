"""import-status: which rows an earlier import recorded (two alike rows of one export are two payments; 500 is
500.00; keys an earlier ledes stored still match), and rows refused where ``mark`` would refuse them."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner

from ledes import ledger
from ledes.ledger.rowkeys import _first_key
from ledes_cli.main import main

from .invoices import ROOT

HW = ROOT / "fixtures" / "1998b" / "valid" / "crlf_single_fee_legacy_pt.txt"  # HW-3107, 1137.50 USD
MAPPING = ROOT / "fixtures" / "ledger" / "payments.toml"
HEADER = "Receipt No,Invoice,Date Received,Amount Received,Type,Payer Reference"


def run(*args: object):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def receipts(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def imported(url: str, source: Path) -> dict:
    result = run("ledger", "import-status", "--db", url, source, "--mapping", MAPPING, "--format", "json")
    return {"exit": result.exit_code, **json.loads(result.output)}


def outcomes(document: dict) -> list[str]:
    return [row["outcome"] for row in document["rows"]]


def added(url: str) -> str:
    assert run("ledger", "add", "--db", url, "--submitted", "2025-03-01", HW).exit_code == 0
    return url


def test_two_alike_payments_in_one_export_are_both_recorded_and_not_again(ledger_url, tmp_path):
    """Two cheques of 500.00 on one day: both recorded (one was once dropped as 'recorded by an earlier import')."""
    added(ledger_url)
    source = receipts(tmp_path / "p.csv", "R-1,HW-3107,2025-04-02,500.00,Payment,Check 1001",
                      "R-2,HW-3107,2025-04-02,500.00,Payment,Check 1001")
    assert outcomes(imported(ledger_url, source)) == ["recorded", "recorded"]
    assert ledger.history(ledger.open_ledger(ledger_url), "HW-3107").paid == 1000
    assert outcomes(imported(ledger_url, source)) == ["already", "already"]
    grown = receipts(tmp_path / "q.csv", "R-1,HW-3107,2025-04-02,500.00,Payment,Check 1001",
                     "R-2,HW-3107,2025-04-02,500.00,Payment,Check 1001", "R-3,HW-3107,2025-04-02,100.00,Payment,Check 1001",
                     "R-4,HW-3107,2025-04-02,37.5,Payment,Check 1002")
    assert outcomes(imported(ledger_url, grown)) == ["already", "already", "recorded", "recorded"]
    assert ledger.history(ledger.open_ledger(ledger_url), "HW-3107").paid == Decimal("1137.50")


def test_the_same_payment_written_500_or_500_00_is_recorded_once(ledger_url, tmp_path):
    added(ledger_url)
    assert outcomes(imported(ledger_url, receipts(tmp_path / "a.csv", "R-1,HW-3107,2025-04-02,500.00,Payment,C 1"))) \
        == ["recorded"]
    assert outcomes(imported(ledger_url, receipts(tmp_path / "b.csv", "R-1,HW-3107,2025-04-02,500,Payment,C 1"))) \
        == ["already"]
    assert ledger.history(ledger.open_ledger(ledger_url), "HW-3107").paid == 500


def test_a_key_an_earlier_ledes_stored_still_matches(ledger_url, tmp_path):
    """A row recorded with the first form of the key (no reason, the amount as spelt) is recognised."""
    added(ledger_url)
    source = receipts(tmp_path / "a.csv", "R-1,HW-3107,2025-04-02,500.00,Payment,C 1",
                      "R-2,HW-3107,2025-04-03,,Payment,C 2")
    assert outcomes(imported(ledger_url, source)) == ["recorded", "recorded"]
    store = ledger.open_ledger(ledger_url)
    with store.writing() as connection:
        rows = connection.exec_driver_sql("SELECT id, on_date, amount, details FROM events WHERE kind <> 'submitted'"
                                          " ORDER BY id").all()
        for row in rows:
            given = "500.00" if row.on_date == "2025-04-02" else None
            old = _first_key("HW-3107", ledger.Kind.PAID, date.fromisoformat(row.on_date),
                             None if given is None else Decimal(given), None, None)
            details = {**json.loads(row.details), "row_key": old}
            connection.execute(sa.text("UPDATE events SET details = :details WHERE id = :id"),
                               {"details": json.dumps(details), "id": row.id})
    assert outcomes(imported(ledger_url, source)) == ["already", "already"]


def test_a_row_out_of_order_or_after_today_has_its_reason(ledger_url, tmp_path):
    added(ledger_url)
    assert run("ledger", "mark", "--db", ledger_url, "HW-3107", "paid", "--date", "2025-03-20").exit_code == 0
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    document = imported(ledger_url, receipts(tmp_path / "a.csv", "R-1,HW-3107,2025-03-10,100.00,Payment,C 1",
                                             f"R-2,HW-3107,{tomorrow},1.00,Payment,C 2"))
    assert document["exit"] == 1 and outcomes(document) == ["error", "error"]
    assert "its paid of 2025-03-20, recorded already, could then not follow" in document["rows"][0]["reason"]
    assert "after today" in document["rows"][1]["reason"]


def test_a_line_adjustment_larger_than_its_line_is_refused(ledger_url, tmp_path):
    """HWL-24-0312's line 2 bills 25.46: an adjustment of 100.00 on it is a row refused with its reason."""
    store = ledger.open_ledger(ledger_url)
    ledger.add_files(store, [str(ROOT / "fixtures" / "xml" / "ledes2000_handwritten.xml")], on=date(2025, 5, 2),
                     force=True)
    status = tmp_path / "s.csv"
    status.write_text("Invoice Number,Law Firm,Status,Status Date,Line Item,Adjustment Amount,Reason Code,Reviewer"
                      " Comments\nHWL-24-0312,H,Line Adjusted,05/09/2025,2,100.00,INCR,x\n", encoding="utf-8")
    result = run("ledger", "import-status", "--db", ledger_url, status, "--mapping",
                 ROOT / "fixtures" / "ledger" / "portal-status.toml")
    assert result.exit_code == 1 and "is more than what is left of the line (25.46 of 25.46)" in result.output, \
        result.output


def test_a_row_holding_a_nul_is_refused(ledger_url, tmp_path):
    added(ledger_url)
    document = imported(ledger_url, receipts(tmp_path / "a.csv", "R-1,HW-3107,2025-04-02,5.00,Payment,C\x00 1"))
    assert document["exit"] == 1 and "NUL" in document["rows"][0]["reason"]
