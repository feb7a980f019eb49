"""A ledger file that is not one, one ledes cannot write or migrate, and an output over the ledger: one line, exit 2.

Each case once ended in a traceback (``file is not a database``, ``attempt to write a
readonly database``, Alembic's ``Can't locate revision``) or, for ``-o`` naming the
ledger itself, replaced the whole ledger with a report.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledes_cli.main import main

from .invoices import SAMPLE, write_invoices


def run(*args: str):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def assert_one_line(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("ledes: error: "), result.stderr
    assert all(word in result.stderr for word in words), result.stderr


@pytest.fixture
def ledger_file(tmp_path: Path) -> Path:
    database = tmp_path / "ledger.sqlite"
    assert run("ledger", "add", "--db", database, "--submitted", "2025-01-02",
               write_invoices(tmp_path / "in.txt", ["A-1"])).exit_code == 0
    return database


@pytest.mark.parametrize("command", [["aging", "--format", "csv"], ["follow-up"], ["realization"], ["export"]])
def test_an_output_over_the_ledger_itself_is_refused_and_the_ledger_kept(ledger_file: Path, command: list[str]):
    before = ledger_file.read_bytes()
    link = ledger_file.with_name("link.sqlite")
    link.symlink_to(ledger_file.name)
    for target in (ledger_file, link):
        assert_one_line(run("ledger", *command, "--db", ledger_file, "-o", target), "refusing to overwrite")
    assert ledger_file.read_bytes() == before
    assert run("ledger", "aging", "--db", ledger_file).exit_code == 0


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_an_output_over_the_ledgers_own_log_is_refused_even_before_it_exists(ledger_file: Path, suffix: str):
    """An export written as ``ledger.sqlite-wal`` was taken by SQLite for its write-ahead log and deleted."""
    target = ledger_file.with_name(ledger_file.name + suffix)
    for command in (["export"], ["aging", "--format", "json"]):
        assert_one_line(run("ledger", *command, "--db", ledger_file, "-o", target), "a file of the ledger itself")
    assert not target.exists()


@pytest.mark.parametrize(("content", "why"), [
    (SAMPLE.read_bytes(), "not a SQLite database"), (b"\x00\x9f" * 2500, "not a SQLite database"),
])
def test_a_file_that_is_no_sqlite_database_is_refused_untouched(tmp_path: Path, content: bytes, why: str):
    given = tmp_path / "given.db"
    given.write_bytes(content)
    for command in (["aging"], ["add", SAMPLE]):
        assert_one_line(run("ledger", *command, "--db", given), why)
    assert given.read_bytes() == content
    assert sorted(path.name for path in tmp_path.iterdir()) == ["given.db"]


def test_a_device_as_the_ledger_is_refused():
    journal = Path("/dev/null-journal")  # what SQLite made beside /dev/null when it was given it
    before = journal.exists()
    assert_one_line(run("ledger", "aging", "--db", "/dev/null"), "it is not a regular file")
    assert journal.exists() == before


def test_a_ledger_opened_read_only_is_one_line_when_written(ledger_file: Path, tmp_path: Path):
    read_only = f"sqlite:///file:{ledger_file}?mode=ro&uri=true"
    assert run("ledger", "aging", "--db", read_only).exit_code == 0
    assert_one_line(run("ledger", "add", "--db", read_only, write_invoices(tmp_path / "b.txt", ["B-1"])),
                    "attempt to write a readonly database")


@pytest.mark.parametrize(("change", "why"), [
    ("UPDATE alembic_version SET version_num = '0099'", "has schema version '0099', which this ledes does not know"),
    ("UPDATE alembic_version SET version_num = ''", "has schema version '', which this ledes does not know"),
    ("DROP TABLE alembic_version", "holds tables (documents, events) but no schema version"),
    ("ALTER TABLE events DROP COLUMN rule", "no such column"),
])
def test_a_schema_this_ledes_does_not_know_is_refused(ledger_file: Path, change: str, why: str):
    with sqlite3.connect(ledger_file) as connection:
        connection.execute(change)
    for command in (["aging"], ["add", SAMPLE]):
        assert_one_line(run("ledger", *command, "--db", ledger_file), why)


def test_follow_up_windows_are_bounded_and_dates_near_the_last_one_do_not_overflow(ledger_file: Path):
    """--within is bounded; the work list as of the last day a date can be, with the longest window, does not
    overflow (an event cannot be dated after today, so the as-of day is the one near the end)."""
    assert_one_line(run("ledger", "follow-up", "--db", ledger_file, "--within", "3000000"), "0<=x<=3660")
    assert run("ledger", "mark", "--db", ledger_file, "A-1", "rejected", "--date", "2025-01-03", "--reason", "r").exit_code == 0
    result = run("ledger", "follow-up", "--db", ledger_file, "--as-of", date.max.isoformat(), "--within", "3660")
    assert result.exit_code == 0, result.output
    assert "resubmission-window" in result.stdout


@pytest.mark.parametrize(("db", "words"), [
    ("postgresql://localhost:abc/ledger", ("not a database URL", "its host and port do not read")),
    ("postgresql://[::1/ledger", ("not a database URL",)),
    ("ledger\0.sqlite", ("holds a NUL character",)),
])
def test_a_ledger_location_that_cannot_be_read_is_one_line(db, words):
    """A port that is no number, an IPv6 host left open or a NUL in a path: each was a ValueError traceback."""
    assert_one_line(run("ledger", "aging", "--db", db), *words)


def test_a_nul_in_the_ledger_of_a_configuration_file_is_one_line(tmp_path: Path, monkeypatch):
    (tmp_path / "ledes.toml").write_text('ledger = "\\u0000"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert_one_line(run("ledger", "aging"), "holds a NUL character")
