"""``ledes ledger export`` and ``load``: the whole ledger as JSON lines (each invoice version, then each event), and back.

Each line is one JSON object: ``{"record": "invoice", ...}`` for a version of an invoice
(its content hash, client, currency, total, lines, money at risk) and ``{"record":
"event", ...}`` for an event, in the order they were recorded. ``load`` reads such a file
into an empty ledger in one transaction, so a firm can back a ledger up and move it
between SQLite and PostgreSQL; every event comes back with its day, time, user and hash.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TextIO

from ledes.errors import LedesInputError
from ledes.ledger import rows
from ledes.ledger.events import Document, Event, Kind, Line
from ledes.ledger.store import Store
from ledes.ledger.tables import events
from ledes.ledger.views import event_json

FORMAT_VERSION = 1


def document_json(document: Document) -> dict:
    return {
        "record": "invoice", "content_hash": document.content_hash, "invoice": document.number,
        "client": document.client, "currency": document.currency,
        "invoice_date": document.invoice_date.isoformat() if document.invoice_date else None,
        "total": str(document.total),
        "lines": [{"line": i.number, "type": i.type, "matter": i.matter, "timekeeper": i.timekeeper, "task": i.task,
                   "total": str(i.total)} for i in document.lines],
        "at_risk": {rule: str(amount) for rule, amount in document.at_risk.items()},
    }


def export_lines(store: Store) -> Iterator[str]:
    """The ledger as JSON lines: a header, every invoice version, then every event in the order recorded."""
    with store.reading() as connection:
        documents = rows.read_documents(connection)
        recorded = rows.read_events(connection)
    yield json.dumps({"record": "ledes-ledger", "version": FORMAT_VERSION})
    for content_hash in sorted(documents):
        yield json.dumps(document_json(documents[content_hash]), ensure_ascii=False)
    for event in recorded:
        yield json.dumps({"record": "event", **event_json(event)}, ensure_ascii=False)


def write_export(store: Store, out: TextIO) -> int:
    """Write the export to ``out``; the number of events written."""
    count = 0
    for line in export_lines(store):
        out.write(line + "\n")
        count += line.startswith('{"record": "event"')
    return count


def load(store: Store, stream: Iterable[str], source: str) -> tuple[int, int]:
    """Load an export into ``store``, which must hold no event; (invoice versions, events) loaded."""
    documents: list[Document] = []
    loaded: list[Event] = []
    for number, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
            kind = record.get("record") if isinstance(record, dict) else None
            if kind == "ledes-ledger":
                if record.get("version") != FORMAT_VERSION:
                    raise ValueError(f"export version {record.get('version')!r}; this ledes reads {FORMAT_VERSION}")
            elif kind == "invoice":
                documents.append(_document(record))
            elif kind == "event":
                loaded.append(_event(record))
            else:
                raise ValueError("expected a record of ledes ledger export (invoice or event)")
        except (ValueError, KeyError, TypeError, InvalidOperation) as error:
            raise LedesInputError(f"{source}:{number}: not a line of `ledes ledger export`: {error}") from None
    known = {d.content_hash for d in documents}
    for event in loaded:
        if event.content_hash not in known:
            raise LedesInputError(f"{source}: event of invoice {event.number} names a version the file does not hold")
    with store.writing() as connection:
        if connection.execute(events.select().limit(1)).first() is not None:
            raise LedesInputError(f"the ledger '{store.location}' already holds events: load into an empty one")
        rows.insert_documents(connection, documents)
        rows.insert_events(connection, loaded)
    return len(documents), len(loaded)


def _document(record: dict) -> Document:
    lines = tuple(Line(int(i["line"]), str(i["type"]), str(i["matter"]), str(i["timekeeper"]), str(i["task"]),
                       Decimal(i["total"])) for i in record["lines"])
    return Document(
        content_hash=str(record["content_hash"]), number=str(record["invoice"]), client=str(record["client"]),
        currency=str(record["currency"]),
        invoice_date=date.fromisoformat(record["invoice_date"]) if record.get("invoice_date") else None,
        total=Decimal(record["total"]), lines=lines,
        at_risk={str(rule): Decimal(amount) for rule, amount in record["at_risk"].items()},
    )


def _event(record: dict) -> Event:
    amount = record.get("amount")
    return Event(
        number=str(record["invoice"]), kind=Kind(record["event"]), on=date.fromisoformat(record["date"]),
        recorded_at=str(record["recorded_at"]), actor=str(record["by"]), content_hash=str(record["content_hash"]),
        file_hash=record.get("file_hash"), amount=None if amount is None else Decimal(amount), line=record.get("line"),
        reason=record.get("reason"), code=record.get("code"), portal=record.get("portal"), rule=record.get("rule"),
        details=record.get("details") or {},
    )
