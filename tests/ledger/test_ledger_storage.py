"""The ledger's storage: migrations from an empty database and from the first schema version; concurrent writers."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from ledes import ledger
from ledes.ledger import store as ledger_store

from .invoices import SAMPLE, write_invoices


def test_an_empty_database_is_migrated_to_the_newest_schema(ledger_url):
    """Opening an empty database creates every table at the newest version, which the shipped migrations end at."""
    store = ledger.open_ledger(ledger_url)
    with store.reading() as connection:
        assert ledger_store.current_revision(connection) == ledger_store.head_revision() == ledger_store.HEAD == "0003"
        tables = set(sa.inspect(connection).get_table_names())
    assert {"documents", "events", "alembic_version"} <= tables


def test_a_database_at_the_first_schema_version_is_migrated_keeping_its_events(ledger_url):
    """A ledger written by schema 0001 is brought to the newest version; its events survive and new ones add to them."""
    store = ledger_store.Store(ledger_url)
    with store.engine.connect() as connection, connection.begin():
        ledger_store.upgrade(connection, "0001")
    with store.engine.connect() as connection, connection.begin():
        assert ledger_store.current_revision(connection) == "0001"
        columns = {c["name"] for c in sa.inspect(connection).get_columns("events")}
        assert "rule" not in columns
        connection.execute(sa.text(
            "INSERT INTO documents (content_hash, number, client, currency, invoice_date, total, lines, at_risk)"
            " VALUES ('h1', 'INV-1', 'C1', 'USD', '2025-01-31', '100.00', '[]', '{}')"))
        connection.execute(sa.text(
            "INSERT INTO events (number, kind, on_date, recorded_at, actor, content_hash, details)"
            " VALUES ('INV-1', 'submitted', '2025-02-01', '2025-02-01T09:00:00+00:00', 'ana', 'h1', '{}')"))
    ledger.mark(store, "INV-1", ledger.Kind.PAID, on=date(2025, 3, 1), amount=None)
    with store.reading() as connection:
        assert ledger_store.current_revision(connection) == "0003"
    state = ledger.history(store, "INV-1")
    assert [e.kind.value for e in state.events] == ["submitted", "paid"]
    assert state.events[0].actor == "ana" and state.status == "paid"


def test_two_processes_adding_500_invoices_each_at_once_end_with_1000(ledger_url, tmp_path: Path):
    """Two `ledes ledger add` processes, each adding 500 invoices in 10 files, end with 1,000 invoices and no error."""
    commands = []
    for writer in ("a", "b"):
        files = [str(write_invoices(tmp_path / f"{writer}{batch}.txt",
                                    (f"{writer.upper()}-{batch:02d}-{n:03d}" for n in range(50))))
                 for batch in range(10)]
        commands.append([sys.executable, "-m", "ledes_cli", "ledger", "add", "--db", ledger_url,
                         "--submitted", "2025-05-01", *files])
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for command in commands]
    outputs = [process.communicate(timeout=600) for process in processes]
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert out.splitlines()[-1] == "500 added, 0 unchanged, 0 resubmitted, 0 refused"
    with ledger.open_ledger(ledger_url).reading() as connection:
        assert connection.exec_driver_sql("SELECT count(DISTINCT number) FROM events").scalar() == 1000
        assert connection.exec_driver_sql("SELECT count(*) FROM events").scalar() == 1000


def test_writers_racing_to_create_the_schema_both_succeed(ledger_url):
    """Two processes opening a new ledger at once: one creates the schema, the other waits and uses it."""
    command = [sys.executable, "-m", "ledes_cli", "ledger", "add", "--db", ledger_url, "--submitted", "2025-05-01",
               str(SAMPLE)]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), p.communicate()) for p in processes]
    assert all(code == 0 for code, _ in results), results
    outputs = sorted(out.splitlines()[-1] for _, (out, _) in results)
    assert outputs == ["0 added, 2 unchanged, 0 resubmitted, 0 refused", "2 added, 0 unchanged, 0 resubmitted, 0 refused"]
