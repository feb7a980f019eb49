"""The ledger's reports in every format: CSV cells are never formulas, text carries no control character from input."""

from __future__ import annotations

import csv
import io
from datetime import date

import attrs
import pytest
from click.testing import CliRunner

import ledes
from ledes import ledger
from ledes_cli.main import main

from .invoices import SAMPLE


@pytest.fixture
def hostile(tmp_path) -> str:
    """A ledger holding an invoice whose client id is a spreadsheet formula, marked with a reason holding an escape."""
    template = next(invoice for invoice in ledes.load(SAMPLE) if invoice.number == "96543")
    invoice = attrs.evolve(template, number="X-1", client=attrs.evolve(template.client, id="=HYPERLINK(\"x\")"))
    path = tmp_path / "x.txt"
    ledes.write([invoice], path, "1998b")
    db = str(tmp_path / "l.sqlite")
    store = ledger.open_ledger(db)
    ledger.add_files(store, [str(path)], on=date(2025, 5, 1), force=True)
    ledger.mark(store, "X-1", ledger.Kind.REJECTED, on=date(2025, 5, 2), reason="bad\x1b[31m rate")
    return db


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", ["aging", "follow-up", "realization"])
def test_no_csv_cell_starts_a_formula(hostile, command):
    """A client id beginning with '=' is written with a leading apostrophe in every report's CSV."""
    text = run("ledger", command, "--db", hostile, "--as-of", "2025-06-30", "--format", "csv")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'=HYPERLINK(\"x\")" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


@pytest.mark.parametrize("command", [["history", "X-1"], ["follow-up", "--as-of", "2025-06-30"],
                                     ["aging", "--as-of", "2025-06-30"]])
def test_text_output_carries_no_control_character(hostile, command):
    """An escape sequence recorded in a reason is shown escaped (\\x1b), never sent to the terminal."""
    text = run("ledger", *command, "--db", hostile)
    assert "\x1b" not in text


@pytest.mark.parametrize("command", ["follow-up", "realization"])
def test_every_report_renders_as_a_self_contained_page(hostile, command):
    """follow-up and realization as HTML: one page, no script, nothing fetched, the input escaped."""
    page = run("ledger", command, "--db", hostile, "--as-of", "2025-06-30", "--format", "html")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "src=" not in page
    assert "=HYPERLINK(&quot;x&quot;)" in page
