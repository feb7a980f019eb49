"""The ledger's records: event kinds, an event, an invoice version, and each invoice's state derived from its events."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

import attrs

from ledes.errors import LedesError


class LedesLedgerError(LedesError):
    """An event the ledger refuses: out of order, larger than the balance, for an invoice it does not hold."""


class Kind(enum.Enum):
    """What happened to an invoice."""

    SUBMITTED = "submitted"
    RESUBMITTED = "resubmitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    APPEALED = "appealed"
    PAID = "paid"
    SHORT_PAID = "short-paid"
    REDUCED = "reduced"
    WRITTEN_OFF = "written-off"
    NOTE = "note"


MONEY_KINDS = frozenset({Kind.PAID, Kind.SHORT_PAID, Kind.REDUCED, Kind.WRITTEN_OFF})
PAYMENTS = frozenset({Kind.PAID, Kind.SHORT_PAID})
SUBMISSIONS = frozenset({Kind.SUBMITTED, Kind.RESUBMITTED})

# The statuses an invoice can have, and which events may follow each (a note may follow any).
STATUSES = ("submitted", "resubmitted", "accepted", "rejected", "appealed", "partially-paid", "paid", "written-off")
_OPEN_MONEY = {Kind.PAID, Kind.SHORT_PAID, Kind.REDUCED, Kind.WRITTEN_OFF}
ALLOWED: Mapping[str, frozenset[Kind]] = {
    "submitted": frozenset({Kind.ACCEPTED, Kind.REJECTED, Kind.RESUBMITTED, *_OPEN_MONEY}),
    "resubmitted": frozenset({Kind.ACCEPTED, Kind.REJECTED, Kind.RESUBMITTED, *_OPEN_MONEY}),
    "accepted": frozenset({Kind.APPEALED, *_OPEN_MONEY}),
    "rejected": frozenset({Kind.APPEALED, Kind.RESUBMITTED, Kind.WRITTEN_OFF}),
    "appealed": frozenset({Kind.ACCEPTED, Kind.REJECTED, Kind.RESUBMITTED, *_OPEN_MONEY}),
    "partially-paid": frozenset({Kind.APPEALED, *_OPEN_MONEY}),
    "paid": frozenset(),
    "written-off": frozenset(),
}


@attrs.frozen
class Line:
    """One line of an invoice version, as the ledger keeps it: enough to attribute money to a matter, timekeeper, task."""

    number: int
    type: str
    matter: str
    timekeeper: str
    task: str
    total: Decimal


@attrs.frozen
class Document:
    """One version of an invoice: its content hash, client, currency, total, lines and the money at risk per rule."""

    content_hash: str
    number: str
    client: str
    currency: str
    invoice_date: date | None
    total: Decimal
    lines: tuple[Line, ...] = ()
    at_risk: Mapping[str, Decimal] = attrs.field(factory=dict)


@attrs.frozen
class Event:
    """One fact about an invoice: what, on which day, recorded when and by whom, for which version of it."""

    number: str
    kind: Kind
    on: date
    recorded_at: str
    actor: str
    content_hash: str
    file_hash: str | None = None
    amount: Decimal | None = None
    line: int | None = None
    reason: str | None = None
    code: str | None = None
    portal: str | None = None
    rule: str | None = None
    details: Mapping[str, object] = attrs.field(factory=dict)
    id: int | None = None


@attrs.define
class InvoiceState:
    """An invoice as its events leave it: status, the money billed, paid, reduced and written off, and the key dates."""

    number: str
    document: Document
    status: str = "submitted"
    billed: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    reduced: Decimal = Decimal(0)
    written_off: Decimal = Decimal(0)
    first_submitted: date | None = None
    submitted: date | None = None
    accepted: date | None = None
    rejected: date | None = None
    appealed: date | None = None
    last_payment: date | None = None
    portal: str | None = None
    terms: Mapping[str, int] = attrs.field(factory=dict)
    rejections: int = 0
    events: list[Event] = attrs.field(factory=list)

    @property
    def balance(self) -> Decimal:
        return self.billed - self.paid - self.reduced - self.written_off

    @property
    def currency(self) -> str:
        return self.document.currency

    @property
    def client(self) -> str:
        return self.document.client

    def apply(self, event: Event, document: Document) -> None:
        """Take ``event`` into the state (``document`` is the version it concerns)."""
        self.events.append(event)
        kind = event.kind
        amount = event.amount or Decimal(0)
        if event.portal:
            self.portal = event.portal
        if kind in SUBMISSIONS:
            self.document = document
            self.billed = document.total
            self.submitted = event.on
            self.first_submitted = self.first_submitted or event.on
            terms = event.details.get("terms")
            if isinstance(terms, Mapping):
                self.terms = {str(k): int(v) for k, v in terms.items()}
        elif kind is Kind.ACCEPTED:
            self.accepted = event.on
        elif kind is Kind.REJECTED:
            self.rejected = event.on
            self.rejections += 1
        elif kind is Kind.APPEALED:
            self.appealed = event.on
        elif kind in PAYMENTS:
            self.paid += amount
            self.last_payment = event.on
        elif kind is Kind.REDUCED:
            self.reduced += amount
        elif kind is Kind.WRITTEN_OFF:
            self.written_off += amount
        self.status = _status_after(self, kind)


def _status_after(state: InvoiceState, kind: Kind) -> str:
    if kind is Kind.NOTE:
        return state.status
    if state.balance <= 0 and kind in MONEY_KINDS:
        return "written-off" if state.written_off > 0 and kind is Kind.WRITTEN_OFF else "paid"
    if kind in PAYMENTS:
        return "partially-paid"
    if kind is Kind.REDUCED:
        return state.status
    if kind is Kind.WRITTEN_OFF:
        return state.status
    return kind.value


def derive(events: Iterable[Event], documents: Mapping[str, Document], as_of: date | None = None) -> dict[str, InvoiceState]:
    """Each invoice's state from its events (those on or before ``as_of``), in the order of their day, then of recording."""
    states: dict[str, InvoiceState] = {}
    ordered = sorted(events, key=lambda e: (e.on, e.id or 0))
    for event in ordered:
        if as_of is not None and event.on > as_of:
            continue
        document = documents[event.content_hash]
        state = states.get(event.number)
        if state is None:
            if event.kind not in SUBMISSIONS:
                continue  # a fact recorded before its submission's day is counted from that day on
            state = states[event.number] = InvoiceState(event.number, document)
        state.apply(event, document)
    return states


def check_next(state: InvoiceState | None, number: str, kind: Kind, on: date, amount: Decimal | None) -> None:
    """Raise LedesLedgerError when ``kind`` cannot follow the invoice's events: out of order, or more than its balance."""
    if state is None:
        if kind is Kind.SUBMITTED:
            return
        raise LedesLedgerError(f"invoice {number} is not in the ledger (add it first: ledes ledger add FILE)")
    where = f"invoice {number} ({state.status}, balance {state.balance} {state.currency})"
    if state.first_submitted is not None and on < state.first_submitted:
        raise LedesLedgerError(f"{where}: cannot be {kind.value} on {on}, before it was submitted on {state.first_submitted}")
    if kind is Kind.NOTE:
        return
    if kind not in ALLOWED[state.status]:
        allowed = ", ".join(sorted(k.value for k in ALLOWED[state.status])) or "nothing but a note"
        raise LedesLedgerError(f"{where}: cannot be {kind.value} now; it can be: {allowed}")
    if kind is Kind.APPEALED and state.status in ("accepted", "partially-paid") and not state.reduced and not state.paid:
        raise LedesLedgerError(f"{where}: nothing to appeal: it was neither rejected, reduced nor short-paid")
    if kind in MONEY_KINDS:
        if amount is None or amount <= 0:
            raise LedesLedgerError(f"{where}: {kind.value} needs a positive amount, found {amount}")
        if amount > state.balance:
            raise LedesLedgerError(f"{where}: {kind.value} of {amount} is more than the balance {state.balance}")
