"""ledes ledger import-status (every row matched or listed, dry runs, no row twice, atomic when killed), export and load."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledes import ledger
from ledes_cli.main import main

from .invoices import write_invoices
from .schema import ROOT, conforms, schema
from .walkthrough import COMMANDS, arguments

MAPPING = ROOT / "fixtures" / "ledger" / "payments.toml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def event_count(url: str) -> int:
    with ledger.open_ledger(url).reading() as connection:
        return connection.exec_driver_sql("SELECT count(*) FROM events").scalar()


def payments(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = ["Receipt No,Invoice,Date Received,Amount Received,Type,Payer Reference"]
    lines += [f"R-{n},{invoice},{day},{amount},Payment,ref {n}" for n, (invoice, day, amount) in enumerate(rows, 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_every_row_is_matched_or_listed_with_its_reason_and_a_bad_row_records_nothing(ledger_url, tmp_path):
    """An unknown invoice, an overpayment and an unreadable date are listed; nothing is recorded (exit 1)."""
    store = ledger.open_ledger(ledger_url)
    ledger.add_files(store, [str(write_invoices(tmp_path / "i.txt", ["A-1", "A-2"]))], on=date(2025, 5, 1))
    source = payments(tmp_path / "p.csv", [("A-1", "2025-05-20", "1250.00"), ("NOPE", "2025-05-20", "5.00"),
                                           ("A-2", "2025-05-20", "9999.00"), ("A-2", "20/05/2025", "5.00")])
    code, out = run("ledger", "import-status", "--db", ledger_url, str(source), "--mapping", str(MAPPING),
                    "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert conforms(document, schema("import-status")) == []
    outcomes = {r["row"]: (r["outcome"], r["reason"]) for r in document["rows"]}
    assert outcomes[2][0] == "recorded"
    assert outcomes[3] == ("error", "invoice NOPE is not in the ledger")
    assert "paid of 9999.00 is more than the balance 1250.00" in outcomes[4][1]
    assert "date '20/05/2025' is not in the mapping's date formats" in outcomes[5][1]
    assert document["recorded"] is False and event_count(ledger_url) == 2
    code, out = run("ledger", "import-status", "--db", ledger_url, str(source), "--mapping", str(MAPPING),
                    "--skip-bad-rows")
    assert code == 0, out
    assert event_count(ledger_url) == 3


def test_a_dry_run_records_nothing_and_a_second_import_records_no_row_twice(ledger_url, tmp_path):
    """--dry-run lists what would be recorded; importing the same export again finds every row already recorded."""
    store = ledger.open_ledger(ledger_url)
    ledger.add_files(store, [str(write_invoices(tmp_path / "i.txt", ["A-1"]))], on=date(2025, 5, 1))
    source = payments(tmp_path / "p.csv", [("A-1", "2025-05-20", "1000.00")])
    code, out = run("ledger", "import-status", "--db", ledger_url, str(source), "--mapping", str(MAPPING), "--dry-run")
    assert code == 0 and "row 2: A-1: recorded: short-paid 1000.00" in out and "dry run, nothing recorded" in out
    assert event_count(ledger_url) == 1
    assert run("ledger", "import-status", "--db", ledger_url, str(source), "--mapping", str(MAPPING))[0] == 0
    code, out = run("ledger", "import-status", "--db", ledger_url, str(source), "--mapping", str(MAPPING))
    assert code == 0 and "row 2: A-1: already" in out
    assert event_count(ledger_url) == 2


def test_an_import_killed_half_way_leaves_the_ledger_as_it_was(ledger_url, tmp_path):
    """SIGKILL after 200 of 600 rows were matched and inserted, before the commit: the ledger holds no row of it."""
    numbers = [f"K-{n:04d}" for n in range(600)]
    store = ledger.open_ledger(ledger_url)
    ledger.add_files(store, [str(write_invoices(tmp_path / "i.txt", numbers))], on=date(2025, 5, 1))
    before = event_count(ledger_url)
    source = payments(tmp_path / "p.csv", [(n, "2025-05-20", "100.00") for n in numbers])
    process = subprocess.Popen(
        [sys.executable, "-m", "ledes_cli", "ledger", "import-status", "--db", ledger_url, str(source),
         "--mapping", str(MAPPING)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    seen = 0
    for line in process.stdout:
        seen += ": recorded: " in line
        if seen == 200:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=120)
    assert process.returncode == -signal.SIGKILL, process.stderr.read() if process.stderr else ""
    assert seen == 200
    assert event_count(ledger_url) == before
    assert run("ledger", "import-status", "--db", ledger_url, str(source), "--mapping", str(MAPPING))[0] == 0
    assert event_count(ledger_url) == before + 600


def test_export_then_load_into_an_empty_ledger_reproduces_every_event_across_backends(tmp_path, postgres_url):
    """SQLite -> JSON lines -> PostgreSQL -> JSON lines -> SQLite: the same events, days, times, users, hashes."""
    first = str(tmp_path / "first.sqlite")
    for command in COMMANDS:
        if " add " in command or "import-status" in command or " mark " in command:
            assert CliRunner().invoke(main, arguments(command, first)).exit_code == 0
    exported = tmp_path / "ledger.jsonl"
    code, out = run("ledger", "export", "--db", first, "-o", str(exported))
    assert code == 0, out
    assert run("ledger", "load", "--db", postgres_url, str(exported))[0] == 0
    again = tmp_path / "again.jsonl"
    assert run("ledger", "export", "--db", postgres_url, "-o", str(again))[0] == 0
    last = str(tmp_path / "last.sqlite")
    assert run("ledger", "load", "--db", last, str(again))[0] == 0
    final = tmp_path / "final.jsonl"
    assert run("ledger", "export", "--db", last, "-o", str(final))[0] == 0
    assert exported.read_text(encoding="utf-8") == again.read_text(encoding="utf-8") == final.read_text(encoding="utf-8")
    events = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines() if '"event"' in line]
    assert len([e for e in events if e["record"] == "event"]) == event_count(first) == 28
    for url in (first, postgres_url, last):
        assert run("ledger", "aging", "--db", url, "--as-of", "2025-06-30", "--format", "json")[1] == \
            run("ledger", "aging", "--db", first, "--as-of", "2025-06-30", "--format", "json")[1]


def test_load_refuses_a_ledger_that_holds_events(ledger_url, tmp_path):
    """Loading into a ledger with events would mix two histories: refused, exit 2."""
    store = ledger.open_ledger(ledger_url)
    ledger.add_files(store, [str(write_invoices(tmp_path / "i.txt", ["A-1"]))], on=date(2025, 5, 1))
    exported = tmp_path / "e.jsonl"
    assert run("ledger", "export", "--db", ledger_url, "-o", str(exported))[0] == 0
    code, out = run("ledger", "load", "--db", ledger_url, str(exported))
    assert code == 2 and "already holds events" in out


@pytest.mark.parametrize("command", ["add", "history"])
def test_add_and_history_json_match_their_schemas(ledger_url, tmp_path, command):
    """The JSON of add and history fits schemas/ledger-add and ledger-history."""
    path = write_invoices(tmp_path / "i.txt", ["A-1"])
    code, out = run("ledger", "add", "--db", ledger_url, str(path), "--submitted", "2025-05-01", "--format", "json")
    assert code == 0
    if command == "history":
        run("ledger", "mark", "--db", ledger_url, "A-1", "paid", "--amount", "50", "--date", "2025-05-09")
        code, out = run("ledger", "history", "--db", ledger_url, "A-1", "--format", "json")
        assert json.loads(out)["status"] == "partially-paid"
    assert conforms(json.loads(out), schema(command)) == []


def test_the_schema_check_can_fail():
    """A float amount and an unknown bucket are caught by the checker the tests use."""
    broken = {"as_of": "2025-06-30", "by": "client", "from": "submitted", "buckets": ["0-29"], "not_aged": 0,
              "rows": [], "totals": {"USD": {"0-30": 1.5}}}
    assert len(conforms(broken, schema("aging"))) >= 2
