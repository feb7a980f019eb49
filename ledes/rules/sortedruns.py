"""Spilled run-wide rule state on disk: sorted runs of fixed-size keys and one-line values, merged by size.

A ``SpillingMap`` (ledes.rules.runstore) writes the entries it cannot keep in memory here,
a batch at a time. Each batch becomes a run in two temporary files: its 16-byte keys sorted
and packed, and their values, one ASCII line each; memory keeps every ``BLOCK``-th key and
where its block's values start. A key is found by bisecting that index and reading one
block, newest run first (a key spilled again holds its newer value). When ``FAN_IN`` runs
of one tier pile up they are merged, streaming (a block of each at a time), into one run of
the next tier: an entry is rewritten once a tier, the tiers grow as log(entries / batch),
and so do the runs a look-up reads and the files held open (three tiers at 500,000 entries
of 4,096-entry batches, at most seven runs each). Writing a batch is a sort and two writes,
and a merge takes, at each step, every entry of the runs' current blocks up to the smallest
of their last keys and sorts them at once: each step is done in C, not entry by entry in
Python (a heap merge cost about 1.5 microseconds an entry a tier); a B-tree (SQLite) took
one insertion of several microseconds per entry. A merged run's files are emptied and
written again by the next runs: opening a temporary file costs more than a batch's writes.
"""

from __future__ import annotations

import array
import bisect
import os
import struct
from collections.abc import Iterable, Iterator
from typing import IO

KEY_SIZE = 16
BLOCK = 256  # keys a look-up reads (4 KiB); memory keeps about 65 bytes of index per block
FAN_IN = 8  # runs of one tier merged into one of the next
MERGE_BLOCKS = 4  # blocks of each run a merge reads at a time (fewer, larger steps)

Chunk = tuple[list[bytes], list[str]]  # keys in order, and their values


class _Run:
    """One sorted run: the packed keys in one temporary file, their values (one line each) in another."""

    __slots__ = ("_position", "count", "firsts", "keys", "starts", "tier", "values")

    def __init__(self, chunks: Iterable[Chunk], tier: int, files: _Files) -> None:
        """Write ``chunks`` (in key order, each key once), a block at a time: memory keeps only the index."""
        self.tier = tier
        self.keys = files.take()
        self.values = files.take()
        self.firsts: list[bytes] = []  # the first key of each block
        self.starts = array.array("Q")  # where each block's values start, and the end of the last: 8 bytes each
        self.count = 0
        self._position = 0
        keys: list[bytes] = []
        values: list[str] = []
        for more_keys, more_values in chunks:
            keys += more_keys
            values += more_values
            if len(keys) >= BLOCK:
                whole = len(keys) - len(keys) % BLOCK
                self._write(keys[:whole], values[:whole])
                del keys[:whole], values[:whole]
        self._write(keys, values)
        self.starts.append(self._position)
        self.keys.flush()
        self.values.flush()

    def _write(self, keys: list[bytes], values: list[str]) -> None:
        """Write whole blocks of entries (the last one may be short), recording each block's first key and start."""
        for start in range(0, len(keys), BLOCK):
            self.firsts.append(keys[start])
            self.starts.append(self._position)
            text = ("\n".join(values[start:start + BLOCK]) + "\n").encode("ascii")
            self.keys.write(b"".join(keys[start:start + BLOCK]))
            self.values.write(text)
            self._position += len(text)
        self.count += len(keys)

    def find(self, key: bytes) -> str | None:
        block = bisect.bisect_right(self.firsts, key) - 1
        if block < 0:
            return None
        keys = self._keys(block, block + 1)
        position = keys.find(key)
        while position > 0 and position % KEY_SIZE:  # a match across two keys: look on
            position = keys.find(key, position + 1)
        if position < 0:
            return None
        return self._values(block, block + 1)[position // KEY_SIZE]

    def block(self, block: int, count: int = 1) -> Chunk:
        """The keys of ``count`` blocks from block ``block`` on (as many as the run has), and their values."""
        end = min(block + count, len(self.firsts))
        keys = self._keys(block, end)
        values = self._values(block, end)
        del values[-1]  # the empty string after the last line feed
        return list(struct.unpack(f"{KEY_SIZE}s" * (len(keys) // KEY_SIZE), keys)), values

    def _keys(self, block: int, end: int) -> bytes:
        """The packed keys of blocks ``block`` to ``end`` (excluded)."""
        first = block * BLOCK
        return os.pread(self.keys.fileno(), (min(end * BLOCK, self.count) - first) * KEY_SIZE, first * KEY_SIZE)

    def _values(self, block: int, end: int) -> list[str]:
        """The values of blocks ``block`` to ``end`` (excluded), in their keys' order."""
        start, stop = self.starts[block], self.starts[end]
        return os.pread(self.values.fileno(), stop - start, start).decode("ascii").split("\n")

    def close(self, files: _Files) -> None:
        """Give the run's files back, emptied, for the next runs."""
        files.give(self.keys)
        files.give(self.values)


class _Files:
    """The temporary files of a store's runs: a merged run's files are emptied and used again (opening one costs
    more than writing a batch to it)."""

    def __init__(self) -> None:
        self.spare: list[IO[bytes]] = []

    def take(self) -> IO[bytes]:
        if self.spare:
            return self.spare.pop()
        import tempfile  # only a run long enough to spill needs it

        return tempfile.TemporaryFile()

    def give(self, file: IO[bytes]) -> None:
        file.seek(0)
        file.truncate()
        self.spare.append(file)

    def close(self) -> None:
        for file in self.spare:
            file.close()
        self.spare = []


def _merged(runs: list[_Run]) -> Iterator[Chunk]:
    """The entries of ``runs`` (oldest first) in key order, each key once with its newest value, a chunk at a time.

    Each step holds ``MERGE_BLOCKS`` blocks of each run; every entry up to the smallest last key among the
    runs with blocks still unread is complete (the later blocks hold larger keys), so those
    are taken from every run, oldest first into one dict (a newer value replaces an older),
    and sorted together.
    """
    held: list[Chunk] = [([], []) for _ in runs]
    unread = [0] * len(runs)
    while True:
        for index, run in enumerate(runs):
            if not held[index][0] and unread[index] < len(run.firsts):
                held[index] = run.block(unread[index], MERGE_BLOCKS)
                unread[index] += MERGE_BLOCKS
        if not any(keys for keys, _ in held):
            return
        pending = [held[index][0][-1] for index, run in enumerate(runs) if unread[index] < len(run.firsts)]
        newest: dict[bytes, str] = {}
        for index, (keys, values) in enumerate(held):
            if not pending:
                newest.update(zip(keys, values, strict=True))
                held[index] = ([], [])
                continue
            taken = bisect.bisect_right(keys, min(pending))
            newest.update(zip(keys[:taken], values[:taken], strict=True))
            held[index] = (keys[taken:], values[taken:])
        keys = sorted(newest)  # the keys alone: bytes compared, not pairs
        yield keys, list(map(newest.__getitem__, keys))


class SortedRuns:
    """Entries spilled by fixed-size key, each value one line of ASCII text; see the module's docstring."""

    def __init__(self) -> None:
        self.runs: list[_Run] = []  # oldest first
        self.files = _Files()

    def add(self, entries: list[tuple[bytes, str]]) -> None:
        """Write a batch of entries: keys of ``KEY_SIZE`` bytes, unique within the batch."""
        table = dict(entries)
        if len(table) != len(entries):
            raise ValueError("a spilled batch holds each key once")
        keys = sorted(table)  # the keys alone: bytes compared, not pairs
        values = list(map(table.__getitem__, keys))
        text = "\n".join(values)
        if set(map(len, keys)) - {KEY_SIZE} or not text.isascii() or text.count("\n") != max(len(values) - 1, 0):
            raise ValueError("a spilled entry is a 16-byte key and one line of ASCII text")
        self.runs.append(_Run([(keys, values)], 0, self.files))
        self._merge()

    def get(self, key: bytes) -> str | None:
        """The newest value spilled for ``key``, None when it never was."""
        for run in reversed(self.runs):
            found = run.find(key)
            if found is not None:
                return found
        return None

    def close(self) -> None:
        for run in self.runs:
            run.close(self.files)
        self.runs = []
        self.files.close()

    def _merge(self) -> None:
        """While the newest ``FAN_IN`` runs are of one tier, merge them into one of the next (a key's newest value wins)."""
        while len(self.runs) >= FAN_IN and all(run.tier == self.runs[-1].tier for run in self.runs[-FAN_IN:]):
            merged = self.runs[-FAN_IN:]
            run = _Run(_merged(merged), merged[0].tier + 1, self.files)
            for old in merged:
                old.close(self.files)
            self.runs[-FAN_IN:] = [run]
