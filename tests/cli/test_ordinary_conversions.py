"""Ordinary conversions need no --allow-loss: a multi-invoice 1998B file goes to XML and back byte for byte.

``fixtures/generators/1998b_three_invoices.txt`` is three invoices in the writer's own
canonical form, their lines numbered from 1 in each invoice (as nearly every billing system
numbers them), with no description on the IF lines (LEDES XML's matter_disc_cred has none).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
THREE_INVOICES = ROOT / "fixtures" / "generators" / "1998b_three_invoices.txt"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_the_file_is_clean_three_invoices_numbered_from_1_in_each():
    result = run("validate", THREE_INVOICES)
    assert result.exit_code == 0 and "3 invoices, 12 line items: 0 errors, 0 warnings" in result.output
    rows = [line.split("|") for line in THREE_INVOICES.read_text(encoding="utf-8").splitlines()[2:]]
    assert [row[8] for row in rows if row[8] == "1"] == ["1", "1", "1"]


@pytest.mark.parametrize("target", ["xml2.0", "xml2.1", "xml2.2"])
def test_1998b_to_xml_and_back_is_byte_identical_and_lists_only_the_firm_name(target: str, tmp_path: Path):
    xml, back = tmp_path / "invoice.xml", tmp_path / "back.txt"
    there = run("convert", THREE_INVOICES, "-o", xml, "--to", target, "--law-firm-name", "Arnsley LLP")
    assert there.exit_code == 0, there.output
    assert "lost:" not in there.output and "warning" not in there.output
    again = run("convert", xml, "-o", back, "--to", "1998b")
    assert again.exit_code == 0, again.output
    lost = [line for line in again.output.splitlines() if line.startswith("lost:")]
    assert len(lost) == 3  # once per invoice
    assert all("warning convert.unsupported-field: LEDES 1998B has no field for lf_name; 'Arnsley LLP'" in line
               for line in lost)
    assert back.read_bytes() == THREE_INVOICES.read_bytes()


def test_a_file_numbered_through_the_file_is_written_with_its_renumbering_listed(tmp_path: Path):
    """The third invoice's lines 11 and 12 are its lines 1 and 2 in XML: a warning says so, the file is written."""
    lines = THREE_INVOICES.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        fields = line.split("|")
        if len(fields) > 8 and fields[1] == "96546":  # its lines 1 and 2, numbered on from the others' 1 to 10
            fields[8] = str(int(fields[8]) + 10)
            lines[index] = "|".join(fields)
    through = "\n".join(lines)
    source = tmp_path / "through.txt"
    source.write_text(through + "\n", encoding="utf-8")
    xml = tmp_path / "invoice.xml"
    result = run("convert", source, "-o", xml, "--to", "xml2.1", "--law-firm-name", "Arnsley LLP")
    assert result.exit_code == 0, result.output
    [lost] = [line for line in result.output.splitlines() if line.startswith("lost:")]
    assert "warning convert.unsupported-field" in lost
    assert ("LINE_ITEM_NUMBER '11': it would be read back as '1'; '12': it would be read back as '2' (2 places)"
            in lost)  # each value with what becomes of it
    refused = run("convert", source, "-o", tmp_path / "strict.xml", "--to", "xml2.1", "--law-firm-name", "A", "--strict")
    assert refused.exit_code == 1 and not (tmp_path / "strict.xml").exists()


def test_1998b_to_ledes_2000_lists_the_zero_adjustments_it_cannot_give_back(tmp_path: Path):
    """LEDES 2000 writes an adjustment of 0.00 as none: it would come back as an empty field, so it is listed."""
    xml, back = tmp_path / "invoice.xml", tmp_path / "back.txt"
    there = run("convert", THREE_INVOICES, "-o", xml, "--to", "xml2000", "--law-firm-name", "Arnsley LLP")
    assert there.exit_code == 0, there.output
    lost = [line for line in there.output.splitlines() if line.startswith("lost:")]
    assert len(lost) == 3
    assert all("warning convert.unsupported-field: LEDES 2000 has no field for LINE_ITEM_ADJUSTMENT_AMOUNT '0.00':"
               " it would be dropped" in line for line in lost)
    run("convert", xml, "-o", back, "--to", "1998b")
    returned = back.read_text(encoding="utf-8")
    assert returned == THREE_INVOICES.read_text(encoding="utf-8").replace("|0.00|", "||")
