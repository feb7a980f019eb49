"""Opening invoice files for reading (format detection included) and writing them atomically."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from ledes.errors import LedesInputError, LedesWriteError
from ledes.formats.registry import Format, detect_format, format_named
from ledes.formats.textio import text_stream

_PEEK = 4096


@contextlib.contextmanager
def open_source(path: str | os.PathLike[str], format: str | None = None) -> Iterator[tuple[TextIO, Format]]:
    """Open a file (``-`` for standard input) as text, with its format detected from its content.

    ``format`` (a key such as ``1998b``) overrides detection. Raises LedesInputError when
    the file cannot be opened or read.
    """
    try:
        chosen = format_named(format) if format else None
    except KeyError:
        raise LedesInputError(f"unknown format '{format}'") from None
    try:
        binary = stdin_binary() if str(path) == "-" else open(path, "rb")  # noqa: SIM115
    except IsADirectoryError:
        raise LedesInputError(f"cannot read '{path}': it is a directory") from None
    except OSError as error:
        raise LedesInputError(f"cannot read '{path}': {error.strerror or error}") from None
    try:
        stream = text_stream(binary)
        if chosen is None:
            # In the stream's own encoding: a UTF-16 file (Excel's "Unicode text") read as
            # UTF-8 shows NULs between the letters of its format line, and no format matches.
            head = stream.buffer.peek(_PEEK)[:_PEEK].decode(stream.encoding, "replace")  # type: ignore[attr-defined]
            chosen = detect_format(head)
        yield stream, chosen
    except OSError as error:
        raise LedesInputError(f"cannot read '{path}': {error.strerror or error}") from None
    finally:
        if str(path) != "-":
            binary.close()


_stdin: dict[int, io.BufferedReader] = {}


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


def looks_like_xml(path: str | os.PathLike[str]) -> bool:
    """True when a file's first non-blank character is ``<`` (in UTF-8 or UTF-16): an XML file, not a pipe one."""
    try:
        if str(path) == "-":
            head = stdin_binary().peek(512)[:512]  # type: ignore[attr-defined]
        elif not stat.S_ISREG(os.stat(path).st_mode):
            return False  # a named pipe cannot be read twice: it is read as a pipe-delimited file
        else:
            with open(path, "rb") as binary:
                head = binary.read(512)
    except OSError:
        return False  # the reader reports why the file cannot be read
    for mark, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(mark):
            head = head[len(mark):].decode(encoding, "ignore").encode("utf-8")
            break
    return head.lstrip().startswith(b"<")


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """Write a text file through a temporary file beside it, renamed into place only when complete.

    On any exception the temporary file is removed and ``path`` is left as it was.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise LedesWriteError(f"cannot write '{path}': {error.strerror or error}") from None
    try:
        with io.TextIOWrapper(io.BufferedWriter(_Output(handle, path)), encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            try:
                os.fsync(out.fileno())
            except OSError as error:
                raise LedesWriteError(_cannot_write(path, error)) from error
        try:
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, target)
        except OSError as error:
            raise LedesWriteError(_cannot_write(path, error)) from error
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class _Output(io.FileIO):
    """The temporary file: a failed write (a full disk, say) is a LedesWriteError, not a bare OSError.

    Only writes to the output are translated; an OSError raised by the caller's own code
    while the output is open stays what it is.
    """

    def __init__(self, handle: int, target: str | os.PathLike[str]) -> None:
        super().__init__(handle, "w")
        self.target = target

    def write(self, data) -> int | None:  # type: ignore[override]
        try:
            return super().write(data)
        except OSError as error:
            raise LedesWriteError(_cannot_write(self.target, error)) from error


def _cannot_write(path: str | os.PathLike[str], error: OSError) -> str:
    return f"cannot write '{path}': {error.strerror or error}"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """True when two paths name the same existing file."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
