"""Counting distinct values exactly in bounded memory: held in a set, past its capacity spilled to sorted runs on disk."""

from __future__ import annotations

import functools
import hashlib
import heapq
import itertools
import tempfile
from typing import IO

DISTINCT_CAPACITY = 4_096  # values a DistinctCount holds in memory before it writes them to disk
_DIGEST_SIZE = 16


class DistinctCount:
    """How many distinct values were added, exactly, in bounded memory.

    At most ``capacity`` values are held; past that, the digests of those held go to a
    temporary file as one sorted run and the set starts again. ``count()`` merges the runs
    and the set. A digest is 16 bytes of BLAKE2b, as for the rules' run-wide keys: two
    distinct values share one with a chance far below one in 10^20 at a billion values.
    """

    def __init__(self, capacity: int = DISTINCT_CAPACITY) -> None:
        self.capacity = capacity
        self.held: set[str | None] = set()
        self.runs: list[IO[bytes]] = []

    def add(self, value: str | None) -> None:
        held = self.held
        if value not in held:
            held.add(value)
            if len(held) > self.capacity:
                run = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
                run.write(b"".join(self._digests()))
                self.runs.append(run)
                held.clear()

    def count(self) -> int:
        if not self.runs:
            return len(self.held)
        for run in self.runs:
            run.seek(0)
        runs = [iter(functools.partial(run.read, _DIGEST_SIZE), b"") for run in self.runs]
        merged = heapq.merge(self._digests(), *runs)
        return sum(1 for _ in itertools.groupby(merged))

    def close(self) -> None:
        """Remove the temporary files."""
        for run in self.runs:
            run.close()
        self.runs.clear()

    def _digests(self) -> list[bytes]:
        """The held values' digests, sorted."""
        return sorted(
            hashlib.blake2b(repr(value).encode("utf-8", "backslashreplace"), digest_size=_DIGEST_SIZE).digest()
            for value in self.held
        )
