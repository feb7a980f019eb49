"""An invoice's events replayed in the order of their days: the state as of a day, and an event checked where it falls.

The ledger derives an invoice's state from its events in the order of their days (then of
recording), so an event dated before others is checked against the state as of its own
day, and every later event is checked again once it stands before them: a payment dated
before an acceptance that then could not follow it is refused, not re-sequenced.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import attrs

from ledes.ledger.events import Document, Event, InvoiceState, Kind, LedesLedgerError, check_next, order


def replay(number: str, events: Iterable[Event], versions: Mapping[str, Document]) -> tuple[InvoiceState | None,
                                                                                            list[tuple[Event, str]]]:
    """The state ``events`` leave invoice ``number`` in, taken in order (day, then recording), each checked as
    ``mark`` checks it; and the events that could not have followed, with why (they are taken all the same)."""
    state: InvoiceState | None = None
    failures: list[tuple[Event, str]] = []
    for event in sorted(events, key=order):
        document = versions[event.content_hash]
        submission = event.kind in (Kind.SUBMITTED, Kind.RESUBMITTED)
        try:
            check_next(state, number, event.kind, event.on, event.amount, event.line, document if submission else None)
            if state is not None and not submission and event.content_hash != state.document.content_hash:
                raise LedesLedgerError(f"invoice {number} ({state.status}, balance {state.balance} {state.currency}):"
                                       f" its {event.kind.value} of {event.on} concerns a version that another, submitted"
                                       f" on {state.submitted}, replaced")
        except LedesLedgerError as error:
            failures.append((event, str(error)))
        if state is None:
            if event.kind is not Kind.SUBMITTED and event.kind is not Kind.RESUBMITTED:
                continue
            state = InvoiceState(number, document)
        state.apply(event, document)
    return state, failures


def as_of(state: InvoiceState, day: date) -> InvoiceState | None:
    """The invoice as its events up to ``day`` (all of that day's) leave it; None before its first submission."""
    if all(event.on <= day for event in state.events):
        return state
    found, _ = replay(state.number, (e for e in state.events if e.on <= day), state.versions)
    return found


def with_event(state: InvoiceState, event: Event, document: Document | None = None) -> InvoiceState:
    """The invoice with ``event`` (recorded after every event it holds) taken in where its day puts it; a
    LedesLedgerError when it cannot follow the events before it, or one after it can no longer follow it.

    ``document`` is the version a resubmission brings. Events that could not follow before (a
    ledger an earlier ledes wrote) are not held against the new one.
    """
    versions = {**state.versions, **({document.content_hash: document} if document is not None else {})}
    if all(earlier.on <= event.on for earlier in state.events):
        check_next(state, state.number, event.kind, event.on, event.amount, event.line, document)
        found = _copy(state)
        found.apply(event, versions[event.content_hash])
        return found
    before = {id(e) for e, _ in replay(state.number, state.events, versions)[1]}
    replayed, failures = replay(state.number, [*state.events, event], versions)
    for failed, why in failures:
        if failed is event:
            raise LedesLedgerError(why)
        if id(failed) not in before:
            where = f"invoice {state.number} ({state.status}, balance {state.balance} {state.currency})"
            raise LedesLedgerError(f"{where}: cannot be {event.kind.value} on {event.on}: its {failed.kind.value} of"
                                   f" {failed.on}, recorded already, could then not follow ({_reason(why)})")
    assert replayed is not None
    return replayed


def settled(state: InvoiceState) -> set[int]:
    """The ``id()`` of each of the invoice's events after which nothing was left to pay (a payment or write-off of the
    balance, as ``mark`` records one given no amount)."""
    found: set[int] = set()
    replayed: InvoiceState | None = None
    for event in state.events:
        document = state.versions.get(event.content_hash, state.document)
        if replayed is None:
            replayed = InvoiceState(state.number, document)
        replayed.apply(event, document)
        if event.kind in (Kind.PAID, Kind.SHORT_PAID, Kind.WRITTEN_OFF) and replayed.balance <= 0:
            found.add(id(event))
    return found


def _reason(why: str) -> str:
    """What a refusal says after the invoice it names: ``invoice N (paid, ...): cannot be ...`` -> ``cannot be ...``."""
    head, sep, rest = why.partition("): ")
    return rest if sep and head.startswith("invoice ") else why


def _copy(state: InvoiceState) -> InvoiceState:
    """A state to apply one more event to, leaving ``state`` as it was (its containers copied, every field kept)."""
    return attrs.evolve(state, events=list(state.events), reductions=list(state.reductions),
                        line_reduced=dict(state.line_reduced), versions=dict(state.versions))
