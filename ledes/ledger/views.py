"""An invoice's history, and the JSON and text of what add, mark and history did."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ledes.formats.recognise import printable
from ledes.ledger import rows
from ledes.ledger.events import Event, InvoiceState, LedesLedgerError
from ledes.ledger.recording import Added
from ledes.ledger.store import Store
from ledes.money import to_minor


def history(store: Store, number: str) -> InvoiceState:
    """Every event of invoice ``number``, with the state they leave it in; LedesLedgerError when it is not in the ledger."""
    number = number.strip()
    with store.reading() as connection:
        state = rows.states(connection, [number]).get(number)
    if state is None:
        raise LedesLedgerError(f"invoice {number} is not in the ledger")
    return state


def event_json(event: Event) -> dict:
    """An event as the JSON documents (and ``export``) write it: amounts as decimal strings, dates ISO 8601."""
    return {
        "invoice": event.number, "event": event.kind.value, "date": event.on.isoformat(),
        "recorded_at": event.recorded_at, "by": event.actor, "content_hash": event.content_hash,
        "file_hash": event.file_hash, "amount": None if event.amount is None else str(event.amount),
        "line": event.line, "reason": event.reason, "code": event.code, "portal": event.portal, "rule": event.rule,
        "details": dict(event.details),
    }


def state_json(state: InvoiceState) -> dict:
    money = _money(state)
    return {
        "invoice": state.number, "client": state.client, "currency": state.currency, "status": state.status,
        "billed": money(state.billed), "paid": money(state.paid), "reduced": money(state.reduced),
        "written_off": money(state.written_off), "balance": money(state.balance),
    }


def _money(state: InvoiceState):
    return lambda value: str(to_minor(value, state.currency))


def history_json(state: InvoiceState) -> str:
    return json.dumps({**state_json(state), "events": [event_json(e) for e in state.events]}, indent=2) + "\n"


def history_text(state: InvoiceState) -> str:
    money = _money(state)
    lines = [f"invoice {printable(state.number, 80)}: {state.status}, client {printable(state.client, 80)},"
             f" billed {money(state.billed)} {printable(state.currency, 10)}, paid {money(state.paid)}, reduced {money(state.reduced)},"
             f" written off {money(state.written_off)}, balance {money(state.balance)}"]
    for e in state.events:
        lines.append(f"  {e.on}  {event_line(e)}  (by {printable(e.actor, 40)}, {printable(e.recorded_at, 40)})")
    return "\n".join(lines) + "\n"


def event_line(event: Event) -> str:
    """One event for people: what, how much, which line, why."""
    parts = [event.kind.value]
    if event.amount is not None:
        parts.append(str(event.amount))
    if event.line is not None:
        parts.append(f"line {event.line}")
    if event.portal:
        parts.append(f"via {printable(event.portal, 40)}")
    if event.code:
        parts.append(f"code {printable(event.code, 40)}")
    if event.rule:
        parts.append(f"rule {printable(event.rule, 80)}")
    if event.reason:
        parts.append(f"- {printable(event.reason, 120)}")
    changed = event.details.get("changes")
    if isinstance(changed, list) and changed:
        parts.append("(" + "; ".join(printable(str(c), 80) for c in changed) + ")")
    return " ".join(parts)


def added_json(results: Sequence[Added]) -> str:
    summary = {outcome: sum(r.outcome == outcome for r in results)
               for outcome in ("added", "unchanged", "resubmitted", "refused")}
    invoices = [{"file": r.path, "invoice": r.number, "outcome": r.outcome, "changes": list(r.changes),
                 "errors": list(r.errors)} for r in results]
    return json.dumps({"invoices": invoices, "summary": summary}, indent=2) + "\n"


def added_text(results: Sequence[Added]) -> str:
    lines = []
    for r in results:
        detail = ""
        if r.changes:
            detail = ": " + "; ".join(printable(c, 80) for c in r.changes)
        if r.errors:
            why = ": validation errors (use --force to add anyway): " if r.forcible else ": "
            detail = why + "; ".join(printable(e, 300) for e in r.errors)
        lines.append(f"{r.outcome:<11} {printable(r.number, 60)}  {printable(r.path, 120)}{detail}")
    counts = {o: sum(r.outcome == o for r in results) for o in ("added", "unchanged", "resubmitted", "refused")}
    lines.append(", ".join(f"{n} {o}" for o, n in counts.items()))
    return "\n".join(lines) + "\n"


def marked_json(event: Event, state: InvoiceState, already: bool = False) -> str:
    return json.dumps({"event": event_json(event), "already_recorded": already, "state": state_json(state)},
                      indent=2) + "\n"


def marked_text(event: Event, state: InvoiceState, already: bool = False) -> str:
    prefix = "already recorded: " if already else ""
    return (f"{prefix}{printable(event.number, 60)}: {event_line(event)} on {event.on}; now {state.status},"
            f" balance {_money(state)(state.balance)} {printable(state.currency, 10)}\n")
