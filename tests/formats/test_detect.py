"""One detect(): a file's format from its first bytes, the header weighing more than the format line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import ledes
from ledes.formats import detect, format_named
from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
VAT_1998BI = (ROOT / "fixtures" / "1998bi" / "valid" / "multi_matter_vat.txt").read_text(encoding="utf-8")
LOC_1998B = (ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt").read_text(encoding="utf-8")


def with_first_line(text: str, line: str) -> str:
    return line + "\n" + text.split("\n", 1)[1]


@pytest.mark.parametrize("first_line", ["LEDES1998BI[]", "LEDES1998BI V2[]", "LEDES98BI[]", "LEDES1998B[]", "ledes98bi v2[]"])
def test_a_1998bi_header_under_a_near_miss_format_line_is_1998bi(first_line, tmp_path):
    """Real generators write these lines over a 1998BI header: every record is read and checked, not skipped."""
    text = with_first_line(VAT_1998BI, first_line)
    assert detect(text.encode()) is format_named("1998bi")
    path = tmp_path / "invoice.txt"
    path.write_text(text, encoding="utf-8")
    report = ledes.validate_file(path)
    assert (report.format, report.invoices, report.line_items) == ("LEDES98BI", 2, 6)
    assert [(d.rule, d.line) for d in report.diagnostics] == [("structure.format-line", 1)]


def test_a_header_with_brackets_after_every_name_and_no_format_line_is_1998bi(tmp_path):
    lines = VAT_1998BI.split("\n")
    header = "|".join(name + "[]" for name in lines[1].removesuffix("[]").split("|"))
    text = "\n".join([header, *lines[2:]])
    assert detect(text) is format_named("1998bi")


def test_from_is_honoured_when_the_header_fits(tmp_path):
    """--from 1998bi on a 1998BI file under a 1998B format line reads it as 1998BI."""
    path = tmp_path / "invoice.txt"
    path.write_text(with_first_line(VAT_1998BI, "LEDES1998B[]"), encoding="utf-8")
    report = ledes.validate_file(path, format="1998bi")
    assert (report.format, report.line_items) == ("LEDES98BI", 6)


def test_from_is_refused_when_the_header_is_another_formats(tmp_path):
    path = tmp_path / "invoice.txt"
    path.write_text(VAT_1998BI, encoding="utf-8")
    report = ledes.validate_file(path, format="1998b")
    assert report.invoices == 0
    assert "a LEDES 1998BI file, not LEDES 1998B" in report.diagnostics[0].message


@pytest.mark.parametrize(
    ("head", "key"),
    [
        (LOC_1998B, "1998b"),
        ("", "1998b"),
        ("garbage\n", "1998b"),
        ("\ufeffLEDES98BI V2[]\n", "1998bi"),
        ("<?xml version='1.0'?>\n<ledesxmlebilling2.1 xmlns='http://www.ledes.org/LEDES21.xsd'>", "xml2.1"),
        ("<ledesxmlebilling2.2>", "xml2.2"),
        ("<l:ledesxmlebilling2.0 xmlns:l='urn:x'>", "xml2.0"),
        ("<?xml version='1.0'?>\r\n<!DOCTYPE ledesxml SYSTEM 'ledes2000.dtd'>\r\n<ledesxml>", "xml2000"),
        ("<invoice/>", "xml2.2"),  # XML of no LEDES root: read as 2.2, whose checks report it
    ],
)
def test_detect(head, key):
    assert detect(head) is format_named(key)
    assert detect(head.encode("utf-16")) is format_named(key)  # a UTF-16 file, by its byte-order mark


def test_every_command_recognises_the_format_through_detect(tmp_path):
    """validate, show and convert read a near-miss 1998BI file the same way."""
    path = tmp_path / "invoice.txt"
    path.write_text(with_first_line(VAT_1998BI, "LEDES1998BI[]"), encoding="utf-8")
    runner = CliRunner()
    shown = runner.invoke(main, ["show", "--format", "json", str(path)])
    assert shown.exit_code == 0, shown.output
    assert '"LEDES98BI"' in shown.output
    converted = runner.invoke(main, ["convert", str(path), "-o", str(tmp_path / "out.txt"), "--to", "1998bi"])
    assert converted.exit_code == 0, converted.output
    assert (tmp_path / "out.txt").read_text(encoding="utf-8").startswith("LEDES98BI V2[]\n")
