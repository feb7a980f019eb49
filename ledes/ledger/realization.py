"""``ledes ledger realization``: billed, reduced, written off, paid and the realization rate; days to payment;
rejection rates per portal and client; reductions per guideline rule against what validation put at risk.

The invoices counted are those first submitted in the period (every invoice without one),
with their events up to ``as_of``. The realization rate is paid / billed. Days to payment
(DSO) is the mean, over the invoices paid in full, of the days from first submission to
the last payment. A rejection rate is the share of invoices rejected at least once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import attrs

from ledes.ledger import rows
from ledes.ledger.events import InvoiceState
from ledes.ledger.keys import NONE, allocate, shares
from ledes.ledger.store import Store

BY = ("client", "matter", "portal", "timekeeper", "task", "rule")
FIGURES = ("billed", "reduced", "written_off", "paid", "open")


@attrs.frozen
class RealizationRow:
    """A value of the ``by`` key in one currency: billed, reduced, written off, paid, open."""

    key: str
    currency: str
    billed: Decimal
    reduced: Decimal
    written_off: Decimal
    paid: Decimal

    @property
    def open(self) -> Decimal:
        return self.billed - self.reduced - self.written_off - self.paid

    @property
    def rate(self) -> Decimal | None:
        return ratio(self.paid, self.billed)


@attrs.frozen
class RuleRow:
    """A guideline rule in one currency: what validation put at risk, and what the client reduced under it."""

    rule: str
    currency: str
    at_risk: Decimal
    reduced: Decimal


@attrs.frozen
class RejectionRow:
    """A portal or client: invoices submitted, how many were rejected at least once, and the rate."""

    kind: str
    key: str
    submitted: int
    rejected: int

    @property
    def rate(self) -> Decimal | None:
        return ratio(Decimal(self.rejected), Decimal(self.submitted))


@attrs.frozen
class Realization:
    period: str | None
    as_of: date
    by: str
    rows: tuple[RealizationRow, ...]
    rules: tuple[RuleRow, ...]
    rejections: tuple[RejectionRow, ...]
    days_to_payment: dict[str, tuple[int, Decimal | None]]  # currency -> (invoices paid in full, mean days)


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part / whole`` to four decimals (0.9250), None when ``whole`` is zero; negative where a credit line's share of a
    payment is (a row of credits only), never -0.0000."""
    if not whole:
        return None
    found = (part / whole).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return found if found else found.copy_abs()


def realization(store: Store, as_of: date, start: date | None = None, end: date | None = None, by: str = "client",
                period: str | None = None) -> Realization:
    """Realization of the invoices first submitted from ``start`` to ``end`` (every invoice when None)."""
    with store.reading() as connection:
        states = rows.states(connection, as_of=as_of)
    chosen = [s for s in states.values()
              if s.first_submitted and (start is None or s.first_submitted >= start) and (end is None or s.first_submitted <= end)]
    return realization_of(chosen, as_of, by, period)


def realization_of(states: Iterable[InvoiceState], as_of: date, by: str, period: str | None) -> Realization:
    states = sorted(states, key=lambda s: s.number)
    table: dict[tuple[str, str], list[Decimal]] = {}
    for state in states:
        if by != "rule":
            for key, parts in _attributed(state, by).items():
                sums = table.setdefault((key, state.currency), [Decimal(0)] * 4)
                for index, part in enumerate(parts):
                    sums[index] += part
    found = tuple(RealizationRow(key, currency, *sums)
                  for (key, currency), sums in sorted(table.items(), key=lambda item: (item[0][1], item[0][0])))
    return Realization(period, as_of, by, found, _rules(states), _rejections(states), _days_to_payment(states))


def _attributed(state: InvoiceState, by: str) -> dict[str, tuple[Decimal, Decimal, Decimal, Decimal]]:
    """Billed, reduced, written off and paid per key value: a reduction on a line goes to that line's value, the rest
    in proportion to each value's share of the invoice; what was written off and paid settles what the reductions
    left, so in proportion to each value's share of that (a paid invoice leaves no value open)."""
    weights = shares(state, by)
    currency = state.currency
    billed = allocate(state.billed, weights, currency)
    line_values = {line.number: line for line in state.document.lines}
    reduced = dict.fromkeys(weights, Decimal(0))
    unplaced = Decimal(0)
    for event in state.reductions:  # those that count: since the latest version was submitted
        if event.amount is None:
            continue
        line = line_values.get(event.line) if event.line is not None else None
        if line is not None and by in ("matter", "timekeeper", "task"):
            value = getattr(line, by) or NONE
            reduced[value] = reduced.get(value, Decimal(0)) + event.amount
        else:
            unplaced += event.amount
    for key, part in allocate(unplaced, weights, currency).items():
        reduced[key] = reduced.get(key, Decimal(0)) + part
    left = {key: billed.get(key, Decimal(0)) - reduced.get(key, Decimal(0)) for key in weights}  # an adjustment < 0
    settled = left if sum(left.values()) > 0 else weights
    written = allocate(state.written_off, settled, currency)
    paid = allocate(state.paid, settled, currency)
    return {key: (billed.get(key, Decimal(0)), reduced.get(key, Decimal(0)), written.get(key, Decimal(0)),
                  paid.get(key, Decimal(0))) for key in {**weights, **reduced}}


def _rules(states: list[InvoiceState]) -> tuple[RuleRow, ...]:
    found: dict[tuple[str, str], list[Decimal]] = {}
    for state in states:
        for rule, amount in state.document.at_risk.items():
            found.setdefault((rule, state.currency), [Decimal(0), Decimal(0)])[0] += amount
        for event in state.reductions:
            if event.amount is not None:
                rule = event.rule or "(no rule)"
                found.setdefault((rule, state.currency), [Decimal(0), Decimal(0)])[1] += event.amount
    return tuple(RuleRow(rule, currency, risk, cut)
                 for (rule, currency), (risk, cut) in sorted(found.items(), key=lambda item: (item[0][1], item[0][0])))


def _rejections(states: list[InvoiceState]) -> tuple[RejectionRow, ...]:
    counts: dict[tuple[str, str], list[int]] = {}
    for state in states:
        for kind, key in (("portal", state.portal or NONE), ("client", state.client or NONE)):
            tally = counts.setdefault((kind, key), [0, 0])
            tally[0] += 1
            tally[1] += state.rejections > 0
    return tuple(RejectionRow(kind, key, submitted, rejected)
                 for (kind, key), (submitted, rejected) in sorted(counts.items()))


def _days_to_payment(states: list[InvoiceState]) -> dict[str, tuple[int, Decimal | None]]:
    days: dict[str, list[int]] = {}
    for state in states:
        days.setdefault(state.currency, [])
        if state.balance == 0 and state.status == "paid" and state.last_payment and state.first_submitted:
            days[state.currency].append((state.last_payment - state.first_submitted).days)
    return {currency: (len(found), (Decimal(sum(found)) / len(found)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                       if found else None) for currency, found in sorted(days.items())}
