"""ledes ledger add and mark: idempotent adds, resubmissions with their changes, refusals, ordering and overpayment."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledes import ledger
from ledes_cli.main import main

from .invoices import SAMPLE

ROOT = Path(__file__).resolve().parents[2]
INVALID = ROOT / "fixtures" / "1998b" / "invalid" / "travisbashor_tests-data_ledes_98B.txt"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_the_same_file_twice_adds_nothing(ledger_url):
    """Adding a file a second time records no event."""
    code, out = run("ledger", "add", "--db", ledger_url, "--submitted", "2025-05-01", str(SAMPLE), "--format", "json")
    assert code == 0, out
    assert json.loads(out)["summary"] == {"added": 2, "unchanged": 0, "resubmitted": 0, "refused": 0}
    code, out = run("ledger", "add", "--db", ledger_url, "--submitted", "2025-05-02", str(SAMPLE), "--format", "json")
    assert code == 0, out
    assert json.loads(out)["summary"] == {"added": 0, "unchanged": 2, "resubmitted": 0, "refused": 0}
    assert [e.kind.value for e in ledger.history(ledger.open_ledger(ledger_url), "96543").events] == ["submitted"]


def test_a_changed_file_with_the_same_number_is_a_resubmission(ledger_url, tmp_path):
    """Another content under a number already held is recorded as resubmitted, with what changed."""
    run("ledger", "add", "--db", ledger_url, "--submitted", "2025-05-01", str(SAMPLE))
    changed = tmp_path / "corrected.txt"
    text = SAMPLE.read_text(encoding="utf-8")
    changed.write_text(text.replace("|1326|1250|", "|1326|1200|").replace("|1|1250.|1250|", "|1|1200.|1200|"), encoding="utf-8")
    assert changed.read_text(encoding="utf-8") != text
    code, out = run("ledger", "mark", "--db", ledger_url, "96543", "rejected", "--date", "2025-05-03",
                    "--code", "RATE", "--reason", "rate above the approved rate")
    assert code == 0, out
    code, out = run("ledger", "add", "--db", ledger_url, "--submitted", "2025-05-05", str(changed), "--format", "json")
    assert code == 0, out
    outcomes = {i["invoice"]: i for i in json.loads(out)["invoices"]}
    assert outcomes["96542"]["outcome"] == "unchanged"
    assert outcomes["96543"]["outcome"] == "resubmitted"
    assert outcomes["96543"]["changes"][0] == "total 1250.00 -> 1200.00"
    state = ledger.history(ledger.open_ledger(ledger_url), "96543")
    assert [e.kind.value for e in state.events] == ["submitted", "rejected", "resubmitted"]
    assert (state.status, state.balance) == ("resubmitted", Decimal("1200.00"))


def test_an_invoice_keeps_its_currency_across_resubmissions(ledger_url, tmp_path):
    """A reduction in USD was once taken off a resubmission's JPY balance: another currency is refused, even --force."""
    run("ledger", "add", "--db", ledger_url, "--submitted", "2025-05-01", str(SAMPLE))
    assert run("ledger", "mark", "--db", ledger_url, "96543", "reduced", "--amount", "100", "--line", "6")[0] == 0
    assert run("ledger", "mark", "--db", ledger_url, "96543", "rejected", "--reason", "rate")[0] == 0
    changed = tmp_path / "corrected.txt"
    changed.write_text(SAMPLE.read_text(encoding="utf-8").replace("|1326|1250|", "|1326|1200|")
                       .replace("|1|1250.|1250|", "|1|1200.|1200|"), encoding="utf-8")
    for path in (changed, SAMPLE):  # a resubmission, and the same content, in JPY
        code, out = run("ledger", "add", "--db", ledger_url, "--currency", "JPY", "--force", str(path), "--format",
                        "json")
        assert code == 1, out
        outcomes = {i["invoice"]: i for i in json.loads(out)["invoices"]}
        assert outcomes["96543"]["outcome"] == "refused"
        assert outcomes["96543"]["errors"][0].startswith("recorded in USD, not JPY: an invoice keeps its currency")
    state = ledger.history(ledger.open_ledger(ledger_url), "96543")
    assert [e.kind.value for e in state.events] == ["submitted", "reduced", "rejected"]
    assert (state.currency, state.balance) == ("USD", Decimal("1150.00"))


def test_an_invoice_whose_currency_is_no_iso_code_is_refused_even_with_force(ledger_url, tmp_path):
    """--force once stored 'EURO', which `ledger export` then wrote and `ledger load` refused: a backup never restored."""
    euro = tmp_path / "euro.txt"
    euro.write_text((ROOT / "fixtures" / "1998bi" / "valid" / "multi_matter_vat.txt").read_text(encoding="utf-8")
                    .replace("|GBP|", "|EURO|"), encoding="utf-8")
    code, out = run("ledger", "add", "--db", ledger_url, "--force", str(euro), "--format", "json")
    assert code == 1, out
    found = json.loads(out)
    assert found["summary"]["refused"] == len(found["invoices"]) > 0
    assert all("currency 'EURO' is longer than a three-letter ISO 4217 code" in i["errors"][0] for i in found["invoices"])


def test_amounts_finer_than_the_currencys_minor_unit_are_refused_not_rounded(ledger_url, tmp_path):
    """A 1250.50 retainer recorded in JPY was kept as 1251 (lines no longer adding up to what is owed); and a payment
    of 1250.001 USD, or in digits Decimal() reads but no amount is written in (１２, 1_0), was rounded or taken."""
    halves = tmp_path / "halves.txt"
    halves.write_text(SAMPLE.read_text(encoding="utf-8").replace("|1326|1250|", "|1326|1250.50|")
                      .replace("|1|1250.|1250|", "|1|1250.50|1250.50|"), encoding="utf-8")
    code, out = run("ledger", "add", "--db", ledger_url, "--currency", "JPY", "--force", str(halves), "--format", "json")
    assert code == 1, out
    outcomes = {i["invoice"]: i for i in json.loads(out)["invoices"]}
    assert outcomes["96543"]["errors"][0].startswith("its total 1250.50 has more decimals than JPY's minor unit")
    assert outcomes["96542"]["errors"][0].startswith("its total 1684.45 has more decimals than JPY's minor unit")
    run("ledger", "add", "--db", ledger_url, "--submitted", "2025-05-01", str(SAMPLE))
    code, out = run("ledger", "mark", "--db", ledger_url, "96543", "paid", "--amount", "1250.001")
    assert code == 2 and "1250.001 has more decimals than USD's minor unit" in out
    for wrong in ("１２", "1_0", "+5", "1e2", "NaN", "12,50"):
        code, out = run("ledger", "mark", "--db", ledger_url, "96543", "paid", "--amount", wrong)
        assert code == 2 and "expected an amount such as 1250.00" in out, (wrong, out)
    assert [e.kind.value for e in ledger.history(ledger.open_ledger(ledger_url), "96543").events] == ["submitted"]


def test_an_invoice_with_validation_errors_is_refused_without_force(ledger_url):
    """Validation errors refuse their invoice (exit 1, nothing recorded for it); --force records it."""
    code, out = run("ledger", "add", "--db", ledger_url, str(INVALID), "--format", "json")
    assert code == 1
    outcomes = {i["invoice"]: i for i in json.loads(out)["invoices"]}
    assert outcomes["96542"]["outcome"] == "added"
    assert outcomes["96543"]["outcome"] == "refused"
    assert any("arithmetic.invoice-total" in error for error in outcomes["96543"]["errors"]), outcomes["96543"]
    with ledger.open_ledger(ledger_url).reading() as connection:
        assert connection.exec_driver_sql("SELECT number FROM events").scalars().all() == ["96542"]
    code, out = run("ledger", "add", "--db", ledger_url, str(INVALID), "--force", "--format", "json")
    assert code == 0, out
    assert {i["invoice"]: i["outcome"] for i in json.loads(out)["invoices"]} == {"96542": "unchanged", "96543": "added"}


def test_events_out_of_order_or_over_the_balance_are_refused_naming_the_invoice_and_status(ledger_url):
    """Paid before submitted, accepted after payment in full, a payment over the balance: one line, exit 2."""
    store = ledger.open_ledger(ledger_url)
    ledger.add_files(store, [str(SAMPLE)], on=date(2025, 5, 1))
    code, out = run("ledger", "mark", "--db", ledger_url, "96543", "paid", "--date", "2025-04-30")
    assert code == 2
    assert "invoice 96543 (submitted, balance 1250.00 USD): cannot be paid on 2025-04-30, before it was submitted" in out
    code, out = run("ledger", "mark", "--db", ledger_url, "96543", "paid", "--amount", "1250.01", "--date", "2025-05-09")
    assert code == 2
    assert "invoice 96543 (submitted, balance 1250.00 USD): paid of 1250.01 is more than the balance 1250.00" in out
    code, out = run("ledger", "mark", "--db", ledger_url, "96543", "paid", "--amount", "1000", "--date", "2025-05-09")
    assert code == 0, out
    assert "short-paid 1000.00" in out and "partially-paid, balance 250.00 USD" in out
    code, out = run("ledger", "mark", "--db", ledger_url, "96543", "written-off", "--date", "2025-05-10",
                    "--reason", "client disputes the rate")
    assert code == 0, out
    code, out = run("ledger", "mark", "--db", ledger_url, "96543", "accepted", "--date", "2025-05-11")
    assert code == 2
    assert "invoice 96543 (written-off, balance 0.00 USD): cannot be accepted now" in out
    code, out = run("ledger", "mark", "--db", ledger_url, "NOPE-1", "paid")
    assert code == 2 and "invoice NOPE-1 is not in the ledger" in out


def test_every_event_records_when_who_and_the_content_hash(ledger_url):
    """Each event has its day, the time it was recorded, the user (given or the OS's) and the invoice's content hash."""
    store = ledger.open_ledger(ledger_url)
    ledger.add_files(store, [str(SAMPLE)], on=date(2025, 5, 1), actor="coordinator")
    ledger.mark(store, "96543", ledger.Kind.ACCEPTED, on=date(2025, 5, 2))
    first, second = ledger.history(store, "96543").events
    assert first.actor == "coordinator" and second.actor
    assert len(first.content_hash) == 64 and first.content_hash == second.content_hash
    assert first.file_hash and first.recorded_at < second.recorded_at


@pytest.mark.parametrize("status", ["accepted", "rejected"])
def test_a_rejection_needs_a_reason_and_a_line_must_exist(ledger_url, status):
    """A rejection without reason or code, or a reduction on a line the invoice lacks, is refused."""
    store = ledger.open_ledger(ledger_url)
    ledger.add_files(store, [str(SAMPLE)], on=date(2025, 5, 1))
    if status == "rejected":
        with pytest.raises(ledger.LedesLedgerError, match="needs its --reason or --code"):
            ledger.mark(store, "96543", ledger.Kind.REJECTED, on=date(2025, 5, 2))
    else:
        with pytest.raises(ledger.LedesLedgerError, match="has no line 9"):
            ledger.mark(store, "96543", ledger.Kind.REDUCED, on=date(2025, 5, 2), amount=Decimal(5), line=9)


def test_a_file_with_no_invoice_is_refused_with_the_reason(ledger_url):
    """A CSV export given to add by mistake adds nothing and says why (exit 1)."""
    export = ROOT / "fixtures" / "import" / "harbor-finch-time-export.csv"
    code, out = run("ledger", "add", "--db", ledger_url, str(export))
    assert code == 1
    assert "refused" in out and "structure.format-line" in out
