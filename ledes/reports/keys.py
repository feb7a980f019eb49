"""The keys a report groups line items by: client, matter, timekeeper, classification, UTBMS codes and periods."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import attrs

from ledes.model import Invoice, LineItem, Matter
from ledes.reports.period import month_of, quarter_of, year_of
from ledes.utbms import Code, CodeKind, CodeSet

# A key's value for one line item, and a name to show beside it (a client's name, a code's label).
Found = tuple[str | None, str | None]

KEYS = (
    "client", "matter", "timekeeper", "classification", "phase", "task", "activity", "expense",
    "month", "quarter", "year",
)
PERIOD_KEYS = frozenset({"month", "quarter", "year"})


@attrs.frozen
class Key:
    """One group's value for one key (``0528``), with its name (``423-987 Merten Merger``); None is "none"."""

    value: str | None
    name: str | None = None

    @property
    def label(self) -> str:
        if self.value is None:
            return "(none)"
        return f"{self.value} {self.name}" if self.name else self.value


@attrs.frozen
class Line:
    """A line item with the invoice and matter it is billed on."""

    invoice: Invoice
    matter: Matter
    item: LineItem


class CodeIndex:
    """UTBMS codes by kind, each with its name and its phase, from the first set that has it."""

    def __init__(self, sets: Mapping[str, CodeSet]) -> None:
        self.codes: dict[CodeKind, dict[str, Code]] = {kind: {} for kind in CodeKind}
        for code_set in sets.values():
            known = self.codes[code_set.kind]
            for code in code_set.codes.values():
                known.setdefault(code.code, code)
        self.phases = frozenset(c.parent for c in self.codes[CodeKind.TASK].values() if c.parent)

    def name(self, kind: CodeKind, code: str) -> str | None:
        found = self.codes[kind].get(code)
        return found.name if found else None

    def phase(self, task: str) -> str | None:
        """The phase of a task code (L120 → L100); a phase is its own; None for a code in no set."""
        if task in self.phases:
            return task
        found = self.codes[CodeKind.TASK].get(task)
        return found.parent if found else None


KeyFunction = Callable[[Line, CodeIndex], Found]


def client_of(invoice: Invoice) -> Found:
    """The client's id (the firm's code for it) and name."""
    return invoice.client.id, invoice.client.name


def matter_of(matter: Matter) -> Found:
    """The law firm's matter id, and the client's matter id and the matter's name."""
    name = " ".join(part for part in (matter.client_matter_id, matter.name) if part)
    return matter.law_firm_matter_id, name or None


def _client(line: Line, codes: CodeIndex) -> Found:
    return client_of(line.invoice)


def _matter(line: Line, codes: CodeIndex) -> Found:
    return matter_of(line.matter)


def _timekeeper(line: Line, codes: CodeIndex) -> Found:
    keeper = line.item.timekeeper
    if keeper is None:
        return None, None
    return (keeper.id, keeper.name) if keeper.id else (keeper.name, None)


def _classification(line: Line, codes: CodeIndex) -> Found:
    keeper = line.item.timekeeper
    return (keeper.classification if keeper else None), None


def _code(text: str | None) -> str | None:
    return (text.strip().upper() or None) if text else None


def _phase(line: Line, codes: CodeIndex) -> Found:
    task = _code(line.item.task_code)
    phase = codes.phase(task) if task else None
    return phase, codes.name(CodeKind.TASK, phase) if phase else None


def _coded(kind: CodeKind, field: str) -> KeyFunction:
    def key(line: Line, codes: CodeIndex) -> Found:
        code = _code(getattr(line.item, field))
        return code, codes.name(kind, code) if code else None

    return key


def _dated(period_of: Callable[[date], str]) -> KeyFunction:
    def key(line: Line, codes: CodeIndex) -> Found:
        day = line.item.date
        return (period_of(day) if isinstance(day, date) else None), None

    return key


KEY_FUNCTIONS: Mapping[str, KeyFunction] = {
    "client": _client,
    "matter": _matter,
    "timekeeper": _timekeeper,
    "classification": _classification,
    "phase": _phase,
    "task": _coded(CodeKind.TASK, "task_code"),
    "activity": _coded(CodeKind.ACTIVITY, "activity_code"),
    "expense": _coded(CodeKind.EXPENSE, "expense_code"),
    "month": _dated(month_of),
    "quarter": _dated(quarter_of),
    "year": _dated(year_of),
}


def ordering(values: tuple[str | None, ...]) -> tuple[tuple[bool, str], ...]:
    """Sort groups by their values in key order, "none" last."""
    return tuple((value is None, value or "") for value in values)
