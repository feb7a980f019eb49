"""Gathering entries by invoice in bounded memory: buckets by invoice, spilled in invoice order to temporary files, then merged.

Rows that come in billing-period order (an export sorted by date, or by invoice) need no
sort of the whole source: once a row of a later period comes, every invoice of the periods
before it is complete and is handed on while the rest is still being read.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import operator
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO, Self

from ledes.importing.entries import Entry

RUN_SIZE = 50_000  # entries held in memory before a run is spilled to disk
# Entries of the billing periods not yet handed on held before a run is spilled (about 4 MB): rows in period
# order hold at most a period's entries, so this sets the peak for a source whose periods are larger.
EARLY_RUN_SIZE = 10_000
_BATCH = 250  # entries per pickle in a run, read back one batch at a time
_SHARED = (5, 7, 8, 9)  # an entry's day, units, rate and total: objects the converter shares between entries
_SHARED_HELD = 4096  # shared objects a run refers to by number (beyond, they are pickled as themselves)
invoice_key = operator.itemgetter(0, 1, 2)  # billing period, client, matter
_batch_key = operator.itemgetter(0)  # a spilled batch is (invoice key, columns)

Key = tuple[int, str, str]


class OutOfOrder(Exception):
    """A row of a billing period whose invoices were already handed on: the source must be read again and sorted."""


class EntrySorter:
    """Collects entries and gives them back by invoice: invoices in (period, client, matter) order, lines by row.

    Entries go into one bucket per invoice as they come. Up to ``run_size`` entries (``RUN_SIZE``,
    or ``EARLY_RUN_SIZE`` with ``early``) are kept in memory; beyond that the buckets are written
    in invoice order to an anonymous temporary file (a run), and the runs are merged by invoice:
    memory holds one buffer, not the whole source, and only invoices, not entries, are
    compared. With ``early``, a row of a later
    billing period than every row before it hands on the invoices held (all of earlier
    periods), and a row of an earlier period after that raises ``OutOfOrder``.
    """

    def __init__(self, run_size: int | None = None, early: bool = False) -> None:
        self.run_size = run_size or (EARLY_RUN_SIZE if early else RUN_SIZE)
        self.early = early
        self.buckets: dict[Key, list[Entry]] = {}
        self.held = 0
        self.runs: list[BinaryIO] = []
        self.count = 0
        self.latest: int | None = None  # the latest billing period seen
        self.handed_on = False  # some invoices were handed on before the last row was read
        self._opened: list[BinaryIO] = []  # every run, closed when done with, or by __exit__
        self._shared = _Shared()  # the shared values of the runs not yet merged

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        for run in self._opened:
            run.close()
        self._opened.clear()
        self.runs.clear()

    def add(self, entry: Entry) -> Iterator[list[Entry]] | None:
        """Hold ``entry``; with ``early``, the invoices it shows complete (those held when it starts a later period)."""
        period = entry[0]
        complete = None
        if self.latest is None or period > self.latest:
            if self.early and self.count:
                complete = self._held_invoices()
                self.handed_on = True
            self.latest = period
        elif period < self.latest and self.handed_on:
            raise OutOfOrder
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
        return complete

    def sorted_invoices(self, entries: Iterable[Entry]) -> Iterator[list[Entry]]:
        """The entries of each invoice (in row order), invoice after invoice in key order: those each entry shows
        complete as it comes (with ``early``), then the rest once ``entries`` end."""
        add = self.add
        for entry in entries:
            complete = add(entry)
            if complete is not None:
                yield from complete
        yield from self._held_invoices()

    def invoices(self) -> Iterator[list[Entry]]:
        """The entries added so far, by invoice as ``sorted_invoices`` gives them."""
        return self._held_invoices()

    def _held_invoices(self) -> Iterator[list[Entry]]:
        """The invoices held (in memory and in runs), taken from the sorter, in key order; their runs closed after."""
        runs, buckets = self.runs, self.buckets
        self._opened = [run for run in self._opened if not run.closed]  # those merged before are closed
        if runs and buckets:
            self._spill()
            buckets = {}
        self.runs, self.buckets, self.held = [], {}, 0
        if not runs:
            return _sorted(buckets)
        shared, self._shared = self._shared, _Shared()
        return _merged(runs, shared)

    def _spill(self) -> None:
        """Write the buckets in invoice order, in batches of about ``_BATCH`` entries as (key, columns) pairs: the
        columns of plain values pickle, and read back, faster than entries, and the shared values (a day, an amount)
        go by number, so that they come back as the same objects, not copies (a writer renders each object once)."""
        run = tempfile.TemporaryFile()  # noqa: SIM115 - kept open until merged; closed then, or by __exit__
        self._opened.append(run)
        batch: list[tuple[Key, list[list]]] = []
        size = 0
        for key in sorted(self.buckets):
            bucket = self.buckets[key]
            start = 0
            while start < len(bucket):
                part = bucket[start:start + _BATCH - size]  # a batch holds at most _BATCH
                start += len(part)
                batch.append((key, self._shared.columns(part)))
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


def _sorted(buckets: dict[Key, list[Entry]]) -> Iterator[list[Entry]]:
    for key in sorted(buckets):
        group = buckets.pop(key)
        group.sort()  # rows come in order, so this only checks that they did
        yield group


class _Shared:
    """The objects entries share (a day, an amount), numbered as runs are written, so that runs refer to them by number."""

    def __init__(self) -> None:
        self.values: list[object] = []  # kept alive: no other object takes the id of one of them meanwhile
        self.numbers: dict[int, int] = {}  # by id

    def columns(self, entries: list[Entry]) -> list[list]:
        """The entries' columns, each shared object's by its number (past ``_SHARED_HELD`` objects, as itself)."""
        columns: list[list] = list(map(list, zip(*entries, strict=True)))
        numbers = self.numbers
        for index in _SHARED:
            column = columns[index]
            found = list(map(numbers.get, map(id, column)))
            if None in found:
                for position, number in enumerate(found):
                    if number is None:
                        value = column[position]
                        number = numbers.get(id(value))
                        if number is None and len(self.values) < _SHARED_HELD:
                            number = numbers[id(value)] = len(self.values)
                            self.values.append(value)
                        found[position] = value if number is None else number
            columns[index] = found
        return columns

    def entries(self, columns: list[list]) -> list[Entry]:
        """The entries of ``columns`` as ``columns`` took them, each shared object itself again."""
        values = self.values
        for index in _SHARED:
            column = columns[index]
            columns[index] = [value if type(value) is not int else values[value] for value in column]
        return list(map(_make, zip(*columns, strict=True)))


_make = functools.partial(tuple.__new__, Entry)  # Entry._make without its Python frame


def _merged(runs: list[BinaryIO], shared: _Shared) -> Iterator[list[Entry]]:
    merged = heapq.merge(*(_read_run(run, shared) for run in runs), key=_batch_key)
    for _, batches in itertools.groupby(merged, key=_batch_key):
        group = [entry for _, batch in batches for entry in batch]
        group.sort()  # rows come in order, so this only checks that they did
        yield group
        del group  # not held while the next is merged
    for run in runs:
        run.close()


def _read_run(run: BinaryIO, shared: _Shared) -> Iterator[tuple[Key, list[Entry]]]:
    """A run's (key, entries) pairs in the order they were written, one batch in memory at a time."""
    while True:
        try:
            batch = pickle.load(run)  # a file this process wrote a moment ago
        except EOFError:
            return
        for key, columns in batch:
            yield key, shared.entries(columns)
