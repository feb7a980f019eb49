"""A file's findings held until they are told sorted by line: a bounded number in memory, the rest on disk.

The engine tells a file's findings sorted by line, up to ``engine.WINDOW`` of them at a
time. Held as objects, a full window was about 10 MB: a run with many findings grew by
that much once it had that many. Here the findings of invoices read to their end wait
in sorted batches (``spill``), pickled to one temporary file; ``told`` merges the
batches with the findings still in memory. Ties on a line keep the order the findings
were spilled in, then the order of those in memory: a stable sort of the whole.
"""

from __future__ import annotations

import heapq
import pickle
from collections.abc import Iterator
from typing import IO

from ledes.diagnostics import Diagnostic

Told = tuple[Diagnostic, "str | None"]  # a finding, with the currency of its invoice


def _line(diagnostic: Diagnostic) -> int:
    return diagnostic.line or 0


class HeldFindings:
    """Findings in sorted batches on disk, each with its invoice's currency, merged back by line (``told``)."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None  # made on the first spill
        self._batches: list[tuple[int, int]] = []  # where each batch starts in the file, and its length
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def spill(self, findings: list[Told]) -> None:
        """Write ``findings`` (in the order they were reported) as one batch, sorted by line."""
        if not findings:
            return
        if self._file is None:
            import tempfile

            self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        start = self._file.seek(0, 2)
        for finding in sorted(findings, key=lambda told: _line(told[0])):
            pickle.dump(finding, self._file, pickle.HIGHEST_PROTOCOL)
        self._batches.append((start, len(findings)))
        self._count += len(findings)

    def told(self, rest: list[Told]) -> Iterator[Told]:
        """Every finding spilled, then ``rest`` (sorted here), merged by line; emptied for the next window."""
        batches = [self._batch(start, count) for start, count in self._batches]
        in_memory = sorted(rest, key=lambda told: _line(told[0]))
        yield from heapq.merge(*batches, in_memory, key=lambda told: _line(told[0]))
        self._batches = []
        self._count = 0
        if self._file is not None:
            self._file.seek(0)
            self._file.truncate()

    def _batch(self, start: int, count: int) -> Iterator[Told]:
        """One batch's findings, read one at a time (another batch's reading moves the file's position)."""
        assert self._file is not None
        file = self._file
        for _ in range(count):
            file.seek(start)
            finding: Told = pickle.load(file)
            start = file.tell()
            yield finding

    def __enter__(self) -> HeldFindings:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the temporary file."""
        if self._file is not None:
            self._file.close()
            self._file = None
