"""The invoice one group of entries makes: numbered lines, totals, billing period and invoice number computed."""

from __future__ import annotations

import calendar
import functools
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from itertools import repeat

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
from ledes.model.names import split_name

_TYPES = {"F": LineItemType.FEE, "E": LineItemType.EXPENSE}


def billing_period(entries: Sequence[Entry], per: str) -> tuple[date, date]:
    """The invoice's first and last day: the calendar month or quarter, or the matter's first and last entry."""
    if per == "matter":
        return min(entry.day for entry in entries), max(entry.day for entry in entries)
    start = date.fromordinal(entries[0].period)
    last_month = start.month + (2 if per == "quarter" else 0)
    return start, date(start.year, last_month, calendar.monthrange(start.year, last_month)[1])


@functools.lru_cache(maxsize=4096)  # a firm's timekeepers, made once for all their invoices (a Timekeeper is frozen)
def _timekeeper(keeper_id: str, name: str | None, classification: str | None) -> Timekeeper:
    last, first = split_name(name)  # a name without a comma is the last name whole, never split at a space
    return Timekeeper(keeper_id, name, classification, last, first)


def invoice_day(end: date, today: date) -> date:
    """The invoice date when the mapping sets none: the billing period's last day, or ``today`` while the period has
    not ended (an invoice dated in the future is an error, period.invoice-date)."""
    return min(end, today)


def invoice_number(mapping: ImportMapping, counter: int, start: date, client_id: str, matter_id: str) -> str:
    """The mapping's pattern filled in: year, month and quarter of the period's start, the counter, client, matter."""
    return mapping.number.format(year=start.year, month=start.month, quarter=(start.month - 1) // 3 + 1,
                                 counter=counter, client=client_id, matter=matter_id)


def build_invoice(entries: Sequence[Entry], counter: int, mapping: ImportMapping, source: str,
                  today: date | None = None) -> Invoice:
    """The invoice of one client's matter for one billing period, lines numbered 1..n in source-row order.

    Its line items are built a column at a time (each entry's field is a column of ``zip(*entries)``); the
    lines of one timekeeper share one Timekeeper, and a line with no timekeeper id has none. The invoice and its
    matter are located at their first source row; a line item is not (the checking is given the rows). The invoice
    is dated as the mapping says (``invoice_date``), else ``invoice_day``.
    """
    first = entries[0]
    start, end = billing_period(entries, mapping.per)
    (_, _, _, _, _, days, types, units, rates, totals, task_codes, activity_codes, expense_codes, descriptions,
     *keeper_columns) = zip(*entries, strict=True)
    keys = list(zip(*keeper_columns, strict=True))
    keepers = {who: _timekeeper(*who) for who in set(keys) if who[0] is not None}
    count = len(entries)
    items = tuple(map(LineItem, map(str, range(1, count + 1)), map(_TYPES.__getitem__, types), days, units, rates,
                      repeat(None, count), totals, task_codes, expense_codes, activity_codes, descriptions,
                      map(keepers.get, keys)))
    matter = Matter(first.matter_id, first.client_matter_id, items, location=Location(source, first.row))
    return Invoice(
        invoice_number(mapping, counter, start, first.client_id, first.matter_id),
        mapping.invoice_date or invoice_day(end, today or date.today()),
        Client(first.client_id),
        LawFirm(mapping.law_firm_id, mapping.law_firm_name),
        total=sum(totals, Decimal(0)),
        billing_start=start,
        billing_end=end,
        description=mapping.invoice_description,
        matters=(matter,),
        location=Location(source, first.row),
        currency=mapping.currency,
    )
