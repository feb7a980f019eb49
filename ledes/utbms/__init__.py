"""UTBMS task, activity and expense code sets, shipped as package data and read once into frozen records."""

from __future__ import annotations

import enum
import functools
import tomllib
import types
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import attrs

from ledes.errors import LedesConfigError

__all__ = ["Code", "CodeKind", "CodeSet", "code_sets", "is_phase", "lookup", "normalize", "with_custom"]


class CodeKind(enum.Enum):
    """What a set's codes describe: the task of a fee line, its activity, or an expense line's expense."""

    TASK = "task"
    ACTIVITY = "activity"
    EXPENSE = "expense"


@attrs.frozen
class Code:
    """One code of one set; ``parent`` is a task's phase (L110 → L100), None for a phase, activity or expense.

    ``unverified`` marks a code whose number or name the sources could not confirm, ``note`` says
    why or gives another spelling, ``custom`` marks a client's own code (see :func:`with_custom`).
    """

    code: str
    name: str
    set: str
    parent: str | None = None
    unverified: bool = False
    note: str | None = None
    custom: bool = False


def _sorted_read_only(codes: Mapping[str, Code]) -> Mapping[str, Code]:
    return types.MappingProxyType(dict(sorted(codes.items())))


@attrs.frozen
class CodeSet:
    """A published code set: ``codes`` by code, in code order; ``unverified`` and ``notes`` say what is unconfirmed."""

    key: str
    title: str
    kind: CodeKind
    codes: Mapping[str, Code] = attrs.field(converter=_sorted_read_only, hash=False, repr=False)
    source: str = ""
    unverified: bool = False
    notes: str | None = None

    def children(self, code: str) -> tuple[Code, ...]:
        """The tasks whose phase is ``code`` (empty for a task, a single-level code or an unknown code)."""
        phase = normalize(code)
        return tuple(child for child in self.codes.values() if child.parent == phase)

    def is_phase(self, code: str) -> bool:
        """True when ``code`` has tasks in this set: L100, B200, P200; not C100 or P100, which are billed as tasks."""
        return bool(self.children(code))


def normalize(code: str) -> str:
    """A code as the sets spell it: trimmed and upper-cased (compare codes, never labels)."""
    return code.strip().upper()


@functools.cache
def code_sets() -> Mapping[str, CodeSet]:
    """Every shipped set by key, in the order ``ledes codes`` lists them; read on the first call only.

    Keys: L, L2007 (Litigation 1995, DRI 2007); A, A2007, A2013 (activity 1997, DRI 2007, LOC 2013);
    E, EIP, X (expense 1997, with the LOC IP additions, LOC 2013); B, C, P (Bankruptcy, Counseling,
    Project); PA, TR (Patent, Trademark); ED (eDiscovery, L600 series).
    """
    # Package data beside this module: importing importlib.resources took longer than reading it all.
    data = Path(__file__).with_name("data")
    sets: dict[str, CodeSet] = {}
    for entry in tomllib.loads((data / "sets.toml").read_text(encoding="utf-8"))["sets"]:
        key = entry["key"]
        codes: dict[str, Code] = {}
        if "base" in entry:
            removed = set(entry.get("remove", ()))
            base = sets[entry["base"]].codes.values()
            codes = {code.code: attrs.evolve(code, set=key) for code in base if code.code not in removed}
        codes.update((code.code, code) for code in _read_codes(data / f"{key}.tsv", key))
        sets[key] = CodeSet(
            key=key,
            title=entry["title"],
            kind=CodeKind(entry["kind"]),
            codes=codes,
            source=entry["source"],
            unverified=entry.get("unverified", False),
            notes=entry.get("notes"),
        )
    return types.MappingProxyType(sets)


def _read_codes(path: Path, key: str) -> Iterator[Code]:
    """The rows of a set's TSV file: code, name, parent, unverified (``yes`` or empty), note; a header first."""
    _header, *rows = path.read_text(encoding="utf-8").splitlines()
    for row in rows:
        code, name, parent, unverified, note = row.split("\t")
        yield Code(code, name, key, parent or None, unverified == "yes", note or None)


def lookup(code: str, sets: Mapping[str, CodeSet] | None = None) -> list[Code]:
    """``code`` in every set that has it, in set order; empty when none does.

    A code can be in several sets, because a revision keeps the codes it does not change
    (L210 is in L and L2007, A101 in A, A2007 and A2013). ``sets`` defaults to :func:`code_sets`.
    """
    wanted = normalize(code)
    return [found.codes[wanted] for found in _sets(sets).values() if wanted in found.codes]


def is_phase(code: str, sets: Mapping[str, CodeSet] | None = None) -> bool:
    """True when ``code`` has tasks in any of ``sets`` (default: every shipped set): a roll-up, not a billable task."""
    return any(found.is_phase(code) for found in _sets(sets).values())


def with_custom(
    sets: Mapping[str, CodeSet], extra: Mapping[str, Iterable[tuple[str, str, str | None]]]
) -> Mapping[str, CodeSet]:
    """``sets`` with a client's own codes added; the sets given are not changed.

    ``extra`` maps a set key to ``(code, name, parent)`` triples, ``parent`` None or a code of that
    set (or of the new codes): ``with_custom(code_sets(), {"X": [("X901", "Drone Survey", None)]})``.
    New codes are trimmed, upper-cased and marked ``custom``. Raises LedesConfigError for a set
    that does not exist, a code the set already has, or a parent the set does not have or that is
    not a phase (a code with a parent itself: the codes are phases and their tasks, two levels).
    """
    result = dict(sets)
    for key, triples in extra.items():
        if key not in sets:
            raise LedesConfigError(f"custom codes: no code set '{key}' (sets: {', '.join(sets)})")
        codes = dict(sets[key].codes)
        added = [
            Code(normalize(code), name, key, normalize(parent) if parent else None, custom=True)
            for code, name, parent in triples
        ]
        for code in added:
            if code.code in codes:
                raise LedesConfigError(f"custom codes: set {key} already has {code.code} ({codes[code.code].name})")
            codes[code.code] = code
        for code in added:
            if code.parent is not None and code.parent not in codes:
                raise LedesConfigError(f"custom codes: {code.code}'s parent {code.parent} is not in set {key}")
            if code.parent is not None and codes[code.parent].parent is not None:  # also a cycle, or its own parent
                raise LedesConfigError(f"custom codes: {code.code}'s parent {code.parent} is not a phase: it is"
                                       f" a task of {codes[code.parent].parent} (a task's parent is a phase, a code"
                                       " with no parent)")
        result[key] = attrs.evolve(sets[key], codes=codes)
    return types.MappingProxyType(result)


def _sets(sets: Mapping[str, CodeSet] | None) -> Mapping[str, CodeSet]:
    return code_sets() if sets is None else sets
