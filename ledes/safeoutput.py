"""Writing an output file safely: regular files only, never an input, atomically, its mode kept, no temp file left.

Every command that writes a file (``convert``, ``import``, ``report -o``) writes through
``atomic_output``:

- ``-`` is standard output: the text is written whole to a temporary file first, then
  copied to standard output, so nothing is written when the command refuses half way.
- A path that names a directory, a device, a FIFO or a socket is refused
  (LedesWriteError); so is a symbolic link to nothing. A symbolic link to a regular
  file is followed: its target is replaced atomically, and the link stays.
- A path that names a file the command reads (by any path: a hard link, a symbolic
  link, ``./a`` for ``a``; compared by device and inode) is refused.
- The text goes to a temporary file beside the real target and is renamed over it only
  when complete, so the file appears whole or not at all; a file that existed keeps
  its permission bits.
- The temporary file is removed on any exception (KeyboardInterrupt included) and on
  SIGTERM and SIGHUP, after which the signal takes its usual course.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import stat
import sys
from collections.abc import Iterable, Iterator
from types import FrameType
from typing import TextIO

from ledes.errors import LedesWriteError

STDOUT = "-"
PathLike = str | os.PathLike[str]

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def writable_target(target: PathLike, inputs: Iterable[PathLike | None] = ()) -> str:
    """The real path ``target`` is written to; LedesWriteError when it is not a regular file or is one of ``inputs``.

    ``-`` stands for standard output and is returned as it is. Inputs that are ``-``,
    None or do not exist (a preset's name, say) are passed over.
    """
    if str(target) == STDOUT:
        stdout_apart_from(inputs)
        return STDOUT
    path = os.fspath(target)
    if path.endswith((os.sep, os.altsep or os.sep)):  # "out.txt/" names a directory, never the file out.txt
        raise LedesWriteError(f"cannot write '{path}': a path ending in '{path[-1]}' names a directory; ledes writes"
                              " only regular files")
    try:
        status = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise LedesWriteError(f"cannot write '{path}': it is a symbolic link to a file that does not exist;"
                                  " ledes writes only regular files") from None
        status = None
    except OSError as error:
        raise LedesWriteError(f"cannot write '{path}': {error.strerror or error}") from None
    if status is not None:
        for test, kind in _KINDS:
            if test(status.st_mode):
                raise LedesWriteError(f"cannot write '{path}': it is {kind}; ledes writes only regular files")
        for given in inputs:
            if given is None:
                continue
            try:  # standard input (``-``) redirected from a file (``< invoice.txt``) is that file
                read = os.fstat(sys.stdin.fileno()) if str(given) == STDOUT else os.stat(given)
            except (OSError, ValueError, AttributeError):
                continue
            if (read.st_dev, read.st_ino) == (status.st_dev, status.st_ino):
                if str(given) == STDOUT:
                    raise LedesWriteError(f"refusing to overwrite '{path}': standard input is read from it;"
                                          " choose another output")
                raise LedesWriteError(f"refusing to overwrite the input file '{os.fsdecode(given)}';"
                                      " choose another output")
    return os.path.realpath(path)


def stdout_apart_from(inputs: Iterable[PathLike | None]) -> None:
    """LedesWriteError when standard output is redirected to one of ``inputs`` (``>> invoice.txt``): written there, the
    output would be added to the file being read (and read again, by a command that writes as it reads)."""
    try:
        written = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no standard output, or a stream without a descriptor (a test's)
        return
    if not stat.S_ISREG(written.st_mode):
        return
    for given in inputs:
        if given is None or str(given) == STDOUT:
            continue
        try:
            read = os.stat(given)
        except (OSError, ValueError):
            continue
        if (read.st_dev, read.st_ino) == (written.st_dev, written.st_ino):
            raise LedesWriteError(f"refusing to write to standard output: it is redirected to the input file"
                                  f" '{os.fsdecode(given)}'; choose another output")


@contextlib.contextmanager
def atomic_output(target: PathLike, inputs: Iterable[PathLike | None] = ()) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content replaces ``target`` (or goes to standard output for ``-``) once complete.

    Raises LedesWriteError, before anything is written, when ``target`` may not be
    written (see ``writable_target``); on any exception the temporary file is removed and
    ``target`` is left as it was. The stream's ``name`` is the temporary file's path, so
    the complete text can be read back before it is put in place.
    """
    import tempfile  # only when writing: validating needs none of it

    real = writable_target(target, inputs)
    to_stdout = real == STDOUT
    directory = tempfile.gettempdir() if to_stdout else os.path.dirname(real)
    name = "stdout" if to_stdout else os.path.basename(real)
    with _signals_remove_temporaries():
        try:
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
        except OSError as error:
            raise LedesWriteError(_cannot_write(target, error)) from None
        _pending.append(temporary)
        try:
            with io.TextIOWrapper(io.BufferedWriter(_Output(handle, temporary, target)), encoding="utf-8",
                                  newline="") as out:
                yield out
                out.flush()
                if to_stdout:
                    _copy_to_stdout(temporary)
                else:
                    _sync(out, target)
            if not to_stdout:
                try:
                    os.chmod(temporary, _mode_for(real))
                    os.replace(temporary, real)
                except OSError as error:
                    raise LedesWriteError(_cannot_write(target, error)) from error
        finally:
            _pending.remove(temporary)
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _sync(out: TextIO, target: PathLike) -> None:
    try:
        os.fsync(out.fileno())
    except OSError as error:
        raise LedesWriteError(_cannot_write(target, error)) from error


def _copy_to_stdout(temporary: str) -> None:
    import shutil

    sys.stdout.flush()
    with open(temporary, "rb") as complete:
        shutil.copyfileobj(complete, sys.stdout.buffer)
    sys.stdout.buffer.flush()


def _mode_for(real: str) -> int:
    """An existing file's permission bits; for a new file, those the umask leaves of 0666."""
    try:
        return stat.S_IMODE(os.stat(real).st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


_pending: list[str] = []
_CAUGHT = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _remove_and_resend(signum: int, frame: FrameType | None) -> None:
    """Remove the temporary files being written, then let the signal do what it would have done."""
    for temporary in _pending:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


@contextlib.contextmanager
def _signals_remove_temporaries() -> Iterator[None]:
    """Meanwhile, SIGTERM and SIGHUP remove the temporary files in ``_pending`` (SIGINT is a KeyboardInterrupt).

    Handlers can be set in the main thread only; elsewhere a temporary file is removed on
    exceptions alone.
    """
    previous = {}
    try:
        for signum in _CAUGHT:
            with contextlib.suppress(ValueError):  # not the main thread
                previous[signum] = signal.signal(signum, _remove_and_resend)
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class _Output(io.FileIO):
    """The temporary file: a failed write (a full disk, say) is a LedesWriteError, not a bare OSError.

    Only writes to the output are translated; an OSError raised by the caller's own code
    while the output is open stays what it is.
    """

    def __init__(self, handle: int, temporary: str, target: PathLike) -> None:
        super().__init__(handle, "w")
        self.name = temporary
        self.target = target

    def write(self, data) -> int | None:  # type: ignore[override]
        try:
            return super().write(data)
        except OSError as error:
            raise LedesWriteError(_cannot_write(self.target, error)) from error


def _cannot_write(path: PathLike, error: OSError) -> str:
    return f"cannot write '{os.fsdecode(path)}': {error.strerror or error}"
