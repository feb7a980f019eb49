"""Ordering entries by invoice in bounded memory: sorted runs spilled to temporary files, then merged."""

from __future__ import annotations

import functools
import heapq
import itertools
import operator
import pickle
import tempfile
from collections.abc import Iterator
from typing import BinaryIO, Self

from ledes.importing.entries import Entry

RUN_SIZE = 50_000  # entries held in memory before a sorted run is spilled to disk
_BATCH = 2_000  # entries per pickle in a run, read back one batch at a time
invoice_key = operator.itemgetter(0, 1, 2)  # billing period, client, matter


class EntrySorter:
    """Collects entries and gives them back sorted by (period, client, matter, row).

    Up to ``run_size`` entries are kept in memory; beyond that each full buffer is sorted
    and written to an anonymous temporary file, and the runs are merged at the end, so
    memory holds one buffer, not the whole source.
    """

    def __init__(self, run_size: int = RUN_SIZE) -> None:
        self.run_size = run_size
        self.buffer: list[Entry] = []
        self.runs: list[BinaryIO] = []
        self.count = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        for run in self.runs:
            run.close()
        self.runs.clear()

    def add(self, entry: Entry) -> None:
        self.buffer.append(entry)
        self.count += 1
        if len(self.buffer) >= self.run_size:
            self._spill()

    def sorted(self) -> Iterator[Entry]:
        """Every entry added, in invoice order."""
        if not self.runs:
            self.buffer.sort()
            entries, self.buffer = self.buffer, []
            return iter(entries)
        if self.buffer:
            self._spill()
        return heapq.merge(*(_read_run(run) for run in self.runs))

    def _spill(self) -> None:
        """Sort the buffer and write it out as plain tuples (pickled faster, and read back faster, than Entry)."""
        self.buffer.sort()
        run = tempfile.TemporaryFile()  # noqa: SIM115 - kept open until the merge; closed by __exit__
        buffer = self.buffer
        for start in range(0, len(buffer), _BATCH):
            pickle.dump(list(map(tuple, buffer[start:start + _BATCH])), run, protocol=pickle.HIGHEST_PROTOCOL)
        run.seek(0)
        self.runs.append(run)
        self.buffer = []


def _read_run(run: BinaryIO) -> Iterator[Entry]:
    make = functools.partial(tuple.__new__, Entry)  # Entry._make without its Python frame
    while True:
        try:
            batch = pickle.load(run)  # a file this process wrote a moment ago
        except EOFError:
            return
        yield from map(make, batch)


def by_invoice(entries: Iterator[Entry]) -> Iterator[list[Entry]]:
    """The sorted entries cut into the groups that each make one invoice."""
    for _, group in itertools.groupby(entries, key=invoice_key):
        yield list(group)
