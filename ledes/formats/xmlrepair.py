"""Reading what real LEDES XML files contain: Windows code-page bytes and unescaped markup characters, repaired line by line.

One production generator writes ERP strings unconverted under a UTF-8 declaration,
and escapes nothing (LEDES 2000) or only ``&`` (LEDES XML 2.2) in text. Such a
file is not well-formed XML, so a parser stops at the first one. ``RepairingReader``
sits between the file and the parser: it repairs each line that needs it, keeps every
line where it was (diagnostics keep their line numbers), and records what it changed so
that the reader reports each repair with its line and XPath. Memory is one line.
LEDES 2000 is always read so; a LEDES XML 2.x document only once it turned out not to be
well-formed (``ledes.formats.ledesxml.reader``): reading line by line costs about half
as much again as the parse.
"""

from __future__ import annotations

import codecs
import re
from typing import BinaryIO

from lxml import etree

from ledes.diagnostics import Named
from ledes.formats import textio  # noqa: F401 - registers the "ledes-latin1" decoding fallback
from ledes.rules import xml as xml_rules

_DECLARATION = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# A line holding one element and its text, as the generator writes every value.
_ONE_ELEMENT = re.compile(r"^(\s*<([A-Za-z_][\w.-]*)>)(.*)(</\2>\s*)$", re.S)
_BARE_AMPERSAND = re.compile(r"&(?!(?:[A-Za-z_][\w.-]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
_LONGEST_LINE = 1 << 20  # longer lines are passed on unrepaired


class RepairingReader:
    """A binary stream that yields the document with each broken line repaired; ``repairs`` maps line → (rule, message)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.repairs: dict[int, tuple[Named, str]] = {}
        self.number = 0
        self.pending = b""
        self.codec: str | None = None  # the declared encoding, once the declaration has been seen
        self.passthrough = False  # UTF-16 or UTF-32: not repaired

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes of the repaired document (all that is left when ``size`` is negative)."""
        wanted = size if size is not None and size >= 0 else 1 << 62
        chunks, length = [self.pending] if self.pending else [], len(self.pending)
        while length < wanted:
            line = self._next_line()
            if not line:
                break
            chunks.append(line)
            length += len(line)
        data = b"".join(chunks)
        data, self.pending = data[:wanted], data[wanted:]
        return data

    def _next_line(self) -> bytes:
        line = self.stream.readline(_LONGEST_LINE)
        if not line:
            return b""
        self.number += 1
        if self.number == 1:
            self._declaration(line)
        if self.passthrough or len(line) >= _LONGEST_LINE:
            return line
        if line.isascii() and b"&" not in line and line.count(b"<") <= 2 and line.count(b">") <= 2:
            return line  # the common case: at most one element and its value, nothing to repair
        return self._repaired(line)

    def _declaration(self, line: bytes) -> None:
        if line[:2] in (b"\xff\xfe", b"\xfe\xff") or line[:4] in (b"\x00\x00\xfe\xff", b"<\x00\x00\x00"):
            self.passthrough = True
            return
        found = _DECLARATION.search(line)
        name = found.group(1).decode("ascii") if found else "utf-8"
        try:
            self.codec = codecs.lookup(name).name
        except LookupError:
            self.codec = "utf-8"  # the parser reports an unknown encoding
        if self.codec.startswith(("utf-16", "utf-32")):
            self.passthrough = True

    def _repaired(self, line: bytes) -> bytes:
        codec = self.codec or "utf-8"
        try:
            text = line.decode(codec)
        except UnicodeDecodeError:
            text = line.decode("cp1252", "ledes-latin1")
            self.repairs[self.number] = (
                xml_rules.ENCODING,
                f"bytes that are not {codec.upper()}, as declared, were read as Windows-1252: {text.strip()[:60]!r}",
            )
        text = self._escaped(text)
        return text.encode(codec, "xmlcharrefreplace")

    def _escaped(self, text: str) -> str:
        """The line with its value's markup characters escaped, when they make it ill-formed."""
        found = _ONE_ELEMENT.match(text)
        if found is None:
            return text
        opening, name, value, closing = found.group(1), found.group(2), found.group(3), found.group(4)
        if "<" not in value and ">" not in value and "&" not in value:
            return text
        try:
            etree.fromstring(f"<ledes-line>{text}</ledes-line>")
            return text  # well-formed (markup inside a value, or two elements on one line): the reader's to report
        except etree.XMLSyntaxError:
            pass
        escaped = _BARE_AMPERSAND.sub("&amp;", value).replace("<", "&lt;").replace(">", "&gt;")
        characters = sorted({c for c in "<>&" if c in value})
        self.repairs.setdefault(
            self.number,
            (xml_rules.UNESCAPED, f"<{name}> holds {', '.join(repr(c) for c in characters)} unescaped; read as text: {value.strip()[:60]!r}"),
        )
        return opening + escaped + closing
