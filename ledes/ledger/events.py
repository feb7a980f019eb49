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
    # A short payment may come before the portal's acceptance is recorded, or be followed by a corrected invoice;
    # an acceptance recorded after the payment in full (the bank's file imported first) changes nothing but its date.
    "partially-paid": frozenset({Kind.ACCEPTED, Kind.APPEALED, Kind.RESUBMITTED, *_OPEN_MONEY}),
    "paid": frozenset({Kind.ACCEPTED}),
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
    law_firm: str | None = None  # the billing firm's id; None in a version recorded before schema 0003


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
    # The reductions that count: those since the latest (re)submission (a corrected invoice replaces the total they
    # were taken from), and what they took from each line of the version they concern.
    reductions: list[Event] = attrs.field(factory=list)
    line_reduced: dict[int, Decimal] = attrs.field(factory=dict)
    versions: dict[str, Document] = attrs.field(factory=dict)  # every version submitted, by content hash

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
            if document.content_hash != self.document.content_hash or kind is Kind.SUBMITTED:
                # Another version is what the client now owes: what was reduced or written off from the one it
                # replaces no longer counts against it; what was paid still does.
                self.reduced = self.written_off = Decimal(0)
                self.reductions = []
                self.line_reduced = {}
            self.document = document
            self.versions[document.content_hash] = document
            self.billed = document.total
            self.submitted = event.on
            self.first_submitted = self.first_submitted or event.on
            terms = event.details.get("terms")
            if isinstance(terms, Mapping):
                self.terms = {str(k): v for k, v in terms.items() if isinstance(v, int) and not isinstance(v, bool)}
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
            self.reductions.append(event)
            if event.line is not None:
                self.line_reduced[event.line] = self.line_reduced.get(event.line, Decimal(0)) + amount
        elif kind is Kind.WRITTEN_OFF:
            self.written_off += amount
        self.status = _status_after(self, kind)


def _status_after(state: InvoiceState, kind: Kind) -> str:
    if kind is Kind.NOTE or (kind is Kind.ACCEPTED and state.status in ("partially-paid", "paid")):
        return state.status  # an acceptance after money received: the money says more
    if state.balance <= 0 and kind in MONEY_KINDS:
        return "written-off" if state.written_off > 0 and kind is Kind.WRITTEN_OFF else "paid"
    if kind in PAYMENTS:
        return "partially-paid"
    if kind is Kind.REDUCED:
        return state.status
    if kind is Kind.WRITTEN_OFF:
        return state.status
    return kind.value


def order(event: Event) -> tuple[date, bool, int]:
    """Where an event stands in its invoice's history: by its day, then as recorded (one not stored yet comes last;
    sorting is stable, so those keep the order they are given in)."""
    return event.on, event.id is None, event.id or 0


def derive(events: Iterable[Event], documents: Mapping[str, Document], as_of: date | None = None) -> dict[str, InvoiceState]:
    """Each invoice's state from its events (those on or before ``as_of``), in the order of their day, then of recording."""
    states: dict[str, InvoiceState] = {}
    ordered = sorted(events, key=order)
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


def check_next(state: InvoiceState | None, number: str, kind: Kind, on: date, amount: Decimal | None,
               line: int | None = None, document: Document | None = None) -> None:
    """Raise LedesLedgerError when ``kind`` cannot follow the invoice's events: out of order, more than its balance,
    a reduction larger than what is left of its line, a resubmission (``document``) below what was already paid."""
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
    if kind in SUBMISSIONS and document is not None and document.total < state.paid:
        raise LedesLedgerError(f"{where}: cannot be {kind.value} with a total of {document.total}, less than the"
                               f" {state.paid} already paid")
    if kind in MONEY_KINDS:
        if amount is None or amount <= 0:
            raise LedesLedgerError(f"{where}: {kind.value} needs a positive amount, found {amount}")
        if amount > state.balance:
            raise LedesLedgerError(f"{where}: {kind.value} of {amount} is more than the balance {state.balance}")
    if kind is Kind.REDUCED and line is not None:
        _check_line(state, where, line, amount)


def _check_line(state: InvoiceState, where: str, line: int, amount: Decimal | None) -> None:
    item = next((item for item in state.document.lines if item.number == line), None)
    if item is None:
        held = ", ".join(str(item.number) for item in state.document.lines[:20])
        raise LedesLedgerError(f"{where}: has no line {line} (its lines: {held})")
    if item.total <= 0:
        raise LedesLedgerError(f"{where}: line {line} totals {item.total}: a line that bills nothing cannot be reduced")
    left = item.total - state.line_reduced.get(line, Decimal(0))
    if amount is not None and amount > left:
        raise LedesLedgerError(f"{where}: a reduction of {amount} on line {line} is more than what is left of the line"
                               f" ({left} of {item.total})")
