"""Spilled run-wide rule state on disk: sorted runs of fixed-size keys and one-line values, merged by size.

A ``SpillingMap`` (ledes.rules.runstore) writes the entries it cannot keep in memory here,
a batch at a time. Each batch becomes a run in two temporary files: its 16-byte keys sorted
and packed, and their values, one ASCII line each; memory keeps every ``BLOCK``-th key and
where its block's values start. A key is found by bisecting that index and reading one
block, newest run first (a key spilled again holds its newer value). When ``FAN_IN`` runs
of one tier pile up they are merged, streaming (a block of each at a time), into one run of
the next tier: an entry is rewritten once a tier, the tiers grow as log(entries / batch),
and so do the runs a look-up reads and the files held open (five tiers at 500,000 entries
of 1,024-entry batches, at most three runs each). Writing a batch is a sort and two writes,
done in C; a B-tree (SQLite) took one insertion of several microseconds per entry.
"""

from __future__ import annotations

import array
import bisect
import heapq
import itertools
import os
from collections.abc import Iterable, Iterator
from operator import itemgetter

KEY_SIZE = 16
BLOCK = 256  # keys a look-up reads (4 KiB); memory keeps about 65 bytes of index per block
FAN_IN = 4  # runs of one tier merged into one of the next


class _Run:
    """One sorted run: the packed keys in one temporary file, their values (one line each) in another."""

    __slots__ = ("count", "firsts", "keys", "starts", "tier", "values")

    def __init__(self, entries: Iterable[tuple[bytes, str]], tier: int) -> None:
        """Write ``entries`` (in key order, each key once), a block at a time: memory keeps only the index."""
        import tempfile  # only a run long enough to spill needs it

        self.tier = tier
        self.keys = tempfile.TemporaryFile()  # noqa: SIM115 (closed when merged or when the run ends)
        self.values = tempfile.TemporaryFile()  # noqa: SIM115
        self.firsts: list[bytes] = []  # the first key of each block
        self.starts = array.array("Q")  # where each block's values start, and the end of the last: 8 bytes each
        count = position = 0
        pending = iter(entries)
        while block := list(itertools.islice(pending, BLOCK)):
            self.firsts.append(block[0][0])
            self.starts.append(position)
            self.keys.write(b"".join(key for key, _ in block))
            text = "".join(f"{value}\n" for _, value in block).encode("ascii")
            self.values.write(text)
            position += len(text)
            count += len(block)
        self.starts.append(position)
        self.count = count
        self.keys.flush()
        self.values.flush()

    def find(self, key: bytes) -> str | None:
        block = bisect.bisect_right(self.firsts, key) - 1
        if block < 0:
            return None
        keys = self._keys(block)
        position = keys.find(key)
        while position > 0 and position % KEY_SIZE:  # a match across two keys: look on
            position = keys.find(key, position + 1)
        if position < 0:
            return None
        return self._values(block)[position // KEY_SIZE]

    def entries(self) -> Iterator[tuple[bytes, str]]:
        """Every entry in key order, read a block at a time."""
        for block in range(len(self.firsts)):
            keys = self._keys(block)
            # The values end with an empty string after the last line feed: the keys end first.
            yield from zip((keys[start:start + KEY_SIZE] for start in range(0, len(keys), KEY_SIZE)),
                           self._values(block), strict=False)

    def _keys(self, block: int) -> bytes:
        """The packed keys of block ``block``."""
        first = block * BLOCK
        return os.pread(self.keys.fileno(), min(BLOCK, self.count - first) * KEY_SIZE, first * KEY_SIZE)

    def _values(self, block: int) -> list[str]:
        """The values of block ``block``, in its keys' order."""
        start, end = self.starts[block], self.starts[block + 1]
        return os.pread(self.values.fileno(), end - start, start).decode("ascii").split("\n")

    def close(self) -> None:
        self.keys.close()
        self.values.close()


def _aged(entries: Iterator[tuple[bytes, str]], age: int) -> Iterator[tuple[bytes, int, str]]:
    """A run's entries with its age among the runs merged (0: the newest), which orders equal keys."""
    return ((key, age, value) for key, value in entries)


class SortedRuns:
    """Entries spilled by fixed-size key, each value one line of ASCII text; see the module's docstring."""

    def __init__(self) -> None:
        self.runs: list[_Run] = []  # oldest first

    def add(self, entries: list[tuple[bytes, str]]) -> None:
        """Write a batch of entries: keys of ``KEY_SIZE`` bytes, unique within the batch."""
        if not all(len(key) == KEY_SIZE and value.isascii() and "\n" not in value for key, value in entries):
            raise ValueError("a spilled entry is a 16-byte key and one line of ASCII text")
        ordered = sorted(entries)  # by key: keys are unique, so values are never compared
        self.runs.append(_Run(ordered, 0))
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
            run.close()
        self.runs = []

    def _merge(self) -> None:
        """While the newest ``FAN_IN`` runs are of one tier, merge them into one of the next (a key's newest value wins)."""
        while len(self.runs) >= FAN_IN and all(run.tier == self.runs[-1].tier for run in self.runs[-FAN_IN:]):
            merged = self.runs[-FAN_IN:]
            ordered = heapq.merge(*(_aged(run.entries(), age) for age, run in enumerate(reversed(merged))))
            newest = (next(group) for _, group in itertools.groupby(ordered, key=itemgetter(0)))
            run = _Run(((key, value) for key, _, value in newest), merged[0].tier + 1)
            for old in merged:
                old.close()
            self.runs[-FAN_IN:] = [run]
