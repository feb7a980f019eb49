"""What identifies a row of a status export, so that importing the same export again records nothing new.

A row's key is its invoice, event, day, amount in the currency's minor unit (``500`` and
``500.00`` are one amount), line, code and reason (the payer's reference of a payment).
Each event an import recorded keeps its row's key; a key written by an earlier ledes
(without the reason, the amount as the export spelt it) is read as the key this one gives
the row, from the event it recorded.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from ledes.ledger.events import MONEY_KINDS, Event, InvoiceState, Kind
from ledes.money import to_minor


def row_key(invoice: str, kind: Kind, on: date, amount: Decimal | None, line: int | None, code: str | None,
            reason: str | None, currency: str) -> str:
    """The key of a row (``kind`` as the row names it: paid, not short-paid)."""
    minor = None if amount is None else str(to_minor(amount, currency))
    text = json.dumps(["row/2", invoice, kind.value, on.isoformat(), minor, line, code, reason])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _first_key(invoice: str, kind: Kind, on: date, amount: Decimal | None, line: int | None, code: str | None) -> str:
    """The key ledes gave a row before the reason was part of it (and the amount was as the export spelt it)."""
    text = json.dumps([invoice, kind.value, on.isoformat(), None if amount is None else str(amount), line, code])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def earlier_keys(states: Iterable[InvoiceState]) -> Counter[str]:
    """How many events earlier imports recorded under each row key (the keys of this ledes)."""
    found: Counter[str] = Counter()
    for state in states:
        for event in state.events:
            key = _key_of(event, state.currency)
            if key is not None:
                found[key] += 1
    return found


def _key_of(event: Event, currency: str) -> str | None:
    stored = event.details.get("row_key")
    if not stored:
        return None
    kind = Kind.PAID if event.kind is Kind.SHORT_PAID else event.kind
    amount = event.amount if kind in MONEY_KINDS else None
    line = event.line if kind is Kind.REDUCED else None
    given = row_key(event.number, kind, event.on, amount, line, event.code, event.reason, currency)
    if stored == given:
        return given
    none = row_key(event.number, kind, event.on, None, line, event.code, event.reason, currency)
    if stored == none or stored == _first_key(event.number, kind, event.on, None, event.line, event.code):
        return none  # the row gave no amount (a payment of the balance)
    return given
