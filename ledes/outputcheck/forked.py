"""Convert's output check on a second processor: a forked child reads the output back as this process writes it.

The parent writes each piece of the output's text and sends it down a pipe; on the way it
checks the text against its format's schema in one streaming pass (``Format.valid``: the
precheck ``ledes validate`` runs first). The child reads the same bytes with the format's
reader as ``ledes validate`` then would (its findings) and compares each invoice read back
with the source's, read again and prepared as written (the losses), as
``validated_with_losses`` does once the output is written; then it sends both back. So
the work is shared between two processors and what is found is what one process finds:
where the text is not valid, or does not give back one invoice for each written, the
output is checked again once written (``validated_with_losses``). A source too large for
its output to be validated as written (``checked_as_written``) has its output read back
whole by the child, for its losses only. The pipe's buffer bounds what is in flight, so
memory stays flat. Where the platform cannot fork (``ledes.workers.can_fork``), one
processor is free, or the source is small or read once, the check stays in one process.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import BinaryIO, TextIO, cast

import attrs

from ledes.diagnostics import Diagnostic
from ledes.errors import LedesError
from ledes.formats import Format, WriteOptions
from ledes.model import Invoice
from ledes.orphans import ending_with_parent
from ledes.outputcheck import AsWritten, checked_as_written, compared_losses, validated
from ledes.spooled import Records
from ledes.workers import can_fork, how_ended, processors, stopped

MIN_BYTES = 4 << 20  # a smaller source is converted before a second process would pay for itself
_PIPE_BUFFER = 1 << 16
_PIPE_SIZE = 1 << 20  # Linux's default most for a pipe (/proc/sys/fs/pipe-max-size)
_LOSSES_SENT = 256  # findings or losses pickled at once: a batch, not the whole list, is in memory on each side
_UNBOUNDED = sys.maxsize  # the output read back whole is ours: read to its end, whatever its size

# What the child found: the findings of ``ledes validate`` on the output (None when read back whole for its
# losses only), the losses, and whether the output gave back more or fewer invoices than the source holds.
ChildOutcome = tuple[Sequence[Diagnostic] | None, Sequence[Diagnostic], bool]
ChildFound = tuple[Sequence[Diagnostic] | None, Records[Diagnostic], bool]  # the losses on disk past a bound
Checked = tuple[Sequence[Diagnostic], Sequence[Diagnostic]]


def forks_check(source: str | os.PathLike[str], writer: Format) -> bool:
    """Whether ``convert`` checks its output in a forked child: a target that gives its text in pieces and is read
    back for its losses, a regular source of at least ``MIN_BYTES``, a platform that forks and a second processor."""
    return (FORKING and writer.texts is not None and writer.valid is not None and can_fork() and processors() >= 2
            and os.path.getsize(source) >= MIN_BYTES)


class ForkedCheck:
    """The output written here, checked by a forked child as it is written (see the module docstring)."""

    def __init__(self, writer: Format, out: TextIO, source: str | os.PathLike[str], format: str | None,
                 options: WriteOptions) -> None:
        self.writer = writer
        self.out = out
        self.whole = not checked_as_written(source, writer)  # read back whole by the child, for its losses only
        texts_in, texts_out = os.pipe()
        with contextlib.suppress(OSError, AttributeError):  # room for a few invoices: neither waits on the other often
            fcntl.fcntl(texts_out, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
        outcome_in, outcome_out = os.pipe()
        for stream in (sys.stdout, sys.stderr, out):  # what a child inherits unwritten would be written twice
            stream.flush()
        bound = ending_with_parent()
        pid = os.fork()
        if pid == 0:  # the child: it never returns from here
            bound()  # and its SIGTERM handler, inherited, removes the unfinished output
            os.close(texts_out)
            os.close(outcome_in)
            _serve(functools.partial(_read_back, writer, out.name, source, format, options, self.whole),
                   texts_in, outcome_out)
        os.close(texts_in)
        os.close(outcome_out)
        self._pid: int | None = pid
        self._texts: BinaryIO | None = open(texts_out, "wb", buffering=_PIPE_BUFFER)  # noqa: SIM115 (closed by close)
        self._outcome_stream: BinaryIO | None = open(outcome_in, "rb")  # noqa: SIM115 (closed by close)

    def check(self, invoices: Iterable[Invoice]) -> tuple[Checked | None, tuple[Sequence[Diagnostic], bool] | None]:
        """Write ``invoices`` (prepared) and have them checked: the findings and losses, else None (checked again once
        written); and for an output read back whole, its losses and whether it gave back one invoice for each."""
        try:
            teed = _Teed(self.writer, self.out, self._send)
            teed.pieces = cast(Callable[[Iterable[Invoice]], Iterator[str]], self.writer.texts)(invoices)
            valid = False
            if not self.whole:
                valid = cast(Callable[[BinaryIO], bool], self.writer.valid)(cast(BinaryIO, teed))
            while teed._next_piece() is not None:  # the rest, when the schema's pass stopped short
                pass
            if teed.error is not None:
                raise teed.error
            findings, dropped, unmatched = self._finished()
        finally:
            self.close()
        if self.whole:
            return None, (dropped, unmatched)
        return ((findings, dropped) if valid and findings is not None and not unmatched else None), None

    def _send(self, data: bytes) -> None:
        """A piece of the output's text to the child; none once it has stopped reading (its outcome says why)."""
        if self._texts is None:
            return
        try:
            self._texts.write(data)
        except BrokenPipeError:
            with contextlib.suppress(OSError):
                self._texts.close()
            self._texts = None

    def _finished(self) -> ChildOutcome:
        """The child's outcome once the text has all been sent and it has ended; what it raised is raised here."""
        if self._texts is not None:
            with contextlib.suppress(BrokenPipeError):  # the child stopped reading: its outcome says why
                self._texts.close()
            self._texts = None
        stream = self._outcome_stream
        assert stream is not None
        try:
            kind, value = pickle.load(stream)
            if kind == "found":  # then the findings and the losses, each a batch at a time and None
                validated, unmatched = value
                findings: Records[Diagnostic] = Records()  # on disk past a bound, as in the child
                dropped: Records[Diagnostic] = Records()
                failed = _received(stream, findings) or _received(stream, dropped)
                if failed is not None:  # sending them failed: the child's error
                    kind, value = failed
                else:
                    value = (findings if validated else None, dropped, unmatched)
        except (EOFError, pickle.UnpicklingError):
            kind, value = "ended", None
        status = os.waitpid(self._pid, 0)[1] if self._pid is not None else 0
        self._pid = None
        if kind == "raised":
            raise value
        if kind == "ended":
            raise LedesError(f"checking the converted output stopped: its process ended with {how_ended(status)}")
        return cast(ChildOutcome, value)

    def close(self) -> None:
        """End the child (when it has not ended) and release the pipes; safe to call more than once."""
        stopped(self._pid, (self._texts, self._outcome_stream))  # stopped midway, the child's work is not wanted
        self._texts = self._outcome_stream = None
        self._pid = None


class _Teed(AsWritten):
    """``AsWritten``'s pull of the writer's text, each piece also sent to the child."""

    def __init__(self, writer: Format, out: TextIO, send: Callable[[bytes], None]) -> None:
        super().__init__(writer, out)
        self.keeping = False  # the child compares each invoice with the source's, read again
        self.send = send

    def _next_piece(self) -> bytes | None:
        data = super()._next_piece()
        if data is not None:
            self.send(data)
        return data


def _read_back(writer: Format, written: str, source: str | os.PathLike[str], format: str | None,
               options: WriteOptions, whole: bool, texts: BinaryIO) -> ChildFound:
    """The child's work: the text read as ``ledes validate`` reads it after its precheck (or whole), each invoice
    compared with the source's (``compared_losses``)."""
    read = cast(Callable[..., Iterator[Invoice]], writer.read)
    reports = []
    losses: Records[Diagnostic] = Records()  # on disk past a bound, so the child's memory stays flat

    def validated_over_pipe(compare: Callable[[Invoice], None]) -> None:
        over_pipe = attrs.evolve(writer, precheck=None, read=lambda _file, emit, path: read(texts, emit, path))
        reports.append(validated(written, over_pipe, compare))

    def read_whole(compare: Callable[[Invoice], None]) -> None:
        for again in read(texts, lambda *args, **kwargs: None, None, max_bytes=_UNBOUNDED):
            compare(again)

    _, unmatched = compared_losses(read_whole if whole else validated_over_pipe, writer, source, format, options, losses.append)
    return (reports[0].diagnostics if reports else None), losses, unmatched


def _serve(work: Callable[[BinaryIO], ChildFound], texts_fd: int, outcome_fd: int) -> None:
    """The child's whole life: read the text sent to its end, then send what it found (whether it validated, and
    whether the output matched; then its findings and its losses, each in batches, ``_send``), or the error it raised."""
    status = 0
    try:
        with open(outcome_fd, "wb") as back:
            losses: Records[Diagnostic] = Records()
            try:
                with open(texts_fd, "rb", buffering=_PIPE_BUFFER) as texts:
                    findings, losses, unmatched = work(texts)
                    outcome: tuple[str, object] = ("found", (findings is not None, unmatched))
                    while texts.read(_PIPE_BUFFER):  # what the reading left: the parent writes to its end
                        pass
            except Exception as error:  # handed to the parent, which raises it
                outcome = ("raised", error)
            try:
                pickle.dump(outcome, back, pickle.HIGHEST_PROTOCOL)
                if outcome[0] == "found":
                    _send(findings or (), back)
                    _send(losses, back)
                losses.close()
            except Exception as error:  # handed to the parent, which raises it
                pickle.dump(("raised", RuntimeError(f"checking the converted output failed: {error!r}")), back)
    except BaseException:
        status = 1
    finally:
        os._exit(status)



def _send(diagnostics: Iterable[Diagnostic], back: BinaryIO) -> None:
    """The findings pickled ``_LOSSES_SENT`` at a time, then None: neither process holds them all at once."""
    batch: list[Diagnostic] = []
    for diagnostic in diagnostics:
        batch.append(diagnostic)
        if len(batch) == _LOSSES_SENT:
            pickle.dump(batch, back, pickle.HIGHEST_PROTOCOL)
            batch = []
    pickle.dump(batch, back, pickle.HIGHEST_PROTOCOL)
    pickle.dump(None, back)


def _received(stream: BinaryIO, kept: Records[Diagnostic]) -> tuple[str, object] | None:
    """Each batch ``_send`` sent, appended to ``kept``; the child's error instead when sending them failed."""
    while (batch := pickle.load(stream)) is not None:
        if isinstance(batch, tuple):
            return batch
        for diagnostic in batch:
            kept.append(diagnostic)
    return None


# Tests turn this off to compare the forked check with the check in one process.
FORKING = True

__all__ = ["MIN_BYTES", "ForkedCheck", "forks_check"]
