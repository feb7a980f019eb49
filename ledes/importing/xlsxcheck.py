"""Checking an untrusted .xlsx workbook before openpyxl reads it: bounded parts, no DTD or entity, rows of bounded size.

An .xlsx file is a ZIP archive of XML parts, and a small one can hold a bomb: a part that
inflates to gigabytes, 30 million shared strings (which openpyxl holds in memory), a
header row of 10 million cells (which it builds whole), or an XML document type whose
entities it would expand. A part's name proves nothing (the workbook's relationships may
point a sheet at ``sheet2.XML`` or ``data.bin``), so every part of the archive an XML parser
could read is inflated once, in chunks, and checked here, whatever its name; the sheet
openpyxl is about to stream is checked again by ``check_sheet`` under the name openpyxl
gives it. A workbook that breaks a limit (``ledes.limits``) is refused with a LedesInputError.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import zipfile
from collections.abc import Iterator

from ledes.errors import LedesInputError
from ledes.importing.xlsxparts import READ_WHOLE_NAMES, RELATIONSHIPS, part_roles
from ledes.limits import (
    MAX_XLSX_PART_BYTES,
    MAX_XLSX_ROW_BYTES,
    MAX_XLSX_SHARED_STRINGS_BYTES,
    MAX_XLSX_TOTAL_BYTES,
    MAX_XLSX_WHOLE_PART_BYTES,
)

_CHUNK = 1 << 20
_DOCTYPE = (b"<!DOCTYPE", b"<!ENTITY")
# The first bytes by which expat or libxml2 take a document for UTF-16, UTF-32 or EBCDIC, where a search of
# its bytes for "<!DOCTYPE" or "<row" would find nothing.
_NOT_UTF8 = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<", b"\x00\x00\x00<", b"\x00\x00<\x00", b"\x00\x00\xfe\xff",
             b"\x4c\x6f\xa7\x94")
_BOM = b"\xef\xbb\xbf"
_BLANK = b" \t\r\n"
_DECLARATION = re.compile(rb"<\?xml(?P<body>[^>]*)\?>")
_ENCODING = re.compile(rb"""\sencoding\s*=\s*["']([^"']*)["']""")
# Encodings in which every ASCII character is its own byte and no other byte sequence reads as one.
_ASCII_SAFE = ("utf-8", "ascii", "latin-1", "iso8859-", "cp125")
_HIDING = ((b"<!--", "an XML comment"), (b"<![CDATA[", "a CDATA section"))
_ROW_ENDS = (b" ", b"\t", b"\r", b"\n", b"/", b">")  # what follows "<row" in a row's tag


def check_workbook(path: str | os.PathLike[str]) -> None:
    """Raise LedesInputError when the workbook at ``path`` breaks a limit or holds a DTD; each part is read in chunks."""
    with _archive(path) as archive:
        members = [member for member in archive.infolist() if not member.is_dir()]
        total = sum(member.file_size for member in members)
        if total > MAX_XLSX_TOTAL_BYTES:
            raise LedesInputError(_refused(path, f"its parts inflate to {total:,} bytes in all, over the limit of"
                                                 f" {MAX_XLSX_TOTAL_BYTES:,}"))
        xml = []
        for member in members:
            if member.flag_bits & 0x1:  # zipfile would raise RuntimeError for want of a password
                raise LedesInputError(_refused(path, f"its part {member.filename} is encrypted"))
            _check_size(member, MAX_XLSX_PART_BYTES, path)
            if _check_part(archive, member, path, is_sheet=_checked_as_sheet(member.filename)):
                xml.append(member)
                if member.filename in READ_WHOLE_NAMES or member.filename.endswith(RELATIONSHIPS):
                    _check_size(member, MAX_XLSX_WHOLE_PART_BYTES, path)  # before part_roles reads them
        roles = part_roles(archive)
        for member in xml:
            if member.filename in roles.read_whole:
                _check_size(member, MAX_XLSX_WHOLE_PART_BYTES, path)
            elif member.filename.endswith("sharedStrings.xml") or member.filename in roles.shared_strings:
                _check_size(member, MAX_XLSX_SHARED_STRINGS_BYTES, path)


def check_sheet(path: str | os.PathLike[str], part_name: str) -> None:
    """Raise LedesInputError when a row of the part ``part_name`` (the sheet openpyxl will stream) is over the limit."""
    if _checked_as_sheet(part_name):
        return  # check_workbook has checked it
    with _archive(path) as archive:
        for member in archive.infolist():
            if member.filename == part_name:
                _check_part(archive, member, path, is_sheet=True)


def _checked_as_sheet(name: str) -> bool:
    """Whether ``check_workbook`` checks the rows of the part ``name``: where Excel writes sheets, in any case."""
    return name.lower().startswith("xl/worksheets/")


@contextlib.contextmanager
def _archive(path: str | os.PathLike[str]) -> Iterator[zipfile.ZipFile]:
    """The workbook as a ZIP archive; a damaged one (or one that cannot be read) a LedesInputError."""
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise LedesInputError(f"cannot read '{os.fsdecode(path)}' as an Excel workbook: {error}") from None


def _check_size(member: zipfile.ZipInfo, limit: int, path: str | os.PathLike[str]) -> None:
    if member.file_size > limit:
        raise LedesInputError(_refused(path, f"its part {member.filename} inflates to {member.file_size:,} bytes,"
                                             f" over the limit of {limit:,}"))


def _check_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: str | os.PathLike[str],
                is_sheet: bool) -> bool:
    """Whether a part is XML, inflated in chunks (never past its stated size); LedesInputError when it holds a DOCTYPE
    or ENTITY, is not UTF-8, or holds a row over the limit.

    A part that does not begin as XML in UTF-8 does (``<``, after a byte-order mark and blanks)
    is no XML an XML parser would read past its first byte: an image, say; it is read no further.
    """
    carried = b""  # the end of the previous chunk, so a marker split between chunks is still found
    since_row = 0  # bytes since the last "<row" (a sheet's rows are its largest elements)
    blank = True  # nothing but a byte-order mark and blanks read so far
    first = True
    prolog = 0  # the length of the byte-order mark and XML declaration that begin the part
    with archive.open(member) as part:
        while chunk := part.read(_CHUNK):
            if blank:
                start = chunk
                if first:
                    if chunk.startswith(_NOT_UTF8):
                        raise LedesInputError(_refused(path, f"its part {member.filename} is not UTF-8"))
                    start = chunk.removeprefix(_BOM)
                    prolog = len(chunk) - len(start) + _check_declaration(start, member, path)
                    first = False
                start = start.lstrip(_BLANK)
                if start and not start.startswith(b"<"):
                    return False  # no XML: an XML parser stops at its first byte
                blank = not start
            window = carried + chunk
            if any(marker in window for marker in _DOCTYPE):
                raise LedesInputError(_refused(path, f"its part {member.filename} declares a document type"
                                                     " (<!DOCTYPE or <!ENTITY), which Excel never writes"))
            if is_sheet:
                since_row = _longest_row(window, len(carried), since_row, prolog, member, path)
                _check_formulas(window, member, path)
            prolog = 0
            carried = chunk[-_CARRIED:]
    return True


def _check_declaration(start: bytes, member: zipfile.ZipInfo, path: str | os.PathLike[str]) -> int:
    """The length of the XML declaration ``start`` begins with (0: none); LedesInputError when it names an encoding
    in which a DOCTYPE would not be found.

    Expat reads a part declared in EBCDIC (``cp037``) and libxml2 one in UTF-7, say, where
    ``<!DOCTYPE`` is other bytes: only UTF-8 and encodings that write ASCII as ASCII are read.
    """
    if not re.match(rb"<\?xml\s", start):
        return 0
    declaration = _DECLARATION.match(start)
    if declaration is None:
        raise LedesInputError(_refused(path, f"its part {member.filename} has an XML declaration that does not end"))
    encoding = _ENCODING.search(declaration["body"])
    if encoding is None:
        return declaration.end()
    name = encoding[1].decode("ascii", "replace")
    try:
        known = codecs.lookup(name).name
    except LookupError:
        known = ""
    if not known.startswith(_ASCII_SAFE):
        raise LedesInputError(_refused(path, f"its part {member.filename} is not UTF-8 (its XML declaration"
                                             f" names {name[:40]!r})"))
    return declaration.end()


def _longest_row(window: bytes, overlap: int, since_row: int, prolog: int, member: zipfile.ZipInfo,
                 path: str | os.PathLike[str]) -> int:
    """Bytes since the last ``<row`` tag once ``window`` (``overlap`` bytes seen before, then new ones) is read.

    LedesInputError when a row grows past the limit, or when the sheet holds a comment, a CDATA
    section or a processing instruction after its first ``prolog`` bytes: Excel never writes them,
    and each could hide a ``<row`` that is no tag. ``<rows>`` or ``<rowx/>`` is no row either.
    """
    for marker, what in _HIDING:
        if marker in window:
            raise LedesInputError(_refused(path, f"its part {member.filename} holds {what}, which Excel never writes"))
    if window.find(b"<?", prolog) >= 0:
        raise LedesInputError(_refused(path, f"its part {member.filename} holds an XML processing instruction,"
                                             " which Excel never writes"))
    position = len(window)
    while (position := window.rfind(b"<row", 0, position)) >= 0 and window[position + 4:position + 5] not in _ROW_ENDS:
        pass
    if position >= 0 and position + 5 > overlap:  # a tag that ends in the new bytes
        since_row = len(window) - position
    else:
        since_row += len(window) - overlap
    if since_row > MAX_XLSX_ROW_BYTES:
        raise LedesInputError(_refused(path, f"a row of its part {member.filename} is over"
                                             f" {MAX_XLSX_ROW_BYTES:,} bytes of XML"))
    return since_row


# A cell with a formula and no saved result: none at all, or an empty one in a cell of numbers (an empty text
# result is written t="str"). openpyxl reads it as empty, so an amount would silently be missing.
_FORMULA_CELL = re.compile(rb"<c\b([^>]*)>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(<v\s*/>|<v>\s*</v>)?\s*</c>")
_CELL_TYPE = re.compile(rb"""\bt\s*=\s*["']([^"']*)["']""")
_CELL_REFERENCE = re.compile(rb"""\br\s*=\s*["']([A-Za-z]{1,3}[0-9]{1,7})["']""")
_CARRIED = 16384  # bytes of a chunk kept before the next: a cell (its formula at most 8,192 characters) split by them


def _check_formulas(window: bytes, member: zipfile.ZipInfo, path: str | os.PathLike[str]) -> None:
    """LedesInputError at the first cell whose formula was never calculated (written by a program, not a spreadsheet)."""
    if b"<f" not in window:
        return
    for cell in _FORMULA_CELL.finditer(window):
        cell_type = _CELL_TYPE.search(cell[1])
        if cell[2] is None or cell_type is None or cell_type[1] == b"n":
            reference = _CELL_REFERENCE.search(cell[1])
            where = f"cell {reference[1].decode('ascii')}" if reference else "a cell"
            raise LedesInputError(_refused(path, f"{where} of its part {member.filename} holds a formula that was"
                                                 " never calculated (no saved result), which would read as empty;"
                                                 " open the workbook in Excel or LibreOffice and save it"))


def _refused(path: str | os.PathLike[str], why: str) -> str:
    return f"cannot read '{os.fsdecode(path)}' as an Excel workbook: {why}; save the export again, or as CSV"
