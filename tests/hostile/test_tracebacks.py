"""Inputs that once ended in a Python traceback: each is now a finding (exit 1) or one line on stderr (exit 2)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hostile_support import (
    GOOD_1998B,
    IMPORT,
    LEDES_2000,
    XML_21,
    assert_clean_exit,
    assert_one_line_error,
    run,
)

INCREMENT = '[rules."time.increment"]\nlevel = "error"\nincrement = 0.1\n'


def good_1998b() -> str:
    return GOOD_1998B.read_text().replace("\r\n", "\n")


def huge_1998b(folder: Path, digits: int) -> Path:
    """The sample with 10**digits hours, its line and invoice totals agreeing with them."""
    units = "1" + "0" * digits
    total = f"{350 * 10**digits}.00"
    text = good_1998b().replace("|F|3.25|0|1137.50|", f"|F|{units}|0|{total}|").replace("|1137.50|2023", f"|{total}|2023")
    path = folder / f"huge{digits}.txt"
    path.write_text(text)
    return path


def huge_xml(folder: Path, units: str) -> Path:
    path = folder / "huge.xml"
    path.write_text(XML_21.read_text().replace("<units>2.00</units>", f"<units>{units}</units>", 1))
    return path


@pytest.mark.parametrize("digits", [26, 29, 60])
def test_huge_units_in_1998b_are_findings_in_report_and_validate_with_guidelines(tmp_path: Path, digits: int):
    source = huge_1998b(tmp_path, digits)
    guidelines = tmp_path / "g.toml"
    guidelines.write_text(INCREMENT)
    for by in ("matter", "timekeeper,month"):
        assert_clean_exit(run("report", "--by", by, "--guidelines", str(guidelines), str(source)), 0)
    assert_clean_exit(run("report", "--format", "html", str(source)), 0)
    checked = run("validate", "--guidelines", str(guidelines), str(source))
    assert_clean_exit(checked, 1)
    assert "field.number" in checked.text


@pytest.mark.parametrize("units", ["1" + "0" * 26, "1" + "0" * 29 + ".05", "1E+30", "0." + "0" * 400 + "1"])
def test_huge_and_tiny_units_in_xml_are_findings(tmp_path: Path, units: str):
    source = huge_xml(tmp_path, units)
    guidelines = tmp_path / "g.toml"
    guidelines.write_text(INCREMENT)
    assert_clean_exit(run("report", "--by", "timekeeper", "--guidelines", str(guidelines), str(source)), 0)
    assert_clean_exit(run("validate", "--guidelines", str(guidelines), str(source)), 1)


@pytest.mark.parametrize("hours", ["9" * 30, "9" * 5000])
def test_ledes_2000_hours_and_minutes_with_a_huge_hour_count_is_a_finding(tmp_path: Path, hours: str):
    source = tmp_path / "hhmm.xml"
    source.write_text(LEDES_2000.read_text().replace("<units>1.20</units>", f"<units>{hours}:30</units>", 1))
    checked = run("validate", str(source))
    assert_clean_exit(checked, 1)
    assert "field.hours-minutes" in checked.text or "field.number" in checked.text
    assert_clean_exit(run("report", str(source)), 0)


def test_a_line_dated_before_the_year_1000_reports_and_sorts_by_month(tmp_path: Path):
    """The HTML report draws it; the text report puts 0999-02 before 2023-02."""
    old = tmp_path / "old.txt"
    old.write_text(good_1998b().replace("20230214", "09990214"))
    assert_clean_exit(run("report", "--format", "html", str(old), str(GOOD_1998B)), 0)
    text = run("report", "--by", "month", str(old), str(GOOD_1998B))
    assert_clean_exit(text, 0)
    months = [line.split()[0] for line in text.text.splitlines() if line[:2] in ("09", "20")]
    assert months[:2] == ["0999-02", "2023-02"], months


def test_standard_input_given_twice_is_one_line_error():
    result = run("validate", "-", "-", stdin=GOOD_1998B.read_bytes())
    assert_one_line_error(result)
    assert "standard input is given more than once" in result.stderr


def test_a_guidelines_increment_of_1e_minus_400_is_checked_without_a_traceback(tmp_path: Path):
    guidelines = tmp_path / "g.toml"
    guidelines.write_text('[rules."time.increment"]\nlevel = "error"\nincrement = 1e-400\n')
    result = run("validate", "--guidelines", str(guidelines), str(GOOD_1998B))
    assert_clean_exit(result, 0, 2)


def test_an_extends_chain_1200_files_deep_is_refused(tmp_path: Path):
    for index in range(1200):
        parent = f'"g{index + 1}.toml"' if index < 1199 else '"default"'
        (tmp_path / f"g{index}.toml").write_text(f"extends = {parent}\n")
    result = run("validate", "--guidelines", str(tmp_path / "g0.toml"), str(GOOD_1998B))
    assert_one_line_error(result)
    assert "extends" in result.stderr


@pytest.mark.parametrize(("setting", "found"), [
    ('encoding = "rot13"', "source.encoding"),
    ('date_formats = ["%m/%d/%Y %d"]', "source.date_formats"),
    ('date_formats = ["%d%m%Y %Q"]', "source.date_formats"),
])
def test_a_mapping_with_a_codec_that_is_no_text_encoding_or_a_bad_date_pattern_is_refused(
    tmp_path: Path, setting: str, found: str
):
    mapping = tmp_path / "map.toml"
    text = (IMPORT / "harbor-finch.toml").read_text()
    mapping.write_text(text.replace('date_formats = ["%m/%d/%Y"]', setting) if "date_formats" in setting
                       else text.replace("[source]\n", f"[source]\n{setting}\n"))
    result = run("import", str(IMPORT / "harbor-finch-time-export.csv"), "--mapping", str(mapping),
                 "--to", "1998b", "--dry-run")
    assert_one_line_error(result)
    assert found in result.stderr


def test_a_file_name_that_is_not_utf8_is_shown_escaped_and_json_stays_valid_utf8(tmp_path: Path):
    name = os.fsencode(tmp_path) + b"/bad\xff\x1b[2J.txt"
    with open(name, "wb") as out:
        out.write(GOOD_1998B.read_bytes())
    env = {"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    as_json = run("validate", "--format", "json", name, env=env)
    assert_clean_exit(as_json, 0)
    document = json.loads(as_json.stdout.decode("utf-8"))  # strict: fails on a raw 0xff byte
    assert document["files"][0]["path"].endswith("bad\\xff\x1b[2J.txt")
    as_text = run("validate", name, env=env)
    assert_clean_exit(as_text, 0)
    assert as_text.stdout.decode("utf-8").startswith(os.fsdecode(tmp_path) + "/bad\\xff\\x1b[2J.txt:")
    assert b"\x1b" not in as_text.stdout
