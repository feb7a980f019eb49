"""LEDES XML 2.x that is not well-formed as one generator writes it (an unescaped ``<`` or ``&``, Windows code-page bytes)
is read again, repaired line by line as LEDES 2000 is, and each repair reported; nothing is told twice."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import ledes
from ledes.formats.ledesxml import read_xml
from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_21 = (ROOT / "fixtures" / "xml" / "ledes21_sample.xml").read_bytes()
SAMPLE_22 = (ROOT / "fixtures" / "xml" / "ledes22_sample.xml").read_bytes()
MEALS = b"<charge_desc>Meals</charge_desc>"


def many_invoices(sample: bytes, count: int) -> bytes:
    """The sample with its invoice given ``count`` times, numbered 96542, 96543, … (far more bytes than one read)."""
    start, end = sample.index(b"<invoice>"), sample.index(b"</invoice>") + len(b"</invoice>")
    copies = [sample[start:end].replace(b"<inv_id>96542</inv_id>", b"<inv_id>%d</inv_id>" % (96542 + n))
              for n in range(1, count)]
    return sample[:end] + b"".join(b"\n      " + copy for copy in copies) + sample[end:]


def findings(data: bytes, tmp_path: Path) -> list[tuple[str, int | None, str | None]]:
    path = tmp_path / "invoice.xml"
    path.write_bytes(data)
    return [(d.rule, d.line, d.location.xpath if d.location else None) for d in ledes.validate_file(path).diagnostics]


@pytest.mark.parametrize(("written", "rule", "kept"), [
    (b"<charge_desc>Meals < 50 per head</charge_desc>", "xml.unescaped", "Meals < 50 per head"),
    (b"<charge_desc>Meals & drinks</charge_desc>", "xml.unescaped", "Meals & drinks"),
    ("<charge_desc>Almoço</charge_desc>".encode("cp1252"), "xml.encoding", "Almoço"),
])
@pytest.mark.parametrize("sample", [SAMPLE_21, SAMPLE_22], ids=["2.1", "2.2"])
def test_a_value_the_generator_left_unescaped_is_read_and_reported(sample, written, rule, kept, tmp_path: Path):
    data = sample.replace(MEALS, written)
    line = data[: data.index(written)].count(b"\n") + 1
    found = findings(data, tmp_path)
    assert [(r, n) for r, n, _ in found] == [(rule, line)]
    assert found[0][2].endswith("/matter[1]/expense[1]/charge_desc")
    (invoice,) = ledes.iter_invoices(str(tmp_path / "invoice.xml"))
    assert [item.description for item in invoice.line_items if item.description == kept] == [kept]


def test_the_invoices_read_before_the_damage_are_neither_lost_nor_told_twice(tmp_path: Path):
    """The first of 40 invoices has findings of its own (a line total one cent off, found by a rule; a date that is
    none, by the reader); the last holds a raw '<', far past the parser's first reads."""
    data = many_invoices(SAMPLE_21, 40)
    first_end = data.index(b"</invoice>")
    first = data[:first_end].replace(b"<total_amount>630.00</total_amount>", b"<total_amount>630.01</total_amount>", 1)
    data = first.replace(b"<charge_date>2008-01-15</charge_date>", b"<charge_date>2008-01-32</charge_date>", 1) \
        + data[first_end:]
    last = data.rindex(b"<invoice>")
    data = data[:last] + data[last:].replace(MEALS, b"<charge_desc>Meals < 50</charge_desc>", 1)
    assert len(data[:last]) > 10 * 32768
    found = findings(data, tmp_path)
    rules = [rule for rule, _, _ in found]
    assert rules.count("xml.unescaped") == 1 and "xml.well-formed" not in rules
    assert rules.count("arithmetic.line-total") == 1  # the first invoice's, told once
    assert rules.count("field.date") == 1
    report = ledes.validate_file(tmp_path / "invoice.xml")
    assert (report.invoices, report.line_items) == (40, 360)


def test_a_stream_that_cannot_go_back_reports_the_damage_as_before():
    class OneWay(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            chunk = self.inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    told: list[str] = []
    data = SAMPLE_21.replace(MEALS, b"<charge_desc>Meals < 50</charge_desc>")
    invoices = list(read_xml(io.BufferedReader(OneWay(data)), lambda rule, *a, **k: told.append(str(rule))))
    assert invoices == [] and told and set(told) == {"xml.well-formed"}


def test_standard_input_and_the_command_line(tmp_path: Path):
    data = SAMPLE_22.replace(MEALS, b"<charge_desc>Meals < 50</charge_desc>")
    path = tmp_path / "invoice.xml"
    path.write_bytes(data)
    shown = CliRunner().invoke(main, ["show", str(path)])
    assert shown.exit_code == 0 and "9 line items" in shown.output
    piped = subprocess.run([sys.executable, "-m", "ledes_cli", "validate", "--no-config", "-"], input=data,
                           capture_output=True, check=False)
    # Standard input is held in memory (it can go back): repaired as a file is, its 9 line items read.
    assert b"xml.unescaped" in piped.stdout and b"xml.well-formed" not in piped.stdout
    assert b"9 line items" in piped.stdout and piped.returncode == 1
