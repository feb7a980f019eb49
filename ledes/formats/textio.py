"""Reading text files as real invoices come: any line ending, with or without a BOM, UTF-8 or Windows-1252."""

from __future__ import annotations

import codecs
import functools
import io
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO, TextIO

from ledes.diagnostics import Emit
from ledes.rules import structure as structure_rules

BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# No LEDES record comes near this (two 15 KB narratives and short fields); longer lines are
# reported and skipped in pieces, so memory stays bounded whatever the file holds.
MAX_LINE = 1 << 20
CHUNK = 1 << 16  # characters read at once by ``LineReader.bodies``
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def text_stream(binary: BinaryIO) -> io.TextIOWrapper:
    """Wrap a binary stream for reading: BOM dropped, universal newlines, undecodable bytes kept as escapes.

    A UTF-16 byte-order mark (Excel's "Unicode text") selects UTF-16; anything else is
    read as UTF-8, with Windows-1252 as the fallback for lines that are not UTF-8.
    """
    # typing.BinaryIO declares no readinto, which io.BufferedReader's stub requires of the stream
    # it buffers; every binary stream handed here (io.BytesIO, a file, standard input) has it.
    buffered = binary if hasattr(binary, "peek") else io.BufferedReader(binary)  # type: ignore[type-var]
    head = buffered.peek(3)[:3]
    if head == BOM:
        buffered.read(3)
    elif head[:2] in UTF16_BOMS:
        # A truncated or unpaired code unit cannot be kept as an escape: it becomes U+FFFD.
        return io.TextIOWrapper(buffered, encoding="utf-16", errors="replace", newline=None)
    return io.TextIOWrapper(buffered, encoding="utf-8", errors="surrogateescape", newline=None)


class LineReader:
    """Physical lines of a text stream, numbered from 1, without their line ends.

    LF, CRLF and CR all end a line. A line that is not valid UTF-8 is decoded as
    Windows-1252 (the five bytes that code page leaves undefined as Latin-1), reported
    once as ``structure.encoding`` info. A line over ``MAX_LINE`` characters is reported
    as ``structure.line-length`` and skipped. ``raw_lines`` and ``clean`` let a hot loop
    take the common case (an ASCII line ending ``\\n``) itself and hand the rest back.
    """

    def __init__(self, stream: TextIO, emit: Emit) -> None:
        self.emit = emit
        self.number = 0
        self.warned_encoding = False
        # MAX_LINE + 1: a line of exactly MAX_LINE characters is read whole, with its "\n".
        self.stream = stream
        self.longest = MAX_LINE  # the longest line read (and bounded memory): longer ones are skipped
        self.read: Callable[[], str] = functools.partial(stream.readline, self.longest + 1)
        if getattr(stream, "encoding", "") == "utf-16":
            emit(
                structure_rules.ENCODING,
                "the file is UTF-16 (Excel's \"Unicode text\"); it was read as such",
                line=1,
                hint="portals expect ASCII or UTF-8: save the file as UTF-8",
            )

    def raw_lines(self) -> Iterator[str]:
        """The lines as read, with their ``\\n``; the caller counts them in ``number``."""
        return iter(self.read, "")

    def bodies(self) -> Iterator[str]:
        """The rest of the text in pieces of about ``CHUNK`` characters, each ending with a whole line.

        A piece ends with ``\\n`` unless its last line is unfinished: the end of the text, or
        a line longer than ``MAX_LINE``, whose rest ``clean`` then reads and skips. The caller
        counts the lines in ``number``.
        """
        read, finish = self.stream.read, self.read
        while body := read(CHUNK):
            if not body.endswith("\n"):
                body += finish()
            yield body

    def clean(self, line: str) -> str | None:
        """Finish a raw line that is not plain ASCII ending ``\\n``; None when it was skipped."""
        ended = line.endswith("\n")
        if len(line) - ended > self.longest:
            while not ended:
                rest = self.read()
                ended = not rest or rest.endswith("\n")
            self.emit(
                structure_rules.LINE_LENGTH,
                f"line is longer than {self.longest} characters; no LEDES record is that long, so it was skipped",
                line=self.number,
            )
            return None
        if ended:
            line = line[:-1]
        if not line.isascii() and _ESCAPED_BYTE.search(line):
            line = line.encode("utf-8", "surrogateescape").decode("cp1252", "ledes-latin1")
            if not self.warned_encoding:
                self.warned_encoding = True
                self.emit(
                    structure_rules.ENCODING,
                    "the file is not valid UTF-8; it was read as Windows-1252",
                    line=self.number,
                    hint="save the file as UTF-8 (or plain ASCII, as the LEDES specification asks)",
                )
        return line

    def __iter__(self) -> Iterator[tuple[int, str]]:
        """(line number, text) for each remaining line."""
        for line in self.raw_lines():
            self.number += 1
            cleaned = self.clean(line)
            if cleaned is not None:
                yield self.number, cleaned


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the five bytes Windows-1252 leaves undefined as Latin-1 control characters.

    A codec error handler receives any ``UnicodeError``; this one is registered for
    decoding only, so any other error is raised as it is (as the ``strict`` handler does).
    """
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


LATIN1_FALLBACK = "ledes-latin1"  # the error handler's name, for ``open(..., errors=...)``
codecs.register_error(LATIN1_FALLBACK, _latin1_fallback)
