"""Rows that wait on disk past a bound and are read back in order, as often as needed: memory flat however many."""

from __future__ import annotations

import heapq
import itertools
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, TypeVar, overload

Item = TypeVar("Item")
Record = TypeVar("Record")
Result = TypeVar("Result")

RECORDS_HELD = 256  # rows kept in memory, and written to disk together
SORTED_IN_MEMORY = 20_000  # rows ``sorted_records`` sorts at once, before it merges the runs from disk


class ReadAgain(Sequence[Item]):
    """A sequence read again from the start for each use: indexing reads up to the item; equal to its tuple."""

    @overload
    def __getitem__(self, index: int) -> Item: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Item]: ...

    def __getitem__(self, index: int | slice) -> Item | Sequence[Item]:
        if isinstance(index, slice):
            return tuple(self)[index]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return next(itertools.islice(iter(self), index, None))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (tuple, ReadAgain)) and tuple(self) == tuple(other)

    def __add__(self, other: object) -> tuple[Item, ...]:
        """Joined with a tuple or another sequence read again: a tuple, as two tuples joined give."""
        if not isinstance(other, (tuple, ReadAgain)):
            return NotImplemented
        return (*self, *other)

    def __radd__(self, other: object) -> tuple[Item, ...]:
        if not isinstance(other, tuple):
            return NotImplemented
        return (*other, *self)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))


class Records(ReadAgain[Record]):
    """Records appended in order and read back in that order, again and again; on disk past ``held`` of them."""

    def __init__(self, held: int | None = None) -> None:
        self.limit = RECORDS_HELD if held is None else held
        self.held: list[Record] = []
        self.file: IO[bytes] | None = None
        self.size = 0

    def append(self, record: Record) -> None:
        self.held.append(record)
        self.size += 1
        if len(self.held) >= self.limit:
            self.seal()

    def seal(self) -> None:
        """Write the records held in memory to the file."""
        if not self.held:
            return
        if self.file is None:
            self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close(), or with the object)
        self.file.seek(0, 2)
        pickle.dump(self.held, self.file, pickle.HIGHEST_PROTOCOL)
        self.held = []

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[Record]:
        if self.file is not None:
            position, end = 0, self.file.seek(0, 2)
            while position < end:
                self.file.seek(position)
                chunk = pickle.load(self.file)
                position = self.file.tell()
                yield from chunk
        yield from list(self.held)

    def close(self) -> None:
        """Remove the temporary file."""
        if self.file is not None:
            self.file.close()
            self.file = None


class Rows(ReadAgain[Result]):
    """A sequence read again from its source each time it is iterated (``make`` builds each row); equal to its tuple."""

    def __init__(self, source: Callable[[], Iterable[Any]], make: Callable[[Any], Result], size: int) -> None:
        self.source, self.make, self.size = source, make, size

    def __iter__(self) -> Iterator[Result]:
        return map(self.make, self.source())

    def __len__(self) -> int:
        return self.size


def sorted_records(rows: Iterable[Record], key: Callable[[Record], Any]) -> Records[Record]:
    """``rows`` sorted by ``key`` as ``sorted`` sorts them (equal keys in their order), on disk past a few hundred.

    Runs of ``SORTED_IN_MEMORY`` are sorted in memory and kept on disk, then merged, which
    keeps equal keys in the order of their runs: memory holds one run, whatever the rows.
    """
    runs: list[Records[Record]] = []
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, SORTED_IN_MEMORY)):
        run: Records[Record] = Records()
        for row in sorted(chunk, key=key):
            run.append(row)
        runs.append(run)
        del chunk
    if len(runs) == 1:
        return runs[0]
    merged: Records[Record] = Records()
    for row in heapq.merge(*runs, key=key):
        merged.append(row)
    for run in runs:
        run.close()
    return merged
