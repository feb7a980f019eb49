"""Spilled run-wide rule state on disk: sorted runs of fixed-size keys and one-line values, merged by size.

A ``SpillingMap`` (ledes.rules.runstore) writes the entries it cannot keep in memory here,
a batch at a time. Each batch becomes a run in a temporary file of its own: its 16-byte
keys sorted and packed, then their values, one ASCII line each; memory keeps every
``BLOCK``-th key and where its block's values start. A key is found by bisecting that
index and reading one block, newest run first (a key spilled again holds its newer
value). When ``FAN_IN`` runs of one size tier pile up they are merged into one run of the
next tier, up to ``TOP_TIER``: an entry is rewritten at most ``TOP_TIER`` times, a merge
holds at most ``FAN_IN ** TOP_TIER`` batches in memory (so memory stays flat however long
the run), and a look-up reads a block of each run, a few dozen at a million entries.
Writing a batch is a sort and two writes, done in C; a B-tree (SQLite) took one
insertion of several microseconds per entry.
"""

from __future__ import annotations

import bisect
import itertools
import os

KEY_SIZE = 16
BLOCK = 128  # keys a look-up reads: 2 KiB
FAN_IN = 4  # runs of one tier merged into one of the next
TOP_TIER = 2  # runs of this tier (16 batches) are not merged again


class _Run:
    """One sorted run in its own temporary file: the packed keys, then the values, one line each."""

    __slots__ = ("count", "file", "firsts", "keys_size", "starts", "tier")

    def __init__(self, keys: list[bytes], values: list[str], tier: int) -> None:
        self.tier = tier
        self.count = len(keys)
        self.keys_size = KEY_SIZE * self.count
        self.firsts = keys[::BLOCK]
        ends = list(itertools.accumulate(map(len, values), initial=0))  # ASCII: a character is a byte
        # Where each block's values start in the values part (value i starts at ends[i] + i line feeds).
        self.starts = [ends[index] + index for index in range(0, self.count, BLOCK)]
        self.starts.append(ends[-1] + self.count)
        import tempfile  # only a run long enough to spill needs it

        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed when merged or when the run ends)
        self.file.write(b"".join(keys))
        self.file.write(("\n".join(values) + "\n").encode("ascii"))
        self.file.flush()

    def find(self, key: bytes) -> str | None:
        block = bisect.bisect_right(self.firsts, key) - 1
        if block < 0:
            return None
        first = block * BLOCK
        size = min(BLOCK, self.count - first)
        descriptor = self.file.fileno()
        keys = os.pread(descriptor, size * KEY_SIZE, first * KEY_SIZE)
        position = keys.find(key)
        while position > 0 and position % KEY_SIZE:  # a match across two keys: look on
            position = keys.find(key, position + 1)
        if position < 0:
            return None
        start, end = self.starts[block], self.starts[block + 1]
        values = os.pread(descriptor, end - start, self.keys_size + start).decode("ascii").split("\n")
        return values[position // KEY_SIZE]

    def entries(self) -> zip[tuple[bytes, str]]:
        data = os.pread(self.file.fileno(), self.keys_size + self.starts[-1], 0)
        keys = [data[start:start + KEY_SIZE] for start in range(0, self.keys_size, KEY_SIZE)]
        return zip(keys, data[self.keys_size:].decode("ascii").split("\n"), strict=False)

    def close(self) -> None:
        self.file.close()


class SortedRuns:
    """Entries spilled by fixed-size key, each value one line of ASCII text; see the module's docstring."""

    def __init__(self) -> None:
        self.runs: list[_Run] = []  # oldest first

    def add(self, entries: list[tuple[bytes, str]]) -> None:
        """Write a batch of entries: keys of ``KEY_SIZE`` bytes, unique within the batch."""
        if not all(len(key) == KEY_SIZE and value.isascii() and "\n" not in value for key, value in entries):
            raise ValueError("a spilled entry is a 16-byte key and one line of ASCII text")
        ordered = sorted(entries)  # by key: keys are unique, so values are never compared
        self.runs.append(_Run([key for key, _ in ordered], [value for _, value in ordered], 0))
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
        """While the newest ``FAN_IN`` runs are of one tier below the top, merge them into one of the next (a key's newest value wins)."""
        while (len(self.runs) >= FAN_IN and self.runs[-1].tier < TOP_TIER
               and all(run.tier == self.runs[-1].tier for run in self.runs[-FAN_IN:])):
            merged = self.runs[-FAN_IN:]
            newest: dict[bytes, str] = {}
            for run in merged:  # oldest first: a newer value of a key replaces the older
                newest.update(run.entries())
            ordered = sorted(newest.items())
            for run in merged:
                run.close()
            self.runs[-FAN_IN:] = [_Run([key for key, _ in ordered], [value for _, value in ordered], merged[0].tier + 1)]
