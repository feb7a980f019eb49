"""Events and invoice versions to and from the ledger's rows; reading the ledger into derived invoice states."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from sqlalchemy.engine import Connection

from ledes.ledger.events import Document, Event, InvoiceState, Kind, Line, derive
from ledes.ledger.tables import documents, events

_CHUNK = 500


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def document_row(document: Document) -> dict:
    return {
        "content_hash": document.content_hash,
        "number": document.number,
        "client": document.client,
        "currency": document.currency,
        "invoice_date": document.invoice_date.isoformat() if document.invoice_date else None,
        "total": str(document.total),
        "lines": json.dumps([[i.number, i.type, i.matter, i.timekeeper, i.task, str(i.total)] for i in document.lines],
                            separators=(",", ":")),
        "at_risk": _json({rule: str(amount) for rule, amount in document.at_risk.items()}) if document.at_risk else "{}",
        "law_firm": document.law_firm,
    }


def document_of(row) -> Document:
    lines = tuple(Line(n, t, m, k, task, Decimal(total)) for n, t, m, k, task, total in json.loads(row.lines))
    return Document(
        content_hash=row.content_hash, number=row.number, client=row.client, currency=row.currency,
        invoice_date=date.fromisoformat(row.invoice_date) if row.invoice_date else None, total=Decimal(row.total),
        lines=lines, at_risk={rule: Decimal(amount) for rule, amount in json.loads(row.at_risk).items()},
        law_firm=row.law_firm,
    )


def event_row(event: Event, details: str | None = None) -> dict:
    """An event's row; ``details`` is its details' JSON when the caller has it already (shared by many events)."""
    return {
        "number": event.number, "kind": event.kind.value, "on_date": event.on.isoformat(),
        "recorded_at": event.recorded_at, "actor": event.actor, "content_hash": event.content_hash,
        "file_hash": event.file_hash, "amount": _text(event.amount), "line": event.line, "reason": event.reason,
        "code": event.code, "portal": event.portal, "rule": event.rule,
        "details": details if details is not None else _json(event.details),
    }


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def event_of(row) -> Event:
    return Event(
        number=row.number, kind=Kind(row.kind), on=date.fromisoformat(row.on_date), recorded_at=row.recorded_at,
        actor=row.actor, content_hash=row.content_hash, file_hash=row.file_hash,
        amount=None if row.amount is None else Decimal(row.amount), line=row.line, reason=row.reason, code=row.code,
        portal=row.portal, rule=row.rule, details=json.loads(row.details), id=row.id,
    )


def insert_documents(connection: Connection, new: Iterable[Document]) -> None:
    """Insert the versions the ledger does not hold yet (a version is never changed)."""
    pending = {d.content_hash: d for d in new}
    for chunk in _chunks(list(pending)):
        held = connection.execute(
            documents.select().with_only_columns(documents.c.content_hash).where(documents.c.content_hash.in_(chunk))
        ).scalars()
        for content_hash in held:
            pending.pop(content_hash, None)
    if pending:
        connection.execute(documents.insert(), [document_row(d) for d in pending.values()])


def insert_events(connection: Connection, new: list[Event]) -> None:
    """Append events; the details many of them share (a file's submissions) are written to JSON once."""
    written: dict[int, str] = {}
    rows = []
    for event in new:
        key = id(event.details)
        if key not in written:
            written[key] = _json(event.details)
        rows.append(event_row(event, written[key]))
    if rows:
        connection.execute(events.insert(), rows)


def _chunks(items: list) -> Iterator[list]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def read_events(connection: Connection, numbers: Iterable[str] | None = None) -> list[Event]:
    """Every event (or those of ``numbers``), in the order they were recorded."""
    if numbers is None:
        return [event_of(row) for row in connection.execute(events.select().order_by(events.c.id))]
    found: list[Event] = []
    for chunk in _chunks(sorted(set(numbers))):
        found.extend(event_of(row) for row in connection.execute(events.select().where(events.c.number.in_(chunk))))
    return sorted(found, key=lambda e: e.id or 0)


def read_documents(connection: Connection, hashes: Iterable[str] | None = None) -> dict[str, Document]:
    if hashes is None:
        return {row.content_hash: document_of(row) for row in connection.execute(documents.select())}
    found: dict[str, Document] = {}
    for chunk in _chunks(sorted(set(hashes))):
        for row in connection.execute(documents.select().where(documents.c.content_hash.in_(chunk))):
            found[row.content_hash] = document_of(row)
    return found


def states(connection: Connection, numbers: Iterable[str] | None = None, as_of: date | None = None) -> dict[str, InvoiceState]:
    """The invoices' states as of ``as_of`` (every event when None)."""
    found = read_events(connection, numbers)
    return derive(found, read_documents(connection, None if numbers is None else {e.content_hash for e in found}), as_of)
