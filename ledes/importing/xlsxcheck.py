"""Checking an untrusted .xlsx workbook before openpyxl reads it: bounded parts, no DTD or entity, rows of bounded size.

An .xlsx file is a ZIP archive of XML parts, and a small one can hold a bomb: a part that
inflates to gigabytes, 30 million shared strings (which openpyxl holds in memory), a
header row of 10 million cells (which it builds whole), or an XML document type whose
entities it would expand. Each part is inflated once, in chunks, and checked here; a
workbook that breaks a limit (``ledes.limits``) is refused with a LedesInputError.
"""

from __future__ import annotations

import os
import zipfile

from ledes.errors import LedesInputError
from ledes.limits import MAX_XLSX_PART_BYTES, MAX_XLSX_ROW_BYTES, MAX_XLSX_SHARED_STRINGS_BYTES

_CHUNK = 1 << 20
_DOCTYPE = (b"<!DOCTYPE", b"<!ENTITY")
_UTF16 = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")


def check_workbook(path: str | os.PathLike[str]) -> None:
    """Raise LedesInputError when the workbook at ``path`` breaks a limit or holds a DTD; it is read once, in chunks."""
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                if member.is_dir() or not member.filename.endswith((".xml", ".rels", ".vml")):
                    continue
                limit = (MAX_XLSX_SHARED_STRINGS_BYTES if member.filename.endswith("sharedStrings.xml")
                         else MAX_XLSX_PART_BYTES)
                if member.file_size > limit:
                    raise LedesInputError(_refused(path, f"its part {member.filename} inflates to"
                                                         f" {member.file_size:,} bytes, over the limit of {limit:,}"))
                _check_part(archive, member, path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise LedesInputError(f"cannot read '{os.fsdecode(path)}' as an Excel workbook: {error}") from None


def _check_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: str | os.PathLike[str]) -> None:
    """One part, inflated in chunks (never past its stated size): no DOCTYPE or ENTITY, UTF-8, no row over the limit."""
    is_sheet = member.filename.startswith("xl/worksheets/")
    carried = b""  # the end of the previous chunk, so a marker split between chunks is still found
    since_row = 0  # bytes since the last "<row" (a sheet's rows are its largest elements)
    first = True
    with archive.open(member) as part:
        while chunk := part.read(_CHUNK):
            if first and chunk.startswith(_UTF16):
                raise LedesInputError(_refused(path, f"its part {member.filename} is not UTF-8"))
            first = False
            window = carried + chunk
            if any(marker in window for marker in _DOCTYPE):
                raise LedesInputError(_refused(path, f"its part {member.filename} declares a document type"
                                                     " (<!DOCTYPE or <!ENTITY), which Excel never writes"))
            if is_sheet:
                since_row = _longest_row(window, len(carried), since_row, member, path)
            carried = chunk[-16:]


def _longest_row(window: bytes, overlap: int, since_row: int, member: zipfile.ZipInfo,
                 path: str | os.PathLike[str]) -> int:
    """Bytes since the last ``<row`` once ``window`` (``overlap`` bytes seen before, then new ones) is read.

    LedesInputError when a row grows past the limit, or when the sheet holds a comment
    (which Excel never writes, and which could hide a ``<row`` marker).
    """
    if b"<!--" in window:
        raise LedesInputError(_refused(path, f"its part {member.filename} holds an XML comment, which Excel never"
                                             " writes"))
    position = window.rfind(b"<row")
    if position + 4 > overlap:  # a marker that ends in the new bytes
        since_row = len(window) - position
    else:
        since_row += len(window) - overlap
    if since_row > MAX_XLSX_ROW_BYTES:
        raise LedesInputError(_refused(path, f"a row of its part {member.filename} is over"
                                             f" {MAX_XLSX_ROW_BYTES:,} bytes of XML"))
    return since_row


def _refused(path: str | os.PathLike[str], why: str) -> str:
    return f"cannot read '{os.fsdecode(path)}' as an Excel workbook: {why}; save the export again, or as CSV"
