"""The LEDES 1998B reader accepts what real files contain, and says exactly where a problem is.

Line numbers are physical (1-based) lines of the file, whatever its line ends.
"""

from __future__ import annotations

import gzip
import io
import os
import threading
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from formats_support import (
    COLUMNS,
    FIXTURES,
    FIXTURES_1998BI,
    GOOD,
    HEADER,
    fee_row,
    ledes_file,
    read_bytes,
    read_text,
    record,
    rules,
)

import ledes
from ledes.diagnostics import DiagnosticSink
from ledes.engine import Config
from ledes.formats import textio
from ledes.formats.ledes1998b.reader import read_1998b
from ledes.formats.ledes1998b.table import FIELD_NAMES
from ledes.model import LineItemType, Unparsed

GOOD_BYTES = GOOD.read_bytes()  # LF, no final newline, U+2019 in UTF-8 on line 3


def items(invoices):
    return [item for invoice in invoices for item in invoice.line_items]


def where(diagnostics):
    """(rule, line, field) of each diagnostic, by line (a reader may report lines out of order)."""
    return [(d.rule, d.line, d.field) for d in sorted(diagnostics, key=lambda d: d.line or 0)]


def expected_good(invoices):
    """The LOC sample, read correctly."""
    assert [invoice.number for invoice in invoices] == ["96542", "96543"]
    assert [item.number for item in items(invoices)] == ["1", "2", "3", "4", "5", "6"]
    assert [item.location.line for item in items(invoices)] == [3, 4, 5, 6, 7, 8]
    assert items(invoices)[0].description == "Research Attorney’s fees, Set off claim"
    assert invoices[0].total == Decimal("1684.45")
    assert invoices[1].matters[0].law_firm_matter_id == "1326"


# ----------------------------------------------------------------------- line ends, BOM, encoding


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-BOM", "BOM"])
@pytest.mark.parametrize("final", [b"", b"final"], ids=["no-final-newline", "final-newline"])
def test_any_line_end_with_or_without_bom_or_final_newline(newline, bom, final):
    data = bom + GOOD_BYTES.replace(b"\n", newline) + (newline if final else b"")
    invoices, diagnostics = read_bytes(data)
    assert diagnostics == []
    expected_good(invoices)
    assert invoices == read_bytes(GOOD_BYTES)[0]


def test_mixed_line_ends_in_one_file():
    lines = GOOD_BYTES.split(b"\n")
    data = lines[0] + b"\r\n" + lines[1] + b"\n" + lines[2] + b"\r" + b"\r\n".join(lines[3:])
    invoices, diagnostics = read_bytes(data)
    assert diagnostics == []
    expected_good(invoices)


def test_a_bom_on_a_file_read_from_disk(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_BYTES.replace(b"\n", b"\r\n"))
    found = []
    expected_good(list(ledes.iter_invoices(path, diagnostics=found)))
    assert found == []
    assert ledes.validate_file(path).diagnostics == ()


def test_a_windows_1252_file_is_decoded_and_reported_once():
    text = GOOD_BYTES.decode("utf-8") + "\n" + fee_row("777", "9", {"LINE_ITEM_DESCRIPTION": "Café – “quoted” €5"})
    data = text.encode("cp1252")
    assert b"\x92" in data  # the apostrophe of "Attorney’s"
    invoices, diagnostics = read_bytes(data)
    assert where(diagnostics) == [("structure.encoding", 3, None)]
    assert diagnostics[0].severity is ledes.Severity.INFO
    expected_good(invoices[:2])
    assert items(invoices)[-1].description == "Café – “quoted” €5"


def test_the_encoding_note_points_at_the_first_line_that_is_not_utf8():
    text = ledes_file(fee_row("1", "1"), fee_row("1", "2", {"LINE_ITEM_DESCRIPTION": "naïve"}), fee_row("1", "3", {"LINE_ITEM_DESCRIPTION": "Müller"}))
    invoices, diagnostics = read_bytes(text.encode("cp1252"))
    assert where(diagnostics) == [("structure.encoding", 4, None)]
    assert [item.description for item in items(invoices)] == ["Research", "naïve", "Müller"]


def test_utf8_and_windows_1252_lines_in_one_file_are_each_decoded():
    data = ledes_file(fee_row("1", "1", {"LINE_ITEM_DESCRIPTION": "ÆØÅ"}), fee_row("1", "2", {"LINE_ITEM_DESCRIPTION": "ÆØÅ"})).encode("utf-8")
    last = data.rindex("ÆØÅ".encode())
    data = data[:last] + "ÆØÅ".encode("cp1252") + data[last + len("ÆØÅ".encode()):]
    invoices, diagnostics = read_bytes(data)
    assert where(diagnostics) == [("structure.encoding", 4, None)]
    assert [item.description for item in items(invoices)] == ["ÆØÅ", "ÆØÅ"]


def test_bytes_windows_1252_leaves_undefined_are_kept():
    data = ledes_file(fee_row("1", "1", {"LINE_ITEM_DESCRIPTION": "x"})).encode("ascii").replace(b"|x|", b"|\x81\x8d|")
    invoices, diagnostics = read_bytes(data)
    # Kept as the C1 controls they decode to, which field.control-character reports: no Windows-1252 text holds them.
    assert sorted(rules(diagnostics)) == ["field.control-character", "structure.encoding"]
    assert items(invoices)[0].description == "\x81\x8d"


@pytest.mark.parametrize(
    "tail",
    [b"\n", b"\n\n\n", b"\n   \n", b"\n\t \n  ", b"\r\n \r\n", b"\n\n  \n\n"],
    ids=repr,
)
def test_trailing_blank_and_whitespace_only_lines_are_ignored(tail):
    invoices, diagnostics = read_bytes(GOOD_BYTES + tail)
    assert diagnostics == []
    expected_good(invoices)


def test_blank_lines_between_records_are_skipped_and_lines_still_counted():
    text = "LEDES1998B[]\n" + HEADER + "\n\n" + fee_row("1", "1") + "\n   \n\n" + fee_row("1", "2", {"LINE_ITEM_DATE": "2024"}) + "\n"
    invoices, diagnostics = read_text(text)
    assert [item.location.line for item in items(invoices)] == [4, 7]
    assert where(diagnostics) == [("field.date", 7, "LINE_ITEM_DATE")]


def test_a_crlf_file_with_a_trailing_space_line():
    source = FIXTURES / "valid" / "crlf_single_fee_legacy_pt.txt"  # written by hand
    assert source.read_bytes().endswith(b"[]\r\n \r\n")
    found = []
    (invoice,) = ledes.iter_invoices(source, diagnostics=found)
    assert found == []
    (item,) = invoice.line_items
    assert (item.timekeeper.classification, item.units, item.unit_cost, item.total) == (
        "PT", Decimal("3.25"), Decimal(350), Decimal("1137.50")
    )


# ------------------------------------------------------------------------- invoices and matters


def test_several_invoices_and_several_matters_are_grouped_in_file_order():
    text = ledes_file(
        fee_row("INV-1", "1", {"LAW_FIRM_MATTER_ID": "B", "CLIENT_MATTER_ID": "cb"}),
        fee_row("INV-1", "2", {"LAW_FIRM_MATTER_ID": "B", "CLIENT_MATTER_ID": "cb"}),
        fee_row("INV-1", "3", {"LAW_FIRM_MATTER_ID": "A", "CLIENT_MATTER_ID": "ca"}),
        fee_row("INV-1", "4", {"LAW_FIRM_MATTER_ID": "B", "CLIENT_MATTER_ID": "cb"}),  # back to B
        fee_row("INV-0", "1", {"LAW_FIRM_MATTER_ID": "A"}),
        fee_row("INV-2", "1", {"LAW_FIRM_MATTER_ID": "C"}),
    )
    invoices, diagnostics = read_text(text)
    assert diagnostics == []
    assert [invoice.number for invoice in invoices] == ["INV-1", "INV-0", "INV-2"]
    first = invoices[0]
    assert [m.law_firm_matter_id for m in first.matters] == ["B", "A"]  # by first appearance
    assert [m.client_matter_id for m in first.matters] == ["cb", "ca"]
    assert [[i.number for i in m.line_items] for m in first.matters] == [["1", "2", "4"], ["3"]]
    assert [m.location.line for m in first.matters] == [3, 5]
    assert [invoice.location.line for invoice in invoices] == [3, 7, 8]
    assert [[i.location.line for i in m.line_items] for m in first.matters] == [[3, 4, 6], [5]]


def test_rows_of_an_invoice_that_start_again_later_are_reported():
    text = ledes_file(fee_row("1", "1"), fee_row("2", "1"), fee_row("1", "2"))
    invoices, diagnostics = read_text(text)
    assert [invoice.number for invoice in invoices] == ["1", "2", "1"]
    assert where(diagnostics) == [("invoice.non-contiguous", 5, None)]


def test_an_invoice_that_starts_again_after_thousands_of_others_is_reported(monkeypatch: pytest.MonkeyPatch):
    """The invoice numbers already read spill to disk past a few (here 4): one read long before is still found."""
    from ledes.formats.pipe import assembly

    monkeypatch.setattr(assembly, "INVOICE_NUMBERS_HELD", 4)
    rows = [fee_row(str(number), "1") for number in range(1, 3001)] + [fee_row("7", "2"), fee_row("3001", "1")]
    invoices, diagnostics = read_text(ledes_file(*rows))
    assert len(invoices) == 3002
    assert where(diagnostics) == [("invoice.non-contiguous", 3003, None)]


def test_timekeepers_are_read_per_row():
    text = ledes_file(
        fee_row("1", "1"),
        fee_row("1", "2", {"EXP/FEE/INV_ADJ_TYPE": "E", "LINE_ITEM_EXPENSE_CODE": "E101", "TIMEKEEPER_ID": "",
                           "TIMEKEEPER_NAME": "", "TIMEKEEPER_CLASSIFICATION": ""}),
        fee_row("1", "3", {"TIMEKEEPER_ID": "9", "TIMEKEEPER_NAME": "Beaster, John", "TIMEKEEPER_CLASSIFICATION": "ASSOC"}),
    )
    invoices, diagnostics = read_text(text)
    assert diagnostics == []
    keepers = [item.timekeeper for item in items(invoices)]
    assert keepers[0] == ledes.Timekeeper("22547", "Arnsley, Robert", "PARTNR")
    assert keepers[1] is None
    assert keepers[2] == ledes.Timekeeper("9", "Beaster, John", "ASSOC")


# ------------------------------------------------------------------------------------ amounts


def test_the_sample_amount_spellings():
    invoices, diagnostics = read_bytes(GOOD_BYTES)
    assert diagnostics == []
    first, _, third, *_, retainer = items(invoices)
    assert first.adjustment == Decimal(-70) and first.units == Decimal(2)
    assert third.units == Decimal("0.2")
    assert retainer.adjustment == Decimal(1250) and retainer.unit_cost is None
    assert all(type(value) is Decimal for item in items(invoices) for value in (item.units, item.total))


@pytest.mark.parametrize(
    "text, value",
    [("1250.", "1250"), ("0.200", "0.2"), ("-70", "-70"), (".5", "0.5"), ("-.5", "-0.5"), ("007", "7"),
     ("-0", "0"), ("9999999999.9999", "9999999999.9999"), ("0000000000012.5", "12.5")],
)
def test_valid_amounts(text, value):
    invoices, diagnostics = read_text(ledes_file(fee_row(changes={"LINE_ITEM_ADJUSTMENT_AMOUNT": text})))
    assert diagnostics == []
    assert items(invoices)[0].adjustment == Decimal(value)


@pytest.mark.parametrize(
    "text",
    ["+100.00", "1,250.00", " 12", "12 ", "$5", "1e3", "1.2.3", "-", ".", "--1", "NaN", "Infinity", "12345678901", "1.23456"],
)
def test_invalid_amounts_are_reported_and_kept_as_written(text):
    invoices, diagnostics = read_text(ledes_file(fee_row(changes={"LINE_ITEM_ADJUSTMENT_AMOUNT": text})))
    assert where(diagnostics) == [("field.number", 3, "LINE_ITEM_ADJUSTMENT_AMOUNT")]
    kept = items(invoices)[0].adjustment
    if isinstance(kept, Unparsed):
        assert kept == text
    else:  # well-formed but too precise or too long: the number is kept, and its text
        assert ledes.dumps(invoices).split("\n")[2] == ledes_file(fee_row(changes={"LINE_ITEM_ADJUSTMENT_AMOUNT": text})).split("\n")[2]


def test_the_invoice_total_allows_twelve_integer_digits():
    ok = ledes_file(fee_row(changes={"INVOICE_TOTAL": "999999999999.9999"}))
    assert read_text(ok)[1] == []
    too_long = ledes_file(fee_row(changes={"INVOICE_TOTAL": "1000000000000"}))
    assert where(read_text(too_long)[1]) == [("field.number", 3, "INVOICE_TOTAL")]


@pytest.mark.parametrize(
    "changes",
    [
        # The LOC sample: the flat fee in the adjustment, the unit cost empty.
        {"LINE_ITEM_NUMBER_OF_UNITS": "1", "LINE_ITEM_ADJUSTMENT_AMOUNT": "1250.", "LINE_ITEM_UNIT_COST": ""},
        # Brightflag and the 98BI sample: the flat fee in the unit cost.
        {"LINE_ITEM_NUMBER_OF_UNITS": "1", "LINE_ITEM_ADJUSTMENT_AMOUNT": "0", "LINE_ITEM_UNIT_COST": "1250"},
        # Units and cost both empty: an adjustment needs neither.
        {"LINE_ITEM_NUMBER_OF_UNITS": "", "LINE_ITEM_ADJUSTMENT_AMOUNT": "1250", "LINE_ITEM_UNIT_COST": ""},
    ],
    ids=["in-adjustment", "in-unit-cost", "no-units"],
)
def test_an_if_amount_in_the_adjustment_or_in_the_unit_cost(tmp_path, changes):
    row = fee_row("96543", "6", {
        "EXP/FEE/INV_ADJ_TYPE": "IF", "INVOICE_TOTAL": "1250", "LINE_ITEM_TOTAL": "1250",
        "TIMEKEEPER_ID": "", "TIMEKEEPER_NAME": "", "TIMEKEEPER_CLASSIFICATION": "",
        "LINE_ITEM_TASK_CODE": "", "LINE_ITEM_ACTIVITY_CODE": "", **changes,
    })
    path = tmp_path / "if.txt"
    path.write_text(ledes_file(row), encoding="utf-8")
    report = ledes.validate_file(path)
    assert report.diagnostics == ()
    (item,) = items(ledes.load(path))
    assert item.type is LineItemType.FEE_ADJUSTMENT
    assert item.total == Decimal(1250)


# ------------------------------------------------------------------ records that span lines


def test_a_narrative_with_a_line_break_spans_lines_and_later_lines_keep_their_numbers():
    broken = fee_row("1", "1", {"LINE_ITEM_DESCRIPTION": "Research;\nthen drafting\n\nand review"})
    text = ledes_file(broken, fee_row("1", "2", {"LINE_ITEM_DATE": "19991301"}), fee_row("1", "3"))
    invoices, diagnostics = read_text(text)
    assert next(item.description for item in items(invoices)) == "Research;\nthen drafting\n\nand review"
    assert [item.location.line for item in items(invoices)] == [3, 7, 8]
    assert where(diagnostics) == [("structure.line-break", 3, None), ("field.date", 7, "LINE_ITEM_DATE")]


def test_a_narrative_line_break_in_a_crlf_file():
    broken = fee_row("1", "1", {"INVOICE_DESCRIPTION": "two\r\nlines"})
    text = ledes_file(broken, fee_row("1", "2", {"INVOICE_DESCRIPTION": "two\r\nlines", "LINE_ITEM_TOTAL": "x"}), newline="\r\n")
    invoices, diagnostics = read_bytes(text.encode())
    assert invoices[0].description == "two\nlines"
    assert [item.location.line for item in items(invoices)] == [3, 5]
    assert where(diagnostics) == [
        ("structure.line-break", 3, None),
        ("structure.line-break", 5, None),
        ("field.number", 5, "LINE_ITEM_TOTAL"),
    ]


def test_an_unterminated_record_is_reported_at_its_line_and_kept():
    text = ledes_file(fee_row("1", "1")[:-2], fee_row("1", "2"))
    invoices, diagnostics = read_text(text)
    assert where(diagnostics) == [("structure.terminator", 3, None)]
    assert [item.location.line for item in items(invoices)] == [3, 4]
    assert items(invoices)[0].description == "Research"


def test_records_with_too_many_or_too_few_fields_are_reported_and_skipped():
    split = fee_row("1", "2", {"LINE_ITEM_DESCRIPTION": "Research|Smith"})
    short = "|".join(fee_row("1", "3").split("|")[:20]) + "[]"
    invoices, diagnostics = read_text(ledes_file(fee_row("1", "1"), split, short, fee_row("1", "4")))
    assert where(diagnostics) == [("structure.field-count", 4, None), ("structure.field-count", 5, None)]
    assert "'|' inside a description" in diagnostics[0].message
    assert [item.number for item in items(invoices)] == ["1", "4"]
    assert items(invoices)[1].location.line == 6


# ------------------------------------------------------------------------ format line and header


def swapped_header_file():
    """The header and every row with LINE_ITEM_TOTAL and LINE_ITEM_UNIT_COST swapped."""
    names = [name for name, *_ in COLUMNS]
    i, j = names.index("LINE_ITEM_TOTAL"), names.index("LINE_ITEM_UNIT_COST")

    def swap(line: str) -> str:
        parts = line[:-2].split("|")
        parts[i], parts[j] = parts[j], parts[i]
        return "|".join(parts) + "[]"

    return "LEDES1998B[]\n" + swap(HEADER) + "\n" + swap(fee_row("1", "1")) + "\n" + swap(fee_row("1", "2", {"LINE_ITEM_DATE": "x"})) + "\n"


def test_header_columns_out_of_order_are_mapped_by_name_and_reported():
    invoices, diagnostics = read_text(swapped_header_file())
    assert where(diagnostics) == [("structure.header", 2, None), ("field.date", 4, "LINE_ITEM_DATE")]
    assert "out of order" in diagnostics[0].message
    first = items(invoices)[0]
    assert (first.total, first.unit_cost, first.units) == (Decimal(700), Decimal(350), Decimal(2))


def test_lower_case_header_names_are_mapped_and_reported():
    text = ledes_file(fee_row()).replace(HEADER, HEADER.lower()[:-2] + "[]")
    invoices, diagnostics = read_text(text)
    assert where(diagnostics) == [("structure.header", 2, None)]
    assert "upper case" in diagnostics[0].message
    assert items(invoices)[0].total == Decimal(700)


def test_a_header_without_client_matter_id_maps_the_23_columns():
    header = HEADER.removesuffix("|CLIENT_MATTER_ID[]") + "[]"
    row = fee_row().removesuffix("|423-987[]") + "[]"
    invoices, diagnostics = read_text(f"LEDES1998B[]\n{header}\n{row}\n")
    assert where(diagnostics) == [("structure.header", 2, None)]
    assert "CLIENT_MATTER_ID" in diagnostics[0].message
    assert invoices[0].matters[0].client_matter_id is None
    assert items(invoices)[0].total == Decimal(700)


# The hand-written invoice HW-3108 (fixtures/1998b/SOURCES.md): its last row, line 7, gives another
# INVOICE_TOTAL and INVOICE_DESCRIPTION than the first.
ROW_5_OF_HW_3108 = [("invoice.consistent-fields", 7, "INVOICE_TOTAL"), ("invoice.consistent-description", 7, "INVOICE_DESCRIPTION")]


def test_a_wrong_header_falls_back_to_the_standard_order():
    source = FIXTURES / "invalid" / "crlf_header_invalid_headers.txt"  # line 2 is INVALID_HEADERS[]
    invoices, diagnostics = read_bytes(source.read_bytes())
    # read in the standard order: row 5's INVOICE_TOTAL and INVOICE_DESCRIPTION are found to differ
    assert where(diagnostics) == [("structure.header", 2, None), *ROW_5_OF_HW_3108]
    assert [item.total for item in items(invoices)] == [Decimal(v) for v in ("875.00", "315.00", "24.00", "186.75", "500")]


def test_a_file_starting_with_the_header():
    text = HEADER + "\n" + fee_row("1", "1") + "\n" + fee_row("1", "2", {"LINE_ITEM_TOTAL": "7,00"}) + "\n"
    invoices, diagnostics = read_text(text)
    assert where(diagnostics) == [("structure.format-line", 1, None), ("field.number", 3, "LINE_ITEM_TOTAL")]
    assert "missing" in diagnostics[0].message
    assert [item.location.line for item in items(invoices)] == [2, 3]


def test_a_file_starting_with_data():
    text = fee_row("1", "1") + "\n" + fee_row("1", "2") + "\n"
    invoices, diagnostics = read_text(text)
    assert where(diagnostics) == [("structure.format-line", 1, None), ("structure.header", 1, None)]
    assert [item.location.line for item in items(invoices)] == [1, 2]


def test_data_on_line_two_instead_of_the_header():
    text = "LEDES1998B[]\n" + fee_row("1", "1") + "\n" + fee_row("1", "2") + "\n"
    invoices, diagnostics = read_text(text)
    assert where(diagnostics) == [("structure.header", 2, None)]
    assert [item.location.line for item in items(invoices)] == [2, 3]


def test_a_file_with_only_the_format_line():
    invoices, diagnostics = read_text("LEDES1998B[]\n")
    assert invoices == []
    assert where(diagnostics) == [("structure.header", 2, None)]


def test_a_file_with_no_records():
    invoices, diagnostics = read_text("LEDES1998B[]\n" + HEADER + "\n")
    assert (invoices, diagnostics) == ([], [])


def test_a_bad_format_line_is_reported_and_the_file_still_read():
    source = FIXTURES / "invalid" / "crlf_format_line_ledes1998z.txt"  # line 1 is LEDES1998Z[]
    invoices, diagnostics = read_bytes(source.read_bytes())
    assert where(diagnostics) == [("structure.format-line", 1, None), *ROW_5_OF_HW_3108]
    assert "LEDES1998Z[]" in diagnostics[0].message
    assert [item.location.line for item in items(invoices)] == [3, 4, 5, 6, 7]


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


# LEDES 1998BI files: detected and read as 1998BI; read as 1998B (``format="1998b"``), another kind of file.
FILES_1998BI = {
    "98BI": b"LEDES98BI V2[]\nINVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL[]\n",
    "98BI-bad-version": b"LEDES98BI V32[]\r\nINVOIC_DATE|INVOICE_NUMBER[]\r\n20080299|1|2|3|4[]",
    "98BI-V5-with-BOM": b"\xef\xbb\xbfLEDES98BI V5[]\nINVOICE_DATE[]\n",
    "98BI-UTF-16": b"\xff\xfe" + "LEDES98BI V2[]\r\nINVOICE_DATE|INVOICE_NUMBER[]\r\n".encode("utf-16-le"),
}
XML_FILES = {
    "XML": (b'<?xml version="1.0" encoding="UTF-8"?>\n<ledesxmlebilling>\n<firm/>\n</ledesxmlebilling>\n', 2),
    "XML-with-BOM": (b'\xef\xbb\xbf<?xml version="1.0"?>\n<ledes/>\n', 2),
    "XML-without-declaration": (b"<ledesxmlebilling>\n<firm/>\n</ledesxmlebilling>\n", 1),
}


@pytest.mark.parametrize("kind", sorted(XML_FILES))
def test_an_xml_file_that_is_not_ledes_xml_gets_one_clear_diagnostic(kind, tmp_path):
    """XML is recognised from content; a root that is no LEDES XML root is reported at its line.

    It is no LEDES file (format None), and reading it yields no invoice and the same one
    finding (it used to raise LedesInputError, an exit 2 for show and convert).
    """
    data, root_line = XML_FILES[kind]
    path = tmp_path / "upload.txt"
    path.write_bytes(data)
    report = ledes.validate_file(path)
    assert (report.format, report.invoices) == (None, 0)
    assert [(d.rule, d.line) for d in report.diagnostics] == [("structure.format-line", root_line)]
    assert "not a LEDES XML root" in report.diagnostics[0].message
    found: list[ledes.Diagnostic] = []
    assert list(ledes.iter_invoices(path, diagnostics=found)) == []
    assert [(d.rule, d.line, d.message) for d in found] == [(d.rule, d.line, d.message) for d in report.diagnostics]


OTHER_FILES = {
    "empty": b"",
    "binary": bytes(range(256)) * 8,
    "NUL-bytes": b"\x00" * 100,
    "ZIP-or-XLSX": _zip_bytes(),
    "gzip": gzip.compress(GOOD_BYTES),
    "UTF-16-no-BOM": GOOD_BYTES.decode("utf-8").encode("utf-16-le"),  # NULs on line 1: binary
    "PDF": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
}


@pytest.mark.parametrize("kind", sorted(OTHER_FILES))
def test_another_kind_of_file_gets_one_clear_diagnostic(kind, tmp_path):
    path = tmp_path / "upload.txt"
    path.write_bytes(OTHER_FILES[kind])
    report = ledes.validate_file(path)
    assert report.invoices == 0
    serious = [d for d in report.diagnostics if d.severity is not ledes.Severity.INFO]
    assert where(serious) == [("structure.format-line", 1, None)]
    assert [d.rule for d in report.diagnostics if d.severity is ledes.Severity.INFO] in ([], ["structure.encoding"])
    message = serious[0].message
    assert "\x00" not in message
    expected = {"ZIP": "ZIP", "PDF": "PDF", "empty": "empty", "binary": "binary", "NUL": "binary", "gzip": "binary", "UTF-16": "binary"}
    for prefix, word in expected.items():
        if kind.startswith(prefix):
            assert word in message


@pytest.mark.parametrize("kind", sorted(FILES_1998BI))
def test_a_1998bi_file_read_as_1998b_gets_one_clear_diagnostic(kind, tmp_path):
    path = tmp_path / "upload.txt"
    path.write_bytes(FILES_1998BI[kind])
    report = ledes.validate_file(path, format="1998b")
    assert (report.format, report.invoices) == ("LEDES1998B", 0)
    serious = [d for d in report.diagnostics if d.severity is not ledes.Severity.INFO]
    assert where(serious) == [("structure.format-line", 1, None)]
    assert "a LEDES 1998BI file, not LEDES 1998B" in serious[0].message
    assert [d.rule for d in report.diagnostics if d.severity is ledes.Severity.INFO] in ([], ["structure.encoding"])


@pytest.mark.parametrize("kind", sorted(FILES_1998BI))
def test_a_1998bi_file_is_detected_and_read_as_1998bi(kind, tmp_path):
    """Detected from its content, a 1998BI file is no longer refused: its own problems are reported."""
    path = tmp_path / "upload.txt"
    path.write_bytes(FILES_1998BI[kind])
    report = ledes.validate_file(path)
    assert report.format == "LEDES98BI"
    found = where(d for d in report.diagnostics if d.severity is not ledes.Severity.INFO)
    # the format line (V2, V5 or V32) is accepted; these headers are not the 52 names
    assert "structure.format-line" not in [rule for rule, _, _ in found]
    assert found[0] == ("structure.header", 2, None)
    assert "52 LEDES 1998BI field names" in next(d.message for d in report.diagnostics if d.rule == "structure.header")


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_a_utf16_file_with_a_byte_order_mark_is_read_with_a_note(encoding, bom, newline):
    """Excel's "Unicode text" is UTF-16: it is read, and the note says to save it as UTF-8."""
    data = bom + GOOD_BYTES.decode("utf-8").replace("\n", newline).encode(encoding)
    invoices, diagnostics = read_bytes(data)
    assert where(diagnostics) == [("structure.encoding", 1, None)]
    assert diagnostics[0].severity is ledes.Severity.INFO
    assert "UTF-16" in diagnostics[0].message
    expected_good(invoices)


def test_line_numbers_in_a_utf16_file():
    text = ledes_file(fee_row("1", "1"), fee_row("1", "2", {"LINE_ITEM_DATE": "bad", "LINE_ITEM_DESCRIPTION": "Straße ’"}))
    invoices, diagnostics = read_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    assert where(diagnostics) == [("structure.encoding", 1, None), ("field.date", 4, "LINE_ITEM_DATE")]
    assert items(invoices)[1].description == "Straße ’"


@pytest.mark.parametrize("name", ["lexitree_ledes98bi_good.txt", "lexitree_ledes98bi_greedy_bad.txt", "travisbashor_tests-data_ledes_98BI.txt"])
def test_the_98bi_samples_read_as_1998b_get_one_clear_diagnostic(name):
    """The 1998B reader refuses a 1998BI file in one line (ledes.validate_file detects and reads it as 1998BI)."""
    invoices, diagnostics = read_bytes((FIXTURES_1998BI / "invalid" / name).read_bytes())
    assert invoices == []
    assert where(diagnostics) == [("structure.format-line", 1, None)]
    assert "1998BI" in diagnostics[0].message


def test_a_file_with_a_wrong_format_line_and_a_wrong_header():
    text = ledes_file(fee_row("1", "1"), fee_row("1", "2")).replace("LEDES1998B[]", "LEDES1998Z[]").replace(HEADER, "INVALID_HEADERS[]")
    invoices, diagnostics = read_text(text)
    assert where(diagnostics) == [("structure.format-line", 1, None), ("structure.header", 2, None)]
    assert "LEDES1998Z[]" in diagnostics[0].message
    assert len(items(invoices)) == 2  # read in the standard column order


def test_a_whitespace_only_file():
    invoices, diagnostics = read_bytes(b"  \n\n")
    assert invoices == []
    assert rules(diagnostics)[0] == "structure.format-line"
    assert all(d.line in (1, 2) for d in diagnostics)


def test_leading_blank_lines_are_reported_and_counted():
    text = "\n \n" + ledes_file(fee_row("1", "1"), fee_row("1", "2", {"LINE_ITEM_DATE": "x"}))
    invoices, diagnostics = read_text(text)
    assert where(diagnostics) == [("structure.format-line", 1, None), ("field.date", 6, "LINE_ITEM_DATE")]
    assert [item.location.line for item in items(invoices)] == [5, 6]


def test_a_trailing_ctrl_z_is_ignored():
    invoices, diagnostics = read_bytes(GOOD_BYTES + b"\r\n\x1a")
    assert diagnostics == []
    expected_good(invoices)


# ------------------------------------------------------------------------------ line numbers


def test_line_numbers_are_physical_lines_whatever_the_line_ends():
    rows = [fee_row("1", "1"), fee_row("1", "2", {"LINE_ITEM_DATE": "19990230"}), fee_row("2", "1", {"TIMEKEEPER_CLASSIFICATION": "XX"})]
    for newline in ("\n", "\r\n", "\r"):
        data = b"\xef\xbb\xbf" + (ledes_file(*rows, newline=newline) + newline + newline).encode()
        _, diagnostics = read_bytes(data)
        assert where(diagnostics) == [("field.date", 4, "LINE_ITEM_DATE"), ("field.classification", 5, "TIMEKEEPER_CLASSIFICATION")], newline


def test_diagnostics_from_validate_file_carry_the_line_and_the_path(tmp_path):
    path = tmp_path / "bad.txt"
    text = ledes_file(fee_row("1", "1"), fee_row("1", "2", {"LINE_ITEM_TOTAL": "701"}))
    path.write_text(text.replace("\n", "\r\n"), encoding="utf-8")
    report = ledes.validate_file(path)
    found = {(d.rule, d.line) for d in report.diagnostics}
    assert ("arithmetic.line-total", 4) in found
    assert ("arithmetic.invoice-total", 3) in found
    assert all(d.location.path == str(path) for d in report.diagnostics)


def test_a_line_longer_than_the_limit_is_skipped_and_later_lines_keep_their_numbers(monkeypatch):
    limit = 600  # the header is 445 characters
    monkeypatch.setattr(textio, "MAX_LINE", limit)
    row = fee_row("1", "1")
    padding = limit - len(fee_row("1", "2", {"LINE_ITEM_DESCRIPTION": ""}))
    exact = fee_row("1", "2", {"LINE_ITEM_DESCRIPTION": "d" * padding})
    assert len(exact) == limit  # exactly the limit: kept
    long = fee_row("1", "3", {"LINE_ITEM_DESCRIPTION": "x" * 5000})
    over = fee_row("1", "3", {"LINE_ITEM_DESCRIPTION": "d" * (padding + 1)})
    text = ledes_file(row, exact, long, fee_row("1", "4", {"LINE_ITEM_DATE": "bad"}), over, fee_row("1", "5"))
    for newline in ("\n", "\r\n", "\r"):
        invoices, diagnostics = read_bytes(text.replace("\n", newline).encode())
        assert where(diagnostics) == [
            ("structure.line-length", 5, None), ("field.date", 6, "LINE_ITEM_DATE"), ("structure.line-length", 7, None),
        ], newline
        assert [item.location.line for item in items(invoices)] == [3, 4, 6, 8]
    # The last line, with no line end.
    invoices, diagnostics = read_text(ledes_file(row, long, final=False))
    assert where(diagnostics) == [("structure.line-length", 4, None)]
    invoices, diagnostics = read_text(ledes_file(row, exact, final=False))
    assert diagnostics == [] and len(items(invoices)) == 2


# ---------------------------------------------------------------------------------- streaming


class Tripwire(io.TextIOBase):
    """A text stream that fails the test if more than ``allowed`` lines are read."""

    def __init__(self, text: str, allowed: int) -> None:
        self.lines = text.splitlines(keepends=True)
        self.allowed = allowed
        self.read_lines = 0

    def readable(self) -> bool:
        return True

    def readline(self, size: int = -1) -> str:
        if self.read_lines >= len(self.lines):
            return ""
        if self.read_lines >= self.allowed:
            raise AssertionError(f"read line {self.read_lines + 1}, past line {self.allowed}")
        self.read_lines += 1
        return self.lines[self.read_lines - 1]

    def read(self, size: int = -1) -> str:
        """Whole lines, until at least ``size`` characters (all with a negative size), counted as ``readline`` counts them."""
        taken: list[str] = []
        length = 0
        while (size < 0 or length < size) and (line := self.readline()):
            taken.append(line)
            length += len(line)
        return "".join(taken)


def many_invoices(count: int, rows: int = 3) -> str:
    return ledes_file(*(fee_row(f"INV-{n}", str(r)) for n in range(count) for r in range(rows)))


# The reader may read ahead (it checks records in batches), but only by a bounded number
# of lines: far fewer than these files hold.
READ_AHEAD = 10_000


def test_the_reader_yields_an_invoice_before_reading_the_rest():
    stream = Tripwire(many_invoices(6000), allowed=READ_AHEAD)  # 18,002 lines
    sink = DiagnosticSink(None, Config().level_of, FIELD_NAMES)
    invoices = read_1998b(stream, sink.emit)
    first = next(invoices)
    assert first.number == "INV-0" and len(list(first.line_items)) == 3
    assert stream.read_lines < READ_AHEAD
    stream.allowed = len(stream.lines)
    assert sum(1 for _ in invoices) == 5999
    assert sink.diagnostics == []


def test_iter_invoices_streams_from_a_pipe(tmp_path):
    """The first invoice arrives while the writer still holds back the rest of the file."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    lines = many_invoices(6000).splitlines(keepends=True)
    head, rest = "".join(lines[:READ_AHEAD]), "".join(lines[READ_AHEAD:])
    release = threading.Event()
    state = {}

    def feed():
        with open(pipe, "wb") as out:
            out.write(head.encode())
            out.flush()
            state["released in time"] = release.wait(timeout=20)
            out.write(rest.encode())
            state["rest written"] = True

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    found = []
    invoices = ledes.iter_invoices(pipe, diagnostics=found)
    first = next(invoices)
    assert "rest written" not in state  # the first invoice came before the rest of the file existed
    assert first.number == "INV-0"
    release.set()
    assert [invoice.number for invoice in invoices] == [f"INV-{n}" for n in range(1, 6000)]
    feeder.join(timeout=20)
    assert state == {"released in time": True, "rest written": True}
    assert found == []


def test_iter_invoices_closes_the_file_when_abandoned(tmp_path):
    path = tmp_path / "many.txt"
    path.write_text(many_invoices(20), encoding="utf-8")
    invoices = ledes.iter_invoices(path)
    next(invoices)
    invoices.close()  # no ResourceWarning, no error
    assert list(ledes.iter_invoices(path))[-1].number == "INV-19"


def test_iter_invoices_hands_over_diagnostics_as_it_goes(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text(ledes_file(fee_row("1", "1", {"LINE_ITEM_DATE": "x"}), fee_row("2", "1"), fee_row("3", "1", {"LINE_ITEM_DATE": "y"})), encoding="utf-8")
    found = []
    invoices = ledes.iter_invoices(path, diagnostics=found)
    next(invoices)
    # What reading found so far is in the list when the invoice arrives (later lines too, if read ahead).
    assert ("field.date", 3) in [(d.rule, d.line) for d in found]
    list(invoices)
    assert [(d.rule, d.line) for d in found] == [("field.date", 3), ("field.date", 5)]


def test_load_raises_with_the_errors_and_their_lines(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text(ledes_file(fee_row("1", "1"), fee_row("1", "2", {"INVOICE_DATE": "19991332"})), encoding="utf-8")
    with pytest.raises(ledes.LedesInvalidFileError, match=r"bad.txt:4: invoice.consistent-fields|bad.txt:4: field.date") as raised:
        ledes.load(path)
    assert {(d.rule, d.line) for d in raised.value.diagnostics} >= {("field.date", 4)}


def test_values_are_typed():
    (invoice,), _ = read_bytes(GOOD_BYTES.split(b"\n19990225|96543")[0])
    assert invoice.date == date(1999, 2, 25)
    assert invoice.billing_start == date(1999, 1, 1) and invoice.billing_end == date(1999, 1, 31)
    assert invoice.client.id == "00711" and invoice.law_firm.id == "24-6437381"  # leading zeros kept
    assert invoice.matters[0].law_firm_matter_id == "0528"
    assert [item.type for item in invoice.line_items] == [LineItemType.FEE] * 3 + [LineItemType.EXPENSE] * 2
    expense = list(invoice.line_items)[3]
    assert expense.timekeeper is None and expense.task_code is None and expense.expense_code == "E111"


def test_record_helper_matches_the_header():
    assert record({}) == "|" * 23 + "[]"


# -------------------------------------------------------------------------------- large files
# Readers may check records in batches and cache conversions per distinct text: what they
# report, and where, must not depend on where a batch ends or whether a cache is full.


def test_an_invoice_of_many_rows_and_invoices_around_it():
    rows = [fee_row("A", "1")]
    rows += [fee_row("B", str(n)) for n in range(5000)]
    rows[3000] = fee_row("B", "2999x", {"INVOICE_TOTAL": "701"})  # line 3003: disagrees with B's first row
    rows[4000] = fee_row("B", "3999x", {"LINE_ITEM_DATE": "19990231"})  # line 4003
    rows += [fee_row("A", "2"), fee_row("C", "1", {"LINE_ITEM_DATE": "x"})]  # A again on line 5004
    invoices, diagnostics = read_text(ledes_file(*rows))
    assert [invoice.number for invoice in invoices] == ["A", "B", "A", "C"]
    assert [len(list(invoice.line_items)) for invoice in invoices] == [1, 5000, 1, 1]
    assert where(diagnostics) == [
        ("invoice.consistent-fields", 3003, "INVOICE_TOTAL"),
        ("field.date", 4003, "LINE_ITEM_DATE"),
        ("invoice.non-contiguous", 5004, None),
        ("field.date", 5005, "LINE_ITEM_DATE"),
    ]
    b = invoices[1]
    assert b.total == Decimal(700)  # the first row's value
    assert [item.location.line for item in b.line_items] == list(range(4, 5004))


def test_many_distinct_values_are_all_converted_and_checked():
    count = 20_000
    rows = []
    for n in range(count):
        changes = {"LINE_ITEM_TOTAL": f"{n}.", "LINE_ITEM_UNIT_COST": f"{n}.25", "LINE_ITEM_DESCRIPTION": f"d{n}"}
        if n % 997 == 0:
            changes["LINE_ITEM_NUMBER_OF_UNITS"] = f"{n},5"
        rows.append(fee_row("1", str(n), changes))
    invoices, diagnostics = read_text(ledes_file(*rows))
    all_items = items(invoices)
    assert len(all_items) == count
    assert all(item.total == Decimal(n) and item.unit_cost == Decimal(f"{n}.25") for n, item in enumerate(all_items))
    assert all(item.spellings == {"total": f"{n}."} for n, item in enumerate(all_items))
    bad = [n for n in range(count) if n % 997 == 0]
    assert where(diagnostics) == [("field.number", n + 3, "LINE_ITEM_NUMBER_OF_UNITS") for n in bad]
    assert all(all_items[n].units == Unparsed(f"{n},5") for n in bad)
    assert ledes.dumps(invoices) == ledes_file(*rows)


def test_repeated_invalid_values_are_reported_on_every_row():
    rows = [fee_row("1", str(n), {"LINE_ITEM_DATE": "19990230", "TIMEKEEPER_CLASSIFICATION": "XX"}) for n in range(5000)]
    _, diagnostics = read_text(ledes_file(*rows))
    assert len(diagnostics) == 10_000
    assert {(d.rule, d.line) for d in diagnostics} == {
        (rule, n + 3) for n in range(5000) for rule in ("field.date", "field.classification")
    }
