"""Values from a file never reach a terminal as control characters, nor a spreadsheet as a formula."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hostile_support import GOOD_1998B, IMPORT, assert_clean_exit, run

from ledes.safetext import csv_cell, visible

TITLE = "\x1b]0;owned\x07"  # sets the terminal's window title
CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"  # writes the clipboard
CLEAR = "\x1b[2J"
REVERSED = "\u202e"  # right-to-left override
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hostile_1998b(folder: Path) -> Path:
    """The sample with control sequences in its client id, timekeeper id, narrative and invoice number."""
    text = GOOD_1998B.read_text().replace("\r\n", "\n")
    text = (text.replace("C-5520", f"C{TITLE}{CLEAR}")
            .replace("TK-31", f"@TK{CLIPBOARD}")
            .replace("Review and analyze", f"Review{REVERSED} and analyze{CLEAR}")
            .replace("HW-3107", f"=HW{CLEAR}"))
    path = folder / f"in{CLEAR}.txt"
    path.write_text(text)
    return path


@pytest.mark.parametrize("args", [
    ["validate", "--guidelines", "strict"],
    ["show"],
    ["report", "--by", "client,timekeeper"],
    ["report", "--by", "client", "--guidelines", "strict"],
])
def test_text_output_never_carries_a_raw_control_character(tmp_path: Path, args: list[str]):
    source = hostile_1998b(tmp_path)
    result = run(*args, str(source))
    assert_clean_exit(result, 0, 1)
    shown = result.text + result.stderr
    assert not RAW_CONTROL.search(shown), repr(RAW_CONTROL.search(shown))
    assert "\\x1b" in shown  # made visible, not dropped


@pytest.mark.parametrize("args", [
    ["validate", "--format", "json"], ["validate", "--format", "sarif"], ["validate", "--format", "junit"],
    ["show", "--format", "json"], ["report", "--format", "json"], ["report", "--format", "html"],
])
def test_structured_output_never_carries_a_raw_control_character(tmp_path: Path, args: list[str]):
    """JSON, SARIF and JUnit escape DEL, C1 (U+009B is a terminal's CSI) and bidirectional controls too; the HTML
    report shows every control character as an escape, as the text output does."""
    source = hostile_1998b(tmp_path).rename(tmp_path / "in\x7f\x9b[2J.txt")  # every output names its file
    result = run(*args, *(["--guidelines", "strict"] if args[0] != "show" else []), str(source))
    assert_clean_exit(result, 0, 1)
    assert not RAW_CONTROL.search(result.text), repr(RAW_CONTROL.search(result.text))
    if args[-1] == "json":  # (SARIF names the file by its URI, percent-encoded)
        assert "\\u007f\\u009b[2J.txt" in result.text and "\\u001b" in result.text
        assert "\x7f\x9b[2J.txt" in json.dumps(json.loads(result.text), ensure_ascii=False)  # the values kept


def test_import_summaries_and_one_line_errors_show_control_characters(tmp_path: Path):
    export = tmp_path / f"export{CLEAR}.csv"
    lines = (IMPORT / "harbor-finch-time-export.csv").read_text().splitlines()
    lines[1] = lines[1].replace("0042", f"00{TITLE}42", 1)
    export.write_text("\n".join(lines) + "\n")
    result = run("import", str(export), "--mapping", str(IMPORT / "harbor-finch.toml"), "--to", "1998b", "--dry-run")
    assert_clean_exit(result, 0, 1)
    assert not RAW_CONTROL.search(result.text + result.stderr)
    missing = run("validate", str(tmp_path / f"missing{TITLE}.txt"))
    assert_clean_exit(missing, 2)
    assert not RAW_CONTROL.search(missing.stderr) and "\\x1b]0;owned\\x07" in missing.stderr


def test_codes_text_has_no_raw_control_character():
    result = run("codes", "L")
    assert_clean_exit(result, 0)
    assert not RAW_CONTROL.search(result.text)


def test_a_csv_report_never_starts_a_cell_with_a_formula(tmp_path: Path):
    source = hostile_1998b(tmp_path)
    result = run("report", "--by", "client,timekeeper", "--format", "csv", "--guidelines", "strict", str(source))
    assert_clean_exit(result, 0)
    cells = [cell for row in csv.reader(io.StringIO(result.text)) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r")]
    assert not [cell for cell in cells if cell.startswith("-") and not re.fullmatch(r"-[\d.,]+", cell)]
    assert f"'@TK{visible(CLIPBOARD)}" in cells


@pytest.mark.parametrize(("value", "written"), [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
    ("+cmd", "'+cmd"), ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "\\t=1"), ("\r=1", "\\r=1"),
    ("-1250.00", "-1250.00"), ("-3", "-3"), ("+3", "'+3"), ("-1,250.50", "'-1,250.50"), ("-", "'-"),
    ("plain", "plain"), ("+00711", "'+00711"), ("-1e5", "'-1e5"), ("+1E+99", "'+1E+99"), ("+.5", "'+.5"),
    ("-\u0661\u0662", "'-\u0661\u0662"), ("-\uff11", "'-\uff11"),  # digits a spreadsheet reads as no number
    ("-00711", "'-00711"), ("-0042.50", "'-0042.50"), ("-0.50", "-0.50"),  # leading zeros: an identifier's
])
def test_csv_cells_are_neutralised_as_owasp_says_and_negative_numbers_stay_numbers(value: str, written: str):
    assert csv_cell(value) == written


def test_visible_escapes_every_control_character_and_keeps_text():
    assert visible("Zoë – 50 €") == "Zoë – 50 €"
    assert visible(f"a{TITLE}b\n\u202e\udcff") == "a\\x1b]0;owned\\x07b\\n\\u202e\\xff"
    assert not RAW_CONTROL.search(visible("".join(map(chr, range(0x00, 0xA0)))))
