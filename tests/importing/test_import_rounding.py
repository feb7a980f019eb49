"""Hours are rounded to the billing increment by the mapping's rule, and every rounding is reported with its row."""

from __future__ import annotations

import pytest
from conftest import CSV_EXPORT, CSV_MAPPING, run_import

ROWS = [
    "2024-03-01,C1,M1,T1,\"Doe, Jane\",ASSOC,1.25,200,,L110,A101,,Draft the engagement letter",
    "2024-03-02,C1,M1,T1,\"Doe, Jane\",ASSOC,0.33,200,,L110,A101,,Revise the engagement letter",
    "2024-03-03,C1,M1,T1,\"Doe, Jane\",ASSOC,0.5,200,,L110,A101,,Call with the client on the engagement letter",
]


@pytest.mark.parametrize(("rule", "first", "second"), [("up", "1.3", "0.4"), ("down", "1.2", "0.3"),
                                                        ("nearest", "1.3", "0.3")])
def test_each_rounding_is_reported_with_row_from_and_to(minimal, rule, first, second):
    """Off-increment hours are rounded up, down or to the nearest increment, and each change is listed."""
    export, mapping = minimal(ROWS, extra=f"[hours]\nincrement = 0.1\nrounding = \"{rule}\"\n")
    result = run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run")
    assert result.exit_code == 0, result.output
    how = "to the nearest" if rule == "nearest" else f"{rule} to"
    lines = [line for line in result.stdout.splitlines() if ": rounded " in line]
    assert lines == [f"{export}:2: rounded 1.25 h {how} {first} h (billing increment 0.1 h)",
                     f"{export}:3: rounded 0.33 h {how} {second} h (billing increment 0.1 h)"]
    assert "2 roundings of hours" in result.stdout


def test_the_guidelines_increment_applies_when_the_mapping_has_none(minimal, tmp_path):
    """With --guidelines, hours go to its time.increment (here a quarter hour) by the mapping's rule."""
    guidelines = tmp_path / "client.toml"
    guidelines.write_text('extends = "default"\n[rules."time.increment"]\nincrement = 0.25\n', encoding="utf-8")
    export, mapping = minimal(ROWS, extra="[hours]\nrounding = \"up\"\n")
    result = run_import(export, "--mapping", mapping, "--guidelines", guidelines, "--to", "1998b", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"{export}:2: rounded 1.25 h" not in result.stdout  # already a whole number of quarters
    assert f"{export}:3: rounded 0.33 h up to 0.50 h (billing increment 0.25 h)" in result.stdout


def test_an_increment_without_a_rounding_rule_is_a_mapping_error(minimal):
    """Rounding is never silent: the mapping must say how (exit 2, one line)."""
    export, mapping = minimal(ROWS, extra="[hours]\nincrement = 0.1\n")
    result = run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run")
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"ledes: error: {mapping}: hours.rounding: expected one of up, down, nearest"
                                     " with an increment, found nothing")


def test_the_sample_csv_reports_its_three_roundings():
    """The sample export's 1.25, 0.33 and 2.05 hours are rounded up to tenths and listed."""
    result = run_import(CSV_EXPORT, "--mapping", CSV_MAPPING, "--to", "1998b", "--dry-run")
    rows = [line.split(":")[1] for line in result.stdout.splitlines() if ": rounded " in line]
    assert rows == ["5", "16", "58"]


@pytest.mark.parametrize("increment", ["1e999999", "1e-999999999", "25", "0.00000000001"])
def test_an_increment_out_of_range_is_a_mapping_error(minimal, increment):
    """An increment of no real billing (beyond a day, or too fine for Decimal's range) stops at once: exit 2, one line."""
    export, mapping = minimal(ROWS, extra=f"[hours]\nincrement = {increment}\nrounding = \"up\"\n")
    result = run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"ledes: error: {mapping}: hours.increment: expected a ")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("increment", ["1e999999", "1e-999999999", "25"])
def test_a_guidelines_increment_out_of_range_is_an_error(minimal, tmp_path, increment):
    guidelines = tmp_path / "client.toml"
    guidelines.write_text(f'extends = "default"\n[rules."time.increment"]\nincrement = {increment}\n', encoding="utf-8")
    export, mapping = minimal(ROWS, extra="[hours]\nrounding = \"up\"\n")
    result = run_import(export, "--mapping", mapping, "--guidelines", guidelines, "--to", "1998b", "--dry-run")
    assert result.exit_code == 2, result.output
    assert 'rules."time.increment".increment: expected a number' in result.stderr
    assert len(result.stderr.splitlines()) == 1
