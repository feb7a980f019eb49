"""One source row to one time or expense entry, or to the reason it cannot be one; hours rounded to the increment."""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from sys import intern
from typing import NamedTuple

import attrs

from ledes.errors import LedesConfigError
from ledes.importing.mapping import COLUMNS, ImportMapping
from ledes.importing.values import ValueReader
from ledes.money import to_minor
from ledes.rules.base import ApprovedTimekeeper

UNIT_COST = Decimal("0.0001")  # LEDES 1998B's LINE_ITEM_UNIT_COST holds four decimals
ONE = Decimal(1)
_MODES = {"up": ROUND_CEILING, "down": ROUND_FLOOR, "nearest": ROUND_HALF_UP}


Keeper = tuple[str | None, str | None, str | None]  # a timekeeper's id, name and classification
Priced = tuple[Decimal, Decimal, Decimal, Keeper]  # units, rate or unit cost, total, and who


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


@attrs.frozen
class HoursRule:
    """The billing increment and how hours off it are rounded (up, down or nearest); no increment, no rounding."""

    increment: Decimal | None = None
    rounding: str | None = None

    def apply(self, hours: Decimal) -> Decimal:
        """``hours`` as a whole number of increments."""
        if self.increment is None or self.rounding is None:
            return hours
        steps = hours / self.increment
        whole = steps.to_integral_value(rounding=_MODES[self.rounding])
        return hours if whole == steps else whole * self.increment


_LISTED = 30  # columns an error names; a header of thousands is not listed whole


def column_indexes(mapping: ImportMapping, header: Sequence[str], source: str) -> dict[str, int]:
    """The position in the header of each mapped column; a LedesConfigError names a column the source lacks."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(name, index)
    found = {}
    for field, name in mapping.columns.items():
        if name not in positions:
            named = [name for name in header if name]
            shown = ", ".join(repr(name) for name in named[:_LISTED]) or "none"
            if len(named) > _LISTED:
                shown += f" and {len(named) - _LISTED:,} more"
            raise LedesConfigError(f"{mapping.path}: columns.{field}: expected a column of '{source}' named"
                                   f" '{name}' (its columns: {shown})")
        found[field] = positions[name]
    return found


class RowConverter:
    """Turns rows into entries: values parsed, the rate found, hours rounded, and every problem of the row named."""

    def __init__(self, mapping: ImportMapping, indexes: Mapping[str, int], values: ValueReader,
                 approved: Mapping[str, ApprovedTimekeeper] | None, hours: HoursRule,
                 pipe_title: str | None = None) -> None:
        self.mapping = mapping
        self.pipe_title = pipe_title  # the target's title when it is a pipe-delimited format
        self.indexes = indexes
        self.names = {field: mapping.columns[field] for field in indexes}
        self.values = values
        self.approved = approved or {}
        self.hours = hours
        self.roundings: list[Rounding] = []
        self._width = max(indexes.values(), default=-1) + 1
        # Every field's cell in one call, in COLUMNS order: an unmapped field reads the "" put after the row's cells.
        self._cells = operator.itemgetter(*(indexes.get(field, -1) for field in COLUMNS))
        self._fee_types = frozenset(value.upper() for value in mapping.fee_types)
        self._expense_types = frozenset(value.upper() for value in mapping.expense_types)
        self._client_matter_ids: dict[tuple[str, str], tuple[str | None, int]] = {}
        self._periods: dict[date, int] = {}

    def convert(self, row: int, cells: list[str]) -> Entry | RowError:
        """The entry the row makes, or a RowError naming each of its problems."""
        problems: list[str] = []
        text = self._texts(cells, problems)
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
        keeper_id, name, classification = keeper
        return Entry(self._period(day), intern(client_id), intern(matter_id), row,
                     client_matter_id and intern(client_matter_id), day, kind, units, rate, total,
                     intern(text["task_code"]) or None, intern(text["activity_code"]) or None,
                     intern(text["expense_code"]) or None, intern(text["description"]) or None,
                     keeper_id and intern(keeper_id), name and intern(name), classification and intern(classification))

    def _texts(self, cells: list[str], problems: list[str]) -> dict[str, str]:
        """The row's text by field (every name in COLUMNS), stripped; "" for a field the mapping or the row lacks."""
        if len(cells) < self._width:
            cells = cells + [""] * (self._width - len(cells))
        values = list(map(str.strip, self._cells([*cells, ""])))
        if self.pipe_title is not None:
            joined = "".join(values)
            if "|" in joined or "\n" in joined or "\r" in joined:
                self._check_pipe_safe(values, problems)
        return dict(zip(COLUMNS, values, strict=True))

    def _check_pipe_safe(self, values: list[str], problems: list[str]) -> None:
        """A pipe-delimited format cannot hold a '|' or a line break in a value: the row says so rather than lose it."""
        found = dict(zip(COLUMNS, values, strict=True))
        for field in self.indexes:
            value = found[field]
            if "|" in value or "\n" in value or "\r" in value:
                what = "a '|'" if "|" in value else "a line break"
                problems.append(f"{self.names[field]} contains {what}, which {self.pipe_title} cannot hold")

    def _date(self, text: str, problems: list[str]) -> date | None:
        if not text:
            problems.append(f"missing date ({self.names['date']})")
            return None
        day = self.values.date(text)
        if day is None:
            problems.append(f"bad date '{text}' in {self.names['date']} (expected {' or '.join(self.values.date_formats)})")
        return day

    def _kind(self, text: str, expense_code: str, problems: list[str]) -> str | None:
        if "type" not in self.indexes:
            return "E" if expense_code else "F"
        kind = text.upper()
        if kind in self._fee_types:
            return "F"
        if kind in self._expense_types:
            return "E"
        expected = f"expected {' or '.join((*self.mapping.fee_types, *self.mapping.expense_types))}"
        problems.append(f"missing type in {self.names['type']} ({expected})" if not text
                        else f"unknown type '{text}' in {self.names['type']} ({expected})")
        return None

    def _client_matter_id(self, client_id: str, matter_id: str, value: str | None, row: int,
                          problems: list[str]) -> str | None:
        """The client's id for the matter, which must be the same on every row of one matter."""
        first = self._client_matter_ids.setdefault((client_id, matter_id), (value, row))
        if first[0] != value:
            problems.append(f"client matter id '{value or ''}' differs from '{first[0] or ''}' on row {first[1]}"
                            f" for matter {matter_id}")
        return value

    def _number(self, field: str, text: str, what: str, problems: list[str]) -> Decimal | None:
        if not text:
            return None
        value = self.values.number(text)
        if value is None:
            problems.append(f"unparseable {what} '{text}' in {self.names[field]}")
        elif value < 0:
            problems.append(f"negative {what} {text} in {self.names[field]}")
            return None
        return value

    def _fee(self, row: int, text: Mapping[str, str], day: date | None, problems: list[str]) -> Priced | None:
        hours = self._number("hours", text["hours"], "hours", problems)
        rate = self._number("rate", text["rate"], "rate", problems) if "rate" in self.indexes else None
        amount = self._number("amount", text["amount"], "amount", problems) if "amount" in self.indexes else None
        if hours is None and text["hours"] == "":
            problems.append(f"missing hours ({self.names['hours']})")
        keeper_id = text["timekeeper_id"]
        if not keeper_id:
            problems.append("fee without a timekeeper id" if "timekeeper_id" in self.indexes
                            else "fee without a timekeeper id (columns.timekeeper_id is not mapped)")
            return None
        keeper = self._timekeeper(keeper_id, text["timekeeper_name"], text["timekeeper_classification"], problems)
        if rate is None and text["rate"] == "":
            rate = self._rate(keeper_id, keeper[2], day, problems)
        if hours is None or rate is None:
            return None
        billed = to_minor(hours * rate, self.mapping.currency)
        if amount is not None and billed != amount:
            problems.append(f"amount {amount} is not hours × rate ({hours} × {rate} = {billed})")
        units = self.hours.apply(hours)
        if units is not hours:
            if units != hours:
                self.roundings.append(Rounding(row, hours, units, self.hours.rounding or "",
                                               self.hours.increment or ONE))
            billed = to_minor(units * rate, self.mapping.currency)
        return units, rate, billed, keeper

    def _timekeeper(self, keeper_id: str, name: str, classification: str, problems: list[str]) -> Keeper:
        mapped = self.mapping.timekeepers.get(keeper_id)
        approved = self.approved.get(keeper_id)
        name = name or (mapped and mapped.name) or (approved and approved.name) or ""
        classification = classification or (mapped and mapped.classification) or \
            (approved and approved.classification) or ""
        for what, value in (("name", name), ("classification", classification)):
            if not value:
                problems.append(f"no {what} for timekeeper '{keeper_id}': no column gives it, and neither the"
                                " mapping's [timekeepers] nor the guidelines list it")
        return keeper_id, name or None, classification or None

    def _rate(self, keeper_id: str, classification: str | None, day: date | None, problems: list[str]) -> Decimal | None:
        """The rate of a fee whose row has none: the mapping's, the guidelines' approved one, or its classification's."""
        mapped = self.mapping.timekeepers.get(keeper_id)
        approved = self.approved.get(keeper_id)
        rate = mapped.rate if mapped is not None else None
        if rate is None and approved is not None:
            rate = approved.rate_on(day)
        if rate is None and classification is not None:
            rate = self.mapping.classification_rates.get(classification)
        if rate is None and day is not None:
            if mapped is None and approved is None:
                problems.append(f"unknown timekeeper '{keeper_id}': the row has no rate, and no rate table lists"
                                " them (the mapping's [timekeepers] or [classification_rates], the guidelines)")
            else:
                problems.append(f"no rate for timekeeper '{keeper_id}' on {day}: none in the row, the mapping,"
                                " the guidelines' approved rates or [classification_rates]")
        return rate

    def _expense(self, text: Mapping[str, str], problems: list[str]) -> Priced | None:
        quantity_field = "quantity" if "quantity" in self.indexes else "hours"
        cost_field = "unit_cost" if "unit_cost" in self.indexes else "rate"
        units = self._number(quantity_field, text[quantity_field], "quantity", problems)
        cost = self._number(cost_field, text[cost_field], "unit cost", problems) if cost_field in self.indexes \
            else None
        amount = self._number("amount", text["amount"], "amount", problems) if "amount" in self.indexes else None
        if not text["expense_code"]:
            problems.append("expense without an expense code" + ("" if "expense_code" in self.indexes
                                                                 else " (columns.expense_code is not mapped)"))
        keeper_id = text["timekeeper_id"]
        keeper = self._expense_timekeeper(keeper_id, text["timekeeper_name"], text["timekeeper_classification"])
        units = ONE if units is None and not text[quantity_field] else units
        if units is None or problems:
            return None
        if cost is None:
            if amount is None:
                problems.append("expense without an amount or a unit cost")
                return None
            if units == 0:
                problems.append("expense of quantity 0 without a unit cost")
                return None
            cost = amount if units == ONE else (amount / units).quantize(UNIT_COST, ROUND_HALF_UP)
        computed = to_minor(units * cost, self.mapping.currency)
        if amount is not None and computed != amount:
            problems.append(f"amount {amount} is not quantity × unit cost ({units} × {cost} = {computed})")
            return None
        return units, cost, amount if amount is not None else computed, keeper

    def _expense_timekeeper(self, keeper_id: str, name: str, classification: str) -> Keeper:
        """An expense's timekeeper, when the row names one: optional, so nothing about it is a problem."""
        if not keeper_id:
            return None, None, None
        mapped = self.mapping.timekeepers.get(keeper_id)
        approved = self.approved.get(keeper_id)
        keeper_name = name or (mapped and mapped.name) or (approved and approved.name) or None
        keeper_classification = classification or (mapped and mapped.classification) or \
            (approved and approved.classification) or None
        return keeper_id, keeper_name, keeper_classification

    def _period(self, day: date) -> int:
        """The first day (as an ordinal) of the billing period ``day`` is in; 0 when the period is the matter."""
        found = self._periods.get(day)
        if found is None:
            if self.mapping.per == "month":
                found = date(day.year, day.month, 1).toordinal()
            elif self.mapping.per == "quarter":
                found = date(day.year, (day.month - 1) // 3 * 3 + 1, 1).toordinal()
            else:
                found = 0
            self._periods[day] = found
        return found
