"""Options that are text refuse bytes that are not UTF-8, and integer options stop at what the database holds.

Python gives a command line's bytes that are not UTF-8 as lone surrogates ('\\udcff'); the
ledger stored or printed them and failed with UnicodeEncodeError (exit 1). Each such value
now fails as a usage error naming its option (exit 2), as a line number past SQLite's
signed 64-bit integers does instead of an OverflowError.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = str(ROOT / "fixtures" / "1998b" / "valid" / "multi_matter.txt")
NOT_UTF8 = "a\udcff"  # what Python makes of the bytes b"a\xff" on a command line


@pytest.fixture
def db(tmp_path) -> str:
    """A ledger holding the sample's invoices 96544 to 96546."""
    path = str(tmp_path / "l.sqlite")
    result = CliRunner().invoke(main, ["ledger", "add", "--db", path, "--submitted", "2025-03-03", SAMPLE])
    assert result.exit_code == 0, result.output
    return path


def one_usage_error(arguments: list[str]) -> str:
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ledes: error: "), result.output
    return lines[0]


LEDGER_CALLS = [
    ("--reason", ["ledger", "mark", "96544", "note", "--reason", NOT_UTF8]),
    ("--code", ["ledger", "mark", "96544", "note", "--code", NOT_UTF8]),
    ("--portal", ["ledger", "mark", "96544", "note", "--portal", NOT_UTF8]),
    ("--user", ["ledger", "mark", "96544", "note", "--user", NOT_UTF8]),
    ("--rule", ["ledger", "mark", "96544", "reduced", "--amount", "1", "--rule", NOT_UTF8]),
    ("--date", ["ledger", "mark", "96544", "note", "--date", NOT_UTF8]),
    ("--amount", ["ledger", "mark", "96544", "paid", "--amount", NOT_UTF8]),
    ("INVOICE", ["ledger", "mark", NOT_UTF8, "note"]),
    ("INVOICE", ["ledger", "history", NOT_UTF8]),
    ("--portal", ["ledger", "add", "--portal", NOT_UTF8, SAMPLE]),
    ("--user", ["ledger", "add", "--user", NOT_UTF8, SAMPLE]),
    ("--currency", ["ledger", "add", "--currency", NOT_UTF8, SAMPLE]),
    ("--period", ["ledger", "realization", "--period", NOT_UTF8]),
]


@pytest.mark.parametrize(("option", "arguments"), LEDGER_CALLS, ids=[" ".join(a[1:3]) + " " + o for o, a in LEDGER_CALLS])
def test_a_ledger_option_that_is_not_utf8_is_a_usage_error_naming_it(db, option, arguments):
    line = one_usage_error([*arguments, "--db", db])
    assert f"'{option}'" in line and "'a\\xff' is not valid UTF-8" in line


OTHER_CALLS = [
    ("--currency", ["convert", SAMPLE, "-o", "-", "--to", "1998bi", "--currency", NOT_UTF8]),
    ("--law-firm-name", ["convert", SAMPLE, "-o", "-", "--to", "xml2.0", "--law-firm-name", NOT_UTF8]),
    ("[RULE_OR_GROUP]", ["rules", NOT_UTF8]),
    ("RULE", ["explain", NOT_UTF8]),
    ("[SET_OR_CODE]", ["codes", NOT_UTF8]),
    ("--by", ["report", SAMPLE, "--by", NOT_UTF8]),
    ("--period", ["report", SAMPLE, "--period", NOT_UTF8]),
    ("--level", ["validate", SAMPLE, "--level", NOT_UTF8]),
    ("--select", ["validate", SAMPLE, "--select", NOT_UTF8]),
    ("--ignore", ["validate", SAMPLE, "--ignore", NOT_UTF8]),
]


@pytest.mark.parametrize(("option", "arguments"), OTHER_CALLS, ids=[a[0] + " " + o for o, a in OTHER_CALLS])
def test_a_text_option_of_another_command_that_is_not_utf8_is_a_usage_error_naming_it(option, arguments):
    line = one_usage_error(arguments)
    assert f"'{option}'" in line and "is not valid UTF-8" in line


def test_a_line_number_past_64_bit_integers_is_a_usage_error(db):
    line = one_usage_error(["ledger", "mark", "96544", "reduced", "--amount", "1", "--line", str(10**20), "--db", db])
    assert "'--line'" in line


def test_an_imported_line_number_past_64_bit_integers_is_a_bad_row(db, tmp_path):
    """A status export's line of 10**20 (or a digit that is not ASCII) is listed as a bad row, not an OverflowError."""
    source = tmp_path / "status.csv"
    source.write_text("Invoice Number,Law Firm,Status,Status Date,Line Item,Adjustment Amount,Reason Code,"
                      "Reviewer Comments\n"
                      f"96544,Lexitree LLP,Line Adjusted,04/09/2025,{10**20},10.00,INCR,too big\n"
                      "96544,Lexitree LLP,Line Adjusted,04/09/2025,\u00b2,10.00,INCR,superscript\n", encoding="utf-8")
    mapping = str(ROOT / "fixtures" / "ledger" / "portal-status.toml")
    result = CliRunner().invoke(main, ["ledger", "import-status", "--db", db, str(source), "--mapping", mapping])
    assert result.exit_code == 1, result.output
    assert f"line '{10**20}' is not a line number" in result.output
    assert "line '\u00b2' is not a line number" in result.output
