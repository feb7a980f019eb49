"""Reading a CSV or Excel (.xlsx) export as numbered rows of text cells, streaming."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import os
import warnings
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import attrs

from ledes.errors import LedesConfigError, LedesInputError
from ledes.importing.mapping import SourceSettings
from ledes.importing.xlsxcheck import check_sheet, check_workbook
from ledes.limits import MAX_COLUMNS, MAX_CSV_LINE

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the binary .xls of Excel 97-2003


@attrs.frozen
class SourceRows:
    """A source's header, its data rows as (row number, cells as text), whether it is a workbook, its broken rows."""

    header: tuple[str, ...]
    rows: Iterator[tuple[int, list[str]]]
    workbook: bool
    # Rows the reading found broken, by row number, with why (filled as rows are read): not taken as they stand.
    broken: dict[int, str] = attrs.field(factory=dict)


@contextlib.contextmanager
def open_rows(path: str | os.PathLike[str], mapping: SourceSettings) -> Iterator[SourceRows]:
    """Open a CSV or XLSX export (recognised by its first bytes); raises LedesInputError when it cannot be read."""
    try:
        with open(path, "rb") as binary:
            head = binary.read(4)
    except IsADirectoryError:
        raise LedesInputError(f"cannot read '{path}': it is a directory") from None
    except OSError as error:
        raise LedesInputError(f"cannot read '{path}': {error.strerror or error}") from None
    if head == _OLE:
        raise LedesInputError(f"cannot read '{path}': it is an Excel 97-2003 .xls workbook; save it as .xlsx or CSV")
    if head == _ZIP:
        with _workbook_rows(path, mapping) as rows:
            yield rows
        return
    with _csv_rows(path, mapping, _marked_encoding(head, mapping.encoding)) as rows:
        yield rows


# A byte-order mark names its encoding beyond doubt (a spreadsheet's "Unicode text" export is UTF-16 with one); the
# UTF-32 marks begin with the UTF-16 ones, so they are looked for first.
_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
          (codecs.BOM_UTF16_BE, "utf-16"))


def _marked_encoding(head: bytes, encoding: str) -> str:
    """The encoding a CSV export is read in: the one its byte-order mark names, when the mapping names UTF-8 (as it
    does unless told otherwise); else the mapping's."""
    if codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig"):
        return encoding
    return next((marked for mark, marked in _MARKS if head.startswith(mark)), encoding)


@contextlib.contextmanager
def _csv_rows(path: str | os.PathLike[str], mapping: SourceSettings, encoding: str) -> Iterator[SourceRows]:
    with open(path, encoding=encoding, errors=_errors(encoding), newline="") as stream:
        fed: list[list[str]] = [[]]  # the lines of the record being read
        lines = _bounded_lines(stream, path, fed)
        try:
            sample = list(itertools.islice(lines, SNIFFED_LINES))
        except UnicodeError as error:  # a decoding error, or a codec's own (utf-16 without a BOM)
            raise LedesInputError(_not_text(path, encoding, error)) from None
        delimiter = mapping.delimiter or sniff_delimiter("".join(sample), complete=len(sample) < SNIFFED_LINES)
        fed[0] = []  # the sample's lines are kept again as the records read them
        reader = csv.reader(itertools.chain(_kept(sample, fed), lines), delimiter=delimiter)
        header = next(reader, [])
        if len(header) > MAX_COLUMNS:
            raise LedesInputError(f"cannot read '{path}': its header has {len(header):,} columns, over the limit"
                                  f" of {MAX_COLUMNS:,}")
        names = tuple(name.strip() for name in header)
        broken: dict[int, str] = {}
        yield SourceRows(names, _csv_records(reader, path, encoding, _Record(fed, delimiter, names, broken)),
                         False, broken)


def _bounded_lines(stream, path: str | os.PathLike[str], fed: list[list[str]]) -> Iterator[str]:
    """The lines of a text stream, each read within ``MAX_CSV_LINE`` characters (LedesInputError for a longer one),
    each also kept in ``fed[0]``, the lines of the record being read."""
    number = 0
    while line := stream.readline(MAX_CSV_LINE + 1):
        number += 1
        if len(line) > MAX_CSV_LINE:
            raise LedesInputError(f"cannot read '{path}': line {number} is longer than {MAX_CSV_LINE:,} characters,"
                                  " the limit for a line of an export")
        fed[0].append(line)
        yield line


SNIFFED_LINES = 21  # the header and the first data lines, read to find the delimiter
DELIMITERS = (",", ";", "\t", "|")


def sniff_delimiter(sample: str, complete: bool = True) -> str:
    """The delimiter of a CSV whose first lines are ``sample`` (all of the file when ``complete``): of comma,
    semicolon, tab and '|', the one that splits the header into the most fields and each data row of the sample into
    as many (a semicolon export whose header names "Name, Vorname" is still read by its semicolons); comma when none
    splits the header.

    Candidates are ranked by how many data rows have the header's width, then by the header's width: a delimiter that
    happens to be in a column's name splits the header, but not the data rows, alike.
    """
    best, best_rank = ",", (-1, 0)
    for delimiter in DELIMITERS:
        try:
            records = [record for record in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
                       if any(cell.strip() for cell in record)]
        except csv.Error:
            continue
        if not complete and len(records) > 1:
            records.pop()  # the sample may end inside the last record
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        rank = (sum(len(record) == width for record in records[1:]), width)
        if rank > best_rank:
            best, best_rank = delimiter, rank
    return best


def _kept(lines: Iterable[str], fed: list[list[str]]) -> Iterator[str]:
    """The lines (the sample read to find the delimiter), each also kept in ``fed[0]``, the lines of the record being
    read."""
    for line in lines:
        fed[0].append(line)
        yield line


@attrs.define
class _Record:
    """What the reading of records needs to tell a quote left open at the end of the file."""

    fed: list[list[str]]
    delimiter: str
    header: tuple[str, ...]
    broken: dict[int, str]


def _csv_records(reader, path: str | os.PathLike[str], encoding: str, record: _Record) -> Iterator[tuple[int, list[str]]]:
    """Each record with the physical line it starts on. The last is handed on once the file is known to end after
    it: a quote left open there has taken in the rest of the file, and the row is listed in ``record.broken``."""
    start = reader.line_num + 1
    fed = record.fed
    held: tuple[int, list[str]] | None = None
    lines: list[str] = []
    fed[0] = []
    try:
        for cells in reader:
            if held is not None:
                yield held
            held = start, cells
            lines, fed[0] = fed[0], []
            start = reader.line_num + 1
    except UnicodeError as error:  # a decoding error, or a codec's own (utf-16 without a BOM)
        raise LedesInputError(_not_text(path, encoding, error)) from None
    except csv.Error as error:
        raise LedesInputError(f"cannot read '{path}': line {start}: {error}") from None
    if held is None:
        return
    opened = open_quote(lines, record.delimiter)
    if opened is not None:
        cell, line = opened
        column = f"column '{record.header[cell]}'" if cell < len(record.header) else f"cell {cell + 1:,}"
        rest = len(lines) - line
        record.broken[held[0]] = (f"the quote (\") that opens {column} on line {held[0] + line:,} is never closed:"
                                  f" the file ends inside it, and that cell holds the rest of the file"
                                  f" ({rest:,} line{'s' if rest != 1 else ''}); close the quote, or double it (\"\")"
                                  " if it is part of the text")
    yield held


def open_quote(lines: list[str], delimiter: str) -> tuple[int, int] | None:
    """Where the quote left open in a record's raw ``lines`` begins, as csv.reader reads them (a quote opens a cell
    only at its start, ``""`` inside one is a quote): the index of its cell and of its line; None when none is."""
    cell, quoted, at_start, opened = 0, False, True, (0, 0)
    for number, line in enumerate(lines):
        index, end = 0, len(line)
        while index < end:
            char = line[index]
            if quoted:
                if char == '"':
                    if line.startswith('"', index + 1):
                        index += 1
                    else:
                        quoted = False
            elif char == delimiter:
                cell, at_start = cell + 1, True
                index += 1
                continue
            elif char == '"' and at_start:
                quoted, opened = True, (cell, number)
            at_start = False
            index += 1
    return opened if quoted else None


def _errors(encoding: str) -> str:
    """How undecodable bytes are read: Windows-1252's five undefined bytes as the C1 controls Latin-1 gives them (each
    a bad row then, ``field.control-character``, as the 1998B reader reports them), not the whole file refused."""
    import codecs

    from ledes.formats import textio  # registers "ledes-latin1"

    try:
        windows = codecs.lookup(encoding).name == "cp1252"
    except LookupError:
        return "strict"  # an unknown encoding: open() says so
    return textio.LATIN1_FALLBACK if windows else "strict"


def _not_text(path: str | os.PathLike[str], encoding: str, error: UnicodeError) -> str:
    reason = error.reason if isinstance(error, UnicodeDecodeError) else str(error)
    return (f"cannot read '{path}': it is not {encoding} text ({reason}); name its encoding in the mapping"
            " (source.encoding = \"cp1252\", say)")


@contextlib.contextmanager
def _workbook_rows(path: str | os.PathLike[str], mapping: SourceSettings) -> Iterator[SourceRows]:
    """The rows of a workbook's sheet; openpyxl's own warnings (a date cell out of range) are not printed: the cell's
    value is what the row's checks report on."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with _read_workbook(path, mapping) as rows:
            yield rows


@contextlib.contextmanager
def _read_workbook(path: str | os.PathLike[str], mapping: SourceSettings) -> Iterator[SourceRows]:
    from openpyxl import load_workbook  # only for workbooks: CSV imports do without it

    check_workbook(path)  # a bomb, a DTD or an oversized row is refused before openpyxl reads a byte
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError and its own errors for a damaged file
        raise LedesInputError(f"cannot read '{path}' as an Excel workbook: {error}") from None
    try:
        if mapping.sheet is None:
            sheet = workbook.worksheets[0]
        elif mapping.sheet in workbook.sheetnames:
            sheet = workbook[mapping.sheet]
        else:
            raise LedesConfigError(f"{mapping.path}: source.sheet: no sheet '{mapping.sheet}' in '{path}'"
                                   f" (its sheets: {', '.join(workbook.sheetnames)})")
        check_sheet(path, _part_name(sheet))  # its rows, under the name openpyxl reads it by, whatever that is
        values = _guarded(_sheet_rows(sheet, path), path)
        header = tuple(cell_text(value).strip() for value in next(values, ()))
        if len(header) > MAX_COLUMNS:
            raise LedesInputError(f"cannot read '{path}': its header has {len(header):,} columns, over the limit"
                                  f" of {MAX_COLUMNS:,}")
        numbered = ((number, [cell_text(value) for value in row]) for number, row in enumerate(values, start=2))
        yield SourceRows(header, numbered, True)
    finally:
        workbook.close()


def _sheet_rows(sheet: Any, path: str | os.PathLike[str]) -> Iterator[tuple]:
    """Every row of a read-only sheet, by its number (an empty one for each number the sheet skips), its cells' values.

    openpyxl's own iteration stops at the last row and column the sheet's ``<dimension>``
    declares, and passes over a row numbered before the one it follows: a stale declaration
    (A1:N10 over 31 rows) or a row out of order would drop rows unreported. Here every row is
    read, and a row out of order is refused (LedesInputError) rather than dropped or moved.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = sheet.parent
    expected = 1
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=True, epoch=workbook.epoch,
                                 date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
        for number, cells in parser.parse():
            if number < expected:
                raise LedesInputError(f"cannot read '{os.fsdecode(path)}': its sheet's row {number:,} comes after row"
                                      f" {expected - 1:,} (rows out of order: a damaged or hand-edited workbook); open"
                                      " it in Excel and save it again")
            for _ in range(expected, number):
                yield ()
            values: list[object] = [None] * max((cell["column"] for cell in cells), default=0)
            for cell in cells:
                values[cell["column"] - 1] = cell["value"]
            yield tuple(values)
            expected = number + 1


def _part_name(sheet: object) -> str:
    """The archive part openpyxl streams ``sheet`` from: the workbook's relationships name it, not a convention."""
    name = getattr(sheet, "_worksheet_path", None)  # openpyxl's ReadOnlyWorksheet; every workbook test needs it
    if not isinstance(name, str):
        raise LedesInputError("openpyxl no longer says which part of a workbook a sheet is read from")
    return name


def _guarded(rows: Iterator[tuple], path: str | os.PathLike[str]) -> Iterator[tuple]:
    """The rows openpyxl reads, a damaged part (not well-formed XML, say) a LedesInputError instead of its exception."""
    try:
        yield from rows
    except LedesInputError:
        raise
    except Exception as error:  # openpyxl raises ParseError, KeyError, ValueError and its own errors for a damaged sheet
        raise LedesInputError(f"cannot read '{path}' as an Excel workbook: {error}") from None


def cell_text(value: object) -> str:
    """A workbook cell as text, keeping every digit: 1001 for a whole number, 0.1 (not 0.1000000001) for a float.

    A date cell is written ISO 8601 (``2024-03-05``), the form the date reader always accepts for workbooks.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        shortest = repr(value)  # the shortest text that reads back as the same float
        return format(Decimal(shortest), "f") if "e" in shortest else shortest
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def is_blank(cells: list[str]) -> bool:
    """True for a row with no text in any cell."""
    return not "".join(cells).strip()

