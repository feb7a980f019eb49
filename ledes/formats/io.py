"""Opening invoice files for reading, their format detected once, by the registry (``ledes.safeoutput`` writes them)."""

from __future__ import annotations

import contextlib
import errno
import io
import itertools
import os
import stat
import sys
import weakref
from collections.abc import Iterator
from typing import BinaryIO, TextIO, cast

from ledes.diagnostics import DiagnosticSink, Severity
from ledes.errors import LedesInputError
from ledes.formats.base import FALLBACK, Format, Reader
from ledes.formats.recognise import Foreign, identify, report_no_invoice
from ledes.formats.registry import format_named, sniff
from ledes.formats.textio import text_stream
from ledes.model import Invoice

_PEEK = 4096


class Source:
    """A file to read: its format (named, or detected from its first bytes), and a stream over it for each pass.

    Standard input, a named pipe or a device can be read only once: a format that needs
    several passes (XML: the schema, then the invoices) gets its bytes read once, up to
    ``MAX_BYTES`` (the XML ceiling, so an oversized document is still refused); a pipe
    file is read in its one pass. ``recognised`` is False when the format was only the
    fallback of a detection that recognised nothing. ``foreign`` says what a file whose
    format is detected is when it is no invoice file at all (a CSV export, an Excel
    workbook, a PDF, ...; see ``ledes.formats.recognise``): it is then reported
    once and not read.
    """

    def __init__(self, path: str | os.PathLike[str], format: str | Format | None = None) -> None:
        path = input_path(path)
        self.path = path
        chosen = named_format(format)
        self._data: bytes | None = None
        self._once: io.BufferedReader | None = None
        self._reading: BinaryIO | None = None  # the stream of the pass under way, for ``bytes_read``
        self.recognised = chosen is not None
        if str(path) == "-":
            _take_stdin(path)
        if str(path) == "-" or not _regular(path):
            self._once = _open_binary(path)
            head = self._peek(self._once)
            if chosen is None:
                chosen = self._detect(head)
            whole = False
            if chosen.binary:
                self._data = self._once.read(xml_ceiling() + 1)
                self._close_once()
                head, whole = self._data[:_PEEK], len(self._data) <= _PEEK
        else:
            with _open_binary(path) as stream:
                head = self._peek(stream)
                whole = os.fstat(stream.fileno()).st_size <= len(head)
            if chosen is None:
                chosen = self._detect(head)
        self.format: Format = chosen
        self.head = head  # the first bytes, as detection saw them
        # A named format (--from) is read as such, whatever the file holds: its reader reports what is wrong.
        # A detected one that recognised nothing but fell back may be another kind of file altogether.
        self.foreign: Foreign | None = None if self.recognised else identify(
            head, whole=whole, name=None if str(path) == "-" else os.fspath(path)
        )

    def _peek(self, stream: io.BufferedReader) -> bytes:
        try:
            return stream.peek(_PEEK)[:_PEEK]
        except OSError as error:
            raise LedesInputError(f"cannot read '{self.path}': {error.strerror or error}") from None

    def _detect(self, head: bytes) -> Format:
        found, score = sniff(head)
        self.recognised = score > FALLBACK
        return found

    def invoices(self, stream: BinaryIO | TextIO, sink: DiagnosticSink, reader: Reader | None = None) -> Iterator[Invoice]:
        """The format's reader (or ``reader``) over ``stream`` (from ``stream()``), reporting into ``sink``.

        When the file yields no invoice and reading it found no error that says why (a
        format line and a header only, an XML root with nothing in it), that is reported
        too (``structure.no-invoice``).
        """
        start = len(sink.diagnostics)
        read = 0
        for invoice in (reader or self.format.read)(stream, sink.emit, sink.path):
            read += 1
            yield invoice
        if not read and not any(d.severity is Severity.ERROR for d in itertools.islice(sink.diagnostics, start, None)):
            report_no_invoice(sink.emit, self.format, self.head)

    @contextlib.contextmanager
    def binary(self) -> Iterator[BinaryIO]:
        """A new binary stream over the whole file."""
        if self._data is not None:
            self._reading = io.BytesIO(self._data)
            yield self._reading
        elif self._once is not None:
            self._reading = self._once
            try:
                yield self._once
            finally:
                self._close_once()
        else:
            with _open_binary(self.path) as stream:
                self._reading = stream
                yield stream

    def bytes_read(self) -> int | None:
        """How far the pass under way has read into the file, in bytes (None when that cannot be told)."""
        stream = self._reading
        try:
            raw = getattr(stream, "raw", stream)
            return raw.tell() if raw is not None and not raw.closed else None
        except (OSError, ValueError):
            return None

    def size(self) -> int | None:
        """The file's size in bytes (None for standard input, a pipe or a device)."""
        if self._data is not None:
            return len(self._data)
        if self._once is not None or str(self.path) == "-" or not _regular(self.path):
            return None
        try:
            return os.stat(self.path).st_size
        except OSError:
            return None

    @contextlib.contextmanager
    def stream(self) -> Iterator[BinaryIO | TextIO]:
        """The stream the format's reader takes: binary for a binary format, text otherwise."""
        try:
            with self.binary() as binary:
                yield binary if self.format.binary else text_stream(binary)
        except OSError as error:
            if error.errno in _WRITING_FAILED:  # a temporary file or the output, written while this is read
                raise
            raise LedesInputError(f"cannot read '{self.path}': {error.strerror or error}") from None

    def _close_once(self) -> None:
        if self._once is not None and str(self.path) != "-":
            self._once.close()
        self._once = None


# Errors of writing, never of reading a file: raised while a source is open, they are its reader's (a full disk).
_WRITING_FAILED = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EPIPE})


def _regular(path: str | os.PathLike[str]) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # opening it reports why it cannot be read


def input_path(path: object) -> str | os.PathLike[str]:
    """A path to read (bytes decoded as the file system does); a TypeError for anything else, such as a file
    descriptor, which would be read and then closed under its owner."""
    if isinstance(path, bytes):
        return os.fsdecode(path)
    if not isinstance(path, str) and not hasattr(path, "__fspath__"):
        raise TypeError(f"expected a path (str or os.PathLike), found {type(path).__name__}")
    return path


def check_readable(paths: list[str | os.PathLike[str]]) -> None:
    """LedesInputError for the first path that cannot be read (missing, a directory, not readable, standard input twice).

    Checked before a run starts, so that a run's output (one JSON or SARIF document) is
    never cut off by a later file that was never there. A file can still fail as it is
    read (it is removed meanwhile, a disk error): its reading reports that.
    """
    stdin_seen = False
    for path in paths:
        if str(path) == "-":
            if stdin_seen:
                raise LedesInputError(
                    f"cannot read '{path}': standard input is given more than once; it can be read only once")
            stdin_seen = True
            _open_stdin(path)
            continue
        try:
            status = os.stat(path)
        except OSError as error:
            raise LedesInputError(f"cannot read '{path}': {error.strerror or error}") from None
        if stat.S_ISDIR(status.st_mode):
            raise LedesInputError(f"cannot read '{path}': it is a directory")
        if not os.access(path, os.R_OK):
            raise LedesInputError(f"cannot read '{path}': Permission denied")


def named_format(key: str | Format | None) -> Format | None:
    """The format a ``--from`` key names (None for none; a ``Format`` is itself); LedesInputError for an unknown key."""
    if key is None or isinstance(key, Format):
        return key
    try:
        return format_named(key)
    except KeyError:
        raise LedesInputError(f"unknown format '{key}'") from None


def _open_binary(path: str | os.PathLike[str]) -> io.BufferedReader:
    """A peekable binary stream over a file, or over standard input for ``-``."""
    if str(path) == "-":
        return stdin_binary()  # type: ignore[return-value]
    try:
        return open(path, "rb")  # closed by the caller
    except IsADirectoryError:
        raise LedesInputError(f"cannot read '{path}': it is a directory") from None
    except OSError as error:
        raise LedesInputError(f"cannot read '{path}': {error.strerror or error}") from None


_stdin: dict[int, io.BufferedReader] = {}
_stdin_taken: weakref.WeakSet = weakref.WeakSet()


def _open_stdin(path: str | os.PathLike[str]) -> BinaryIO:
    """Standard input's binary stream; LedesInputError when the shell closed it (``0<&-``)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise LedesInputError(f"cannot read '{path}': standard input is closed")
    return cast(BinaryIO, stream)


def _take_stdin(path: str | os.PathLike[str]) -> None:
    """Mark standard input as read; LedesInputError when it already was (``ledes validate - -``): it can be read once."""
    buffer = _open_stdin(path)
    if buffer in _stdin_taken or buffer.closed:
        raise LedesInputError(f"cannot read '{path}': standard input is given more than once; it can be read only once")
    _stdin_taken.add(buffer)


def stdin_binary() -> BinaryIO:
    """Standard input as a binary stream that can be peeked at without consuming it."""
    buffer = sys.stdin.buffer
    if hasattr(buffer, "peek"):
        return buffer
    key = id(buffer)
    if key not in _stdin:
        _stdin.clear()
        _stdin[key] = io.BufferedReader(buffer)  # type: ignore[arg-type]
    return _stdin[key]


def xml_ceiling() -> int:
    """The largest XML document read (``xmlsafe.MAX_BYTES``), without importing lxml before a file needs it."""
    from ledes.formats.xmlsafe import MAX_BYTES

    return MAX_BYTES
