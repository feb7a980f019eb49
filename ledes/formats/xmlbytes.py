"""Reading an untrusted XML document's bytes: a ceiling on its size, a budget between segment ends, its lines counted."""

from __future__ import annotations

import re
from typing import Protocol

HEAD_BYTES = 64 * 1024  # bytes searched for a DOCTYPE before the parser sees any of the document
_START_TAG = re.compile(rb"<([A-Za-z_][\w.:-]{0,80})[\s/>]")


class ByteSource(Protocol):
    """A binary stream as the safe parser reads it, by ``read`` alone: a file, ``io.BytesIO``, LEDES 2000's repairing reader."""

    def read(self, size: int = -1, /) -> bytes: ...


class TooLarge(Exception):
    """Raised from inside the parser's reads when the document passes the ceiling."""


class Stalled(TooLarge):
    """Raised from inside the parser's reads when too many bytes pass with no segment of interest ending.

    ``element`` is the name of the last element begun in what was read, when one was.
    """

    def __init__(self, element: str | None) -> None:
        super().__init__(element)
        self.element = element


class CappedReader:
    """A binary stream that keeps its first bytes for inspection and refuses to read past a ceiling."""

    def __init__(self, stream: ByteSource, limit: int, stall: int | None = None) -> None:
        self.stream = stream
        self.limit = limit
        self.stall = stall
        self.consumed = 0
        self.progress_at = 0
        self.breaks = 0  # line breaks read so far (CRLF, CR or LF, as libxml2 counts them)
        self.ends_with_break = False
        self.head = self._take(HEAD_BYTES)
        self.pending = self.head

    def _take(self, size: int) -> bytes:
        chunks, wanted = [], size
        while wanted > 0:
            chunk = self.stream.read(min(wanted, self.limit + 1 - self.consumed))
            if not chunk:
                break
            self.consumed += len(chunk)
            if self.consumed > self.limit:
                raise TooLarge
            if self.stall is not None and self.consumed - self.progress_at > self.stall:
                started = _START_TAG.findall(chunk[-4096:])
                raise Stalled(started[-1].decode("ascii", "replace") if started else None)
            if b"\r" in chunk:  # a search for the byte, much quicker than a count: most documents end lines with LF alone
                self.breaks += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
            else:
                self.breaks += chunk.count(b"\n")
            self.ends_with_break = chunk.endswith((b"\n", b"\r", b"\n\x00"))
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)

    def read(self, size: int = -1) -> bytes:
        if self.pending:
            chunk, self.pending = self.pending, b""
            return chunk
        return self._take(size if size > 0 else HEAD_BYTES)

    def progressed(self) -> None:
        """An element of interest ended: the stall budget starts again from here."""
        self.progress_at = self.consumed

    @property
    def last_line(self) -> int:
        """The number of the last physical line read so far: libxml2 reports an error at the very end on the line after it."""
        return max(1, self.breaks + (0 if self.ends_with_break else 1))
