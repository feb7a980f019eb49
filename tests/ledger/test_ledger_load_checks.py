"""ledes ledger load: a line of the wrong shape is reported (file:line, exit 2), never a traceback, and loads nothing.

The broken lines are those a robustness audit found: a real export with one edit each (a
byte that is not UTF-8, JSON nested 100,000 deep, money at risk that is a string, a
number past SQLite's 64-bit integers, a reason that is an object).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledes import ledger
from ledes_cli.main import main

from .invoices import ROOT, write_invoices


@pytest.fixture
def export(tmp_path) -> list[bytes]:
    """The lines of an export of a small ledger: two invoices submitted, one reduced on its line 1 under a rule."""
    db = str(tmp_path / "source.sqlite")
    store = ledger.open_ledger(db)
    ledger.add_files(store, [str(write_invoices(tmp_path / "i.txt", ["A-1", "A-2"]))], on=date(2025, 5, 1))
    ledger.mark(store, "A-1", ledger.Kind.REDUCED, on=date(2025, 5, 9), amount=Decimal("10.00"), reason="rate",
                code="RC1", rule="rates.cap", line=6)
    target = tmp_path / "export.jsonl"
    assert CliRunner().invoke(main, ["ledger", "export", "--db", db, "-o", str(target)]).exit_code == 0
    return target.read_bytes().splitlines(keepends=True)


def edited(lines: list[bytes], kind: str, field: str, value: object) -> tuple[list[bytes], int]:
    """The export with ``field`` of its last ``kind`` record set to ``value``; the (1-based) number of that line."""
    index = max(i for i, line in enumerate(lines) if json.loads(line)["record"] == kind)
    record = json.loads(lines[index])
    record[field] = value
    changed = list(lines)
    changed[index] = json.dumps(record).encode("utf-8") + b"\n"
    return changed, index + 1


def load(tmp_path: Path, lines: list[bytes]) -> tuple[int, str, str]:
    source = tmp_path / "edited.jsonl"
    source.write_bytes(b"".join(lines))
    db = str(tmp_path / "target.sqlite")
    result = CliRunner().invoke(main, ["ledger", "load", "--db", db, str(source)])
    return result.exit_code, result.output, db


def events_in(db: str) -> int:
    with ledger.open_ledger(db).reading() as connection:
        return connection.exec_driver_sql("SELECT count(*) FROM events").scalar()


BIG = 10**20

WRONG_FIELDS = [
    ("invoice", "at_risk", "x"),
    ("invoice", "at_risk", {"rates.cap": 5}),
    ("invoice", "client", 7),
    ("invoice", "currency", "DOLLARS"),
    ("invoice", "lines", [{"line": BIG, "type": "F", "matter": "m", "timekeeper": "t", "task": "", "total": "1"}]),
    ("invoice", "total", "NaN"),
    ("invoice", "total", "1e999999"),  # loaded, it made the HTML aging report overflow
    ("invoice", "total", "1" * 40),
    ("event", "amount", "1E+2"),
    ("event", "rule", BIG),
    ("event", "line", BIG),
    ("event", "line", -BIG),
    ("event", "line", "1"),
    ("event", "line", True),
    ("event", "reason", {"a": 1}),
    ("event", "reason", "\udcff"),  # a JSON escape of a lone surrogate: no database can hold it
    ("event", "details", {"changes": ["\udcff"]}),
    ("event", "code", ["x"]),
    ("event", "portal", "p" * 256),
    ("event", "details", "x"),
    ("event", "amount", [1]),
    ("event", "amount", "Infinity"),
    ("event", "date", 20250509),
    ("event", "by", None),
]


@pytest.mark.parametrize(("kind", "field", "value"), WRONG_FIELDS, ids=[f"{k}-{f}-{v!r}"[:40] for k, f, v in WRONG_FIELDS])
def test_a_field_of_the_wrong_type_or_range_is_reported_and_loads_nothing(tmp_path, export, kind, field, value):
    lines, number = edited(export, kind, field, value)
    code, out, db = load(tmp_path, lines)
    assert code == 2, out
    assert out.startswith(f"ledes: error: {tmp_path / 'edited.jsonl'}:{number}: not a line of `ledes ledger export`:")
    assert f"{field}:" in out and "Traceback" not in out
    assert events_in(db) == 0


def test_a_byte_that_is_not_utf8_is_reported_with_its_line(tmp_path, export):
    lines = list(export)
    lines[2] = lines[2].replace(b'"A-', b'"\xff-', 1)
    code, out, db = load(tmp_path, lines)
    assert code == 2, out
    assert ":3: not a line of `ledes ledger export`: not valid UTF-8 (byte 0xff at column" in out
    assert events_in(db) == 0


def test_json_nested_too_deep_is_reported_with_its_line(tmp_path, export):
    lines = [*export[:2], b"[" * 100_000 + b"\n", *export[2:]]
    code, out, db = load(tmp_path, lines)
    assert code == 2, out
    assert ":3: not a line of `ledes ledger export`: JSON nested too deep" in out
    assert events_in(db) == 0


def test_the_unedited_export_loads(tmp_path, export):
    code, out, db = load(tmp_path, export)
    assert code == 0, out
    assert events_in(db) == 3


def _records(lines: list[bytes]) -> list[dict]:
    return [json.loads(line) for line in lines]


def _lines(records: list[dict]) -> list[bytes]:
    return [json.dumps(record).encode("utf-8") + b"\n" for record in records]


def _reduction(records: list[dict]) -> dict:
    return next(record for record in records if record["record"] == "event" and record["event"] == "reduced")


@pytest.mark.parametrize(("edit", "why"), [
    (lambda records: _reduction(records).update(amount="1000000000.00"), "is more than the balance"),
    (lambda records: _reduction(records).update(amount="-10.00"), "needs a positive amount"),
    (lambda records: _reduction(records).update(amount="10.005"), "not an amount in minor units of USD"),
    (lambda records: _reduction(records).update(date="1900-01-01"), "before it was submitted"),
    (lambda records: _reduction(records).update(invoice="A-2"), "names a version of invoice A-1"),
    (lambda records: records.extend([dict(r) for r in records if r["record"] == "event"]),
     "again (the ledger records an event once)"),
    (lambda records: records.extend([{**r, "recorded_at": "2025-05-02T00:00:00+00:00"} for r in records
                                     if r["record"] == "event" and r["event"] == "submitted"]),
     "start with its one submission"),
    (lambda records: records.remove(next(r for r in records if r["record"] == "event" and r["invoice"] == "A-1")),
     "start with its one submission"),
])
def test_events_the_ledger_would_never_have_recorded_are_refused(tmp_path, export, edit, why):
    """A hand-edited export: its events are taken in order as add and mark took them, and the first that could not
    have been recorded stops the load (a payment of 1e400 once loaded and then broke `ledger realization`)."""
    records = _records(export)
    edit(records)
    code, out, db = load(tmp_path, _lines(records))
    assert code == 2, out
    assert why in out and out.count("\n") == 1, out
    assert events_in(db) == 0


def _submission(records: list[dict]) -> dict:
    return next(record for record in records if record["record"] == "event" and record["event"] == "submitted")


def _event(records: list[dict], kind: str) -> dict:
    return next(record for record in records if record["record"] == "event" and record["event"] == kind)


def _terms(value: object):
    return lambda records: _submission(records)["details"]["terms"].update(payment_terms_days=value)


@pytest.mark.parametrize(("edit", "why"), [
    (_terms("abc"), "details.terms.payment_terms_days: expected a whole number of days from 0 to 3660, found 'abc'"),
    (_terms(None), "details.terms.payment_terms_days: expected a whole number of days"),
    (_terms(1.5), "details.terms.payment_terms_days: expected a whole number of days"),
    (_terms(10**20), "details.terms.payment_terms_days: expected a whole number of days"),
    (_terms(-1), "details.terms.payment_terms_days: expected a whole number of days"),
    (lambda records: _submission(records)["details"].update(terms=[]), "details.terms: expected a JSON object"),
    (lambda records: next(r for r in records if r["record"] == "invoice").update(currency="usd"),
     "currency: expected an ISO 4217 code in upper case"),
    (lambda records: next(r for r in records if r["record"] == "invoice").update(currency="XYZ"),
     "currency: expected an ISO 4217 code in upper case"),
    (lambda records: _submission(records).update(amount="5.00"), "amount: a submitted event carries none"),
    (lambda records: _submission(records).update(line=1), "line: a submitted event is on no line"),
    (lambda records: _submission(records).update(recorded_at="yesterday"), "recorded_at: expected a time"),
    (lambda records: _reduction(records).update(reason="a\x00b"), "reason: holds a NUL character"),
    (lambda records: _reduction(records).update(date="2999-01-01"), "is after today"),
    (lambda records: records.insert(records.index(_reduction(records)) + 1, dict(_reduction(records))),
     "edited.jsonl:7: not a line of `ledes ledger export`: the event of line 6 again"),
    (lambda records: next(r for r in records if r["record"] == "invoice").update(total="700.005"),
     "total: 700.005 is not an amount in minor units of USD"),
    (lambda records: next(r for r in records if r["record"] == "invoice").pop("at_risk"),
     "not a line of `ledes ledger export`: at_risk: missing"),
    (lambda records: records.pop(0), "expected the header"),
    (lambda records: records.insert(2, dict(next(r for r in records if r["record"] == "invoice"))),
     "edited.jsonl:3: not a line of `ledes ledger export`: invoice version"),
])
def test_a_record_the_ledger_would_never_write_is_refused_with_its_line(tmp_path, export, edit, why):
    """Bad payment terms once ended in a traceback; a lower-case currency, an amount on a submission, a line on a
    payment, a time that is no time, a missing header, a duplicated event or invoice version once loaded."""
    records = _records(export)
    edit(records)
    code, out, db = load(tmp_path, _lines(records))
    assert code == 2, out
    assert out.startswith(f"ledes: error: {tmp_path / 'edited.jsonl'}:") and why in out, out
    assert out.count("\n") == 1 and "Traceback" not in out
    assert events_in(db) == 0


def test_two_alike_events_of_one_import_load_back(tmp_path):
    """Two alike payments recorded by one import differ only in their row: they are not a duplicated line."""
    db = str(tmp_path / "source.sqlite")
    store = ledger.open_ledger(db)
    ledger.add_files(store, [str(write_invoices(tmp_path / "i.txt", ["A-1"]))], on=date(2025, 5, 1))
    source = tmp_path / "p.csv"
    source.write_text("Receipt No,Invoice,Date Received,Amount Received,Type,Payer Reference\n"
                      "R-1,A-1,2025-05-20,10.00,Payment,x\nR-2,A-1,2025-05-20,10.00,Payment,x\n", encoding="utf-8")
    assert ledger.import_status(store, str(source), str(ROOT / "fixtures" / "ledger" / "payments.toml")).recorded
    target = tmp_path / "export.jsonl"
    assert CliRunner().invoke(main, ["ledger", "export", "--db", db, "-o", str(target)]).exit_code == 0
    code, out, loaded = load(tmp_path, target.read_bytes().splitlines(keepends=True))
    assert code == 0, out
    assert events_in(loaded) == 3


def test_a_file_that_cannot_be_read_is_one_line_and_creates_no_ledger(tmp_path):
    db = tmp_path / "new.sqlite"
    result = CliRunner().invoke(main, ["ledger", "load", str(tmp_path / "missing.jsonl"), "--db", str(db)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output == f"ledes: error: cannot read '{tmp_path / 'missing.jsonl'}': No such file or directory\n"
    assert not db.exists()
