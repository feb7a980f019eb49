"""The ledger's reports in every format: CSV cells are never formulas, text carries no control character from input."""

from __future__ import annotations

import csv
import io
import json
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


def test_a_credits_share_of_a_payment_gives_a_negative_realization_in_the_schema_and_never_minus_zero(tmp_path):
    """A1 bills 700 on L510 and a −100 credit with no task, paid in full; B1 bills 700 with no task, unpaid: by task,
    the untasked row has billed 600 and paid −100 (the credit's share), a realization of −0.1667, which the published
    schema holds; a credit note alone (−100, nothing paid) is 0.0000, not −0.0000."""
    from .schema import conforms, schema

    header = ("INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|"
              "BILLING_END_DATE|INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|"
              "LINE_ITEM_ADJUSTMENT_AMOUNT|LINE_ITEM_TOTAL|LINE_ITEM_DATE|LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|"
              "LINE_ITEM_ACTIVITY_CODE|TIMEKEEPER_ID|LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|"
              "TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]")
    start = "19990225|{}|00711|0528|{}|19990101|19990131|For services rendered|"
    fee = "1|F|2.00|0|700|19990115|{}||A102|22547|Research|24-6437381|350|Arnsley, Robert|PARTNR|423-987[]"
    credit = "2|IF||-100|-100|19990115|||||Research|24-6437381||||423-987[]"
    invoices = tmp_path / "invoices.txt"
    invoices.write_text("\n".join(["LEDES1998B[]", header, start.format("A1", "600") + fee.format("L510"),
                                   start.format("A1", "600") + credit, start.format("B1", "700") + fee.format(""),
                                   start.format("C1", "-100") + credit.replace("2|IF", "1|IF").replace("||||", "|L120|||")])
                        + "\n",
                        encoding="utf-8")
    db = str(tmp_path / "ledger.sqlite")
    assert CliRunner().invoke(main, ["ledger", "add", "--db", db, "--submitted", "2025-01-02", "--force",
                                     str(invoices)]).exit_code in (0, 1)
    run("ledger", "mark", "--db", db, "A1", "paid", "--date", "2025-01-10")
    document = json.loads(run("ledger", "realization", "--db", db, "--as-of", "2025-02-01", "--by", "task",
                              "--format", "json"))
    assert conforms(document, schema("realization")) == []
    rows = {row["task"]: (row["billed"], row["paid"], row["realization"]) for row in document["rows"]}
    assert rows == {"L510": ("700.00", "700.00", "1.0000"), "(none)": ("600.00", "-100.00", "-0.1667"),
                    "L120": ("-100.00", "0.00", "0.0000")}
