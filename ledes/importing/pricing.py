"""A row's fee or expense priced (units, rate or unit cost, total) and its timekeeper found, every problem named."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

import attrs

from ledes.importing.mapping import ImportMapping
from ledes.importing.values import ValueReader
from ledes.money import to_minor
from ledes.rules.base import ApprovedTimekeeper

UNIT_COST = Decimal("0.0001")  # LEDES 1998B's LINE_ITEM_UNIT_COST holds four decimals
ONE = Decimal(1)
_MODES = {"up": ROUND_CEILING, "down": ROUND_FLOOR, "nearest": ROUND_HALF_UP}

Keeper = tuple[str | None, str | None, str | None]  # a timekeeper's id, name and classification
Priced = tuple[Decimal, Decimal, Decimal, Keeper]  # units, rate or unit cost, total, and who
FeePrice = tuple[Decimal, Decimal, Decimal, Decimal | None]  # units, rate, total, the hours when rounded to units


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


class Pricer:
    """Prices fees and expenses from a row's texts (by field name), adding to ``problems`` what keeps a row off an invoice.

    Each method is a function of the texts it is given (and of the mapping, the guidelines'
    approved timekeepers and the hours rule): a result given without a problem may be reused
    for the same texts.
    """

    def __init__(self, mapping: ImportMapping, indexes: Mapping[str, int], names: Mapping[str, str],
                 values: ValueReader, approved: Mapping[str, ApprovedTimekeeper], hours: HoursRule) -> None:
        self.mapping = mapping
        self.indexes = indexes
        self.names = names
        self.values = values
        self.approved = approved
        self.hours = hours
        self.quantity_field = "quantity" if "quantity" in indexes else "hours"
        self.cost_field = "unit_cost" if "unit_cost" in indexes else "rate"

    def number(self, field: str, text: str, what: str, problems: list[str]) -> Decimal | None:
        if not text:
            return None
        value = self.values.number(text)
        if value is None:
            problems.append(f"unparseable {what} '{text}' in {self.names[field]}")
        elif value < 0:
            problems.append(f"negative {what} {text} in {self.names[field]}")
            return None
        return value

    def fee(self, text: Mapping[str, str], day: date | None, problems: list[str]) -> tuple[FeePrice, Keeper] | None:
        """A fee's units (hours rounded to the increment), rate, total and hours when rounding changed them; its timekeeper."""
        hours = self.number("hours", text["hours"], "hours", problems)
        rate = self.number("rate", text["rate"], "rate", problems) if "rate" in self.indexes else None
        amount = self.number("amount", text["amount"], "amount", problems) if "amount" in self.indexes else None
        if hours is None and text["hours"] == "":
            problems.append(f"missing hours ({self.names['hours']})")
        keeper = self.fee_timekeeper(text, problems)
        if keeper is None:
            return None
        if rate is None and text["rate"] == "":
            rate = self.rate(text["timekeeper_id"], keeper[2], day, problems)
        if hours is None or rate is None:
            return None
        billed = to_minor(hours * rate, self.mapping.currency)
        if amount is not None and billed != amount:
            problems.append(f"amount {amount} is not hours × rate ({hours} × {rate} = {billed})")
        units = self.hours.apply(hours)
        rounded_from = None
        if units is not hours:
            if units != hours:
                rounded_from = hours
            billed = to_minor(units * rate, self.mapping.currency)
        return (units, rate, billed, rounded_from), keeper

    def fee_timekeeper(self, text: Mapping[str, str], problems: list[str]) -> Keeper | None:
        """A fee's timekeeper: its id from the row, its name and classification from the row, the mapping or the guidelines."""
        keeper_id = text["timekeeper_id"]
        if not keeper_id:
            problems.append("fee without a timekeeper id" if "timekeeper_id" in self.indexes
                            else "fee without a timekeeper id (columns.timekeeper_id is not mapped)")
            return None
        mapped = self.mapping.timekeepers.get(keeper_id)
        approved = self.approved.get(keeper_id)
        name = text["timekeeper_name"] or (mapped and mapped.name) or (approved and approved.name) or ""
        classification = text["timekeeper_classification"] or (mapped and mapped.classification) or \
            (approved and approved.classification) or ""
        for what, value in (("name", name), ("classification", classification)):
            if not value:
                problems.append(f"no {what} for timekeeper '{keeper_id}': no column gives it, and neither the"
                                " mapping's [timekeepers] nor the guidelines list it")
        return keeper_id, name or None, classification or None

    def rate(self, keeper_id: str, classification: str | None, day: date | None, problems: list[str]) -> Decimal | None:
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

    def expense(self, text: Mapping[str, str], problems: list[str]) -> Priced | None:
        """An expense's quantity, unit cost, total and timekeeper; None when the row has a problem, this one's or another's."""
        quantity_field, cost_field = self.quantity_field, self.cost_field
        units = self.number(quantity_field, text[quantity_field], "quantity", problems)
        cost = self.number(cost_field, text[cost_field], "unit cost", problems) if cost_field in self.indexes \
            else None
        amount = self.number("amount", text["amount"], "amount", problems) if "amount" in self.indexes else None
        if not text["expense_code"]:
            problems.append("expense without an expense code" + ("" if "expense_code" in self.indexes
                                                                 else " (columns.expense_code is not mapped)"))
        keeper = self.expense_timekeeper(text["timekeeper_id"], text["timekeeper_name"],
                                         text["timekeeper_classification"])
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

    def expense_timekeeper(self, keeper_id: str, name: str, classification: str) -> Keeper:
        """An expense's timekeeper, when the row names one: optional, so nothing about it is a problem."""
        if not keeper_id:
            return None, None, None
        mapped = self.mapping.timekeepers.get(keeper_id)
        approved = self.approved.get(keeper_id)
        keeper_name = name or (mapped and mapped.name) or (approved and approved.name) or None
        keeper_classification = classification or (mapped and mapped.classification) or \
            (approved and approved.classification) or None
        return keeper_id, keeper_name, keeper_classification
