"""The sample exports import into invoices that validate cleanly and add up to their rows, in every format."""

from __future__ import annotations

import csv
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

import pytest
from conftest import (
    CSV_EXPORT,
    CSV_MAPPING,
    XLSX_EXPORT,
    XLSX_GUIDELINES,
    XLSX_MAPPING,
    run_import,
)
from openpyxl import load_workbook

import ledes
from ledes import guidelines

FORMATS = ["1998b", "1998bi", "xml2.1", "xml2.2", "xml2000"]
TENTH, CENT = Decimal("0.1"), Decimal("0.01")


def csv_rows_total() -> tuple[int, Decimal]:
    """The CSV's rows and their total, computed here: hours rounded up to tenths × rate; an expense's Amount."""
    total = Decimal(0)
    with open(CSV_EXPORT, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    for row in rows:
        if row["Entry Type"] == "Time":
            hours = (Decimal(row["Hours"]) / TENTH).to_integral_value(ROUND_CEILING) * TENTH
            total += (hours * Decimal(row["Rate"])).quantize(CENT, ROUND_HALF_UP)
        else:
            total += Decimal(row["Amount"])
    return len(rows), total


def xlsx_rows_total() -> tuple[int, Decimal]:
    """The workbook's rows and their total: hours to the nearest tenth × the approved or agreed rate; expenses' Total."""
    partner = {True: Decimal("425.00"), False: Decimal("450.00")}
    workbook = load_workbook(XLSX_EXPORT, read_only=True, data_only=True)
    rows = list(workbook["Billable Entries"].iter_rows(min_row=2, values_only=True))
    workbook.close()
    total = Decimal(0)
    for day, _, _, _, kind, keeper, hours, _, _, amount, *_ in rows:
        if kind == "Time":
            rate = {"007": partner[day.date() <= date(2024, 3, 31)], "012": Decimal("310.00"),
                    "019": Decimal("150.00")}[keeper]
            rounded = (Decimal(repr(hours)) / TENTH).to_integral_value(ROUND_HALF_UP) * TENTH
            total += (rounded * rate).quantize(CENT, ROUND_HALF_UP)
        else:
            total += Decimal(repr(amount))
    return len(rows), total


def imported(path, to: str) -> tuple[int, Decimal]:
    """The line items and the sum of the invoice totals of a written file, read back by ledes."""
    invoices = ledes.load(path, to)
    return sum(len(list(i.line_items)) for i in invoices), sum((i.total for i in invoices), Decimal(0))


@pytest.mark.parametrize("to", FORMATS)
def test_csv_sample_imports_into_valid_invoices_that_add_up(tmp_path, to):
    """Every CSV row is one line of a written file that validates with no error, and the totals are the rows' sum."""
    out = tmp_path / f"out.{to}"
    result = run_import(CSV_EXPORT, "--mapping", CSV_MAPPING, "-o", out, "--to", to)
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stdout
    report = ledes.validate_file(out)
    assert report.errors == 0, report.diagnostics
    assert report.invoices == 6
    assert imported(out, to) == csv_rows_total()


@pytest.mark.parametrize("to", FORMATS)
def test_xlsx_sample_imports_with_the_guidelines_rates(tmp_path, to):
    """The workbook, rated from the mapping, the guidelines and the classification table, validates and adds up."""
    out = tmp_path / f"out.{to}"
    result = run_import(XLSX_EXPORT, "--mapping", XLSX_MAPPING, "--guidelines", XLSX_GUIDELINES, "-o", out, "--to", to)
    assert result.exit_code == 0, result.output
    config = guidelines.load(XLSX_GUIDELINES)
    report = ledes.validate([out], config)
    assert report.errors == 0, report.files[0].diagnostics
    assert imported(out, to) == xlsx_rows_total()


def test_csv_invoices_are_numbered_grouped_and_dated_by_month(tmp_path):
    """One invoice per client matter and month, numbered from the mapping's first counter, lines 1..n."""
    out = tmp_path / "out.txt"
    assert run_import(CSV_EXPORT, "--mapping", CSV_MAPPING, "-o", out, "--to", "1998b").exit_code == 0
    invoices = ledes.load(out)
    assert [i.number for i in invoices] == [f"HF-2024{m}-{n}" for m, n in
                                           [("03", 1041), ("03", 1042), ("03", 1043), ("04", 1044), ("04", 1045),
                                            ("04", 1046)]]
    first = invoices[0]
    assert (first.billing_start, first.billing_end, first.date) == (date(2024, 3, 1), date(2024, 3, 31),
                                                                    date(2024, 3, 31))
    assert first.client.id == "00711" and first.matters[0].client_matter_id == "NW-CLM-88213"
    assert [item.number for item in first.line_items] == [str(n) for n in range(1, 16)]
    assert first.matters[0].line_items[0].timekeeper.id == "0042"  # leading zeros kept


def test_xlsx_ids_keep_their_digits_and_quarters_make_the_periods(tmp_path):
    """Text cells keep leading zeros, number cells read as whole numbers, and invoices cover calendar quarters."""
    out = tmp_path / "out.txt"
    assert run_import(XLSX_EXPORT, "--mapping", XLSX_MAPPING, "--guidelines", XLSX_GUIDELINES, "-o", out,
                      "--to", "1998b").exit_code == 0
    invoices = ledes.load(out)
    assert {i.client.id for i in invoices} == {"000318", "5520"}
    assert {m.law_firm_matter_id for i in invoices for m in i.matters} == {"30417", "30452", "29980"}
    assert invoices[0].number == "MS-2024Q1-001"
    assert (invoices[0].billing_start, invoices[0].billing_end) == (date(2024, 1, 1), date(2024, 3, 31))
    paralegal = next(item for i in invoices for item in i.line_items if item.timekeeper and item.timekeeper.id == "019")
    assert paralegal.unit_cost == Decimal("150.00") and paralegal.timekeeper.name == "Ruiz, Sofia"


def test_dry_run_lists_the_invoices_and_writes_nothing(tmp_path):
    """--dry-run prints each invoice with its lines and total, and creates no file."""
    out = tmp_path / "out.txt"
    result = run_import(CSV_EXPORT, "--mapping", CSV_MAPPING, "-o", out, "--to", "1998b", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "HF-202403-1041  client 00711  matter 2024-0117  2024-03-01 to 2024-03-31  15 lines  7,873.50 USD" \
        in result.stdout
    assert "dry run: nothing written" in result.stdout
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("to", ["1998b", "1998bi"])
def test_the_written_pipe_file_is_what_the_writer_makes_of_its_invoices(tmp_path, to):
    """Each invoice's validated text is written as is: the file equals writing all its invoices at once."""
    out = tmp_path / "out.txt"
    assert run_import(CSV_EXPORT, "--mapping", CSV_MAPPING, "-o", out, "--to", to).exit_code == 0
    assert ledes.dumps(ledes.load(out, to), to) == out.read_text(encoding="utf-8")
