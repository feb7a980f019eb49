"""The run's own findings (the ``finish`` of run-wide rules), by file and line, in bounded memory.

``time.daily-hours`` reports once the run's last file is read, and its findings are told
with each file's own, in line order. A run of a million line items can hold tens of
thousands of them; here they are sorted a batch at a time and each sorted batch is
pickled to a temporary file, with where each file's findings start in it. Reading one
file's findings back merges the batches, a finding at a time: memory holds one batch
and one finding per spilled batch, however many there are.
"""

from __future__ import annotations

import heapq
import pickle
from collections.abc import Iterator
from typing import IO

from ledes.diagnostics import Diagnostic

BATCH = 512  # findings kept in memory before a sorted batch is written out

_Key = tuple[int, int]  # (line, order reported): findings on one line keep the order they were reported in


def _path(diagnostic: Diagnostic) -> str:
    return diagnostic.location.path or "" if diagnostic.location else ""


def _key(diagnostic: Diagnostic, order: int) -> _Key:
    return (diagnostic.location.line or 0 if diagnostic.location else 0, order)


class _Batch:
    """One sorted batch on disk: each file's findings, in line order, as consecutive pickles."""

    def __init__(self, entries: list[tuple[str, _Key, Diagnostic]]) -> None:
        import tempfile  # only a run with a batch of such findings needs it

        self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the LateFindings)
        self.sections: dict[str, tuple[int, int]] = {}  # path -> (offset, count)
        entries.sort(key=lambda entry: (entry[0], entry[1]))
        for path, key, diagnostic in entries:
            offset, count = self.sections.get(path, (self.file.tell(), 0))
            self.sections[path] = (offset, count + 1)
            pickle.dump((key, diagnostic), self.file, pickle.HIGHEST_PROTOCOL)
        self.file.flush()

    def of(self, path: str) -> Iterator[tuple[_Key, Diagnostic]]:
        """The batch's findings on ``path``, in line order, read one at a time."""
        offset, count = self.sections.get(path, (0, 0))
        for _ in range(count):
            self.file.seek(offset)  # another file's reading may have moved the position
            entry = pickle.load(self.file)
            offset = self.file.tell()
            yield entry

    def close(self) -> None:
        self.file.close()


class LateFindings:
    """Findings reported after the run's last file, given back per file in line order (see the module's docstring)."""

    def __init__(self) -> None:
        self._pending: list[tuple[str, _Key, Diagnostic]] = []
        self._batches: list[_Batch] = []
        self._reported = 0

    def add(self, diagnostic: Diagnostic) -> None:
        """Keep a finding; a full batch is sorted and written out."""
        self._pending.append((_path(diagnostic), _key(diagnostic, self._reported), diagnostic))
        self._reported += 1
        if len(self._pending) >= BATCH:
            self._batches.append(_Batch(self._pending))
            self._pending = []

    def of(self, path: str) -> Iterator[Diagnostic]:
        """The findings on ``path`` (a finding with no location: on ""), in line order; those on one line as reported."""
        held = sorted((key, diagnostic) for found, key, diagnostic in self._pending if found == path)
        merged = heapq.merge(held, *(batch.of(path) for batch in self._batches), key=lambda entry: entry[0])
        return (diagnostic for _, diagnostic in merged)

    def close(self) -> None:
        """Remove the temporary files."""
        for batch in self._batches:
            batch.close()
        self._batches = []

    def __enter__(self) -> LateFindings:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
