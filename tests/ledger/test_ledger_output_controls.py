"""No value from a user or a file reaches a terminal raw through the ledger's text, CSV or HTML output.

The audit's case: `ledger mark 96544 reduced --amount 1 --rule $'\\e]0;pwned\\a'` (an OSC
sequence that sets the terminal's title), then `ledger history` and `ledger realization
--by rule` printed the rule as it was. Every other value a user or a file gives (the
currency, the portal, the user, the time recorded, read back by `ledger load`) is checked
here too, with ESC in several forms, a C1 control and a bidirectional override. (A currency
is an ISO 4217 code, and a time of recording a timestamp: neither can carry one.)
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ledes import ledger
from ledes.formats.recognise import printable
from ledes.safetext import csv_cell, visible
from ledes_cli.main import main

from .invoices import ROOT, write_invoices

OSC = "\x1b]0;pwned\x07"
# Every character that must never reach a terminal raw: C0 but newline, DEL, C1, the bidi controls and
# the line and paragraph separators. A text output writes newlines of its own; none of the input's.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile(tmp_path) -> str:
    """A ledger whose portal, user, rule, code and reason carry terminal escapes."""
    db = str(tmp_path / "l.sqlite")
    store = ledger.open_ledger(db)
    path = write_invoices(tmp_path / "i.txt", ["A-1", "A-2"])
    ledger.add_files(store, [str(path)], on=date(2025, 5, 1), portal="\x1bcportal", actor="\x9b31m")
    ledger.mark(store, "A-1", ledger.Kind.REDUCED, on=date(2025, 5, 9), amount=Decimal("10.00"), reason="\u202eesrever",
                code="\x1b", rule=OSC, line=None, portal="\x1b[2J", actor="\x1bc")
    ledger.mark(store, "A-2", ledger.Kind.REJECTED, on=date(2025, 5, 9), reason=OSC, code=None, rule=None, line=None,
                portal=None, actor="x")
    return db


def output(*arguments: str) -> str:
    result = CliRunner().invoke(main, list(arguments))
    assert result.exit_code == 0, result.output
    return result.output


TEXT_COMMANDS = [
    ["history", "A-1"], ["history", "A-2"],
    ["aging", "--as-of", "2025-06-30"], ["aging", "--as-of", "2025-06-30", "--by", "portal"],
    ["follow-up", "--as-of", "2025-12-31"],
    ["realization", "--as-of", "2025-06-30"], ["realization", "--as-of", "2025-06-30", "--by", "portal"],
    ["realization", "--as-of", "2025-06-30", "--by", "rule"],
]


@pytest.mark.parametrize("command", TEXT_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("output_format", ["text", "csv", "html"])
def test_no_report_carries_a_control_character_from_input(hostile, command, output_format):
    if command[0] == "history" and output_format != "text":
        pytest.skip("history is text or JSON")
    text = output("ledger", *command, "--db", hostile, "--format", output_format)
    assert not UNSAFE.search(text), repr(UNSAFE.search(text))


def test_mark_prints_the_rule_without_its_escape(hostile):
    text = output("ledger", "mark", "A-2", "note", "--reason", OSC, "--rule", OSC, "--db", hostile)
    assert not UNSAFE.search(text) and "\\x1b]0;pwned\\x07" in text


@pytest.mark.parametrize("command", TEXT_COMMANDS, ids=" ".join)
def test_json_keeps_its_own_escaping(hostile, command):
    """JSON writes a control character as \\u001b: the document reads back to the value recorded."""
    text = output("ledger", *command, "--db", hostile, "--format", "json")
    assert "\x1b" not in text
    json.loads(text)


def test_a_loaded_time_of_recording_that_is_no_time_is_refused_without_its_escape(hostile, tmp_path):
    exported = tmp_path / "e.jsonl"
    output("ledger", "export", "--db", hostile, "-o", str(exported))
    lines = exported.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[-1])
    record["recorded_at"] = "\x1b]0;t\x07"
    exported.write_text("\n".join([*lines[:-1], json.dumps(record)]) + "\n", encoding="utf-8")
    loaded = tmp_path / "loaded.sqlite"
    result = CliRunner().invoke(main, ["ledger", "load", "--db", str(loaded), str(exported)])
    assert result.exit_code == 2 and "recorded_at: expected a time" in result.output, result.output
    assert not UNSAFE.search(result.output) and "\\x1b]0;t\\x07" in result.output


@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from("\x1b\x9b\u202e\u2066\x7f")))
def test_the_sanitisers_let_no_control_character_through(text):
    """ESC in any form (CSI, OSC, alone, ESC c), C0, DEL, C1 and the bidi controls are replaced or escaped."""
    for shown in (visible(text), printable(text, 10**6), csv_cell(text)):
        assert not UNSAFE.search(shown) and "\n" not in shown


def test_import_status_names_its_source_without_its_escape(hostile, tmp_path):
    """The summary line names the export's path; a path holding an escape is shown as \\x1b."""
    source = tmp_path / "status\x1b]0;t\x07.csv"
    source.write_bytes((ROOT / "fixtures" / "ledger" / "portal-status.csv").read_bytes())
    mapping = str(ROOT / "fixtures" / "ledger" / "portal-status.toml")
    result = CliRunner().invoke(main, ["ledger", "import-status", "--db", hostile, str(source), "--mapping", mapping,
                                       "--dry-run"])
    assert "dry run" in result.output and "status\\x1b]0;t\\x07.csv" in result.output
    assert not UNSAFE.search(result.output)
