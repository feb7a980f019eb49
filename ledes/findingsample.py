"""What reading a file found, in bounded memory: every finding counted, the first of them and of its errors kept."""

from __future__ import annotations

from ledes.diagnostics import Diagnostic, Severity

KEPT = 100  # findings (and errors) a command that counts them and shows the first few keeps of a file


class FindingSample:
    """Keeps, of the findings a sink collects into its list, the first ``keep`` by line and the first ``keep`` errors.

    A file can hold a finding on every line (a bad date on each of millions): a command that
    only counts them and shows the first few (``ledes show``, ``ledes report``) holds no
    more than a few times ``keep``. The findings dropped are counted, by severity, so the
    totals stay exact; the ones kept are in the order they were found, so the first ``keep``
    by line, ties in the order found, are those of the whole list.
    """

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.dropped = 0
        self.dropped_errors = 0

    def add(self, found: list[Diagnostic], diagnostic: Diagnostic) -> None:
        """Append ``diagnostic`` to ``found``, which is cut back to the sample once it holds four times ``keep``."""
        found.append(diagnostic)
        if len(found) >= 4 * self.keep:
            self.cut(found)

    def cut(self, found: list[Diagnostic]) -> None:
        """Drop (in place) every finding of ``found`` but the first ``keep`` by line and the first ``keep`` errors."""
        order = sorted(range(len(found)), key=lambda index: found[index].line or 0)  # stable: ties as found
        kept = set(order[: self.keep])
        kept.update([index for index in order if found[index].severity is Severity.ERROR][: self.keep])
        for index, diagnostic in enumerate(found):
            if index not in kept:
                self.dropped += 1
                self.dropped_errors += diagnostic.severity is Severity.ERROR
        found[:] = [found[index] for index in sorted(kept)]

    def counts(self, found: list[Diagnostic]) -> tuple[int, int]:
        """How many findings and how many errors there were in all, ``found`` holding those kept."""
        errors = sum(diagnostic.severity is Severity.ERROR for diagnostic in found)
        return self.dropped + len(found), self.dropped_errors + errors
