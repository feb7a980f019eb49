"""Gathering entries by invoice in bounded memory: buckets by invoice, spilled in invoice order to temporary files, then merged."""

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

RUN_SIZE = 50_000  # entries held in memory before a run is spilled to disk
_BATCH = 250  # entries per pickle in a run, read back one batch at a time
invoice_key = operator.itemgetter(0, 1, 2)  # billing period, client, matter
_batch_key = operator.itemgetter(0)  # a spilled batch is (invoice key, entries)

Key = tuple[int, str, str]


class EntrySorter:
    """Collects entries and gives them back by invoice: invoices in (period, client, matter) order, lines by row.

    Entries go into one bucket per invoice as they come. Up to ``run_size`` entries are kept
    in memory; beyond that the buckets are written in invoice order to an anonymous temporary
    file (a run), and the runs are merged by invoice at the end: memory holds one buffer, not
    the whole source, and only invoices, not entries, are compared.
    """

    def __init__(self, run_size: int = RUN_SIZE) -> None:
        self.run_size = run_size
        self.buckets: dict[Key, list[Entry]] = {}
        self.held = 0
        self.runs: list[BinaryIO] = []
        self.count = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        for run in self.runs:
            run.close()
        self.runs.clear()

    def add(self, entry: Entry) -> None:
        key = invoice_key(entry)
        bucket = self.buckets.get(key)
        if bucket is None:
            self.buckets[key] = [entry]
        else:
            bucket.append(entry)
        self.count += 1
        self.held += 1
        if self.held >= self.run_size:
            self._spill()

    def invoices(self) -> Iterator[list[Entry]]:
        """The entries of each invoice (in row order), invoice after invoice in key order."""
        if self.runs:
            if self.buckets:
                self._spill()
            merged = heapq.merge(*(_read_run(run) for run in self.runs), key=_batch_key)
            groups: Iterator[list[Entry]] = (
                [entry for _, batch in batches for entry in batch]
                for _, batches in itertools.groupby(merged, key=_batch_key))
        else:
            buckets, self.buckets = self.buckets, {}
            groups = (buckets.pop(key) for key in sorted(buckets))
        for group in groups:
            group.sort()  # rows come in order, so this only checks that they did
            yield group

    def _spill(self) -> None:
        """Write the buckets in invoice order, in batches of about ``_BATCH`` entries as (key, plain tuples) pairs:
        plain tuples pickle, and read back, faster than Entry, and a batch pickles a value its entries share once."""
        run = tempfile.TemporaryFile()  # noqa: SIM115 - kept open until the merge; closed by __exit__
        batch: list[tuple[Key, list[tuple]]] = []
        size = 0
        for key in sorted(self.buckets):
            bucket = self.buckets[key]
            start = 0
            while start < len(bucket):
                part = list(map(tuple, bucket[start:start + _BATCH - size]))  # a batch holds at most _BATCH
                start += len(part)
                batch.append((key, part))
                size += len(part)
                if size == _BATCH:
                    pickle.dump(batch, run, protocol=pickle.HIGHEST_PROTOCOL)
                    batch, size = [], 0
        if batch:
            pickle.dump(batch, run, protocol=pickle.HIGHEST_PROTOCOL)
        run.seek(0)
        self.runs.append(run)
        self.buckets = {}
        self.held = 0


def _read_run(run: BinaryIO) -> Iterator[tuple[Key, list[Entry]]]:
    """A run's (key, entries) pairs in the order they were written, one batch in memory at a time."""
    make = functools.partial(tuple.__new__, Entry)  # Entry._make without its Python frame
    while True:
        try:
            batch = pickle.load(run)  # a file this process wrote a moment ago
        except EOFError:
            return
        for key, part in batch:
            yield key, list(map(make, part))
