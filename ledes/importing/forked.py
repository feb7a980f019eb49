"""Validating the generated invoices in a forked process, on the second core, while this one builds and writes them.

The parent writes each invoice's text (it needs it for the output anyway) and sends it, with
the invoice's number and its lines' source rows, down a pipe; the child reads it back
through an ``InvoiceChecker`` exactly as the parent would have, in the same order, runs the
run-wide rules when the pipe closes, and sends its findings back. The pipe's buffer bounds
what is in flight, so memory stays flat; where the platform cannot fork
(``ledes.workers.can_fork``) or has one processor, the checking stays in the process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Iterator
from typing import BinaryIO

from ledes.config import Config
from ledes.errors import LedesError
from ledes.formats import Format
from ledes.importing.checking import Finding, InvoiceChecker, invoice_text
from ledes.model import Invoice
from ledes.workers import can_fork, how_ended, processors, stopped

_PIPE_BUFFER = 1 << 16


class ForkedChecker:
    """An ``InvoiceChecker`` in a child process: ``check`` sends each invoice's text, ``finish`` gathers the findings."""

    def __init__(self, target: Format, config: Config, path: str) -> None:
        self.target = target
        self.findings: list[Finding] = []
        texts_in, texts_out = os.pipe()
        findings_in, findings_out = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: it never returns from here
            os.close(texts_out)
            os.close(findings_in)
            _serve(InvoiceChecker(target, config, path), texts_in, findings_out)
        os.close(texts_in)
        os.close(findings_out)
        self._pid: int | None = pid
        self._texts: BinaryIO | None = open(texts_out, "wb", buffering=_PIPE_BUFFER)  # noqa: SIM115 (closed by finish)
        self._findings: BinaryIO | None = open(findings_in, "rb")  # noqa: SIM115 (closed by finish)

    @property
    def errors(self) -> int:
        return sum(finding.is_error for finding in self.findings)

    def check(self, invoice: Invoice, rows: list[int | None]) -> str:
        """Send one invoice, as it will be written, to be validated (``rows``: its line items' source rows); return
        its text in the target format."""
        assert self._texts is not None, "checked after finish"
        text = invoice_text(self.target, invoice)
        try:
            pickle.dump((text, invoice.number, rows), self._texts, pickle.HIGHEST_PROTOCOL)
        except BrokenPipeError:  # the child stopped reading: it raised, or ended
            self._texts = None
            self._outcome()
            raise LedesError("checking the generated invoices stopped before the last invoice") from None
        return text

    def finish(self) -> None:
        """Close the pipe of texts, then take the child's findings (the run-wide rules' last); raise what it raised."""
        assert self._texts is not None and self._findings is not None, "finished twice"
        with contextlib.suppress(BrokenPipeError):  # the child stopped reading: its outcome says why
            self._texts.close()
        self._texts = None
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
        """End the child (when it has not ended) and release the pipes; safe to call more than once."""
        stopped(self._pid, (self._texts, self._findings))  # stopped midway, the child's work is not wanted
        self._texts = self._findings = None
        self._pid = None



def _received(texts: BinaryIO) -> Iterator[tuple[str, object, list[int | None]]]:
    """Each (text, number, rows) the parent sent, until it closes the pipe."""
    while True:
        try:
            yield pickle.load(texts)
        except EOFError:
            return


def _serve(checker: InvoiceChecker, texts_fd: int, findings_fd: int) -> None:
    """The child's whole life: check every invoice sent, then the run-wide rules; send the findings, or the error."""
    status = 0
    try:
        with open(findings_fd, "wb") as back:
            try:
                with open(texts_fd, "rb", buffering=_PIPE_BUFFER) as texts:
                    checker.check_texts(_received(texts))
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
    checker = ForkedChecker(target, config, path)
    try:
        yield checker
    finally:
        checker.close()


# Tests turn this off to compare the forked checking with the checking in this process.
FORKING = True

__all__ = ["Checker", "ForkedChecker", "invoice_checker"]
