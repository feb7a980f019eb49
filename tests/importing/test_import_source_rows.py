"""What an import reports about its source names the source's rows, whatever the target: findings, earlier entries,
control characters, a quote left open; and what it makes of what the export leaves unsaid (invoice date, names)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import MINIMAL_HEADER, XLSX_EXPORT, XLSX_GUIDELINES, XLSX_MAPPING, run_import
from test_import_bad_rows import reported

import ledes
from ledes.importing import import_file, invoices

TARGETS = ["1998b", "1998bi", "xml2.1", "xml2.2", "xml2000"]
FEE = '{day},C1,M1,T1,"Doe, Jane",ASSOC,1.0,200,,L110,A101,,{text}'


def finding_rows(output: str) -> list[tuple[str, str, str]]:
    """(row, rule, invoice) of each finding line; the row '' when the line gives none."""
    found = []
    for line in output.splitlines():
        match = re.match(r".*?\.(?:xlsx|csv)(?::(\d+))?: (?:warning|error) (\S+):.*invoice ([^,\]]+)", line)
        if match:
            found.append((match.group(1) or "", match.group(2), match.group(3)))
    return found


@pytest.mark.parametrize("to", ["xml2.1", "xml2.2", "xml2000", "1998bi"])
def test_findings_are_at_the_same_source_rows_in_every_target(tmp_path, to):
    """The workbook's guideline findings name the rows 1998B names, in XML too (not the invoice alone)."""
    base = run_import(XLSX_EXPORT, "--mapping", XLSX_MAPPING, "--guidelines", XLSX_GUIDELINES, "--to", "1998b",
                      "--dry-run")
    other = run_import(XLSX_EXPORT, "--mapping", XLSX_MAPPING, "--guidelines", XLSX_GUIDELINES, "--to", to,
                       "--dry-run")
    expected = finding_rows(base.stdout)
    assert expected and all(row for row, _, _ in expected)
    assert ("8", "narrative.vague", "MS-2024Q1-001") in expected
    assert finding_rows(other.stdout) == expected


@pytest.mark.parametrize("to", TARGETS)
def test_a_duplicate_entry_names_the_earlier_source_row(minimal, to):
    """duplicate.line-item cites the row of the entry repeated, not a line of the file generated to check it."""
    rows = [FEE.format(day="2024-03-04", text="Draft the complaint against Acme"),
            "2024-03-05,C1,M1,,,,1,0.10,0.10,,,E101,Copies",
            FEE.format(day="2024-03-05", text="Revise the complaint against Acme"),
            FEE.format(day="2024-03-05", text="Revise the complaint against Acme")]
    export, mapping = minimal(rows, extra='[hours]\nrounding = "up"')
    result = run_import(export, "--mapping", mapping, "--guidelines", "default", "--to", to, "--dry-run")
    duplicates = [line for line in result.stdout.splitlines() if "duplicate.line-item" in line]
    assert len(duplicates) == 1
    assert duplicates[0].startswith(f"{export}:5: warning duplicate.line-item:")
    assert " as line 4 [" in duplicates[0]


@pytest.mark.parametrize("to", TARGETS)
@pytest.mark.parametrize("character", ["\x00", "\x0b", "\x1b", "\x7f"])
def test_a_control_character_is_a_bad_row_in_every_target(minimal, tmp_path, to, character):
    """A control character in a cell is a bad row with its row, column and code point: skippable, not an abort."""
    rows = [FEE.format(day="2024-03-04", text="Draft the complaint"),
            FEE.format(day="2024-03-05", text=f"Revise{character} the complaint")]
    export, mapping = minimal(rows)
    out = tmp_path / "out"
    result = run_import(export, "--mapping", mapping, "--to", to, "-o", out)
    assert result.exit_code == 1, result.output
    assert reported(result.stdout) == {3: f"Text holds the control character U+{ord(character):04X} at character 7,"
                                          " which LEDES text cannot hold"}
    assert not out.exists()
    result = run_import(export, "--mapping", mapping, "--to", to, "-o", out, "--skip-bad-rows")
    assert result.exit_code == 0, result.output
    assert sum(len(list(invoice.line_items)) for invoice in ledes.load(out, to)) == 1


def test_a_control_character_in_the_mapping_is_a_mistake_in_the_mapping(minimal):
    """A default text the target cannot hold is named by its key (exit 2), not found when the invoice is written."""
    export, mapping = minimal([FEE.format(day="2024-03-04", text="Draft")], extra='invoice_description = "A\\u0000"')
    result = run_import(export, "--mapping", mapping, "--to", "xml2.1", "--dry-run")
    assert result.exit_code == 2
    assert "defaults.invoice_description: expected text without control characters" in result.output


@pytest.mark.parametrize("ending", ["\n", ""])
def test_a_quote_left_open_at_the_end_is_named(minimal, ending):
    """A quote opened and never closed before the file ends is named with its column and line, not as the missing
    values that follow from it; the rows it swallowed are not imported silently into a narrative."""
    rows = [FEE.format(day="2024-03-04", text="Draft the complaint"),
            FEE.format(day="2024-03-05", text='"Revise the complaint'),
            FEE.format(day="2024-03-06", text="File the complaint").replace('"Doe, Jane"', "Jane Doe")]
    export, mapping = minimal(rows)
    export.write_text(export.read_text(encoding="utf-8").rstrip("\n") + ending, encoding="utf-8")
    result = run_import(export, "--mapping", mapping, "--to", "xml2.1", "--dry-run")
    assert result.exit_code == 1
    assert reported(result.stdout) == {3: "the quote (\") that opens column 'Text' on line 3 is never closed: the file"
                                          " ends inside it, and that cell holds the rest of the file (2 lines); close"
                                          " the quote, or double it (\"\") if it is part of the text"}
    short = f'{MINIMAL_HEADER}\n2024-03-04,C1,M1,T1,"Doe, Jane,ASSOC,1.0' + ending
    export.write_text(short, encoding="utf-8")
    result = run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run")
    assert "opens column 'Name' on line 2 is never closed" in result.stdout
    assert "missing hours" not in result.stdout


def test_the_invoice_date_is_the_period_end_or_today_while_it_lasts(minimal, tmp_path, monkeypatch):
    """Entries of the current month import: the invoice is dated today, not on the month's last day (in the
    future, an error); a past month's invoice is dated on its last day."""
    today = date.today()
    rows = [FEE.format(day=today.isoformat(), text="Draft the complaint"),
            FEE.format(day="2024-02-05", text="Revise the complaint")]
    export, mapping = minimal(rows)
    out = tmp_path / "out.txt"
    result = run_import(export, "--mapping", mapping, "--to", "1998b", "-o", out)
    assert result.exit_code == 0, result.output
    dates = sorted(invoice.date for invoice in ledes.load(out))
    assert dates == [date(2024, 2, 29), today]
    assert invoices.invoice_day(date(2026, 12, 31), date(2026, 12, 7)) == date(2026, 12, 7)
    assert invoices.invoice_day(date(2026, 11, 30), date(2026, 12, 7)) == date(2026, 11, 30)


@pytest.mark.parametrize("to", ["xml2.1", "xml2.2", "xml2000"])
def test_a_name_without_a_comma_is_kept_whole_as_the_last_name(minimal, tmp_path, to):
    """"Last, First" is split at its comma; "Mary Ann van der Berg" is not guessed at: it is all the last name."""
    rows = [FEE.format(day="2024-03-04", text="Draft").replace('"Doe, Jane"', "Mary Ann van der Berg"),
            FEE.format(day="2024-03-04", text="Draft").replace('T1,"Doe, Jane"', 'T2,"van der Berg, Mary Ann"')]
    export, mapping = minimal(rows)
    out = tmp_path / "out"
    assert import_file(export, mapping, out, to).written
    keepers = {item.timekeeper.id: item.timekeeper for invoice in ledes.load(out, to) for item in invoice.line_items}
    assert (keepers["T2"].last_name, keepers["T2"].first_name) == ("van der Berg", "Mary Ann")
    assert (keepers["T1"].last_name, keepers["T1"].first_name) == ("Mary Ann van der Berg", None)
    # LEDES 1998BI requires a first name on a fee: the row is named, rather than a first name guessed.
    result = run_import(export, "--mapping", mapping, "--to", "1998bi", "--dry-run")
    assert result.exit_code == 1
    assert f"{export}:2: error field.required: TIMEKEEPER_FIRST_NAME is empty" in result.stdout


@pytest.mark.parametrize("to", TARGETS)
def test_without_guidelines_a_finding_is_at_its_source_row_too(minimal, to):
    """Without guidelines the records read back are not relocated (no rule names another record's place): each
    finding's row comes from its place in the text, the row the relocated records give with guidelines."""
    rows = [FEE.format(day="2024-03-04", text="Draft the complaint against Acme"),
            FEE.format(day="2024-03-05", text="Revise the complaint against Acme").replace(",ASSOC,", ",BOSS,")]
    export, mapping = minimal(rows, extra='[hours]\nrounding = "up"')
    plain = run_import(export, "--mapping", mapping, "--to", to, "--dry-run")
    guided = run_import(export, "--mapping", mapping, "--to", to, "--dry-run", "--guidelines", "default")
    found = [(row, rule) for row, rule, _ in finding_rows(plain.stdout)]
    if to != "xml2000":  # a LEDES 2000 fee holds no level: only its tk_sum is reported, at the invoice's row
        assert ("3", "field.classification") in found, plain.stdout
    assert found and found == [(row, rule) for row, rule, _ in finding_rows(guided.stdout)
                               if not rule.startswith(("narrative.", "utbms.", "time.", "rates.", "timekeeper."))]


def test_a_year_before_1900_is_a_bad_row_not_an_invoice_of_the_year_24(minimal, tmp_path):
    """'0024-03-04' (a two-digit year read by %Y, '01/31/24') is a bad row that says so; 1900 on is read."""
    rows = [FEE.format(day="0024-03-04", text="Draft the complaint"), FEE.format(day="2024-03-05", text="Revise it")]
    export, mapping = minimal(rows)
    result = run_import(export, "--mapping", mapping, "--to", "1998b", "-o", tmp_path / "out.txt")
    assert result.exit_code == 1
    assert reported(result.stdout) == {2: "date '0024-03-04' in Date is in the year 24: a two-digit year read as a"
                                          " four-digit one? (%y in source.date_formats reads '24' as 2024)"}
