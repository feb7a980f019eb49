"""``ledes ledger aging``: open balances by age (0-30, 31-60, 61-90, 91-120, over 120 days), per currency, with totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from ledes.ledger import rows
from ledes.ledger.events import InvoiceState
from ledes.ledger.keys import allocate, shares
from ledes.ledger.store import Store

BUCKETS = ("0-30", "31-60", "61-90", "91-120", "120+")
STARTS = ("submitted", "accepted")


def bucket_of(days: int) -> str:
    """The bucket of an open balance ``days`` old: 0-30 up to 30 days, ..., 120+ from 121 days."""
    for bucket, limit in zip(BUCKETS, (30, 60, 90, 120), strict=False):
        if days <= limit:
            return bucket
    return BUCKETS[-1]


@attrs.frozen
class AgingRow:
    """One row: a value of the ``by`` key, a currency, the open balance per bucket, and their total."""

    key: str
    currency: str
    amounts: tuple[Decimal, ...]

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, Decimal(0))


@attrs.frozen
class Aging:
    """The aging report: as of when, by what, aged from which event, its rows, and the invoices not aged (not accepted)."""

    as_of: date
    by: str
    start: str
    rows: tuple[AgingRow, ...]
    not_aged: int

    def totals(self) -> dict[str, tuple[Decimal, ...]]:
        """Per currency, each bucket's total."""
        found: dict[str, list[Decimal]] = {}
        for row in self.rows:
            sums = found.setdefault(row.currency, [Decimal(0)] * len(BUCKETS))
            for index, amount in enumerate(row.amounts):
                sums[index] += amount
        return {currency: tuple(found[currency]) for currency in sorted(found)}


def start_of(state: InvoiceState, start: str) -> date | None:
    """The day an invoice's balance ages from: its latest (re)submission, or its acceptance (None before it)."""
    return state.submitted if start == "submitted" else state.accepted


def aging(store: Store, as_of: date, by: str = "client", start: str = "submitted") -> Aging:
    """Every open balance as of ``as_of`` (events after it are not counted), by ``by``, aged from ``start``."""
    with store.reading() as connection:
        states = rows.states(connection, as_of=as_of)
    return aging_of(states.values(), as_of, by, start)


def aging_of(states, as_of: date, by: str, start: str) -> Aging:
    table: dict[tuple[str, str], list[Decimal]] = {}
    not_aged = 0
    for state in states:
        balance = state.balance
        if balance <= 0:
            continue
        began = start_of(state, start)
        if began is None:
            not_aged += 1
            continue
        index = BUCKETS.index(bucket_of((as_of - began).days))
        for key, amount in allocate(balance, shares(state, by), state.currency).items():
            amounts = table.setdefault((key, state.currency), [Decimal(0)] * len(BUCKETS))
            amounts[index] += amount
    found = tuple(AgingRow(key, currency, tuple(amounts))
                  for (key, currency), amounts in sorted(table.items(), key=lambda item: (item[0][1], item[0][0])))
    return Aging(as_of, by, start, found, not_aged)
