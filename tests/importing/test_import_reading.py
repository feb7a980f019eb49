"""Reading exports as they come: delimiters, decimal commas, workbook cells as text, and grouping in bounded memory."""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import pickle
import random
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal

import pytest
from conftest import MINIMAL_HEADER, SAMPLES, XLSX_EXPORT, run_import
from openpyxl import load_workbook

import ledes
from ledes.importing import grouping, import_file
from ledes.importing.entries import Entry
from ledes.importing.grouping import EntrySorter
from ledes.importing.mapping import load_mapping
from ledes.importing.sources import cell_text, sniff_delimiter
from ledes.importing.values import ValueReader

EURO_HEADER = "Date;Client;Matter;TK;Name;Class;Hours;Rate;Amount;Task;Activity;Code;Text"
EURO_ROWS = [
    "05.03.2024;0042;M-1;T1;Doe, Jane;PARTNR;1,5;1.250,00;1.875,00;L110;A101;;Entwurf der Klageerwiderung",
    "06.03.2024;0042;M-1;;;;;;12,40;;;E107;Kurier an das Landgericht",
]


@pytest.mark.parametrize(("header", "delimiter"), [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"),
                                                   ("Date", ",")])
def test_the_delimiter_is_sniffed_from_the_header(header, delimiter):
    """Comma, semicolon or tab, found on the header line; a single column reads as comma-separated."""
    assert sniff_delimiter(header + "\r\n") == delimiter


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
def test_a_delimiter_inside_a_column_name_does_not_fool_the_sniffing(delimiter):
    """A semicolon export whose header names "Name, Vorname" splits on ';': the data rows split alike on it only."""
    other = "," if delimiter != "," else ";"
    header = delimiter.join(["Datum", f"Name{other} Vorname", f"Satz (EUR{other} netto)", "Stunden", "Text"])
    row = delimiter.join(["04.03.2024", f"Arnsley{other} Robert", "1.250,00", "2,5", "Akte geprueft"])
    assert sniff_delimiter(f"{header}\r\n{row}\r\n{row}\r\n") == delimiter
    assert sniff_delimiter(f"{header}\r\n") == delimiter  # the header alone: the most fields


def test_a_semicolon_export_with_a_comma_in_a_column_name_imports(minimal):
    """End to end: the sniffed ';' finds every mapped column, one of them named with a comma; an explicit
    source.delimiter is still taken as given."""
    export, mapping = minimal(EURO_ROWS,
                              header=EURO_HEADER.replace(";Name;", ";Name, Vorname;"))
    text = mapping.read_text(encoding="utf-8").replace('name = "Name"', 'name = "Name, Vorname"')
    text = text.replace('[source]\ndate_formats = ["%Y-%m-%d"]',
                        '[source]\ndate_formats = ["%d.%m.%Y"]\ndecimal = ","\nthousands = "."')
    mapping.write_text(text, encoding="utf-8")
    result = run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "2 rows: 2 on 1 invoice" in result.stdout
    mapping.write_text(text.replace("[source]\n", '[source]\ndelimiter = ","\n'), encoding="utf-8")
    result = run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run")
    assert result.exit_code == 2 and "columns.date: expected a column" in result.output


def test_semicolons_decimal_commas_and_thousands_dots_import(minimal, tmp_path):
    """A European export: ';' found by sniffing, 1.250,00 read with the mapping's decimal and thousands marks."""
    source = '[source]\ndate_formats = ["%d.%m.%Y"]\ndecimal = ","\nthousands = "."'
    export, mapping = minimal(EURO_ROWS, header=EURO_HEADER)
    mapping.write_text(mapping.read_text(encoding="utf-8").replace('[source]\ndate_formats = ["%Y-%m-%d"]', source),
                       encoding="utf-8")
    out = tmp_path / "out.txt"
    result = run_import(export, "--mapping", mapping, "-o", out, "--to", "1998b")
    assert result.exit_code == 0, result.output
    (invoice,) = ledes.load(out)
    assert invoice.client.id == "0042"
    assert invoice.total == Decimal("1875.00") + Decimal("12.40")
    fee, expense = invoice.line_items
    assert (fee.units, fee.unit_cost, fee.date) == (Decimal("1.5"), Decimal("1250.00"), date(2024, 3, 5))
    assert (expense.units, expense.unit_cost, expense.total) == (1, Decimal("12.40"), Decimal("12.40"))


def test_a_utf8_bom_is_not_part_of_the_first_column(minimal, tmp_path):
    """Excel's 'CSV UTF-8' starts with a BOM; the first header still matches the mapping."""
    export, mapping = minimal(["2024-03-01,C1,M1,T1,\"Doe, Jane\",ASSOC,1.0,200,,L110,A101,,Draft letter"])
    export.write_bytes(b"\xef\xbb\xbf" + export.read_bytes())
    result = run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_a_byte_order_mark_names_the_encoding_of_an_export(minimal, encoding):
    """A spreadsheet's "Unicode text" export is UTF-16 with a byte-order mark: read as such, as the UTF-8 one is."""
    export, mapping = minimal(["2024-03-01,C1,M1,T1,\"Doe, Jane\",ASSOC,1.0,200,,L110,A101,,Caf\xe9 meeting"])
    plain = run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run")
    mark = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00"}[encoding]
    export.write_bytes(mark + export.read_text(encoding="utf-8").encode(encoding))
    marked = run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run")
    assert marked.exit_code == plain.exit_code == 0, marked.output
    assert marked.stdout == plain.stdout


def test_bytes_that_are_not_the_encoding_are_a_read_error(minimal):
    """A file that is not UTF-8 (and a mapping that does not say cp1252) stops with exit 2 and the line."""
    export, mapping = minimal(["2024-03-01,C1,M1,T1,\"Doe, Jane\",ASSOC,1.0,200,,L110,A101,,Caf\xe9 meeting"])
    export.write_bytes(export.read_text(encoding="utf-8").encode("cp1252"))
    result = run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run")
    assert result.exit_code == 2 and "it is not utf-8-sig text" in result.stderr
    mapping.write_text(mapping.read_text(encoding="utf-8").replace("[source]", '[source]\nencoding = "cp1252"'),
                       encoding="utf-8")
    assert run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run").exit_code == 0


def test_a_byte_windows_1252_leaves_undefined_is_a_bad_row_not_an_unreadable_file(minimal):
    """0x81 in a cp1252 export: that row is bad (the control character U+0081 it reads as, as the 1998B reader reads
    it), the file is read; it was refused whole, with advice to name the cp1252 it named already."""
    export, mapping = minimal(["2024-03-01,C1,M1,T1,\"Doe, Jane\",ASSOC,1.0,200,,L110,A101,,Caf\xe9 meeting",
                               "2024-03-02,C1,M1,T1,\"Doe, Jane\",ASSOC,1.0,200,,L110,A101,,Draft XXletter"])
    export.write_bytes(export.read_text(encoding="utf-8").encode("cp1252").replace(b"XX", b"\x81"))
    mapping.write_text(mapping.read_text(encoding="utf-8").replace("[source]", '[source]\nencoding = "cp1252"'),
                       encoding="utf-8")
    result = run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run")
    assert result.exit_code == 1, result.output
    assert "bad row" in result.output and "U+0081" in result.output and "cannot read" not in result.stderr
    assert "1 bad row" in result.output


@pytest.mark.parametrize("encoding", ["utf-16", "punycode"])
def test_a_codec_that_refuses_the_bytes_its_own_way_is_a_read_error(minimal, encoding):
    """A codec's own UnicodeError (UTF-16 without a BOM, punycode's syntax) is the same one-line read error."""
    export, mapping = minimal(["2024-03-01,C1,M1,T1,\"Doe, Jane\",ASSOC,1.0,200,,L110,A101,,Draft letter"])
    mapping.write_text(mapping.read_text(encoding="utf-8").replace("[source]", f'[source]\nencoding = "{encoding}"'),
                       encoding="utf-8")
    result = run_import(export, "--mapping", mapping, "--to", "1998b", "--dry-run")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"ledes: error: cannot read '{export}': it is not {encoding} text (")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), ("00711", "00711"), (1001, "1001"), (1001.0, "1001"), (0.1, "0.1"), (2.05, "2.05"),
    (1e-05, "0.00001"), (datetime(2024, 3, 5), "2024-03-05"), (date(2024, 3, 5), "2024-03-05"), (True, "TRUE"),
])
def test_workbook_cells_are_read_as_text_without_losing_digits(value, text):
    """Whole numbers lose no digits to a '.0', floats keep their shortest spelling, dates are ISO."""
    assert cell_text(value) == text


def test_numbers_and_dates_follow_the_mapping(tmp_path):
    """Signs, decimal marks and thousands groups are checked, not guessed; unknown spellings are None."""
    mapping = tmp_path / "m.toml"
    mapping.write_text('[source]\ndate_formats = ["%m/%d/%Y", "%Y%m%d"]\nthousands = ","\n[columns]\ndate = "D"\n'
                       'law_firm_matter_id = "M"\nhours = "H"\nclient_id = "C"\n[defaults]\nlaw_firm_id = "X"\n',
                       encoding="utf-8")
    values = ValueReader(load_mapping(mapping), workbook=False)
    assert values.number("1,250.50") == Decimal("1250.50")
    assert values.number("-0.5") == Decimal("-0.5")
    for bad in ("1,25.0", "$5", "1e3", "NaN", "", "1.2.3"):
        assert values.number(bad) is None, bad
    assert values.date("03/05/2024") == date(2024, 3, 5) == values.date("20240305")
    assert values.date("2024-03-05") is None  # a CSV date in a format the mapping does not name
    assert ValueReader(load_mapping(mapping), workbook=True).date("2024-03-05") == date(2024, 3, 5)


def entry(period: int, client: str, matter: str, row: int) -> Entry:
    return Entry(period, client, matter, row, None, date(2024, 1, 1), "F", Decimal(1), Decimal(100), Decimal(100),
                 None, None, None, None, "T", "Doe, Jane", "ASSOC")


@pytest.mark.parametrize("run_size", [64, 10_000])
def test_invoices_come_as_the_groups_of_one_sort(run_size):
    """Spilled to disk every few entries or held in memory, the invoices and their lines are a plain sort's groups."""
    rng = random.Random(7)
    entries = [entry(rng.randrange(3), rng.choice("AB"), rng.choice("XYZ"), row) for row in range(2, 1000)]
    rng.shuffle(entries)
    with EntrySorter(run_size=run_size) as sorter:
        for item in entries:
            sorter.add(item)
        assert len(sorter.runs) == len(entries) // run_size
        groups = list(sorter.invoices())
    assert groups == [list(group) for _, group in itertools.groupby(sorted(entries), key=lambda item: item[:3])]


def test_a_spilled_batch_holds_at_most_the_batch_size(monkeypatch):
    """The merge holds one batch of each run: a batch is filled to the batch size across invoices, never beyond it."""
    monkeypatch.setattr(grouping, "_BATCH", 7)
    rng = random.Random(3)
    entries = [entry(0, rng.choice("AB"), rng.choice("VWXYZ"), row) for row in range(2, 400)]
    with EntrySorter(run_size=50) as sorter:
        for item in entries:
            sorter.add(item)
        for run in sorter.runs:
            sizes = []
            with contextlib.suppress(EOFError):
                while True:
                    sizes.append(sum(len(columns[0]) for _, columns in pickle.load(run)))
            run.seek(0)
            assert sizes[:-1] == [7] * (len(sizes) - 1) and 0 < sizes[-1] <= 7
        groups = list(sorter.invoices())
    assert groups == [list(group) for _, group in itertools.groupby(sorted(entries), key=lambda item: item[:3])]


def test_one_invoice_per_matter_spans_its_entries_and_a_fixed_invoice_date(minimal, tmp_path):
    """per = "matter" makes one invoice per matter from its first to its last entry, dated as the mapping says."""
    rows = ["2024-01-15,C1,M1,T1,\"Doe, Jane\",ASSOC,1.0,200,,L110,A101,,Draft the complaint",
            "2024-03-02,C1,M1,T1,\"Doe, Jane\",ASSOC,2.0,200,,L110,A101,,Revise the complaint"]
    export, mapping = minimal(rows, extra='[invoice]\nper = "matter"\nnumber = "{client}-{matter}-{counter}"\n'
                                          'date = 2024-03-10\n')
    out = tmp_path / "out.txt"
    assert run_import(export, "--mapping", mapping, "-o", out, "--to", "1998b").exit_code == 0
    (invoice,) = ledes.load(out)
    assert invoice.number == "C1-M1-1"
    assert (invoice.billing_start, invoice.billing_end, invoice.date) == (date(2024, 1, 15), date(2024, 3, 2),
                                                                          date(2024, 3, 10))


def test_the_committed_workbook_is_what_make_xlsx_writes(tmp_path):
    """fixtures/import/make_xlsx.py and the .xlsx beside it hold the same cells."""
    spec = importlib.util.spec_from_file_location("make_xlsx", SAMPLES / "make_xlsx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = tmp_path / "fresh.xlsx"
    module.build(fresh)

    def cells(path):
        workbook = load_workbook(path, read_only=True, data_only=True)
        found = {name: list(workbook[name].iter_rows(values_only=True)) for name in workbook.sheetnames}
        workbook.close()
        return found

    assert cells(fresh) == cells(XLSX_EXPORT)


def test_openpyxl_warnings_about_a_cell_stay_off_stderr(minimal, tmp_path):
    """A date-formatted cell out of Excel's range makes openpyxl warn; the row's own check reports it, nothing raw."""
    from openpyxl import Workbook

    _, mapping = minimal([])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(MINIMAL_HEADER.split(","))
    sheet.append(["2024-03-01", "C1", "M1", "T1", "Doe, Jane", "ASSOC", 1.0, 200, None, "L110", "A101", None, "Draft"])
    sheet.append([2958466, "C1", "M1", "T1", "Doe, Jane", "ASSOC", 1.0, 200, None, "L110", "A101", None, "Draft"])
    sheet["A3"].number_format = "yyyy-mm-dd"
    export = tmp_path / "export.xlsx"
    workbook.save(export)
    result = subprocess.run([sys.executable, "-m", "ledes_cli", "import", str(export), "--mapping", str(mapping),
                             "--to", "1998b", "--dry-run"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr  # (a real process: pytest would catch the warning itself)
    assert "Warning" not in result.stderr and "openpyxl" not in result.stderr, result.stderr
    assert f"{export}:3: bad row" in result.stdout


def _workbook_with_sheet(tmp_path, change):
    """The shipped workbook with its data sheet's XML changed by ``change`` (text to text)."""
    import zipfile

    changed = tmp_path / "changed.xlsx"
    with zipfile.ZipFile(XLSX_EXPORT) as source, zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet2.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            target.writestr(member, data)
    return changed


def test_a_stale_sheet_dimension_drops_no_row(tmp_path):
    """openpyxl stops at the last row a sheet's <dimension> declares: the import reads every row the sheet holds."""
    stale = _workbook_with_sheet(tmp_path, lambda text: text.replace('ref="A1:N31"', 'ref="A1:N10"'))
    rules = {"guidelines": str(SAMPLES / "hexcorp-guidelines.toml"), "dry_run": True}
    whole = import_file(XLSX_EXPORT, SAMPLES / "marlow-stanton.toml", **rules)
    result = import_file(stale, SAMPLES / "marlow-stanton.toml", **rules)
    assert (result.rows, len(result.invoices), result.total) == (whole.rows, len(whole.invoices), whole.total) == (
        30, 6, Decimal("15996.90"))


def test_a_sheet_row_out_of_order_is_refused_not_dropped(tmp_path):
    """A row numbered after one it precedes would be passed over by openpyxl: the import refuses the workbook."""
    jumped = _workbook_with_sheet(tmp_path, lambda text: text.replace('<row r="11"', '<row r="40"', 1))
    with pytest.raises(ledes.LedesInputError, match="row 12 comes after row 40 .rows out of order"):
        import_file(jumped, SAMPLES / "marlow-stanton.toml", dry_run=True)


def test_a_source_that_is_a_pipe_is_refused_in_one_line(tmp_path):
    """import reads its source more than once: a FIFO blocked it forever, ``<(cat export.csv)`` read garbage headers."""
    import os

    fifo = tmp_path / "export.fifo"
    os.mkfifo(fifo)
    result = run_import(fifo, "--mapping", SAMPLES / "harbor-finch.toml", "--to", "1998b", "--dry-run")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "it is a pipe or device, not a file" in result.stderr
