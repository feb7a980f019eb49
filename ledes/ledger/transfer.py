"""``ledes ledger export`` and ``load``: the whole ledger as JSON lines (each invoice version, then each event), and back.

Each line is one JSON object: ``{"record": "invoice", ...}`` for a version of an invoice
(its content hash, client, currency, total, lines, money at risk) and ``{"record":
"event", ...}`` for an event, in the order they were recorded (``load`` checks each invoice's
events in the order of their days, then of that, as the ledger derives its state). ``load`` reads such a file
into an empty ledger in one transaction, so a firm can back a ledger up and move it
between SQLite and PostgreSQL; every event comes back with its day, time, user and hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import InvalidOperation
from typing import Any, TextIO

from ledes.errors import LedesInputError
from ledes.ledger import rows
from ledes.ledger.events import Document, Event, Kind, order
from ledes.ledger.exportfields import document_of, event_of
from ledes.ledger.sequence import replay
from ledes.ledger.store import Store
from ledes.ledger.tables import events
from ledes.ledger.views import event_json
from ledes.money import to_minor
from ledes.safetext import json_escaped

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
        "law_firm": document.law_firm,
    }


def export_lines(store: Store) -> Iterator[str]:
    """The ledger as JSON lines: a header, every invoice version, then every event in the order recorded."""
    with store.reading() as connection:
        documents = rows.read_documents(connection)
        recorded = rows.read_events(connection)
    yield json.dumps({"record": "ledes-ledger", "version": FORMAT_VERSION})
    for content_hash in sorted(documents):
        yield json_escaped(json.dumps(document_json(documents[content_hash]), ensure_ascii=False))
    for event in recorded:
        yield json_escaped(json.dumps({"record": "event", **event_json(event)}, ensure_ascii=False))


def write_export(store: Store, out: TextIO) -> int:
    """Write the export to ``out``; the number of events written."""
    count = 0
    for line in export_lines(store):
        out.write(line + "\n")
        count += line.startswith('{"record": "event"')
    return count


def load(store: Store, stream: Iterable[bytes], source: str) -> tuple[int, int]:
    """Load an export (its lines as bytes) into ``store``, which must hold no event; (invoice versions, events) loaded.

    A line that is not UTF-8, not JSON (or nested too deep to read), or whose fields are not
    of their types and ranges is a LedesInputError naming it; nothing is loaded then.
    """
    documents: list[Document] = []
    loaded: list[Event] = []
    where: dict[int, int] = {}  # id() of each event -> its line in the file
    seen: dict[str, int] = {}  # the hash of each event line, as parsed -> its line
    hashes: dict[str, tuple[Document, int]] = {}  # each invoice version's hash -> it, and its line
    header = False
    for number, raw in enumerate(stream, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise LedesInputError(f"{source}:{number}: not a line of `ledes ledger export`: not valid UTF-8"
                                  f" (byte 0x{raw[error.start]:02x} at column {error.start + 1})") from None
        if not text.strip():
            continue
        try:
            record = _parsed(text)
            kind = record.get("record") if isinstance(record, dict) else None
            if not header and kind != "ledes-ledger":
                raise ValueError('expected the header {"record": "ledes-ledger", "version": 1} first')
            if kind == "ledes-ledger":
                if header:
                    raise ValueError("a second header")
                header = True
                if record.get("version") != FORMAT_VERSION:
                    raise ValueError(f"export version {record.get('version')!r}; this ledes reads {FORMAT_VERSION}")
            elif kind == "invoice":
                document = document_of(record)
                held = hashes.setdefault(document.content_hash, (document, number))
                if held[1] != number:  # the ledger writes each version once
                    raise ValueError(f"invoice version {document.content_hash} of line {held[1]} again"
                                     + (", with other content" if held[0] != document else ""))
                documents.append(document)
            elif kind == "event":
                event = event_of(record)
                same = hashlib.sha256(json.dumps(record, sort_keys=True).encode("utf-8")).hexdigest()
                if same in seen:
                    raise ValueError(f"the event of line {seen[same]} again (the ledger records an event once)")
                seen[same] = number
                where[id(event)] = number
                loaded.append(event)
            else:
                raise ValueError("expected a record of ledes ledger export (invoice or event)")
        except KeyError as error:  # a field the record needs is missing: named, not the bare repr of the key
            raise LedesInputError(f"{source}:{number}: not a line of `ledes ledger export`: {error.args[0]}: missing"
                                  " (every line of an export has it)") from None
        except (ValueError, TypeError, InvalidOperation) as error:
            raise LedesInputError(f"{source}:{number}: not a line of `ledes ledger export`: {error}") from None
    if not header:
        raise LedesInputError(f"{source}: not a `ledes ledger export`: it holds no header line")
    _replayed(documents, loaded, source, where)
    with store.writing() as connection:
        if connection.execute(events.select().limit(1)).first() is not None:
            raise LedesInputError(f"the ledger '{store.location}' already holds events: load into an empty one")
        rows.insert_documents(connection, documents)
        rows.insert_events(connection, loaded)
    return len(documents), len(loaded)


def _replayed(documents: list[Document], loaded: list[Event], source: str, where: dict[int, int]) -> None:
    """Each invoice's events taken in the order the ledger derives its state in (day, then as recorded), each checked
    as ``add`` and ``mark`` check it; a LedesInputError for the first that could not have been recorded (out of
    order, over the balance, not in minor units, another invoice's version, a second submission, after today), so
    that a hand-edited export cannot hold what the ledger never would."""
    versions = {document.content_hash: document for document in documents}
    per_invoice: dict[str, list[Event]] = {}
    today = date.today()
    for event in loaded:
        document = versions.get(event.content_hash)
        at = f"{source}:{where[id(event)]}: event of invoice {event.number} ({event.kind.value} on {event.on})"
        if document is None:
            raise LedesInputError(f"{at} names a version the file does not hold")
        if document.number != event.number:
            raise LedesInputError(f"{at} names a version of invoice {document.number}")
        if event.amount is not None and event.amount != to_minor(event.amount, document.currency):
            raise LedesInputError(f"{at}: {event.amount} is not an amount in minor units of {document.currency}")
        if event.on > today:
            raise LedesInputError(f"{at}: is after today ({today})")
        per_invoice.setdefault(event.number, []).append(event)
    for number, found in per_invoice.items():
        ordered = sorted(found, key=order)
        submissions = [e for e in ordered if e.kind is Kind.SUBMITTED]
        first = ordered[0]
        if len(submissions) != 1:
            wrong = submissions[1] if submissions else first
            raise LedesInputError(f"{source}:{where[id(wrong)]}: event of invoice {number} ({wrong.kind.value} on"
                                  f" {wrong.on}): an invoice's events start with its one submission")
        if first is not submissions[0]:
            raise LedesInputError(f"{source}:{where[id(first)]}: event of invoice {number}: cannot be"
                                  f" {first.kind.value} on {first.on}, before it was submitted on {submissions[0].on}")
        currencies = {versions[e.content_hash].currency for e in found}
        if len(currencies) > 1:
            raise LedesInputError(f"{source}: invoice {number} has versions in {', '.join(sorted(currencies))}: an"
                                  " invoice keeps its currency")
        failures = replay(number, found, versions)[1]
        if failures:
            failed, why = failures[0]
            raise LedesInputError(f"{source}:{where[id(failed)]}: {why}")


def _parsed(text: str) -> Any:
    """The JSON of one line; ValueError when it is nested too deep for the parser."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deep") from None
