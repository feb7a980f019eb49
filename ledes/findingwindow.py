"""A file's findings passed on to its listener sorted by line, a window at a time: memory bounded whatever the file."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ledes.diagnostics import Diagnostic, DiagnosticSink
from ledes.listeners import line_key
from ledes.results import Listener

if TYPE_CHECKING:  # imported when findings first wait on disk: a plain start does without tempfile
    from ledes.spooled import Records

# While the reader reads on without an invoice's end (records it skips, one invoice of very many lines), the findings
# held reach this many more than a window (about 4 MB of them): those that can be told are told from inside the
# reading, the rest wait on disk.
READING_HELD = 10_000


class FindingWindow:
    """The findings a file's sink holds, told to ``listener`` sorted by line, a window (``size``) at a time.

    A finding of an invoice not read to its end is held back (its currency is not known
    until then); held back past ``READING_HELD`` more than a window, such findings wait on disk
    (``Records``) and are merged, sorted on disk, into the window told once their invoice
    ends. ``cancel`` is called before a window is told from inside the reading (a file read
    in halves is then read in one process, which alone tells its findings so).
    """

    def __init__(self, sink: DiagnosticSink, listener: Listener, currencies: Mapping[str, str | None], size: int,
                 cancel: Callable[[], None] | None = None) -> None:
        self.sink = sink
        self.listener = listener
        self.currencies = currencies
        self.size = size
        self.cancel = cancel
        self.waiting: Records[Diagnostic] | None = None
        self._known = 0  # the invoices read to their end when the findings waiting were last looked through
        sink.bound(size + READING_HELD, self._full)

    def full(self) -> bool:
        """Whether the findings held fill a window (checked between invoices)."""
        return len(self.sink.diagnostics) >= self.size

    def tell_window(self) -> None:
        """Tell the findings held while the file is still read (those of an unfinished invoice kept back)."""
        if self.cancel is not None:
            self.cancel()
        self.pass_on(window=True)

    def pass_on(self, window: bool = False) -> None:
        """The findings held, sorted by line, to the listener, each with its invoice's currency; with ``window`` (the
        file is still being read) those of an invoice not read to its end are kept back."""
        sink, currencies = self.sink, self.currencies
        if self.waiting is not None and (not window or len(currencies) != self._known):  # some may be told now
            self._pass_on_waiting(window)
            return
        held = [d for d in sink.diagnostics if window and _unfinished(d, currencies)]
        kept = {id(d) for d in held}
        for diagnostic in sorted((d for d in sink.diagnostics if id(d) not in kept), key=line_key):
            self.listener.finding(diagnostic, currencies.get(diagnostic.invoice or ""))
        sink.diagnostics[:] = held

    def _full(self) -> None:
        """The reader has reported a window and ``READING_HELD`` more without an invoice's end: tell what can be told,
        and move what is kept back to disk."""
        self.tell_window()
        diagnostics = self.sink.diagnostics
        if len(diagnostics) >= self.size:  # kept back: one invoice of very many findings is being read
            from ledes.spooled import Records

            if self.waiting is None:
                self.waiting = Records()
            for diagnostic in diagnostics:
                self.waiting.append(diagnostic)
            diagnostics.clear()
            self._known = len(self.currencies)

    def _pass_on_waiting(self, window: bool) -> None:
        """``pass_on`` with findings waiting on disk: merged with those held, sorted on disk."""
        from ledes.spooled import Records, sorted_records

        waiting, currencies = self.waiting, self.currencies
        assert waiting is not None
        ready: Records[Diagnostic] = Records()
        still: Records[Diagnostic] = Records()
        for diagnostic in itertools.chain(waiting, self.sink.diagnostics):
            (still if window and _unfinished(diagnostic, currencies) else ready).append(diagnostic)
        waiting.close()
        self.sink.diagnostics.clear()
        told = sorted_records(ready, line_key)
        for diagnostic in told:
            self.listener.finding(diagnostic, currencies.get(diagnostic.invoice or ""))
        told.close()
        ready.close()
        self._known = len(currencies)
        if len(still):
            self.waiting = still
        else:
            still.close()
            self.waiting = None


def _unfinished(diagnostic: Diagnostic, currencies: Mapping[str, str | None]) -> bool:
    """Whether a finding is of an invoice not read to its end (its currency not known yet)."""
    return diagnostic.invoice is not None and diagnostic.invoice not in currencies
