"""Validating the generated invoices in a forked process, on the second core, while this one builds and writes them.

The parent writes each invoice's text (it needs it for the output anyway) and hands it, with
the invoice's number and its lines' source rows, to the child, which reads it back through an
``InvoiceChecker`` exactly as the parent would have, in the same order, runs the run-wide
rules when the parent is done, and sends its findings back.

Invoices come in bursts (a billing period's, once its last row is read), and checking one costs
about what building it does: through a pipe, whose buffer holds a few invoices, the parent
would wait for the child through each burst and the child for the parent between them. So the
texts go through a ring of a few unnamed temporary files (``SPOOL_FILES`` of ``SPOOL_BYTES``),
each as its UTF-8 bytes (not pickled, not copied) after its pickled number and rows, and the
pipe carries only their sizes: the parent runs up to the ring's size ahead of the child, and
waits only to reuse a file the child has not finished. Memory stays flat (the ring is on disk)
and nothing is left behind. Where the platform cannot fork
(``ledes.workers.can_fork``) or has one processor, the checking stays in the process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from ledes.config import Config
from ledes.errors import LedesError
from ledes.formats import Format
from ledes.importing.checking import Finding, InvoiceChecker, Rows, invoice_text, line_kinds
from ledes.model import Invoice
from ledes.orphans import ending_with_parent
from ledes.workers import can_fork, how_ended, processors, stopped

SPOOL_FILES = 4  # temporary files in the ring
SPOOL_BYTES = 8 << 20  # texts written to one file before the next is taken
_SIZES = struct.Struct("<QQ")  # one invoice's pickled (number, rows, kinds) and text sizes in its file; 0, 0 for "the next file"


class ForkedChecker:
    """An ``InvoiceChecker`` in a child process: ``check`` hands on each invoice's text, ``finish`` gathers the findings."""

    def __init__(self, target: Format, config: Config, path: str) -> None:
        self.target = target
        self.findings: list[Finding] = []
        self._spools = [tempfile.TemporaryFile(buffering=0) for _ in range(SPOOL_FILES)]  # noqa: SIM115 (close)
        sizes_in, sizes_out = os.pipe()
        done_in, done_out = os.pipe()
        findings_in, findings_out = os.pipe()
        bound = ending_with_parent()
        pid = os.fork()
        if pid == 0:  # the child: it never returns from here
            bound()
            for end in (sizes_out, done_in, findings_in):
                os.close(end)
            _serve(InvoiceChecker(target, config, path), _Spool([f.fileno() for f in self._spools], sizes_in, done_out),
                   findings_out)
        for end in (sizes_in, done_out, findings_out):
            os.close(end)
        self._pid: int | None = pid
        self._sizes: BinaryIO | None = open(sizes_out, "wb", buffering=0)  # noqa: SIM115 (closed by finish)
        self._done: BinaryIO | None = open(done_in, "rb", buffering=0)  # noqa: SIM115 (closed by close)
        self._findings: BinaryIO | None = open(findings_in, "rb")  # noqa: SIM115 (closed by finish)
        self._file = 0  # texts handed on: the files left for the next (each file is self._file % SPOOL_FILES)
        self._written = 0  # bytes written to the current file
        self._finished = 0  # the files the child has finished

    @property
    def errors(self) -> int:
        return sum(finding.is_error for finding in self.findings)

    def check(self, invoice: Invoice, rows: list[int | None]) -> bytes:
        """Hand on one invoice, as it will be written, to be validated (``rows``: its line items' source rows); return
        its text in the target format (``invoice_text``)."""
        assert self._sizes is not None, "checked after finish"
        text = invoice_text(self.target, invoice)
        kinds = line_kinds(invoice) if self.target.binary else ""  # XML places its lines by kind (fee[k], expense[k])
        about = pickle.dumps((invoice.number, rows, kinds), pickle.HIGHEST_PROTOCOL)  # the text itself is not copied
        try:
            if self._written >= SPOOL_BYTES:
                self._next_file()
            spool = self._spools[self._file % SPOOL_FILES].fileno()
            _write_at(spool, about, self._written)
            _write_at(spool, text, self._written + len(about))
            self._written += len(about) + len(text)
            self._sizes.write(_SIZES.pack(len(about), len(text)))
        except BrokenPipeError:  # the child stopped reading: it raised, or ended
            self._stopped_early()
        except OSError as error:  # the temporary file: a full disk, say
            raise LedesError(f"checking the generated invoices: cannot write a temporary file:"
                             f" {error.strerror or error}") from None
        return text

    def _next_file(self) -> None:
        """Leave the current file for the next in the ring, once the child has finished the texts that one held."""
        assert self._sizes is not None and self._done is not None
        self._sizes.write(_SIZES.pack(0, 0))
        self._file += 1
        while self._finished <= self._file - SPOOL_FILES:
            finished = self._done.read(4096)
            if not finished:  # the child ended
                self._stopped_early()
            self._finished += len(finished)
        self._written = 0

    def _stopped_early(self) -> None:
        """The child stopped before the last invoice: what it raised is raised here, else a LedesError says so."""
        if self._sizes is not None:
            with contextlib.suppress(OSError):
                self._sizes.close()
        self._sizes = None
        self._outcome()
        raise LedesError("checking the generated invoices stopped before the last invoice")

    def finish(self) -> None:
        """Close the pipe of sizes, then take the child's findings (the run-wide rules' last); raise what it raised."""
        assert self._sizes is not None and self._findings is not None, "finished twice"
        with contextlib.suppress(BrokenPipeError):  # the child stopped reading: its outcome says why
            self._sizes.close()
        self._sizes = None
        self.findings = self._outcome()

    def _outcome(self) -> list[Finding]:
        """The child's findings once it has sent them and ended; what it raised is raised here."""
        assert self._findings is not None
        try:
            outcome, value = pickle.load(self._findings)
        except (EOFError, pickle.UnpicklingError):
            outcome, value = "ended", None
        status = os.waitpid(self._pid, 0)[1] if self._pid is not None else 0
        self._pid = None
        self.close()
        if outcome == "raised":
            raise value
        if outcome == "ended":
            raise LedesError("checking the generated invoices stopped: its process ended with"
                             f" {how_ended(status)}; nothing was written")
        return value

    def close(self) -> None:
        """End the child (when it has not ended) and release the pipes and files; safe to call more than once."""
        stopped(self._pid, (self._sizes, self._done, self._findings))  # stopped midway, the child's work is not wanted
        self._sizes = self._done = self._findings = None
        self._pid = None
        for spool in self._spools:
            spool.close()


def _write_at(spool: int, data: bytes, offset: int) -> None:
    """Write all of ``data`` to the file ``spool`` at ``offset``."""
    view = memoryview(data)
    while view:
        written = os.pwrite(spool, view, offset)
        view, offset = view[written:], offset + written


class _Spool:
    """The child's end of the ring: each text's size from the pipe, the text from its file, each file's end told back."""

    def __init__(self, spools: list[int], sizes: int, done: int) -> None:
        self.spools = spools
        self.sizes = sizes
        self.done = done

    def received(self) -> Iterator[tuple[bytes, object, Rows]]:
        """Each (text, number, rows with their kinds) the parent handed on, until it closes the pipe."""
        file, offset = 0, 0
        with open(self.sizes, "rb") as sizes:
            while len(head := sizes.read(_SIZES.size)) == _SIZES.size:
                about_size, text_size = _SIZES.unpack(head)
                if about_size == 0:  # the parent left this file for the next: it may now be written again
                    os.write(self.done, b"\1")
                    file, offset = (file + 1) % len(self.spools), 0
                    continue
                number, rows, kinds = pickle.loads(_read_at(self.spools[file], about_size, offset))
                text = _read_at(self.spools[file], text_size, offset + about_size)
                offset += about_size + text_size
                yield text, number, Rows(rows, kinds)


def _read_at(spool: int, size: int, offset: int) -> bytes:
    """The ``size`` bytes of the file ``spool`` at ``offset`` (the parent wrote them before it sent their size)."""
    parts = []
    while size:
        part = os.pread(spool, size, offset)
        if not part:
            raise LedesError("checking the generated invoices: a temporary file ended early")
        parts.append(part)
        size, offset = size - len(part), offset + len(part)
    return b"".join(parts)


def _serve(checker: InvoiceChecker, spool: _Spool, findings_fd: int) -> None:
    """The child's whole life: check every invoice handed on, then the run-wide rules; send the findings, or the error."""
    status = 0
    try:
        with open(findings_fd, "wb") as back:
            try:
                checker.check_texts(spool.received())
                checker.finish()
                outcome: tuple[str, object] = ("found", checker.findings)
            except Exception as error:  # handed to the parent, which raises it
                outcome = ("raised", error)
            try:
                pickle.dump(outcome, back, pickle.HIGHEST_PROTOCOL)
            except Exception as error:  # handed to the parent, which raises it
                pickle.dump(("raised", RuntimeError(f"import checking failed: {error!r}")), back)
    except BaseException:
        status = 1
    finally:
        os._exit(status)


Checker = InvoiceChecker | ForkedChecker


@contextlib.contextmanager
def invoice_checker(target: Format, config: Config, path: str) -> Iterator[Checker]:
    """The checker for one import: forked where the platform can fork and a second processor can run the child,
    else in this process (on one processor the child would only add its overhead); the child always reaped."""
    if not FORKING or not can_fork() or processors() < 2:
        yield InvoiceChecker(target, config, path)
        return
    try:
        checker: ForkedChecker | None = ForkedChecker(target, config, path)
    except OSError:  # no temporary file, pipe or process to be had: the checking stays in this process
        checker = None
    if checker is None:
        yield InvoiceChecker(target, config, path)
        return
    try:
        yield checker
    finally:
        checker.close()


# Tests turn this off to compare the forked checking with the checking in this process.
FORKING = True

__all__ = ["Checker", "ForkedChecker", "invoice_checker"]
