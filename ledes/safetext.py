"""Values from untrusted files made safe to show: control characters visible in text, no formula at the start of a CSV cell.

A terminal obeys the control sequences it is sent: ``ESC ] 0 ; … BEL`` sets the window
title, ``ESC ] 52`` writes the clipboard, ``ESC [ 2 J`` clears the screen, and a carriage
return or a right-to-left override makes a line say something it does not. Every text
output of ledes passes the values it prints through ``visible``, which writes each such
character as a Python-style escape (``\\x1b``, ``\\n``, ``\\u202e``); a byte of a file name
that is not valid UTF-8 is shown as ``\\xff`` too, so the output is always valid UTF-8.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or a
carriage return before one) as a formula: ``=HYPERLINK(…)`` in a narrative would run when
a coordinator opens a CSV report. ``csv_cell`` prefixes such a cell with an apostrophe,
as the OWASP "CSV Injection" page recommends
(https://owasp.org/www-community/attacks/CSV_Injection); a cell that is a plain number
(``-125.00``, ``+3``) is no formula and is written as it is, so negative amounts stay numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# The patterns are compiled when text that needs them is first met (re keeps them compiled), not when
# ledes is imported: printable text never needs them, and compiling them cost every run's start-up.
# What JSON and XML may carry in a string but no output of ledes carries raw: DEL, the C1 controls (U+009B is a
# terminal's CSI), the Unicode line and paragraph separators and the bidirectional controls (the "Trojan Source"
# characters). Text output shows them, the C0 controls, lone surrogates (undecodable bytes of a file name) and
# U+FFFE and U+FFFF (which no XML holds).
_QUIET_CHARACTERS = "\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
_UNSAFE = f"[\x00-\x1f{_QUIET_CHARACTERS}\ud800-\udfff\ufffe\uffff]"
_QUIET = f"[{_QUIET_CHARACTERS}]"  # (JSON escapes C0 itself; XML cannot hold it)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A negative amount as ledes writes one: no '+', separator, exponent or leading zero (-00711 is an identifier).
_NUMBER = r"-?(?:0|[1-9]\d*)(?:\.\d+)?"


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that os.fsdecode or surrogateescape kept: show the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: object) -> str:
    """``text`` with every control character written as an escape (``\\x1b``); printable text is returned as it is."""
    shown = str(text)
    if shown.isprintable():
        return shown
    return re.sub(_UNSAFE, _escape, shown)


def html_text(text: object) -> str:
    """``text`` for HTML content or a quoted attribute: its control characters made visible, its markup escaped."""
    import html  # only for the HTML reports

    return html.escape(visible(text))


def json_escaped(document: str) -> str:
    """JSON text with those characters as ``\\u`` escapes: the same values once parsed, no raw control in the bytes."""
    if document.isascii() and "\x7f" not in document:
        return document
    return re.sub(_QUIET, lambda found: f"\\u{ord(found.group()):04x}", document)


def xml_escaped(text: str) -> str:
    """XML text (markup already escaped) with those characters as character references (``&#127;``)."""
    return re.sub(_QUIET, lambda found: f"&#{ord(found.group())};", text)


_SURROGATE = "[\ud800-\udfff]"


def valid_unicode(text: str) -> str:
    """``text`` with the bytes a file name had that are not UTF-8 (kept by os.fsdecode as lone surrogates) shown as ``\\xff``.

    The result always encodes as UTF-8, so a JSON document that holds it is valid UTF-8 too.
    """
    return text if text.isprintable() else re.sub(_SURROGATE, _escape, text)


def csv_cell(value: object) -> str:
    """A CSV cell that no spreadsheet runs as a formula, its control characters made visible (``visible``).

    A cell starting ``= + - @`` gets a leading apostrophe (a tab or a carriage return,
    the other characters OWASP names, is already shown as ``\\t`` or ``\\r``). A negative
    amount as ledes writes one (``-1250.00``: ASCII digits, a point) is left as it is, so it
    stays a number; any other text, ``+00711``, ``-00711`` or ``-1e5`` from a file among them,
    is text (a spreadsheet would read the client id -00711 as -711).
    """
    text = "" if value is None else visible(value)
    if text.startswith(_FORMULA_START) and not re.fullmatch(_NUMBER, text, re.ASCII):
        return "'" + text
    return text


def csv_row(cells: Iterable[Any]) -> list[str]:
    """Every cell of a row through ``csv_cell``."""
    return [csv_cell(cell) for cell in cells]
