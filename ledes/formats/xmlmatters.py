"""Reading the matters one generator closes but never opens: the missing ``<matter>`` put back as the bytes stream past.

One production generator (its LEDES 2000 R1 and its LEDES XML 2.2 routines) writes
``<matter>`` once, before the matter loop, and ``</matter>`` after every matter. With two
matters or more the document has more closings than openings and is not well-formed, so
a parser stops at the second ``</matter>``. ``MatterOpenings`` sits between the file and
the parser: where a ``</matter>`` is followed, past white space, by the start of the next
matter (its ``cl_matter_id`` or ``lf_matter_id``, which only a matter holds), it puts a
``<matter>`` before that start tag, on the same line, so every line keeps its number.
Each repair is recorded by line for the reader to report. Memory is one read's bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ledes.diagnostics import Emit, Named
from ledes.formats.xmlbytes import ByteSource
from ledes.formats.xmlsafe import local
from ledes.rules import xml as xml_rules

_CLOSING = b"</matter>"
# The start of a matter's own id right after a closing (the generator writes a new line and a few spaces between).
_NEXT_MATTER = re.compile(rb"</matter>[ \t\r\n]{0,200}(<(?:cl_matter_id|lf_matter_id)[ \t\r\n/>])")
_HELD_BACK = len(_CLOSING) + 200 + len(b"<cl_matter_id>")  # a closing this near the end waits for what follows it
_OPENING = b"<matter>"
MESSAGE = ("no <matter> opens this matter: the one before was closed with </matter> and this one's ids follow"
           " (the file is not well-formed); read as a matter of its own")
HINT = "open each matter with <matter>, as it is closed with </matter>"


class MatterOpenings:
    """A binary stream that yields the document with each missing ``<matter>`` put back; ``repairs`` maps line → (rule, message)."""

    def __init__(self, stream: ByteSource, repairs: dict[int, tuple[Named, str]] | None = None) -> None:
        self.stream = stream
        self.repairs = repairs if repairs is not None else {}
        self.pending = b""
        self.line = 1  # the line the next byte handed on is on
        self.ended = False

    def read(self, size: int = -1) -> bytes:
        """Up to about ``size`` bytes of the repaired document (all that is left when ``size`` is negative)."""
        data = self.pending
        while not self.ended:
            chunk = self.stream.read(size if size is not None and size > 0 else -1)
            if not chunk or size is None or size < 0:
                self.ended = True
            data += chunk
            if self.ended or len(data) > _HELD_BACK:
                break
        if _CLOSING in data:
            data = self._opened(data)
        cut = len(data) if self.ended else _safe_end(data)
        handed, self.pending = data[:cut], data[cut:]
        self.line += _breaks(handed)
        return handed

    def claim(self, emit: Emit) -> Callable[[Any, str, str | None], None]:
        """What a ``ValueReader`` calls with each segment: the repairs on the lines of its values, reported with their XPath."""
        repairs = self.repairs

        def claimed(element: Any, xpath: str, invoice_number: str | None) -> None:
            if not repairs:
                return
            for child in element:
                line = getattr(child, "sourceline", None)
                if line in repairs and isinstance(child.tag, str) and not len(child):  # a value, not a segment
                    rule, message = repairs.pop(line)
                    emit(rule, message, line=line, xpath=f"{xpath}/{local(child)}", invoice=invoice_number,
                         hint=HINT if message == MESSAGE else None)

        return claimed

    def report(self, emit: Emit) -> None:
        """Report the repairs made (what a reader did not claim), each with its line."""
        for line, (rule, message) in sorted(self.repairs.items()):
            emit(rule, message, line=line, hint=HINT if message == MESSAGE else None)
        self.repairs.clear()

    def _opened(self, data: bytes) -> bytes:
        pieces, start = [], 0
        for found in _NEXT_MATTER.finditer(data):
            at = found.start(1)
            line = self.line + _breaks(data[:at])
            self.repairs.setdefault(line, (xml_rules.MERGED_MATTERS, MESSAGE))
            pieces += [data[start:at], _OPENING]
            start = at
        if not pieces:
            return data
        pieces.append(data[start:])
        return b"".join(pieces)


def _safe_end(data: bytes) -> int:
    """Where ``data`` can be handed on: before a closing too near its end to see what follows, or a '<' that may begin one."""
    closing = data.rfind(_CLOSING, len(data) - _HELD_BACK)
    if closing != -1:
        return closing
    start = data.find(b"<", len(data) - len(_CLOSING) + 1)
    if start != -1:
        return start
    return len(data) - 1 if data.endswith(b"\r") else len(data)  # a CRLF is one line break: never split


def _breaks(data: bytes) -> int:
    """The line breaks in ``data`` as libxml2 counts them: CRLF, CR or LF."""
    if b"\r" not in data:
        return data.count(b"\n")
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
