"""A billing report's groups and invoices in bounded memory: past a bound, they wait in temporary files.

A report over a firm's files has a group per matter (or client, timekeeper, ...) and a row
per invoice, both growing with the files. ``GroupTallies`` keeps at most ``GROUPS_HELD``
groups' running tallies in memory; past that, it writes them to disk as one run sorted in
the report's order and starts again, and ``ordered()`` merges the runs, adding a group's
partial tallies in the order they were made. Runs are merged in tiers as they come (``FAN_IN``
runs of a tier make one of the next), so the open files and the chunks a merge holds grow
only as the logarithm of the groups written. The invoices are ``ledes.spooled.Records``:
rows in the order they came, on disk past a bound. Both are read back as often as a
renderer needs (the text tables read their rows twice: widths, then lines).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any

from ledes.money import exact
from ledes.reports.totals import Tally
from ledes.spooled import Records, Rows

__all__ = ["GroupTallies", "Records", "Rows"]

GROUPS_HELD = 1_024  # groups whose tallies stay in memory (about 700 bytes each)
FAN_IN = 8  # runs of one tier merged into one run of the next


class GroupTallies:
    """Running tallies by group, at most ``held`` in memory; ``ordered()`` gives each group once, in ``order``.

    A group's partial tallies (one per run it was written to, and the one in memory) are
    added in the order they were made, in ``exact()``: each sum is the one a single running
    tally makes, to the last digit.
    """

    def __init__(self, order: Callable[[Any], Any], held: int | None = None) -> None:
        self.order = order
        self.limit = GROUPS_HELD if held is None else held
        self.held: dict[Hashable, Tally] = {}
        self.runs: list[Records[tuple[Hashable, Tally]]] = []  # oldest first
        self.tiers: list[int] = []  # each run's tier: 0 when spilled, one more for each merge it came from

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
        return self._merged([*self.runs, self._sorted()])

    def _merged(self, streams: list[Iterable[tuple[Hashable, Tally]]]) -> Iterator[tuple[Any, Tally]]:
        """Sorted streams, oldest first, as one: each group once, its partial tallies added in the streams' order."""
        merged = heapq.merge(*streams, key=lambda entry: self.order(entry[0]))  # equal keys: the earlier stream first
        for group, parts in itertools.groupby(merged, key=lambda entry: entry[0]):
            tallies = [tally for _, tally in parts]
            yield group, tallies[0] if len(tallies) == 1 else _added(tallies)

    def close(self) -> None:
        for run in self.runs:
            run.close()
        self.runs.clear()
        self.tiers.clear()

    def _sorted(self) -> list[tuple[Hashable, Tally]]:
        return sorted(self.held.items(), key=lambda entry: self.order(entry[0]))

    def _spill(self) -> None:
        self._add_run(self._sorted(), 0)
        self.held = {}
        # The newest runs are the latest of their tier: FAN_IN of one tier become one run of the next.
        while len(self.tiers) >= FAN_IN and len(set(self.tiers[-FAN_IN:])) == 1:
            tier, merging = self.tiers[-1], self.runs[-FAN_IN:]
            del self.runs[-FAN_IN:], self.tiers[-FAN_IN:]
            self._add_run(self._merged(list(merging)), tier + 1)
            for run in merging:
                run.close()

    def _add_run(self, entries: Iterable[tuple[Hashable, Tally]], tier: int) -> None:
        run: Records[tuple[Hashable, Tally]] = Records()
        for entry in entries:
            run.append(entry)
        run.seal()
        self.runs.append(run)
        self.tiers.append(tier)


def _added(tallies: list[Tally]) -> Tally:
    """One tally of several partial ones, added in order (exactly, as their lines were)."""
    whole = Tally()
    with exact():
        for part in tallies:
            whole.add_tally(part)
    return whole
