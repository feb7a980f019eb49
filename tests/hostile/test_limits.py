"""Inputs that would read without end or build something huge: refused or bounded, within 30 s and 300 MB each."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hostile_support import (
    FIXTURES,
    GOOD_1998B,
    IMPORT,
    LEDES_2000,
    XML_21,
    assert_bounded,
    assert_clean_exit,
    assert_one_line_error,
    ledes_command,
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


def test_dev_zero_as_a_ledger_status_mapping_is_refused(tmp_path: Path):
    """The ledger's status mappings are read within the same limit as every other configuration file."""
    export, ledger = FIXTURES / "ledger" / "payments.csv", str(tmp_path / "l.sqlite")
    assert run("ledger", "add", "--db", ledger, "--submitted", "2024-01-02", str(GOOD_1998B)).returncode == 0  # it exists
    result = run("ledger", "import-status", str(export), "--mapping", "/dev/zero", "--db", ledger, "--dry-run")
    assert_one_line_error(result)
    assert "the limit for a configuration file" in result.stderr
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


def _workbook_with(folder: Path, name: str, part: str, head: bytes, unit: bytes, count: int, tail: bytes) -> Path:
    """The sample workbook with ``part`` replaced by ``head``, ``count`` times ``unit``, then ``tail`` (deflated)."""
    source = IMPORT / "marlow-stanton-billable-entries.xlsx"
    target = folder / name
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for member in original.namelist():
            if member != part:
                out.writestr(member, original.read(member))
        with out.open(part, "w", force_zip64=True) as written:
            written.write(head)
            block = unit * 100_000
            for _ in range(count // 100_000):
                written.write(block)
            written.write(tail)
    return target


SHEET = "xl/worksheets/sheet2.xml"
XLSX_MAPPING = IMPORT / "marlow-stanton.toml"


def _sheet_start() -> bytes:
    with zipfile.ZipFile(IMPORT / "marlow-stanton-billable-entries.xlsx") as original:
        sheet = original.read(SHEET)
    return sheet[: sheet.index(b"<sheetData>") + len(b"<sheetData>")]


@pytest.mark.parametrize(("part", "count", "why"), [
    ("xl/sharedStrings.xml", 30_000_000, "sharedStrings.xml inflates to"),  # 30M shared strings in 1.2 MB
    (SHEET, 10_000_000, "inflates to"),  # a header row of 10M cells
    (SHEET, 100_000, "a row of its part"),  # a header row of 100,000 cells: under the part limit, over the row limit
])
def test_xlsx_bombs_are_refused_within_bounds(tmp_path: Path, part: str, count: int, why: str):
    if part == SHEET:
        workbook = _workbook_with(tmp_path, "bomb.xlsx", part, _sheet_start() + b'<row r="1">',
                                  b'<c t="inlineStr"><is><t>a</t></is></c>', count, b"</row></sheetData></worksheet>")
    else:
        workbook = _workbook_with(tmp_path, "bomb.xlsx", part, b'<?xml version="1.0"?><sst xmlns="http://schemas.'
                                  b'openxmlformats.org/spreadsheetml/2006/main">', b"<si><t>a</t></si>", count, b"</sst>")
    assert workbook.stat().st_size < 8_000_000  # a few MB that inflate to hundreds
    result = run("import", str(workbook), "--mapping", str(XLSX_MAPPING), "--to", "1998b", "--dry-run")
    assert_one_line_error(result)
    assert_bounded(result)
    assert why in result.stderr


@pytest.mark.parametrize("doctype", [
    b'<!DOCTYPE worksheet [<!ENTITY a "Kind">]>',  # an internal entity, which would be expanded
    b'<!DOCTYPE worksheet [<!ENTITY a SYSTEM "file:///etc/passwd">]>',
    b"<!DOCTYPE worksheet>",
])
def test_an_xlsx_whose_sheet_has_a_doctype_or_entity_is_refused(tmp_path: Path, doctype: bytes):
    source = IMPORT / "marlow-stanton-billable-entries.xlsx"
    workbook = tmp_path / "doctype.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(workbook, "w") as out:
        for member in original.namelist():
            data = original.read(member)
            if member == SHEET:
                data = b'<?xml version="1.0"?>' + doctype + data.replace(b"<t>Kind</t>", b"<t>&a;</t>", 1)
            out.writestr(member, data)
    result = run("import", str(workbook), "--mapping", str(XLSX_MAPPING), "--to", "1998b", "--dry-run")
    assert_one_line_error(result)
    assert "document type" in result.stderr


def test_a_csv_header_of_100_million_fields_is_refused_within_bounds(tmp_path: Path):
    export = tmp_path / "wide.csv"
    with export.open("wb") as out:
        block = b"a," * 1_000_000
        for _ in range(100):
            out.write(block)
        out.write(b"a\n")
    result = run("import", str(export), "--mapping", str(MAPPING), "--to", "1998b", "--dry-run")
    assert_one_line_error(result)
    assert_bounded(result)
    assert len(result.stderr) < 500


def test_a_missing_column_error_names_30_columns_not_every_one(tmp_path: Path):
    export = tmp_path / "many.csv"
    export.write_text(",".join(f"column {index}" for index in range(1000)) + "\n1\n")
    result = run("import", str(export), "--mapping", str(MAPPING), "--to", "1998b", "--dry-run")
    assert_one_line_error(result)
    assert "and 970 more" in result.stderr and len(result.stderr) < 1500


def test_a_500_kb_client_id_on_1000_lines_does_not_pad_the_text_report(tmp_path: Path):
    """The cell is cut at 60 characters: the report stays small (it was 1 GB) and within the memory bound."""
    lines = GOOD_1998B.read_text().replace("\r\n", "\n").splitlines()
    client = "C" * 500_000
    records = "".join(lines[2].replace("|HW-3107|C-5520|", f"|HW-{n}|{client if n == 0 else 'C-5520'}|") + "\n"
                      for n in range(1000))
    source = tmp_path / "wide.txt"
    source.write_text(f"{lines[0]}\n{lines[1]}\n{records}")
    result = run("report", "--by", "client", str(source))
    assert_clean_exit(result, 0)
    assert_bounded(result)
    assert len(result.stdout) < 200_000
    assert max(len(line) for line in result.text.splitlines()) < 400


@pytest.mark.parametrize("where", ["in an invoice", "beside the firm"])
def test_xml_with_20_mb_of_elements_ledes_does_not_read_stays_within_bounds(tmp_path: Path, where: str):
    """Before, 20 MB of such elements in an invoice took 475 s and 700 MB; beside the firm, 1 GB: now reading stops."""
    junk = '<junk a="1">text</junk>' * (20_000_000 // 24)
    text = XML_21.read_text()
    source = tmp_path / "junk.xml"
    source.write_text(text.replace("<invoice>", "<invoice>" + junk, 1) if where == "in an invoice"
                      else text.replace("</firm>", "</firm>" + junk, 1))
    result = run("validate", str(source))
    assert_clean_exit(result, 1)
    assert "xml.size" in result.text and "<junk>" in result.text
    assert_bounded(result)


def test_ledes_2000_with_20_mb_of_elements_ledes_does_not_read_stays_within_bounds(tmp_path: Path):
    """LEDES 2000 streams through the same reader: a flood of unknown elements in an invoice stops it, within bounds."""
    junk = '<junk a="1">text</junk>' * (20_000_000 // 24)
    source = tmp_path / "junk2000.xml"
    source.write_text(LEDES_2000.read_text().replace("<invoice>", "<invoice>" + junk, 1))
    result = run("validate", str(source))
    assert_clean_exit(result, 1)
    assert "xml.size" in result.text and "<junk>" in result.text
    assert_bounded(result)


@pytest.mark.parametrize("element", ["<invoice {}>", "<invoice><unknown {}/>"])
def test_an_element_with_100_000_attributes_stays_within_bounds(tmp_path: Path, element: str):
    """On the invoice, one schema finding for its 100,000 attributes (not one each); on an unknown element, one."""
    attributes = " ".join(f'a{index}="{index}"' for index in range(100_000))
    source = tmp_path / "attributes.xml"
    source.write_text(XML_21.read_text().replace("<invoice>", element.format(attributes), 1))
    result = run("validate", str(source))
    assert_clean_exit(result, 0, 1)
    assert_bounded(result)


def test_an_xinclude_is_never_followed(tmp_path: Path):
    """An xi:include of a local file is an element ledes does not read: the file's text never reaches the output."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT")
    include = f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret}" parse="text"/>'
    source = tmp_path / "include.xml"
    source.write_text(XML_21.read_text().replace("<invoice>", f"<invoice>{include}", 1))
    for format in ("text", "json"):
        result = run("validate", "--format", format, str(source))
        assert_clean_exit(result, 0, 1)
        assert "SECRET-CONTENT" not in result.text + result.stderr
        assert "xml.unmapped" in result.text and "include" in result.text
    shown = run("show", str(source))
    assert "SECRET-CONTENT" not in shown.text + shown.stderr


def test_a_named_pipe_no_program_writes_to_is_refused_not_waited_on(tmp_path: Path):
    """``extends = "fifo"`` (or ``--guidelines fifo``) with no writer once blocked forever; a pipe a program writes to
    (``--guidelines <(cat g.toml)``) is still read."""
    import os
    import subprocess

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    guidelines = tmp_path / "g.toml"
    guidelines.write_text(f'extends = "{fifo}"\n')
    for given in (guidelines, fifo):
        result = run("validate", "--guidelines", str(given), str(GOOD_1998B))
        assert_one_line_error(result)
        assert "a named pipe that no program writes to" in result.stderr
    written = subprocess.run(["bash", "-c", f"{' '.join(ledes_command())} validate --no-config --guidelines"
                              f" <(printf 'extends = \"strict\"\\n') {GOOD_1998B}"], capture_output=True, text=True,
                             timeout=60)
    assert written.returncode == 1 and "error" in written.stdout, written.stderr
