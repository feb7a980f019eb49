"""The invoice one group of entries makes: numbered lines, totals, billing period and invoice number computed."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ledes.importing.entries import Entry
from ledes.importing.mapping import ImportMapping
from ledes.model import (
    Client,
    Invoice,
    LawFirm,
    LineItem,
    LineItemType,
    Location,
    Matter,
    Timekeeper,
)

_TYPES = {"F": LineItemType.FEE, "E": LineItemType.EXPENSE}


def billing_period(entries: Sequence[Entry], per: str) -> tuple[date, date]:
    """The invoice's first and last day: the calendar month or quarter, or the matter's first and last entry."""
    if per == "matter":
        return min(entry.day for entry in entries), max(entry.day for entry in entries)
    start = date.fromordinal(entries[0].period)
    last_month = start.month + (2 if per == "quarter" else 0)
    return start, date(start.year, last_month, calendar.monthrange(start.year, last_month)[1])


def invoice_number(mapping: ImportMapping, counter: int, start: date, client_id: str, matter_id: str) -> str:
    """The mapping's pattern filled in: year, month and quarter of the period's start, the counter, client, matter."""
    return mapping.number.format(year=start.year, month=start.month, quarter=(start.month - 1) // 3 + 1,
                                 counter=counter, client=client_id, matter=matter_id)


def line_item(number: int, entry: Entry, source: str, keepers: dict[tuple, Timekeeper] | None = None) -> LineItem:
    """One entry as the invoice's line ``number``; its location is the source row.

    ``keepers`` holds the timekeepers already made, so that the lines of one timekeeper share one Timekeeper.
    """
    keeper = None
    if entry.timekeeper_id is not None:
        who = (entry.timekeeper_id, entry.timekeeper_name, entry.timekeeper_classification)
        keeper = keepers.get(who) if keepers is not None else None
        if keeper is None:
            keeper = Timekeeper(*who)
            if keepers is not None:
                keepers[who] = keeper
    return LineItem(str(number), _TYPES[entry.type], entry.day, units=entry.units, unit_cost=entry.rate,
                    total=entry.total, task_code=entry.task_code, expense_code=entry.expense_code,
                    activity_code=entry.activity_code, description=entry.description, timekeeper=keeper,
                    location=Location(source, entry.row))


def build_invoice(entries: Sequence[Entry], counter: int, mapping: ImportMapping, source: str) -> Invoice:
    """The invoice of one client's matter for one billing period, lines numbered 1..n in source-row order."""
    first = entries[0]
    start, end = billing_period(entries, mapping.per)
    keepers: dict[tuple, Timekeeper] = {}
    items = tuple(line_item(number, entry, source, keepers) for number, entry in enumerate(entries, start=1))
    matter = Matter(first.matter_id, first.client_matter_id, items, location=Location(source, first.row))
    return Invoice(
        invoice_number(mapping, counter, start, first.client_id, first.matter_id),
        mapping.invoice_date or end,
        Client(first.client_id),
        LawFirm(mapping.law_firm_id, mapping.law_firm_name),
        total=sum((entry.total for entry in entries), Decimal(0)),
        billing_start=start,
        billing_end=end,
        description=mapping.invoice_description,
        matters=(matter,),
        location=Location(source, first.row),
        currency=mapping.currency,
    )
