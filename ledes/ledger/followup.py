"""``ledes ledger follow-up``: the day's work list, each line with why and by when.

- ``overdue``: an open invoice (submitted, resubmitted, accepted or partly paid) past the
  client's payment terms (``payment_terms_days`` after its latest submission);
- ``resubmission-window``: a rejected invoice whose resubmission window
  (``resubmission_window_days`` after the rejection) closes within ``within`` days, or has closed;
- ``appeal-unanswered``: an appeal with no answer ``appeal_answer_days`` after it was made;
- ``short-payment``: a short payment not reconciled (no reduction, write-off, appeal or
  further payment after it), to be appealed within ``appeal_window_days`` of it.

The windows are those recorded with the invoice's submission from the client's guidelines
(``[receivables]``), else the defaults: 30, 60, 30 and 30 days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

import attrs

from ledes.guidelines import RECEIVABLES_DEFAULTS
from ledes.ledger import rows
from ledes.ledger.events import InvoiceState, Kind
from ledes.ledger.store import Store

REASONS = ("overdue", "resubmission-window", "appeal-unanswered", "short-payment")
DEFAULT_WITHIN = 14
_RECONCILING = frozenset({Kind.REDUCED, Kind.WRITTEN_OFF, Kind.APPEALED, Kind.PAID, Kind.SHORT_PAID})


@attrs.frozen
class FollowUp:
    """One item of the work list: the invoice, why, by when, and its balance."""

    invoice: str
    client: str
    currency: str
    status: str
    balance: Decimal
    reason: str
    why: str
    by: date


def _term(state: InvoiceState, key: str) -> int:
    return int(state.terms.get(key, RECEIVABLES_DEFAULTS[key]))


def follow_up(store: Store, as_of: date, within: int = DEFAULT_WITHIN) -> list[FollowUp]:
    """The work list as of ``as_of``, soonest deadline first."""
    with store.reading() as connection:
        states = rows.states(connection, as_of=as_of)
    return follow_up_of(states.values(), as_of, within)


def follow_up_of(states: Iterable[InvoiceState], as_of: date, within: int) -> list[FollowUp]:
    items: list[FollowUp] = []
    for state in states:
        items.extend(_items(state, as_of, within))
    return sorted(items, key=lambda item: (item.by, item.invoice, REASONS.index(item.reason)))


def _plus(day: date, days: int) -> date:
    """``day`` and ``days`` more; the last day a date can be when that is later (a window from 9999-12-01)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max


def _items(state: InvoiceState, as_of: date, within: int):
    def item(reason: str, why: str, by: date) -> FollowUp:
        return FollowUp(state.number, state.client, state.currency, state.status, state.balance, reason, why, by)

    if state.balance <= 0:
        return
    if state.status in ("submitted", "resubmitted", "accepted", "partially-paid") and state.submitted:
        due = _plus(state.submitted, _term(state, "payment_terms_days"))
        if as_of > due:
            yield item("overdue", f"unpaid {(as_of - due).days} days past the payment terms"
                       f" ({_term(state, 'payment_terms_days')} days from submission on {state.submitted})", due)
    if state.status == "rejected" and state.rejected:
        closes = _plus(state.rejected, _term(state, "resubmission_window_days"))
        if closes <= _plus(as_of, within):
            left = (closes - as_of).days
            when = f"closes in {left} days" if left >= 0 else f"closed {-left} days ago"
            yield item("resubmission-window", f"rejected on {state.rejected}; the resubmission window {when}", closes)
    if state.status == "appealed" and state.appealed:
        answer = _plus(state.appealed, _term(state, "appeal_answer_days"))
        if as_of >= answer:
            yield item("appeal-unanswered", f"appealed on {state.appealed}, no answer after"
                       f" {(as_of - state.appealed).days} days; chase the reviewer", answer)
    short = [e for e in state.events if e.kind is Kind.SHORT_PAID]
    if short:
        last = short[-1]
        later = state.events[state.events.index(last) + 1:]
        if not any(e.kind in _RECONCILING for e in later):
            yield item("short-payment", f"short-paid {last.amount} on {last.on}, {state.balance} unreconciled:"
                       " record the reduction, appeal it or write it off",
                       _plus(last.on, _term(state, "appeal_window_days")))
