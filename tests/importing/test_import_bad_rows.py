"""Every source row is on one invoice line or reported with its row and reason; a bad row stops the write unless skipped."""

from __future__ import annotations

from decimal import Decimal

from conftest import BROKEN_EXPORT, CSV_MAPPING, run_import

import ledes

EXPECTED = {
    3: "bad date '02/30/2024' in Entry Date (expected %m/%d/%Y)",
    4: "bad date '2024-05-06' in Entry Date (expected %m/%d/%Y)",
    5: "negative hours -1.5 in Hours",
    6: "unknown timekeeper '0999'",
    7: "missing matter (Matter No)",
    8: "unparseable hours '1,5' in Hours",
    10: "unknown type 'Retainer' in Entry Type (expected Time or Expense)",
}


def reported(output: str) -> dict[int, str]:
    found = {}
    for line in output.splitlines():
        if ": bad row: " in line:
            where, _, reason = line.partition(": bad row: ")
            found[int(where.rsplit(":", 1)[1])] = reason
    return found


def test_each_bad_row_is_reported_and_nothing_is_written(tmp_path):
    """Without --skip-bad-rows: every bad row with its reason, exit 1, no output file."""
    out = tmp_path / "out.txt"
    result = run_import(BROKEN_EXPORT, "--mapping", CSV_MAPPING, "-o", out, "--to", "1998b")
    assert result.exit_code == 1
    found = reported(result.stdout)
    assert sorted(found) == sorted(EXPECTED)
    for row, reason in EXPECTED.items():
        assert found[row].startswith(reason), (row, found[row])
    assert "not written" in result.stderr and "--skip-bad-rows" in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_skip_bad_rows_imports_the_rest_and_still_lists_them(tmp_path):
    """With --skip-bad-rows: the four good rows are written, the seven bad ones listed, exit 0."""
    out = tmp_path / "out.txt"
    result = run_import(BROKEN_EXPORT, "--mapping", CSV_MAPPING, "-o", out, "--to", "1998b", "--skip-bad-rows")
    assert result.exit_code == 0, result.output
    assert sorted(reported(result.stdout)) == sorted(EXPECTED)
    assert "11 rows: 4 on 2 invoices" in result.stdout and "7 bad rows (skipped)" in result.stdout
    invoices = ledes.load(out)
    rows = sorted(item.description for invoice in invoices for item in invoice.line_items)
    assert len(rows) == 4
    assert sum((i.total for i in invoices), Decimal(0)) == Decimal("540.00") + Decimal("42.50") \
        + Decimal("2.3") * 450 + Decimal("180.00")


def test_a_row_with_several_problems_names_each(minimal):
    """A row's reasons are all given, not just the first."""
    export, mapping = minimal(["2024-13-01,C1,,T1,\"Doe, Jane\",ASSOC,x,200,,L110,A101,,Draft letter"])
    result = run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run")
    assert result.exit_code == 1
    reason = reported(result.stdout)[2]
    assert "bad date '2024-13-01'" in reason and "missing matter" in reason and "unparseable hours 'x'" in reason


def test_blank_rows_are_counted_not_dropped_silently(minimal):
    """An empty row is no entry, and the summary says how many were ignored."""
    export, mapping = minimal(["2024-03-01,C1,M1,T1,\"Doe, Jane\",ASSOC,1.0,200,,L110,A101,,Draft letter", ",,,,,,,,,,,,"])
    result = run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "1 blank row ignored" in result.stdout


def test_a_fee_amount_that_is_not_hours_times_rate_is_a_bad_row(minimal):
    """The source's own amount must agree with its hours and rate (a mapped rate column caught pointing elsewhere)."""
    export, mapping = minimal(["2024-03-01,C1,M1,T1,\"Doe, Jane\",ASSOC,1.5,200,250.00,L110,A101,,Draft letter"])
    result = run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run")
    assert reported(result.stdout)[2] == "amount 250.00 is not hours × rate (1.5 × 200 = 300.00)"


def test_generated_invoices_with_validation_errors_are_not_written(minimal, tmp_path):
    """A value the target rejects (an unknown timekeeper classification) is reported at its row; nothing is written."""
    export, mapping = minimal(["2024-03-01,C1,M1,T1,\"Doe, Jane\",Senior Partner,1.0,200,,L110,A101,,Draft letter"])
    out = tmp_path / "out.txt"
    result = run_import(export, "--mapping", mapping, "-o", out, "--to", "1998b")
    assert result.exit_code == 1
    assert f"{export}:2: error field.classification:" in result.stdout
    assert "invoice 202403-0001" in result.stdout
    assert "not written" in result.stderr and "1 validation error" in result.stderr
    assert not out.exists()


def test_a_line_break_in_a_narrative_is_a_bad_row_for_pipe_formats_only(minimal, tmp_path):
    """1998B cannot hold a line break in a field, so the row is reported; LEDES XML can, so it imports."""
    export, mapping = minimal(['2024-03-01,C1,M1,T1,"Doe, Jane",ASSOC,1.0,200,,L110,A101,,"Draft letter\nto client"'])
    result = run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run")
    assert reported(result.stdout)[2] == "Text contains a line break, which LEDES 1998B cannot hold"
    result = run_import(export, "--mapping", mapping, "--to", "xml2.2", "-o", tmp_path / "out.xml")
    assert result.exit_code == 0, result.output


def test_a_quote_left_open_is_a_bad_row_not_a_lost_one(tmp_path):
    """A narrative's opening quote never closed joins the next row into it: a record wider than the header is a bad
    row (the cells past the header would be dropped), not an entry with the next row's text in its narrative."""
    from conftest import CSV_EXPORT

    lines = CSV_EXPORT.read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")
    cells[-1] = '"' + cells[-1]  # the narrative's quote, never closed
    lines[2] = ",".join(cells)
    export = tmp_path / "export.csv"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    result = run_import(export, "--mapping", CSV_MAPPING, "-o", out, "--to", "1998b")
    assert result.exit_code == 1
    assert "export.csv:3: bad row: " in result.stdout
    assert "cells where the header has 15; a cell runs over more than one line: is a quote" in result.stdout
    assert not out.exists()
    # A trailing empty cell past the header is no such record.
    export.write_text("\n".join(line + "," for line in CSV_EXPORT.read_text(encoding="utf-8").splitlines()) + "\n",
                      encoding="utf-8")
    assert run_import(export, "--mapping", CSV_MAPPING, "-o", out, "--to", "1998b").exit_code == 0
