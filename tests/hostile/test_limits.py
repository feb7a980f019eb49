"""Inputs that would read without end or build something huge: refused or bounded, within 30 s and 300 MB each."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_support import (
    GOOD_1998B,
    IMPORT,
    XML_21,
    assert_bounded,
    assert_clean_exit,
    assert_one_line_error,
    run,
)

from ledes.limits import MAX_CONFIG_BYTES

EXPORT = IMPORT / "harbor-finch-time-export.csv"
MAPPING = IMPORT / "harbor-finch.toml"


def test_dev_zero_as_guidelines_is_refused_at_the_size_limit():
    result = run("validate", "--guidelines", "/dev/zero", str(GOOD_1998B))
    assert_one_line_error(result)
    assert_bounded(result)
    assert "larger than" in result.stderr


def test_dev_zero_as_the_file_guidelines_extend_is_refused(tmp_path: Path):
    guidelines = tmp_path / "g.toml"
    guidelines.write_text('extends = "/dev/zero"\n')
    result = run("report", "--guidelines", str(guidelines), str(GOOD_1998B))
    assert_one_line_error(result)
    assert_bounded(result)


def test_dev_zero_as_a_mapping_is_refused():
    result = run("import", str(EXPORT), "--mapping", "/dev/zero", "--to", "1998b", "--dry-run")
    assert_one_line_error(result)
    assert_bounded(result)


@pytest.mark.parametrize("what", ["guidelines", "mapping"])
def test_a_configuration_file_over_the_limit_is_refused(tmp_path: Path, what: str):
    big = tmp_path / "big.toml"
    big.write_text("# padding\n" * (MAX_CONFIG_BYTES // 10 + 1))
    if what == "guidelines":
        result = run("validate", "--guidelines", str(big), str(GOOD_1998B))
    else:
        result = run("import", str(EXPORT), "--mapping", str(big), "--to", "1998b", "--dry-run")
    assert_one_line_error(result)
    assert "larger than 2 MB" in result.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("command", ["validate", "show", "report"])
def test_an_endless_device_as_input_is_one_finding_and_ends(device: str, command: str):
    result = run(command, device)
    assert_clean_exit(result, 1)
    assert_bounded(result)
    assert "binary file" in result.text + result.stderr


@pytest.mark.parametrize("spec", ["{counter:01500000000d}", "{counter:.1500000000}"])
def test_an_invoice_number_pattern_1_5_billion_wide_is_refused(tmp_path: Path, spec: str):
    mapping = tmp_path / "map.toml"
    mapping.write_text(MAPPING.read_text().replace('number = "HF-{year}{month:02d}-{counter:04d}"',
                                                   f'number = "{spec}"'))
    result = run("import", str(EXPORT), "--mapping", str(mapping), "--to", "1998b", "--dry-run")
    assert_one_line_error(result)
    assert_bounded(result)
    assert "invoice.number" in result.stderr


def test_a_record_broken_over_a_million_lines_is_read_in_linear_time(tmp_path: Path):
    lines = GOOD_1998B.read_text().replace("\r\n", "\n").splitlines()
    record = lines[2]
    split = record.index("Review")
    source = tmp_path / "broken.txt"
    with source.open("w") as out:
        out.write(f"{lines[0]}\n{lines[1]}\n{record[:split]}Review\n")
        out.write("x\n" * 1_000_000)
        out.write(record[split:] + "\n")
    result = run("validate", str(source))
    assert_clean_exit(result, 1)
    assert_bounded(result)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_a_finding_never_zero_invoices_that_pass(tmp_path: Path, encoding: str):
    xml = tmp_path / "u16.xml"
    xml.write_bytes(XML_21.read_text().encode(encoding))
    pipe = tmp_path / "u16.txt"
    pipe.write_bytes(GOOD_1998B.read_text().encode(encoding))
    checked = run("validate", str(xml), str(pipe))
    assert_clean_exit(checked, 1)
    assert checked.text.count("UTF-16 without a byte-order mark") == 2
    converted = run("convert", str(pipe), "-o", str(tmp_path / "out.txt"), "--to", "1998b")
    assert_clean_exit(converted, 1)
    assert not (tmp_path / "out.txt").exists()
