"""Resubmissions replace the total, events are checked where their day puts them, lines and dates are bounded.

The cases a sweep of the ledger found: a corrected invoice's reduction counted twice (the
balance went negative), a payment dated before an acceptance that then could not follow it,
a reduction larger than its line, another client's invoice taken as a resubmission, one
invoice that could not be resubmitted aborting the whole file, events dated after today.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledes import ledger
from ledes_cli.main import main

from .invoices import ROOT

HW = ROOT / "fixtures" / "1998b" / "valid" / "crlf_single_fee_legacy_pt.txt"  # HW-3107, client C-5520, 1137.50 USD
MULTI = ROOT / "fixtures" / "1998b" / "valid" / "multi_matter.txt"  # 96544's line 4 is 12.00, line 6 is -100.00


def run(*args: object):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def hw_version(tmp_path: Path, total: str, units: str, name: str = "hw.txt", edit=lambda text: text) -> Path:
    """HW-3107 corrected to ``total`` (its one line's units and total)."""
    text = HW.read_bytes().decode("utf-8")
    text = text.replace("|1137.50|20230201", f"|{total}|20230201").replace("|3.25|0|1137.50|", f"|{units}|0|{total}|")
    path = tmp_path / name
    path.write_bytes(edit(text).encode("utf-8"))
    return path


def state_of(url: str, number: str = "HW-3107"):
    return ledger.history(ledger.open_ledger(url), number)


def mark(url: str, *args: object) -> None:
    result = run("ledger", "mark", "--db", url, *args)
    assert result.exit_code == 0, result.output


def test_a_resubmission_replaces_the_total_its_reductions_were_taken_from(ledger_url, tmp_path):
    """Reduced by 175.00, then corrected to 962.50: the client owes 962.50, not 787.50, and can pay it in full."""
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-01", HW).exit_code == 0
    mark(ledger_url, "HW-3107", "reduced", "--line", "1", "--amount", "175.00", "--date", "2025-03-06", "--reason", "cut")
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-10", hw_version(tmp_path, "962.50", "2.75")
               ).exit_code == 0
    state = state_of(ledger_url)
    assert (state.billed, state.reduced, state.balance) == (Decimal("962.50"), 0, Decimal("962.50"))
    mark(ledger_url, "HW-3107", "paid", "--amount", "962.50", "--date", "2025-04-01")
    assert (state_of(ledger_url).status, state_of(ledger_url).balance) == ("paid", 0)
    report = json.loads(run("ledger", "realization", "--db", ledger_url, "--as-of", "2025-06-30", "--format",
                            "json").output)
    assert [(r["billed"], r["reduced"], r["paid"], r["open"]) for r in report["rows"]] == [
        ("962.50", "0.00", "962.50", "0.00")]


def test_a_larger_reduction_then_a_lower_version_never_leaves_a_negative_balance(ledger_url, tmp_path):
    """900.00 reduced, appealed, resubmitted at 350.00: the balance is 350.00 (it was -550.00) and aging counts it."""
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-01", HW).exit_code == 0
    mark(ledger_url, "HW-3107", "accepted", "--date", "2025-03-02")
    mark(ledger_url, "HW-3107", "reduced", "--amount", "900", "--line", "1", "--date", "2025-03-06", "--reason", "x")
    mark(ledger_url, "HW-3107", "appealed", "--date", "2025-03-07", "--reason", "y")
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-10", hw_version(tmp_path, "350.00", "1.0")
               ).exit_code == 0
    assert state_of(ledger_url).balance == Decimal("350.00")
    aging = json.loads(run("ledger", "aging", "--db", ledger_url, "--as-of", "2025-03-31", "--format", "json").output)
    assert aging["totals"]["USD"]["total"] == "350.00"


def test_a_resubmission_below_what_was_paid_is_refused_for_that_invoice(ledger_url, tmp_path):
    """500.00 paid, appealed, then a version of 350.00: refused (exit 1), the invoice as it was."""
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-01", HW).exit_code == 0
    mark(ledger_url, "HW-3107", "paid", "--amount", "500", "--date", "2025-03-05")
    mark(ledger_url, "HW-3107", "appealed", "--date", "2025-03-06", "--reason", "x")
    result = run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-10", hw_version(tmp_path, "350.00", "1.0"),
                 "--format", "json")
    assert result.exit_code == 1, result.output
    (refused,) = json.loads(result.output)["invoices"]
    assert refused["outcome"] == "refused"
    assert "cannot be resubmitted with a total of 350.00, less than the 500.00 already paid" in refused["errors"][0]
    assert state_of(ledger_url).balance == Decimal("637.50")


def test_a_corrected_invoice_after_a_short_payment_is_a_resubmission(ledger_url, tmp_path):
    """300.00 paid short, then a corrected version of 1050.00 (no appeal in between): resubmitted, 750.00 left."""
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-01", HW).exit_code == 0
    mark(ledger_url, "HW-3107", "accepted", "--date", "2025-03-02")
    mark(ledger_url, "HW-3107", "paid", "--amount", "300", "--date", "2025-03-05")
    result = run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-10", hw_version(tmp_path, "1050.00", "3.0"))
    assert result.exit_code == 0, result.output
    state = state_of(ledger_url)
    assert (state.status, state.billed, state.paid, state.balance) == (
        "resubmitted", Decimal("1050.00"), Decimal("300.00"), Decimal("750.00"))


@pytest.mark.parametrize(("amount", "status"), [(None, "paid"), ("100", "partially-paid")])
def test_an_acceptance_recorded_after_a_payment_of_its_day_is_taken(ledger_url, amount, status):
    """The bank's file imported before the portal's: the acceptance of the same day follows the payment, and the
    status stays what the money made it."""
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-01", HW).exit_code == 0
    mark(ledger_url, "HW-3107", "paid", *(("--amount", amount) if amount else ()), "--date", "2025-03-20")
    mark(ledger_url, "HW-3107", "accepted", "--date", "2025-03-20")
    assert state_of(ledger_url).status == status


def test_a_file_whose_one_invoice_cannot_be_resubmitted_records_the_others(ledger_url, tmp_path):
    """96544 paid in full cannot be resubmitted: refused on its own line (exit 1); 96546 is resubmitted."""
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-04-01", MULTI).exit_code == 0
    mark(ledger_url, "96544", "paid", "--date", "2025-05-06")
    mark(ledger_url, "96546", "rejected", "--date", "2025-05-12", "--code", "DUP-01")
    revised = tmp_path / "rev.txt"
    revised.write_bytes(MULTI.read_bytes().replace(b"For services rendered|1|F|3.50", b"For services rendered (rev)|1|F|3.50")
                        .replace(b"Monthly Retainer Fee", b"Monthly Retainer Fee (rev)"))
    result = run("ledger", "add", "--db", ledger_url, "--submitted", "2025-06-10", revised, "--format", "json")
    assert result.exit_code == 1, result.output
    outcomes = {i["invoice"]: i for i in json.loads(result.output)["invoices"]}
    assert outcomes["96544"]["outcome"] == "refused"
    assert "invoice 96544 (paid, balance 0.00 USD): cannot be resubmitted now" in outcomes["96544"]["errors"][0]
    assert outcomes["96546"]["outcome"] == "resubmitted"
    assert state_of(ledger_url, "96546").status == "resubmitted"


@pytest.mark.parametrize(("client", "firm"), [("C-9999", "84-1200937"), ("C-5520", "99-9999999")])
def test_the_same_number_from_another_client_or_law_firm_is_refused_not_reassigned(ledger_url, tmp_path, client, firm):
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-01", HW).exit_code == 0
    other = hw_version(tmp_path, "1137.50", "3.25", edit=lambda text: text.replace("|C-5520|", f"|{client}|")
                       .replace("84-1200937", firm))
    result = run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-11", other, "--format", "json")
    assert result.exit_code == 1, result.output
    (refused,) = json.loads(result.output)["invoices"]
    assert refused["errors"][0].startswith("invoice HW-3107 is already in the ledger for client C-5520 / law firm"
                                           " 84-1200937")
    assert [e.kind.value for e in state_of(ledger_url).events] == ["submitted"]
    assert state_of(ledger_url).client == "C-5520"


def test_an_event_dated_before_others_is_checked_where_its_day_puts_it(ledger_url):
    """Events dated before others are taken where their day puts them; a write-off dated before a short payment
    recorded already, which would then be more than the balance, is refused: one line naming the invoice, its status
    and balance (exit 2)."""
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-01", HW).exit_code == 0
    mark(ledger_url, "HW-3107", "accepted", "--date", "2025-03-20")
    mark(ledger_url, "HW-3107", "note", "--date", "2025-03-10", "--reason", "a note may stand anywhere")
    mark(ledger_url, "HW-3107", "paid", "--amount", "100", "--date", "2025-03-25")
    mark(ledger_url, "HW-3107", "reduced", "--amount", "37.50", "--date", "2025-03-21", "--reason", "before the payment")
    state = state_of(ledger_url)
    assert [e.kind.value for e in state.events] == ["submitted", "note", "accepted", "reduced", "short-paid"]
    assert state.balance == Decimal("1000.00")
    result = run("ledger", "mark", "--db", ledger_url, "HW-3107", "written-off", "--amount", "1050", "--date",
                 "2025-03-22")
    assert result.exit_code == 2 and "its short-paid of 2025-03-25" in result.output, result.output
    assert result.output.count("\n") == 1 and result.output.startswith(
        "ledes: error: invoice HW-3107 (partially-paid, balance 1000.00 USD): cannot be written-off on 2025-03-22"
    ), result.output


def test_a_resubmission_dated_before_the_rejection_it_answers_is_refused(ledger_url, tmp_path):
    """The rejection of 03-05 concerns the first version: a corrected one dated 03-03 would come before it."""
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-01", HW).exit_code == 0
    mark(ledger_url, "HW-3107", "rejected", "--date", "2025-03-05", "--reason", "rate too high")
    corrected = hw_version(tmp_path, "1050.00", "3.0")
    result = run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-03", corrected, "--format", "json")
    assert result.exit_code == 1
    assert "its rejected of 2025-03-05" in json.loads(result.output)["invoices"][0]["errors"][0]
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-06", corrected).exit_code == 0
    assert state_of(ledger_url).status == "resubmitted"


def test_what_mark_records_exports_and_loads_back(ledger_url, tmp_path):
    """Events recorded out of the order of their days load back (load replays them by day, as the ledger does)."""
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-01", HW).exit_code == 0
    mark(ledger_url, "HW-3107", "accepted", "--date", "2025-03-20")
    mark(ledger_url, "HW-3107", "note", "--date", "2025-03-02", "--reason", "called")
    mark(ledger_url, "HW-3107", "reduced", "--amount", "10", "--line", "1", "--date", "2025-03-21", "--reason", "r")
    mark(ledger_url, "HW-3107", "paid", "--amount", "100", "--date", "2025-03-30")
    mark(ledger_url, "HW-3107", "paid", "--amount", "50", "--date", "2025-03-25")
    exported = tmp_path / "e.jsonl"
    assert run("ledger", "export", "--db", ledger_url, "-o", exported).exit_code == 0
    target = tmp_path / "back.sqlite"
    result = run("ledger", "load", "--db", target, exported)
    assert result.exit_code == 0, result.output
    assert state_of(str(target)).balance == state_of(ledger_url).balance == Decimal("977.50")


def test_a_reduction_cannot_exceed_what_is_left_of_its_line(ledger_url):
    """Line 4 bills 12.00: 500.00 is refused, 10.00 and then 2.00 are not, 3.00 more is; line 6 (-100.00) cannot be
    reduced at all."""
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-01", MULTI).exit_code == 0
    mark(ledger_url, "96544", "accepted", "--date", "2025-03-05")
    result = run("ledger", "mark", "--db", ledger_url, "96544", "reduced", "--line", "4", "--amount", "500", "--date",
                 "2025-03-06")
    assert result.exit_code == 2
    assert "a reduction of 500.00 on line 4 is more than what is left of the line (12.00 of 12.00)" in result.output
    mark(ledger_url, "96544", "reduced", "--line", "4", "--amount", "10", "--date", "2025-03-06")
    result = run("ledger", "mark", "--db", ledger_url, "96544", "reduced", "--line", "4", "--amount", "3", "--date",
                 "2025-03-06")
    assert result.exit_code == 2 and "(2.00 of 12.00)" in result.output
    mark(ledger_url, "96544", "reduced", "--line", "4", "--amount", "2", "--date", "2025-03-07")
    result = run("ledger", "mark", "--db", ledger_url, "96544", "reduced", "--line", "6", "--amount", "50", "--date",
                 "2025-03-06")
    assert result.exit_code == 2 and "line 6 totals -100.00: a line that bills nothing cannot be reduced" in result.output


@pytest.mark.parametrize("kind", ["paid", "written-off"])
def test_the_balance_after_a_same_day_part_is_recorded_and_then_recognised(ledger_url, kind):
    """100.00 then, the same day, no --amount (the balance): 1037.50 is recorded, not 'already recorded'; the same
    command again is recognised."""
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-01", HW).exit_code == 0
    mark(ledger_url, "HW-3107", kind, "--amount", "100", "--date", "2025-04-01")
    result = run("ledger", "mark", "--db", ledger_url, "HW-3107", kind, "--date", "2025-04-01")
    assert result.exit_code == 0 and "already" not in result.output and " 1037.50 on 2025-04-01" in result.output
    result = run("ledger", "mark", "--db", ledger_url, "HW-3107", kind, "--date", "2025-04-01")
    assert result.exit_code == 0 and result.output.startswith("already recorded: HW-3107: ")
    assert state_of(ledger_url).balance == 0 and len(state_of(ledger_url).events) == 3


def test_an_invoice_number_is_stripped_when_added_and_looked_up(ledger_url, tmp_path):
    padded = hw_version(tmp_path, "1137.50", "3.25", edit=lambda text: text.replace("|HW-3107|", "| HW-3107 |"))
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-11", HW).exit_code == 0
    result = run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-11", padded, "--format", "json")
    (added,) = json.loads(result.output)["invoices"]
    assert (added["invoice"], added["outcome"]) == ("HW-3107", "unchanged")  # the same content: no new version
    mark(ledger_url, " HW-3107 ", "note", "--reason", "n", "--date", "2025-03-12")
    assert run("ledger", "history", "--db", ledger_url, " HW-3107").output.startswith("invoice HW-3107: ")
    with ledger.open_ledger(ledger_url).reading() as connection:
        assert connection.exec_driver_sql("SELECT DISTINCT number FROM events").scalars().all() == ["HW-3107"]


def test_an_event_after_today_is_refused(ledger_url, tmp_path):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    result = run("ledger", "add", "--db", ledger_url, "--submitted", tomorrow, HW)
    assert result.exit_code == 2 and "--submitted" in result.output and "is after today" in result.output
    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-01", HW).exit_code == 0
    result = run("ledger", "mark", "--db", ledger_url, "HW-3107", "paid", "--amount", "10", "--date", tomorrow)
    assert result.exit_code == 2 and "--date" in result.output and "is after today" in result.output
    with pytest.raises(ledger.LedesLedgerError, match="after today"):
        ledger.mark(ledger.open_ledger(ledger_url), "HW-3107", ledger.Kind.ACCEPTED, on=date.today() + timedelta(days=1))
    assert [e.kind.value for e in state_of(ledger_url).events] == ["submitted"]


@pytest.mark.parametrize("code", ["", "E1", "xyz", "JYP", "EURO"])
def test_add_takes_only_an_iso_4217_currency(tmp_path, code):
    db = tmp_path / "l.sqlite"
    result = run("ledger", "add", "--db", db, "--currency", code, MULTI)
    assert result.exit_code == 2 and "expected an ISO 4217 currency code" in result.output, result.output
    assert result.output.count("\n") == 1 and not db.exists()
    assert run("ledger", "add", "--db", db, "--currency", "eur", "--submitted", "2025-03-01", MULTI).exit_code == 0
    assert state_of(str(db), "96544").currency == "EUR"


@pytest.mark.parametrize("command", [["aging"], ["follow-up"], ["realization"], ["export"], ["history", "X-1"],
                                     ["mark", "X-1", "note"]])
def test_a_ledger_that_does_not_exist_is_refused_by_the_commands_that_read_it(tmp_path, command):
    """A mistyped --db once created an empty ledger and reported 'no open balances'."""
    missing = tmp_path / "typo.sqlite"
    result = run("ledger", *command, "--db", missing)
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    assert result.output.startswith(f"ledes: error: no ledger at '{missing}': it does not exist")
    assert list(tmp_path.iterdir()) == []


def test_text_holding_a_nul_is_refused_on_every_backend(ledger_url):
    """PostgreSQL cannot keep U+0000: a SQLite ledger holding one could not be moved to it, so neither keeps one."""
    store = ledger.open_ledger(ledger_url)
    with pytest.raises(ledger.LedesLedgerError, match="NUL"):
        ledger.add_files(store, [str(HW)], on=date(2025, 3, 1), portal="a\x00b")
    ledger.add_files(store, [str(HW)], on=date(2025, 3, 1))
    with pytest.raises(ledger.LedesLedgerError, match="NUL"):
        ledger.mark(store, "HW-3107", ledger.Kind.NOTE, on=date(2025, 3, 2), reason="a\x00b")
    assert [e.kind.value for e in state_of(ledger_url).events] == ["submitted"]


def test_a_version_recorded_before_law_firms_were_kept_is_resubmitted_as_before(ledger_url, tmp_path):
    """A version from schema 0002 has no law firm: a corrected version (the firm's id known now) is a resubmission."""
    import sqlalchemy as sa

    assert run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-01", HW).exit_code == 0
    with ledger.open_ledger(ledger_url).writing() as connection:
        connection.execute(sa.text("UPDATE documents SET law_firm = NULL"))
    corrected = hw_version(tmp_path, "1050.00", "3.0")
    result = run("ledger", "add", "--db", ledger_url, "--submitted", "2025-03-06", corrected, "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output)["invoices"][0]["outcome"] == "resubmitted"
