"""A billing report's groups and invoices in bounded memory: past a bound, they wait in temporary files.

A report over a firm's files has a group per matter (or client, timekeeper, ...) and a row
per invoice, both growing with the files. ``GroupTallies`` keeps at most ``GROUPS_HELD``
groups' running tallies in memory; past that, it writes them to disk as one run sorted in
the report's order and starts again, and ``ordered()`` merges the runs, adding a group's
partial tallies in the order they were made. ``Records`` keeps rows in the order they came,
on disk past ``RECORDS_HELD``. Both are read back as often as a renderer needs (the text
tables read their rows twice: widths, then lines).
"""

from __future__ import annotations

import heapq
import itertools
import pickle
import tempfile
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import IO, Any, Generic, TypeVar, overload

from ledes.reports.totals import Tally

Record = TypeVar("Record")
Result = TypeVar("Result")

GROUPS_HELD = 1_024  # groups whose tallies stay in memory (about 700 bytes each)
RECORDS_HELD = 256  # rows kept in memory, and written to disk together


class Records(Generic[Record]):
    """Records appended in order and read back in that order, again and again; on disk past ``held`` of them."""

    def __init__(self, held: int | None = None) -> None:
        self.limit = RECORDS_HELD if held is None else held
        self.held: list[Record] = []
        self.file: IO[bytes] | None = None
        self.count = 0

    def append(self, record: Record) -> None:
        self.held.append(record)
        self.count += 1
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
        return self.count

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


class GroupTallies:
    """Running tallies by group, at most ``held`` in memory; ``ordered()`` gives each group once, in ``order``.

    A group's partial tallies (one per run it was written to, and the one in memory) are
    added in the order they were made: each sum is the one a single running tally makes,
    to the last digit, as long as it fits Decimal's 28 digits (every LEDES amount's sum does).
    """

    def __init__(self, order: Callable[[Any], Any], held: int | None = None) -> None:
        self.order = order
        self.limit = GROUPS_HELD if held is None else held
        self.held: dict[Hashable, Tally] = {}
        self.runs: list[Records[tuple[Hashable, Tally]]] = []

    def tally(self, group: Hashable) -> Tally:
        """The group's running tally, new when the group has none in memory (the one before went to disk)."""
        found = self.held.get(group)
        if found is None:
            if len(self.held) >= self.limit:
                self._spill()
            found = self.held[group] = Tally()
        return found

    def __bool__(self) -> bool:
        return bool(self.held) or bool(self.runs)

    def ordered(self) -> Iterator[tuple[Any, Tally]]:
        """Every group once, in order, with its tallies added together."""
        streams: list[Iterable[tuple[Hashable, Tally]]] = [*self.runs, self._sorted()]
        merged = heapq.merge(*streams, key=lambda entry: self.order(entry[0]))
        for group, parts in itertools.groupby(merged, key=lambda entry: entry[0]):
            tallies = [tally for _, tally in parts]
            yield group, tallies[0] if len(tallies) == 1 else _added(tallies)

    def close(self) -> None:
        for run in self.runs:
            run.close()
        self.runs.clear()

    def _sorted(self) -> list[tuple[Hashable, Tally]]:
        return sorted(self.held.items(), key=lambda entry: self.order(entry[0]))

    def _spill(self) -> None:
        run: Records[tuple[Hashable, Tally]] = Records()
        for entry in self._sorted():
            run.append(entry)
        run.seal()
        self.runs.append(run)
        self.held = {}


def _added(tallies: list[Tally]) -> Tally:
    """One tally of several partial ones, added in order."""
    whole = Tally()
    for part in tallies:
        whole.lines += part.lines
        whole.hours += part.hours
        whole.fees += part.fees
        whole.expenses += part.expenses
        whole.adjustments += part.adjustments
        whole.tax += part.tax
    return whole


class Rows(Sequence[Result]):
    """A sequence read again from its source each time it is iterated (``make`` builds each row); equal to its tuple."""

    def __init__(self, source: Callable[[], Iterable[Any]], make: Callable[[Any], Result], size: int) -> None:
        self.source, self.make, self.size = source, make, size

    def __iter__(self) -> Iterator[Result]:
        return map(self.make, self.source())

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> Result: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Result]: ...

    def __getitem__(self, index: int | slice) -> Result | Sequence[Result]:
        if isinstance(index, slice):
            return tuple(self)[index]
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError(index)
        return next(itertools.islice(iter(self), index, None))

    def __eq__(self, other: object) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, (tuple, Rows)) else other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))
