"""Reading text files as real invoices come: any line ending, with or without a BOM, UTF-8 or Windows-1252."""

from __future__ import annotations

import codecs
import functools
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from ledes.diagnostics import Emit

BOM = b"\xef\xbb\xbf"
# No LEDES record comes near this (two 15 KB narratives and short fields); longer lines are
# reported and skipped in pieces, so memory stays bounded whatever the file holds.
MAX_LINE = 1 << 20
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def text_stream(binary: BinaryIO) -> io.TextIOWrapper:
    """Wrap a binary stream for reading: BOM dropped, universal newlines, undecodable bytes kept as escapes."""
    buffered = binary if hasattr(binary, "peek") else io.BufferedReader(binary)  # type: ignore[arg-type]
    if buffered.peek(3)[:3] == BOM:  # type: ignore[union-attr]
        buffered.read(3)
    return io.TextIOWrapper(buffered, encoding="utf-8", errors="surrogateescape", newline=None)  # type: ignore[arg-type]


def physical_lines(stream: io.TextIOBase, emit: Emit) -> Iterator[tuple[int, str]]:
    """Yield (1-based line number, text without its line end) for each physical line.

    LF, CRLF and CR all end a line. A line that is not valid UTF-8 is decoded as
    Windows-1252 (bytes that code page leaves undefined as Latin-1), reported once as
    ``structure.encoding`` info. A line over ``MAX_LINE`` characters is reported as
    ``structure.line-length`` and skipped.
    """
    number = 0
    warned_encoding = False
    read = functools.partial(stream.readline, MAX_LINE)
    for line in iter(read, ""):
        number += 1
        if line.endswith("\n"):
            line = line[:-1]
        elif len(line) >= MAX_LINE:
            while True:
                rest = read()
                if not rest or rest.endswith("\n"):
                    break
            emit(
                "structure.line-length",
                f"line is longer than {MAX_LINE} characters; no LEDES record is that long, so it was skipped",
                line=number,
            )
            continue
        if not line.isascii() and _ESCAPED_BYTE.search(line):
            line = _redecode(line)
            if not warned_encoding:
                warned_encoding = True
                emit(
                    "structure.encoding",
                    "the file is not valid UTF-8; it was read as Windows-1252",
                    line=number,
                    hint="save the file as UTF-8 (or plain ASCII, as the LEDES specification asks)",
                )
        yield number, line


def _latin1_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode the five bytes Windows-1252 leaves undefined as Latin-1 control characters."""
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("ledes-latin1", _latin1_fallback)


def _redecode(line: str) -> str:
    return line.encode("utf-8", "surrogateescape").decode("cp1252", "ledes-latin1")
