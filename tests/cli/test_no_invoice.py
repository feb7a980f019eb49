"""Files no invoice is read from, through every command: an invoice file with none in it, and files that are not LEDES.

A format line and a header only (an exporter that dropped every row) or an XML root with
nothing in it is one ``structure.no-invoice`` error; a CSV or Excel export, a PDF, a ZIP
archive, random bytes, XML of another kind or other text is one ``structure.format-line``
error that says what the file is and what to run instead, with ``"format": null``.
``validate`` exits 1; ``show``, ``report`` and ``convert`` (``--allow-loss`` or not) say
why on stderr, write nothing and exit 1: never 0, never a traceback.
"""

from __future__ import annotations

import io
import json
import random
import unicodedata
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

import ledes
from ledes_cli.main import main

from .test_json_schema import SCHEMA, conforms

ROOT = Path(__file__).resolve().parents[2]
LOC_1998B = ROOT / "fixtures" / "rules" / "structure.format-line" / "pass_loc_sample.txt"
VAT_1998BI = ROOT / "fixtures" / "1998bi" / "valid" / "multi_matter_vat.txt"
CSV_EXPORT = ROOT / "fixtures" / "import" / "harbor-finch-time-export.csv"
XLSX_EXPORT = ROOT / "fixtures" / "import" / "marlow-stanton-billable-entries.xlsx"


def first_lines(path: Path, count: int = 2) -> bytes:
    return b"".join(path.read_bytes().splitlines(keepends=True)[:count])


def xml_root(root: str, namespace: str | None = None) -> bytes:
    declared = f' xmlns="{namespace}"' if namespace else ""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}{declared}>\n</{root}>\n'.encode()


def written_workbook() -> bytes:
    """A one-sheet time export, written here with openpyxl."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Timekeeper", "Hours", "Narrative"])
    sheet.append(["2024-03-04", "0042", 1.5, "Review coverage position letter"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("invoices/readme.txt", "the invoices are in the billing system")
    return out.getvalue()


RANDOM_BYTES = random.Random(1998).randbytes(4096)

# name: (file name, bytes, format the file is read as, line of the finding, XPath of the finding)
NO_INVOICE = {
    "1998b-header-only": ("invoice.txt", first_lines(LOC_1998B), "LEDES1998B", 3, None),
    "1998bi-header-only": ("invoice.txt", first_lines(VAT_1998BI), "LEDES98BI", 3, None),
    "xml2.0-root-only": ("invoice.xml", xml_root("ledesxmlebilling2.0", "http://www.ledes.org/LEDES20.xsd"),
                         "LEDESXML2.0", 2, "/ledesxmlebilling2.0"),
    "xml2.1-root-only": ("invoice.xml", xml_root("ledesxmlebilling2.1", "http://www.ledes.org/LEDES21.xsd"),
                         "LEDESXML2.1", 2, "/ledesxmlebilling2.1"),
    "xml2.2-root-only": ("invoice.xml", xml_root("ledesxmlebilling2.2", "http://www.ledes.org/LEDES22.xsd"),
                         "LEDESXML2.2", 2, "/ledesxmlebilling2.2"),
    "ledes2000-root-only": ("invoice.xml", xml_root("ledesxml"), "LEDES2000", 2, "/ledesxml"),
}

# name: (file name, bytes, words the finding says what the file is with, line, XPath, `ledes import` advised)
NOT_LEDES = {
    "csv-export": ("export.csv", CSV_EXPORT.read_bytes(), "a CSV export", 1, None, True),
    "xlsx-export": ("entries.xlsx", XLSX_EXPORT.read_bytes(), "an Excel workbook", 1, None, True),
    "xlsx-written-here": ("upload.dat", written_workbook(), "an Excel workbook", 1, None, True),
    "random-bytes": ("upload.txt", RANDOM_BYTES, "a binary file", 1, None, False),
    # One random file in 256 begins with "<": binary all the same, not XML of another kind.
    "random-bytes-from-<": ("upload.txt", b"<" + RANDOM_BYTES, "a binary file", 1, None, False),
    "random-bytes-from-<tag>": ("upload.xml", b"<invoice>" + RANDOM_BYTES, "a binary file", 1, None, False),
    "pdf": ("invoice.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "a PDF document",
            1, None, False),
    "zip": ("invoices.zip", zip_archive(), "a ZIP archive", 1, None, False),
    "xml-of-another-kind": ("invoice.xml", b'<?xml version="1.0"?>\n<catalog>\n  <book id="1"/>\n</catalog>\n',
                            "XML of another kind", 2, "/catalog", False),
    "text": ("invoice.txt", b"Dear client,\r\nplease find our invoice for March attached.\r\n", "this is text", 1,
             None, False),
    "empty": ("invoice.txt", b"", "an empty file", 1, None, False),
    "byte-order-mark-and-blank-lines": ("invoice.txt", b"\xef\xbb\xbf\r\n  \n", "an empty file", 1, None, False),
}


def run(*args: object) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


def clean(message: str) -> bool:
    """No control character, undecodable byte or replacement character from the input."""
    return all(unicodedata.category(char)[0] != "C" and char != "\ufffd" for char in message)


@pytest.fixture(params=sorted(NO_INVOICE))
def no_invoice(request, tmp_path: Path):
    name, data, file_format, line, xpath = NO_INVOICE[request.param]
    path = tmp_path / name
    path.write_bytes(data)
    return path, file_format, line, xpath


@pytest.fixture(params=sorted(NOT_LEDES))
def not_ledes(request, tmp_path: Path):
    name, data, what, line, xpath, import_advised = NOT_LEDES[request.param]
    path = tmp_path / name
    path.write_bytes(data)
    return path, what, line, xpath, import_advised


def test_the_random_bytes_are_binary():
    assert b"\x00" in RANDOM_BYTES


# ----------------------------------------------------------------------------- ledes validate
def test_validate_reports_a_file_with_no_invoice_as_one_error(no_invoice):
    path, file_format, line, xpath = no_invoice
    result = run("validate", "--format", "json", path)
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert conforms(document, SCHEMA) == []
    (file,) = document["files"]
    assert (file["format"], file["invoices"], file["line_items"]) == (file_format, 0, 0)
    errors = [d for d in file["diagnostics"] if d["severity"] == "error"]
    assert [(d["rule"], d["line"], d["xpath"]) for d in errors] == [("structure.no-invoice", line, xpath)]
    assert "holds no invoice" in errors[0]["message"]
    # The reconstructed XML schemas also warn that the root has no <firm>; nothing else is reported.
    assert {d["rule"] for d in file["diagnostics"]} <= {"structure.no-invoice", "xml.schema-reconstruction"}


def test_validate_reports_a_file_that_is_not_ledes_as_one_finding_of_no_format(not_ledes):
    path, what, line, xpath, import_advised = not_ledes
    result = run("validate", "--format", "json", path)
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert conforms(document, SCHEMA) == []
    (file,) = document["files"]
    assert (file["format"], file["invoices"], file["line_items"]) == (None, 0, 0)
    (finding,) = file["diagnostics"]
    assert (finding["rule"], finding["severity"], finding["line"], finding["xpath"]) == (
        "structure.format-line", "error", line, xpath)
    message = finding["message"]
    assert what in message and "not a LEDES invoice file" in message
    assert clean(message), message
    assert ("`ledes import " in message) is import_advised
    if import_advised:
        assert f"`ledes import {path} --mapping" in message  # the file's own name, ready to run


def test_validate_text_output_names_no_format_and_prints_one_finding(not_ledes):
    path, what, *_ = not_ledes
    result = run("validate", path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, lines  # the finding, and the file's summary: no encoding note, no garbled bytes
    assert "error structure.format-line: this is" in lines[0] and what in lines[0]
    assert lines[1] == f"{path}: not a LEDES file, 0 invoices, 0 line items: 1 error, 0 warnings"
    assert clean(result.stdout.replace("\n", ""))


def test_a_csv_export_among_invoices_fails_the_run_and_the_invoices_are_still_checked(tmp_path: Path):
    export = tmp_path / "export.csv"
    export.write_bytes(CSV_EXPORT.read_bytes())
    result = run("validate", "--format", "json", LOC_1998B, export)
    assert result.exit_code == 1
    first, second = json.loads(result.stdout)["files"]
    assert (first["format"], first["invoices"], first["diagnostics"]) == ("LEDES1998B", 2, [])
    assert (second["format"], [d["rule"] for d in second["diagnostics"]]) == (None, ["structure.format-line"])


# ----------------------------------------------------------------------------- ledes show
@pytest.mark.parametrize("output_format", ["text", "json"])
def test_show_exits_1_and_says_why(no_invoice, output_format):
    path, *_ = no_invoice
    result = run("show", "--format", output_format, path)
    assert (result.exit_code, type(result.exception)) == (1, SystemExit)
    assert result.stdout == ""
    assert result.stderr.startswith(f"ledes: nothing to show: {path} holds no invoice:\n")
    assert "error structure.no-invoice" in result.stderr


def test_show_of_a_file_that_is_not_ledes_exits_1_with_the_one_finding(not_ledes):
    path, what, *_ = not_ledes
    result = run("show", path)
    assert (result.exit_code, type(result.exception)) == (1, SystemExit)
    assert result.stdout == ""
    heading, finding = result.stderr.splitlines()
    assert heading == f"ledes: nothing to show: {path} holds no invoice:"
    assert "error structure.format-line: this is" in finding and what in finding
    assert clean(finding)


# ----------------------------------------------------------------------------- ledes report
@pytest.mark.parametrize("output_format", ["text", "json", "csv", "html"])
def test_report_exits_1_and_writes_nothing(no_invoice, output_format, tmp_path: Path):
    path, *_ = no_invoice
    target = tmp_path / "report.out"
    result = run("report", "--format", output_format, "-o", target, path)
    assert (result.exit_code, type(result.exception)) == (1, SystemExit)
    assert not target.exists()
    assert result.stderr.startswith(f"ledes: no report: {path} holds no invoice:\n")
    assert "No line items counted" not in result.output


def test_report_of_a_file_that_is_not_ledes_exits_1_with_the_one_finding(not_ledes):
    path, what, *_ = not_ledes
    result = run("report", path)
    assert (result.exit_code, type(result.exception)) == (1, SystemExit)
    assert result.stdout == ""
    heading, finding = result.stderr.splitlines()
    assert heading == f"ledes: no report: {path} holds no invoice:"
    assert "error structure.format-line: this is" in finding and what in finding


def test_a_report_is_not_made_when_one_of_its_files_holds_no_invoice(tmp_path: Path):
    """Totals without a file that was asked for would be wrong: nothing is reported, and the file is named."""
    export = tmp_path / "export.csv"
    export.write_bytes(CSV_EXPORT.read_bytes())
    target = tmp_path / "report.html"
    result = run("report", "--format", "html", "-o", target, LOC_1998B, export)
    assert result.exit_code == 1 and not target.exists()
    assert f"ledes: no report: {export} holds no invoice:" in result.stderr
    assert str(LOC_1998B) not in result.stderr


def test_a_period_with_no_line_items_is_still_a_report(tmp_path: Path):
    """Invoices were read, none dated in the period: that is an answer, not a failure."""
    result = run("report", "--period", "2030", LOC_1998B)
    assert result.exit_code == 0 and "No line items counted." in result.stdout


# ----------------------------------------------------------------------------- ledes convert
@pytest.mark.parametrize("allow_loss", [[], ["--allow-loss"]], ids=["", "allow-loss"])
@pytest.mark.parametrize("target_format", ["1998b", "1998bi", "xml2.1"])
def test_convert_writes_nothing_and_says_why(no_invoice, allow_loss, target_format, tmp_path: Path):
    path, *_ = no_invoice
    target = tmp_path / "out.converted"
    options = ["--currency", "USD", "--law-firm-name", "Smith LLP"]
    result = run("convert", path, "-o", target, "--to", target_format, *options, *allow_loss)
    assert (result.exit_code, type(result.exception)) == (1, SystemExit)
    assert not target.exists()
    assert list(tmp_path.glob(".out.converted.*")) == []  # no temporary file left behind
    assert result.stdout == ""
    assert result.stderr.startswith(f"ledes: not written: {target}: {path} holds no invoice:\n")
    assert "error structure.no-invoice" in result.stderr


@pytest.mark.parametrize("allow_loss", [[], ["--allow-loss"]], ids=["", "allow-loss"])
def test_convert_of_a_file_that_is_not_ledes_writes_nothing(not_ledes, allow_loss, tmp_path: Path):
    path, what, *_ = not_ledes
    target = tmp_path / "out.txt"
    result = run("convert", path, "-o", target, "--to", "1998b", *allow_loss)
    assert (result.exit_code, type(result.exception)) == (1, SystemExit)
    assert not target.exists()
    heading, finding = result.stderr.splitlines()
    assert heading == f"ledes: not written: {target}: {path} holds no invoice:"
    assert "error structure.format-line: this is" in finding and what in finding


def test_convert_of_a_file_whose_every_record_was_skipped_writes_nothing(tmp_path: Path):
    """--allow-loss writes what could be read; when that is no invoice at all, nothing is written."""
    source = tmp_path / "broken.txt"
    header = first_lines(LOC_1998B)
    source.write_bytes(header + b"19990225|96542|00711|0528|1684.54|19990101|19990131|too few fields[]\n")
    target = tmp_path / "out.txt"
    result = run("convert", source, "-o", target, "--to", "1998b", "--allow-loss")
    assert result.exit_code == 1 and not target.exists()
    assert "holds no invoice" in result.stderr and "structure.field-count" in result.stderr
    assert "structure.no-invoice" not in result.stderr  # the skipped record says why


# ----------------------------------------------------------------------------- the library
def test_the_library_reports_the_same(not_ledes, tmp_path: Path):
    path, what, line, *_ = not_ledes
    report = ledes.validate_file(path)
    assert (report.format, report.invoices, [(d.rule, d.line) for d in report.diagnostics]) == (
        None, 0, [("structure.format-line", line)])
    assert what in report.diagnostics[0].message
    found: list[ledes.Diagnostic] = []
    assert list(ledes.iter_invoices(path, diagnostics=found)) == []
    assert [(d.rule, d.line, d.message) for d in found] == [(d.rule, d.line, d.message) for d in report.diagnostics]
    seen = ledes.overview(path)
    assert (seen.format, seen.summary.invoices, len(seen.diagnostics)) == (None, [], 1)
    with pytest.raises(ledes.LedesInvalidFileError, match="structure.format-line"):
        ledes.load(path)
    with pytest.raises(ledes.LedesNoInvoiceError) as refused:
        ledes.convert(path, tmp_path / "out.txt", to="1998b", allow_loss=True)
    assert [d.rule for d in refused.value.diagnostics] == ["structure.format-line"]
    assert not (tmp_path / "out.txt").exists()


def test_the_library_raises_for_a_file_with_no_invoice(no_invoice, tmp_path: Path):
    path, *_ = no_invoice
    with pytest.raises(ledes.LedesInvalidFileError, match="structure.no-invoice"):
        ledes.load(path)
    with pytest.raises(ledes.LedesNoInvoiceError, match="structure.no-invoice"):
        ledes.convert(path, tmp_path / "out.txt", to="1998b", allow_loss=True)
    assert not (tmp_path / "out.txt").exists()


def test_from_reads_the_file_as_the_named_format(tmp_path: Path):
    """--from skips detection: a CSV export read as 1998B gets its reader's findings, and still no exit 0."""
    export = tmp_path / "export.csv"
    export.write_bytes(CSV_EXPORT.read_bytes())
    report = ledes.validate_file(export, format="1998b")
    assert report.format == "LEDES1998B" and report.errors
    target = tmp_path / "out.txt"
    converted = run("convert", "--from", "1998b", export, "-o", target, "--to", "1998b", "--allow-loss")
    assert converted.exit_code == 1 and not target.exists()


def test_standard_input_that_is_not_ledes_is_one_finding():
    result = CliRunner().invoke(main, ["validate", "--format", "json", "-"], input=CSV_EXPORT.read_bytes())
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)["files"][0]["diagnostics"]
    assert "a CSV export" in finding["message"] and "`ledes import FILE --mapping" in finding["message"]


def test_convert_of_a_file_whose_every_record_is_skipped_says_it_holds_no_invoice(tmp_path: Path):
    """Every record skipped (a field too many): not the advice to allow the loss, which would still write nothing."""
    lines = LOC_1998B.read_bytes().splitlines(keepends=True)
    damaged = b"".join(lines[:2] + [line.replace(b"[]", b"|extra[]") for line in lines[2:]])
    source = tmp_path / "damaged.txt"
    source.write_bytes(damaged)
    for extra in ([], ["--allow-loss"]):
        result = CliRunner().invoke(main, ["convert", str(source), "--to", "xml2.1", "--law-firm-name", "X",
                                           "-o", str(tmp_path / "out.xml"), *extra])
        assert result.exit_code == 1
        assert "holds no invoice" in result.stderr and "--allow-loss" not in result.stderr
        assert not (tmp_path / "out.xml").exists()
