"""One source row to one time or expense entry, or to the reason it cannot be one; hours rounded to the increment."""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from sys import intern
from typing import NamedTuple

import attrs

from ledes.errors import LedesConfigError
from ledes.importing.mapping import COLUMNS, CONTROL_CHARACTERS, ImportMapping
from ledes.importing.pricing import ONE, FeePrice, HoursRule, Keeper, Priced, Pricer
from ledes.importing.values import ValueReader
from ledes.rules.base import ApprovedTimekeeper
from ledes.spooled import Records

_CACHE_LIMIT = 1 << 16  # results kept for the texts of good rows, per kind of result; beyond, they start again
_entry = tuple.__new__  # Entry(...) without the Python frame of a named tuple's __new__

_FIRST_YEAR = 1900  # an earlier date in an export is a two-digit year read by %Y (0024), not a date billed


class Entry(NamedTuple):
    """A row that will be one invoice line; sorting entries orders them by invoice, then by source row."""

    period: int  # the billing period's first day (date.toordinal); 0 with one invoice per matter
    client_id: str
    matter_id: str
    row: int
    client_matter_id: str | None
    day: date
    type: str  # "F" or "E"
    units: Decimal
    rate: Decimal
    total: Decimal
    task_code: str | None
    activity_code: str | None
    expense_code: str | None
    description: str | None
    timekeeper_id: str | None
    timekeeper_name: str | None
    timekeeper_classification: str | None


@attrs.frozen
class RowError:
    """A source row that is on no invoice, and why."""

    row: int
    reason: str


@attrs.frozen
class Rounding:
    """A fee's hours rounded to the client's billing increment."""

    row: int
    hours: Decimal
    rounded: Decimal
    rule: str
    increment: Decimal


_LISTED = 30  # columns an error names; a header of thousands is not listed whole


def column_indexes(mapping: ImportMapping, header: Sequence[str], source: str) -> dict[str, int]:
    """The position in the header of each mapped column; a LedesConfigError names a column the source lacks, or
    has twice (which of the two holds the field's values cannot be told)."""
    positions: dict[str, int] = {}
    repeated: dict[str, int] = {}  # a name the header has more than once: where it is again
    for index, name in enumerate(header):
        if positions.setdefault(name, index) != index:
            repeated.setdefault(name, index)
    found = {}
    for field, name in mapping.columns.items():
        if name in repeated:
            raise LedesConfigError(f"{mapping.path}: columns.{field}: '{source}' has two columns named '{name}'"
                                   f" (columns {positions[name] + 1:,} and {repeated[name] + 1:,}); rename one of them")
        if name not in positions:
            named = [name for name in header if name]
            shown = ", ".join(repr(name) for name in named[:_LISTED]) or "none"
            if len(named) > _LISTED:
                shown += f" and {len(named) - _LISTED:,} more"
            raise LedesConfigError(f"{mapping.path}: columns.{field}: expected a column of '{source}' named"
                                   f" '{name}' (its columns: {shown})")
        found[field] = positions[name]
    return found




def wider_than_header(row: int, cells: Sequence[str], width: int) -> RowError:
    """A CSV record with more cells than its header: where its text runs across lines, a quote left open is the
    likely cause (it joins the next rows into this one)."""
    why = f"{len(cells):,} cells where the header has {width:,}"
    if any("\n" in cell or "\r" in cell for cell in cells):
        why += "; a cell runs over more than one line: is a quote (\") left open, joining the next rows to this one?"
    return RowError(row, why)


class RowConverter:
    """Turns rows into entries: values parsed, the rate found, hours rounded, and every problem of the row named.

    A row whose every value already appeared on a good row (its date, type, client matter id,
    timekeeper, hours, rate and amount) is converted from what that row gave, by look-ups;
    any other row goes through every check (``checked``), which remembers what good values give.
    """

    def __init__(self, mapping: ImportMapping, indexes: Mapping[str, int], values: ValueReader,
                 approved: Mapping[str, ApprovedTimekeeper] | None, hours: HoursRule,
                 pipe_title: str | None = None) -> None:
        self.mapping = mapping
        self.pipe_title = pipe_title  # the target's title when it is a pipe-delimited format
        self.indexes = indexes
        self.names = {field: mapping.columns[field] for field in indexes}
        self.values = values
        self.hours = hours
        self.pricer = Pricer(mapping, indexes, self.names, values, approved or {}, hours)
        self.roundings: Records[Rounding] = Records()  # one per rounded fee: on disk past a few hundred
        self._width = max(indexes.values(), default=-1) + 1
        # Every field's cell in one call, in COLUMNS order: an unmapped field reads the "" put after the row's cells.
        self._cells = operator.itemgetter(*(indexes.get(field, -1) for field in COLUMNS))
        self._quantity = COLUMNS.index(self.pricer.quantity_field)
        self._cost = COLUMNS.index(self.pricer.cost_field)
        self._fee_types = frozenset(value.upper() for value in mapping.fee_types)
        self._expense_types = frozenset(value.upper() for value in mapping.expense_types)
        # Per (client, matter): the first client matter id and its row, then the three ids interned.
        self._client_matter_ids: dict[tuple[str, str], tuple[str | None, int, str, str, str | None]] = {}
        # What good values gave, by their texts: a date's day and billing period (as an ordinal), a type's kind
        # (with whether the row has an expense code), a timekeeper, a fee's and an expense's prices.
        self._days: dict[str, tuple[date, int]] = {}
        self._kinds: dict[tuple[str, bool], str] = {}
        self._keepers: dict[tuple[str, str, str], Keeper] = {}
        self._expense_keepers: dict[tuple[str, str, str], Keeper] = {}
        self._fees: dict[tuple, FeePrice] = {}
        self._expenses: dict[tuple[str, str, str], tuple[Decimal, Decimal, Decimal]] = {}

    def convert(self, row: int, cells: list[str]) -> Entry | RowError:
        """The entry the row makes, or a RowError naming each of its problems."""
        values = self._texts(cells)
        (day_text, type_text, client_text, matter_id, client_matter_text, keeper_id, name, classification, hours,
         _, rate, _, amount, task_code, activity_code, expense_code, description) = values
        joined = "".join(values)  # a control character, a tab or a line break; a '|' a pipe format cannot hold
        if not joined.isprintable() or (self.pipe_title is not None and "|" in joined):
            return self.checked(row, values)
        known_day = self._days.get(day_text)
        kind = self._kinds.get((type_text, not expense_code))
        client_id = client_text or self.mapping.client_id or ""
        matter = self._client_matter_ids.get((client_id, matter_id))
        if known_day is None or kind is None or not (client_id and matter_id) or matter is None \
                or matter[0] != (client_matter_text or None):
            return self.checked(row, values)
        day, period = known_day
        if kind == "F":
            keeper = self._keepers.get((keeper_id, name, classification))
            if keeper is None:
                return self.checked(row, values)
            fee = self._fees.get((hours, rate, amount) if rate else (hours, rate, amount, keeper_id, keeper[2], day))
            if fee is None:
                return self.checked(row, values)
            units, unit_cost, total, rounded_from = fee
            if rounded_from is not None:
                self.roundings.append(Rounding(row, rounded_from, units, self.hours.rounding or "",
                                               self.hours.increment or ONE))
        else:
            price = self._expenses.get((values[self._quantity], values[self._cost], amount)) if expense_code else None
            keeper = self._expense_keepers.get((keeper_id, name, classification))
            if price is None or keeper is None:
                return self.checked(row, values)
            units, unit_cost, total = price
        # The matter's ids as first interned; a narrative is seldom repeated, so it is not interned.
        return _entry(Entry, (period, matter[2], matter[3], row, matter[4], day, kind, units, unit_cost, total,
                              intern(task_code) or None, intern(activity_code) or None, intern(expense_code) or None,
                              description or None, *keeper))

    def _texts(self, cells: list[str]) -> tuple[str, ...]:
        """The row's text by field (in COLUMNS order), stripped; "" for a field the mapping or the row lacks."""
        if len(cells) < self._width:
            cells = cells + [""] * (self._width - len(cells))
        return tuple(map(str.strip, self._cells([*cells, ""])))

    def checked(self, row: int, values: Sequence[str]) -> Entry | RowError:
        """The entry the row's texts (in COLUMNS order) make, every value checked, or a RowError naming each problem."""
        problems: list[str] = []
        text = dict(zip(COLUMNS, values, strict=True))
        self._check_characters(text, problems)
        day = self._date(text["date"], problems)
        kind = self._kind(text["type"], text["expense_code"], problems)
        client_id = text["client_id"] or self.mapping.client_id or ""
        matter_id = text["law_firm_matter_id"]
        if not client_id:
            problems.append("missing client id")
        if not matter_id:
            problems.append(f"missing matter ({self.names['law_firm_matter_id']})")
        client_matter_id = self._client_matter_id(client_id, matter_id, text["client_matter_id"] or None, row, problems)
        if kind == "F":
            priced = self._fee(row, text, day, problems)
        elif kind == "E":
            priced = self._expense(text, problems)
        else:
            priced = None
        if problems or priced is None or day is None or kind is None:  # no kind: priced is None too
            return RowError(row, "; ".join(problems))
        units, rate, total, keeper = priced
        # Texts a source repeats are interned: the entries held for sorting share one copy (and spill it once).
        return Entry(self._period(day), intern(client_id), intern(matter_id), row,
                     client_matter_id and intern(client_matter_id), day, kind, units, rate, total,
                     intern(text["task_code"]) or None, intern(text["activity_code"]) or None,
                     intern(text["expense_code"]) or None, text["description"] or None, *keeper)

    def _check_characters(self, text: Mapping[str, str], problems: list[str]) -> None:
        """A control character (NUL, ESC, ...: any but tab and line breaks) is text no LEDES format holds (XML 1.0
        cannot even escape one), and a pipe-delimited format cannot hold a '|' or a line break: the row says so
        rather than lose the character or stop the whole import when the invoice is written."""
        for field in self.indexes:
            value = text[field]
            if value.isprintable() and (self.pipe_title is None or "|" not in value):
                continue
            controls = list(CONTROL_CHARACTERS.finditer(value))
            if controls:
                more = f" (and {len(controls) - 1:,} more)" if len(controls) > 1 else ""
                problems.append(f"{self.names[field]} holds the control character U+{ord(controls[0].group()):04X}"
                                f" at character {controls[0].start() + 1:,}{more}, which LEDES text cannot hold")
            if self.pipe_title is not None and ("|" in value or "\n" in value or "\r" in value):
                what = "a '|'" if "|" in value else "a line break"
                problems.append(f"{self.names[field]} contains {what}, which {self.pipe_title} cannot hold")

    def _date(self, text: str, problems: list[str]) -> date | None:
        if not text:
            problems.append(f"missing date ({self.names['date']})")
            return None
        day = self.values.date(text)
        if day is None:
            problems.append(f"bad date '{text}' in {self.names['date']} (expected {' or '.join(self.values.date_formats)})")
        elif day.year < _FIRST_YEAR:
            problems.append(f"date '{text}' in {self.names['date']} is in the year {day.year}: a two-digit year read"
                            " as a four-digit one? (%y in source.date_formats reads '24' as 2024)")
            return None
        else:
            _remember(self._days, text, (day, self._period(day)))
        return day

    def _kind(self, text: str, expense_code: str, problems: list[str]) -> str | None:
        kind = self._kind_of(text, expense_code)
        if kind is not None:
            _remember(self._kinds, (text, not expense_code), kind)
            return kind
        expected = f"expected {' or '.join((*self.mapping.fee_types, *self.mapping.expense_types))}"
        problems.append(f"missing type in {self.names['type']} ({expected})" if not text
                        else f"unknown type '{text}' in {self.names['type']} ({expected})")
        return None

    def _kind_of(self, text: str, expense_code: str) -> str | None:
        if "type" not in self.indexes:
            return "E" if expense_code else "F"
        kind = text.upper()
        if kind in self._fee_types:
            return "F"
        if kind in self._expense_types:
            return "E"
        return None

    def _client_matter_id(self, client_id: str, matter_id: str, value: str | None, row: int,
                          problems: list[str]) -> str | None:
        """The client's id for the matter, which must be the same on every row of one matter."""
        first = self._client_matter_ids.setdefault(
            (client_id, matter_id), (value, row, intern(client_id), intern(matter_id), value and intern(value)))
        if first[0] != value:
            problems.append(f"client matter id '{value or ''}' differs from '{first[0] or ''}' on row {first[1]}"
                            f" for matter {matter_id}")
        return value

    def _fee(self, row: int, text: Mapping[str, str], day: date | None, problems: list[str]) -> Priced | None:
        before = len(problems)
        found = self.pricer.fee(text, day, problems)
        if found is None:
            return None
        (units, rate, total, rounded_from), keeper = found
        keeper = _interned(keeper)
        texts = (text["timekeeper_id"], text["timekeeper_name"], text["timekeeper_classification"])
        if keeper[1] and keeper[2]:  # a name and a classification: no problem with the timekeeper
            _remember(self._keepers, texts, keeper)
        if rounded_from is not None:
            self.roundings.append(Rounding(row, rounded_from, units, self.hours.rounding or "",
                                           self.hours.increment or ONE))
        if len(problems) == before:
            key = (text["hours"], text["rate"], text["amount"])
            if text["rate"] or day is not None:
                _remember(self._fees, key if text["rate"] else (*key, texts[0], keeper[2], day),
                          found[0])
        return units, rate, total, keeper

    def _expense(self, text: Mapping[str, str], problems: list[str]) -> Priced | None:
        priced = self.pricer.expense(text, problems)
        if priced is None:
            return None
        units, cost, total, keeper = priced
        keeper = _interned(keeper)
        _remember(self._expense_keepers, (text["timekeeper_id"], text["timekeeper_name"],
                                          text["timekeeper_classification"]), keeper)
        _remember(self._expenses, (text[self.pricer.quantity_field], text[self.pricer.cost_field], text["amount"]),
                  (units, cost, total))
        return units, cost, total, keeper

    def _period(self, day: date) -> int:
        """The first day (as an ordinal) of the billing period ``day`` is in; 0 when the period is the matter."""
        if self.mapping.per == "month":
            return date(day.year, day.month, 1).toordinal()
        if self.mapping.per == "quarter":
            return date(day.year, (day.month - 1) // 3 * 3 + 1, 1).toordinal()
        return 0


def _interned(keeper: Keeper) -> Keeper:
    """A timekeeper's texts interned: the entries held for sorting share one copy (and spill it once)."""
    keeper_id, name, classification = keeper
    return keeper_id and intern(keeper_id), name and intern(name), classification and intern(classification)


def _remember(cache: dict, key: object, value: object) -> None:
    """Keep ``value`` for ``key``; a cache that has reached its limit starts again (memory stays bounded)."""
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
