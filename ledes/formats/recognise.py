"""Files that hold no invoice: another kind of file, told from its first bytes, or an invoice file with none in it.

Detection (``ledes.formats.registry``) names a file's format. When the format it names
does not recognise the file's first bytes, ``identify`` says what the file looks like
instead (a CSV export, an Excel workbook, a PDF, a ZIP archive, a binary file, XML of
another kind, text) and what to run instead, so that every command reports it as one
finding (``structure.format-line``) and reads no further. A file that may be a damaged
invoice file (a LEDES XML root, or a ``|`` or ``[]``, a LEDES format line or a LEDES
field name near its start) is not claimed: its format's reader reports the damage.

A file of an invoice format that yields no invoice (a format line and a header only, an
XML root with no invoice in it) is reported by ``report_no_invoice``
(``structure.no-invoice``).

Messages quote the file only through ``printable``: no control character or undecodable
byte of the input reaches a terminal or a JSON document.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

import attrs

from ledes.diagnostics import Emit
from ledes.formats.ledesxml.sniff import root_name
from ledes.rules import structure as structure_rules
from ledes.safetext import visible

if TYPE_CHECKING:
    from ledes.formats.base import Format

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls, .doc and .msg files
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1a")  # Ctrl-Z: a DOS end-of-file mark
_LEDES_FIELD = re.compile(r"\b(?:INVOICE_DATE|INVOICE_NUMBER|LINE_ITEM_[A-Z_]+)\b", re.IGNORECASE)
# What may come before an XML document's root element: white space, the declaration and
# other processing instructions, comments, and the document type (with its internal subset).
_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)*", re.DOTALL | re.IGNORECASE)
_ELEMENT = re.compile(r"<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)")
_LEDES_ROOTS = "ledesxmlebilling2.0, ledesxmlebilling2.1, ledesxmlebilling2.2 or ledesxml"
_ASK_FOR_LEDES = (
    "LEDES invoices are text (LEDES 1998B starts with LEDES1998B[], LEDES 1998BI with LEDES98BI V2[], then a"
    " line of field names) or LEDES XML: ask the billing system for its LEDES export"
)


@attrs.frozen
class Foreign:
    """A file that is no invoice file of any format ledes reads: what it is and what to do instead, and where."""

    message: str
    line: int = 1
    xpath: str | None = None

    def report(self, emit: Emit) -> None:
        """The one finding every command reports for the file (``structure.format-line``)."""
        emit(structure_rules.FORMAT_LINE, self.message, line=self.line, xpath=self.xpath)


def identify(head: bytes, *, whole: bool = False, name: str | None = None) -> Foreign | None:
    """What a file whose first bytes its format does not recognise is; None when it may be a damaged invoice file.

    ``head`` is the file's first bytes (a few KiB), ``whole`` True when they are the whole
    file, ``name`` its path when it has one (its extension tells an Excel workbook from
    another ZIP archive whose first entries do not show it).
    """
    suffix = os.path.splitext(name)[1].lower() if name else ""
    if head.startswith(_UTF16_BOMS):
        return _text(head.decode("utf-16", "replace"), whole, name)
    data = head.removeprefix(_UTF8_BOM)
    if root_name(data.decode("latin-1")) is not None:
        return None  # a damaged LEDES XML document (stray bytes before its root, say): its format's checks report it
    if data.startswith(b"%PDF"):
        return _other("a PDF document", "a PDF invoice is for people; " + _ASK_FOR_LEDES)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _archive(data, suffix, name)
    if data.startswith(_OLE2):
        what = "an Excel 97-2003 workbook (.xls)" if suffix == ".xls" else "a Microsoft Office 97-2003 document"
        return _other(what, "save a time-and-billing export as .xlsx or CSV, then " + _import(name))
    if data.startswith(b"\x1f\x8b"):
        return _other("a gzip-compressed file (binary)", "decompress it and give ledes the file it holds")
    if _utf16_without_mark(data):  # before XML: "<\0?\0x\0m\0l\0" starts with "<" too
        return _other(
            "a binary file, or text in UTF-16 without a byte-order mark",
            "save text as UTF-8 (or plain ASCII, as the LEDES specification asks)",
        )
    start, binary = data.lstrip(), _binary(data)
    if start.startswith(b"<") and (not binary or start.startswith((b"<?xml", b"<!--"))):
        # Stray bytes in XML do not make it binary (its checks report them), but binary data that happens to
        # begin with "<" (one random file in 256) is no XML document.
        return _xml(_decoded(data, whole), whole)
    if binary:
        return _other("a binary file", _ASK_FOR_LEDES)
    return _text(_decoded(data, whole), whole, name)


_EMPTY = ("this is an empty file (nothing but spaces and line breaks), not a LEDES invoice file; a LEDES 1998B file"
          " starts with LEDES1998B[], a LEDES XML file with its root element")


def _other(what: str, instead: str) -> Foreign:
    return Foreign(f"this is {what}, not a LEDES invoice file; {instead}")


def _import(name: str | None) -> str:
    """What to run on a time-and-billing export (``name``, the file's path, when it has one)."""
    import shlex  # only for a time-and-billing export

    shown = shlex.quote(printable(name, 200)) if name else "FILE"
    return f"make LEDES invoices of it with `ledes import {shown} --mapping MAP.toml --to 1998b -o OUT`"


def _archive(data: bytes, suffix: str, name: str | None) -> Foreign:
    """A ZIP archive, which is also what an Excel workbook (.xlsx) and a Word document (.docx) are."""
    if b"xl/" in data or suffix in (".xlsx", ".xlsm"):
        return _other("an Excel workbook (.xlsx, a ZIP archive)", "if it is a time-and-billing export, " + _import(name))
    if b"word/" in data or suffix == ".docx":
        return _other("a Word document (.docx, a ZIP archive)", _ASK_FOR_LEDES)
    if b"opendocument.spreadsheet" in data or suffix == ".ods":
        return _other(
            "an OpenDocument spreadsheet (.ods, a ZIP archive)",
            "save a time-and-billing export as .xlsx or CSV, then " + _import(name),
        )
    return _other("a ZIP archive", "unpack it and give ledes the invoice files it holds")


def _utf16_without_mark(data: bytes) -> bool:
    """True when every other byte of the start is NUL: UTF-16 text (LE or BE) saved without its byte-order mark."""
    start = data[:64]
    if len(start) < 4:
        return False
    even, odd = start[0::2], start[1::2]
    return (not any(odd) and all(even)) or (not any(even) and all(odd))


def _binary(data: bytes) -> bool:
    """True for a NUL byte, or when more than one byte in twenty is a control character text does not hold."""
    if b"\x00" in data:
        return True
    controls = sum(1 for byte in data if (byte < 32 and byte not in _TEXT_CONTROLS) or byte == 127)
    return controls * 20 > len(data)


def _decoded(data: bytes, whole: bool) -> str:
    """UTF-8 (a character cut at the end of the head is left out), else Windows-1252, as the text reader reads."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if not whole and error.start >= len(data) - 3:
            return data[: error.start].decode("utf-8", "replace")
        return data.decode("cp1252", "replace")


def _text(text: str, whole: bool, name: str | None) -> Foreign | None:
    """A CSV or tab-separated export, a LEDES file saved as CSV, JSON, other text; None for what may be LEDES."""
    text = text.lstrip("\ufeff")
    start = text.lstrip()
    if not start:  # an empty file (or spaces, line breaks, a byte-order mark): no invoice file of any format
        return Foreign(_EMPTY) if whole else None  # past the first bytes, the reader reads on to what may follow
    if start.startswith("<"):
        return _xml(text, whole)
    lines = [line.strip() for line in start.splitlines() if line.strip()][:5]
    first = lines[0]
    if any("|" in line or "[]" in line for line in lines) or first.upper().startswith("LEDES"):
        return None  # a damaged LEDES file: its reader reports what is wrong, line by line
    delimiter = max((",", ";", "\t"), key=first.count)
    if first.count(delimiter) >= 2:
        separated = {",": "commas", ";": "semicolons", "\t": "tabs"}[delimiter]
        if len(_LEDES_FIELD.findall(first)) >= 2:
            return Foreign(
                f"this is a LEDES file saved as CSV, its fields separated by {separated} (first line"
                f" '{printable(first)}'), not a LEDES invoice file; export it again as LEDES from the billing system"
                " (LEDES separates fields with '|' and ends each line with '[]')"
            )
        what = "a tab-separated export" if delimiter == "\t" else "a CSV export"
        return Foreign(
            f"this is {what} (first line '{printable(first)}'), not a LEDES invoice file;"
            f" if it is a time-and-billing export, {_import(name)}"
        )
    if _LEDES_FIELD.match(first):
        return None  # a header whose separators are damaged: the reader reports it
    if first[0] in "{[":
        return _other("a JSON document", _ASK_FOR_LEDES)
    return Foreign(f"this is text (first line '{printable(first)}'), not a LEDES invoice file; {_ASK_FOR_LEDES}")


def _xml(text: str, whole: bool) -> Foreign | None:
    """XML (or HTML) whose root element is no LEDES XML root; None when the root may come after the head."""
    prolog = _PROLOG.match(text)
    position = prolog.end() if prolog else 0
    found = _ELEMENT.match(text, position)
    if found is None:
        if not whole:
            return None  # the root may come after a long prolog: the XML format's checks find it
        return Foreign(
            "this is text that starts like XML but holds no element, not a LEDES invoice file;"
            f" a LEDES XML document's root element is {_LEDES_ROOTS}"
        )
    local = found.group(1).rpartition(":")[2]
    if local.lower() == "html" or re.match(r"\s*<!DOCTYPE\s+html\b", text[:position], re.IGNORECASE):
        return _other("an HTML page", _ASK_FOR_LEDES)
    if root_name(f"<{local}>") is not None:
        return None  # a LEDES XML root: its own format reads it
    shown = printable(local)
    return Foreign(
        f"this is XML of another kind, not a LEDES invoice file: the root element <{shown}> is not a LEDES XML root"
        f" ({_LEDES_ROOTS})",
        line=text.count("\n", 0, found.start()) + 1,
        xpath=f"/{shown}",
    )


def printable(text: str, limit: int = 60) -> str:
    """``text`` for a message, cut to ``limit`` characters with an ellipsis: a tab as a space, an undecodable byte as
    '?', every other control character as the escape the outputs show it as (``\x1b``, ``safetext.visible``)."""
    clipped = text if len(text) <= limit else text[:limit]
    shown = visible(clipped.replace("\t", " ").replace("\ufffd", "?"))
    return shown if len(text) <= limit else shown + "…"


def report_no_invoice(emit: Emit, file_format: Format, head: bytes) -> None:
    """Report that a file of ``file_format`` held no invoice, where its first record (or its root) is."""
    if file_format.preamble_lines is not None:
        emit(
            structure_rules.NO_INVOICE,
            "the file holds no invoice: no record follows the format line and the header"
            f" (a {file_format.title} file has one record per line item)",
            line=file_format.preamble_lines + 1,
        )
        return
    if head.startswith(_UTF16_BOMS):
        text = head.decode("utf-16", "replace")
    else:
        text = _decoded(head.removeprefix(_UTF8_BOM), False)
    prolog = _PROLOG.match(text)
    found = _ELEMENT.match(text, prolog.end() if prolog else 0)
    if found is None:  # the root is past the first bytes
        emit(structure_rules.NO_INVOICE, "the document holds no invoice: it has no <invoice> element", line=1)
        return
    root = printable(found.group(1).rpartition(":")[2])
    emit(
        structure_rules.NO_INVOICE,
        f"the document holds no invoice: its root <{root}> has no <invoice> element in it",
        line=text.count("\n", 0, found.start()) + 1,
        xpath=f"/{root}",
    )
