"""Recording in the ledger: ``add`` (validate, then submit or resubmit each invoice) and ``mark`` (one event)."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal

import attrs

from ledes.config import Config
from ledes.diagnostics import Diagnostic, Severity
from ledes.engine import validate
from ledes.guidelines import RECEIVABLES_DEFAULTS
from ledes.ledger import rows
from ledes.ledger.documents import at_risk_by_rule, changes, document_of, file_hash
from ledes.ledger.events import Document, Event, InvoiceState, Kind, LedesLedgerError, check_next
from ledes.ledger.store import Store
from ledes.model import Invoice
from ledes.money import to_minor

ADDED, UNCHANGED, RESUBMITTED, REFUSED = "added", "unchanged", "resubmitted", "refused"


def actor_or_default(actor: str | None) -> str:
    """The person recording: as given, else the operating system's user name."""
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@attrs.frozen
class Added:
    """What ``add`` did with one invoice: added, unchanged, resubmitted (with its changes) or refused (with its errors)."""

    path: str
    number: str
    outcome: str
    changes: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    forcible: bool = True  # refused for validation errors, which --force records anyway


def add_files(
    store: Store,
    paths: Iterable[str],
    *,
    config: Config | None = None,
    on: date | None = None,
    portal: str | None = None,
    actor: str | None = None,
    force: bool = False,
    currency: str = "USD",
) -> list[Added]:
    """Validate each file, then record its invoices in one transaction; the files one by one (memory is one file's).

    An invoice with validation errors is refused unless ``force``; the same content twice
    is recorded once; the same number with other content is a resubmission. ``currency``
    is for invoices that state none (LEDES 1998B).
    """
    config = config or Config()
    day = on or date.today()
    who = actor_or_default(actor)
    terms = {**RECEIVABLES_DEFAULTS, **config.receivables}
    results: list[Added] = []
    for path in paths:
        read: list[Invoice] = []
        checked = validate([path], config, on_invoice=read.append).files[0]
        errors = [d for d in checked.diagnostics if d.severity is Severity.ERROR]
        by_invoice: dict[str | None, list[Diagnostic]] = {}
        for d in errors:
            by_invoice.setdefault(d.invoice, []).append(d)
        risk = at_risk_by_rule(checked.diagnostics)
        whole_file = by_invoice.get(None, [])
        documents = []
        for invoice in read:
            number = str(invoice.number)
            refused = whole_file + by_invoice.get(number, [])
            if refused and not force:
                results.append(Added(path, number, REFUSED, errors=tuple(_error_text(d) for d in refused[:5])))
                continue
            code = invoice.currency or currency
            if len(code) > 3:  # the ledger keeps money apart by an ISO 4217 code; `ledger load` takes no longer one
                results.append(Added(path, number, REFUSED, errors=(
                    f"its currency {code!r} is longer than a three-letter ISO 4217 code, which the ledger keeps money"
                    " by",), forcible=False))
                continue
            documents.append(document_of(invoice, code, risk.get(number, {})))
        if not read:
            reasons = tuple(_error_text(d) for d in checked.diagnostics[:5]) or ("the file holds no invoice",)
            results.append(Added(path, "", REFUSED, errors=reasons))
            continue
        del read
        with store.writing() as connection:
            results.extend(_record(connection, path, file_hash(path), documents, day, portal, who, terms))
    return results


def _error_text(d: Diagnostic) -> str:
    where = f"line {d.line}: " if d.line else ""
    return f"{where}{d.rule}: {d.message}"


def _record(connection, path: str, hashed: str, documents: list[Document], day: date, portal: str | None, who: str,
            terms: Mapping[str, int]) -> list[Added]:
    states = rows.states(connection, {d.number for d in documents})
    stamp = now()
    new_events: list[Event] = []
    results = []
    shared: dict[str, object] = {"path": path, "terms": dict(terms)}  # every new submission's details, one object
    refused: set[str] = set()
    for document in documents:
        state = states.get(document.number)
        details = shared
        if state is not None and state.document.currency != document.currency:  # its events' money is in the first
            results.append(Added(path, document.number, REFUSED, errors=(
                f"recorded in {state.document.currency}, not {document.currency}: an invoice keeps its currency (its"
                " payments are in it); add this one under another number",), forcible=False))
            refused.add(document.number)
            continue
        if state is not None and state.document.content_hash == document.content_hash:
            results.append(Added(path, document.number, UNCHANGED))
            continue
        kind = Kind.SUBMITTED if state is None else Kind.RESUBMITTED
        if state is not None:
            check_next(state, document.number, kind, day, None)
            details = {**shared, "changes": changes(state.document, document)}
        event = Event(document.number, kind, day, stamp, who, document.content_hash, hashed, portal=portal,
                      details=details)
        new_events.append(event)
        if state is None:
            states[document.number] = _fresh_state(document, event)
        else:
            state.apply(event, document)
        results.append(Added(path, document.number, ADDED if state is None else RESUBMITTED,
                             tuple(details.get("changes", ()))))  # type: ignore[arg-type]
    rows.insert_documents(connection, [document for document in documents if document.number not in refused])
    rows.insert_events(connection, new_events)
    return results


def _fresh_state(document: Document, event: Event) -> InvoiceState:
    state = InvoiceState(document.number, document)
    state.apply(event, document)
    return state


@attrs.frozen
class Marked:
    """What ``mark`` did: the event recorded, or (``already``) the same event recorded before, which is not repeated."""

    event: Event
    already: bool = False


def mark(
    store: Store,
    number: str,
    kind: Kind,
    *,
    on: date | None = None,
    amount: Decimal | None = None,
    reason: str | None = None,
    code: str | None = None,
    rule: str | None = None,
    line: int | None = None,
    portal: str | None = None,
    actor: str | None = None,
) -> Marked:
    """Record one event for invoice ``number``; raises LedesLedgerError when it cannot follow the invoice's events.

    A payment defaults to the whole balance and a write-off to what is left; a payment
    that leaves a balance is recorded as ``short-paid``. The same event marked again (same
    kind, day, amount, line, reason and code) is recognised and not recorded twice.
    """
    day = on or date.today()
    with store.writing() as connection:
        state = rows.states(connection, [number]).get(number)
        if state is not None:
            for earlier in state.events:
                if _same(earlier, kind, day, amount, line, reason, code):
                    return Marked(earlier, already=True)
        event = prepare(state, number, kind, day, amount, reason=reason, code=code, rule=rule, line=line,
                        portal=portal, actor=actor_or_default(actor))
        rows.insert_events(connection, [event])
    return Marked(event)


def _same(earlier: Event, kind: Kind, on: date, amount: Decimal | None, line: int | None, reason: str | None,
          code: str | None) -> bool:
    kinds = {kind, Kind.SHORT_PAID} if kind is Kind.PAID else {kind}
    return (earlier.kind in kinds and earlier.on == on and earlier.line == line and earlier.reason == reason
            and earlier.code == code and (amount is None or earlier.amount == amount))


def prepare(state: InvoiceState | None, number: str, kind: Kind, on: date, amount: Decimal | None, *, reason: str | None, code: str | None,
            rule: str | None, line: int | None, portal: str | None, actor: str, recorded_at: str | None = None) -> Event:
    """The event ``mark`` would record on ``state``, checked; LedesLedgerError when it cannot follow."""
    if kind is Kind.SUBMITTED:
        raise LedesLedgerError(f"invoice {number}: a submission is recorded with `ledes ledger add FILE`")
    if state is None:
        check_next(None, number, kind, on, amount)
        raise AssertionError("check_next refuses every event but a submission for an invoice not in the ledger")
    if kind in (Kind.PAID, Kind.WRITTEN_OFF) and amount is None:
        amount = state.balance
    if amount is not None:
        amount = to_minor(amount, state.currency)
    if kind is Kind.PAID and amount is not None and Decimal(0) < amount < state.balance:
        kind = Kind.SHORT_PAID
    if kind is Kind.REJECTED and not reason and not code:
        raise LedesLedgerError(f"invoice {number}: a rejection needs its --reason or --code (as the portal gives it)")
    if kind is Kind.REDUCED and line is not None and line not in {item.number for item in state.document.lines}:
        held = ", ".join(str(item.number) for item in state.document.lines[:20])
        raise LedesLedgerError(f"invoice {number}: has no line {line} (its lines: {held})")
    check_next(state, number, kind, on, amount)
    return Event(number, kind, on, recorded_at or now(), actor, state.document.content_hash, amount=amount, line=line,
                 reason=reason, code=code, portal=portal, rule=rule)
