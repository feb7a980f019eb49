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
from ledes.formats.currencies import ISO_4217
from ledes.guidelines import RECEIVABLES_DEFAULTS
from ledes.ledger import rows
from ledes.ledger.documents import at_risk_by_rule, changes, document_of, file_hash, finer_than_minor_units
from ledes.ledger.events import MONEY_KINDS, Document, Event, InvoiceState, Kind, LedesLedgerError, check_next
from ledes.ledger.sequence import as_of, settled, with_event
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


def check_not_future(number: str, kind: Kind, on: date) -> None:
    """Raise LedesLedgerError for an event dated after today: the ledger records what has happened."""
    today = date.today()
    if on > today:
        raise LedesLedgerError(f"invoice {number}: cannot be {kind.value} on {on}, after today ({today}): the ledger"
                               " records what has happened (a mistyped date?)")


def has_nul(*texts: object) -> bool:
    """True when a text holds U+0000, which PostgreSQL cannot store (so neither does a SQLite ledger)."""
    return any(isinstance(text, str) and "\x00" in text for text in texts)


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
    if day > date.today():
        raise LedesLedgerError(f"cannot record invoices submitted on {day}, after today ({date.today()})")
    who = actor_or_default(actor)
    if has_nul(who, portal):
        raise LedesLedgerError("text with a NUL character (U+0000) cannot be kept in the ledger (--user, --portal)")
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
                results.append(Added(path, number.strip(), REFUSED, errors=tuple(_error_text(d) for d in refused[:5])))
                continue
            code = (invoice.currency or currency).upper()
            document = document_of(invoice, code, risk.get(number, {}))
            why = _unrecordable(document, code) or finer_than_minor_units(invoice, code)
            if why:
                results.append(Added(path, document.number, REFUSED, errors=(why,), forcible=False))
                continue
            documents.append(document)
        if not read:
            reasons = tuple(_error_text(d) for d in checked.diagnostics[:5]) or ("the file holds no invoice",)
            results.append(Added(path, "", REFUSED, errors=reasons))
            continue
        del read
        with store.writing() as connection:
            results.extend(_record(connection, path, file_hash(path), documents, day, portal, who, terms))
    return results


def _unrecordable(document: Document, code: str) -> str | None:
    """Why the ledger cannot keep ``document`` even with --force (its export could not be loaded back); else None."""
    if len(code) > 3:  # the ledger keeps money apart by an ISO 4217 code; `ledger load` takes no longer one
        return (f"its currency {code!r} is longer than a three-letter ISO 4217 code, which the ledger keeps money"
                " by")
    if code not in ISO_4217:
        return f"its currency {code!r} is not an ISO 4217 code, which the ledger keeps money by"
    if not document.number:
        return "it has no invoice number"
    texts = [document.number, document.client, document.law_firm]
    texts += [text for line in document.lines for text in (line.type, line.matter, line.timekeeper, line.task)]
    if has_nul(*texts):
        return "it holds a NUL character (U+0000), which the ledger cannot keep"
    return None


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
        why = _other_invoice(state, document)
        if why is not None:
            results.append(Added(path, document.number, REFUSED, errors=(why,), forcible=False))
            refused.add(document.number)
            continue
        if state is not None and state.document.content_hash == document.content_hash:
            results.append(Added(path, document.number, UNCHANGED))
            continue
        kind = Kind.SUBMITTED if state is None else Kind.RESUBMITTED
        if state is not None:
            details = {**shared, "changes": changes(state.document, document)}
        event = Event(document.number, kind, day, stamp, who, document.content_hash, hashed, portal=portal,
                      details=details)
        if state is None:
            states[document.number] = _fresh_state(document, event)
        else:
            try:
                states[document.number] = with_event(state, event, document)
            except LedesLedgerError as error:
                results.append(Added(path, document.number, REFUSED, errors=(str(error),), forcible=False))
                refused.add(document.number)
                continue
        new_events.append(event)
        results.append(Added(path, document.number, ADDED if state is None else RESUBMITTED,
                             tuple(details.get("changes", ()))))  # type: ignore[arg-type]
    rows.insert_documents(connection, [document for document in documents if document.number not in refused])
    rows.insert_events(connection, new_events)
    return results


def _other_invoice(state: InvoiceState | None, document: Document) -> str | None:
    """Why ``document`` is not a version of the invoice the ledger holds under its number (another client, law firm
    or currency); None when it may be."""
    if state is None:
        return None
    held = state.document
    if held.client != document.client or (None not in (held.law_firm, document.law_firm) and held.law_firm != document.law_firm):
        firm = f" / law firm {held.law_firm}" if held.law_firm is not None else ""
        return (f"invoice {document.number} is already in the ledger for client {held.client}{firm}: this one (client"
                f" {document.client}" + (f" / law firm {document.law_firm}" if document.law_firm is not None else "")
                + ") is another invoice, not a resubmission of it")
    if held.currency != document.currency:  # its events' money is in the first
        return (f"recorded in {held.currency}, not {document.currency}: an invoice keeps its currency (its payments are"
                " in it); add this one under another number")
    return None


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
    number = number.strip()
    with store.writing() as connection:
        state = rows.states(connection, [number]).get(number)
        if state is not None:
            earlier = _already(state, kind, day, amount, line, reason, code)
            if earlier is not None:
                return Marked(earlier, already=True)
        event, _ = prepare(state, number, kind, day, amount, reason=reason, code=code, rule=rule, line=line,
                           portal=portal, actor=actor_or_default(actor))
        rows.insert_events(connection, [event])
    return Marked(event)


def _already(state: InvoiceState, kind: Kind, on: date, amount: Decimal | None, line: int | None,
             reason: str | None, code: str | None) -> Event | None:
    """The event ``mark`` recorded before with the same kind, day, amount, line, reason and code; a payment or
    write-off given no amount (the balance) is the same as one that left nothing to pay."""
    kinds = {kind, Kind.SHORT_PAID} if kind is Kind.PAID else {kind}
    balance = kind in (Kind.PAID, Kind.WRITTEN_OFF) and amount is None
    wanted = to_minor(amount, state.currency) if amount is not None else None
    closing = settled(state) if balance else set()
    for earlier in reversed(state.events):
        if not (earlier.kind in kinds and earlier.on == on and earlier.line == line and earlier.reason == reason
                and earlier.code == code):
            continue
        if (id(earlier) in closing) if balance else earlier.amount == wanted:
            return earlier
    return None


def prepare(state: InvoiceState | None, number: str, kind: Kind, on: date, amount: Decimal | None, *, reason: str | None, code: str | None,
            rule: str | None, line: int | None, portal: str | None, actor: str,
            recorded_at: str | None = None, details: Mapping[str, object] | None = None) -> tuple[Event, InvoiceState]:
    """The event ``mark`` would record on ``state``, checked where its day puts it, and the invoice with it;
    LedesLedgerError when it cannot follow (or an event after it could then no longer follow)."""
    if kind is Kind.SUBMITTED:
        raise LedesLedgerError(f"invoice {number}: a submission is recorded with `ledes ledger add FILE`")
    if state is None:
        check_next(None, number, kind, on, amount)
        raise AssertionError("check_next refuses every event but a submission for an invoice not in the ledger")
    check_not_future(number, kind, on)
    if has_nul(reason, code, rule, portal, actor):
        raise LedesLedgerError(f"invoice {number}: text with a NUL character (U+0000) cannot be kept in the ledger")
    then = as_of(state, on)
    if then is None:  # before its first submission
        check_next(state, number, kind, on, amount)
        raise AssertionError("check_next refuses an event before the invoice's first submission")
    if kind in (Kind.PAID, Kind.WRITTEN_OFF) and amount is None:
        amount = then.balance
    if amount is not None and amount != to_minor(amount, state.currency):
        raise LedesLedgerError(f"invoice {number}: {amount} has more decimals than {state.currency}'s minor unit, in"
                               " which the ledger keeps amounts")
    if amount is not None:
        amount = to_minor(amount, state.currency)  # 1000 as 1000.00
    if kind is Kind.PAID and amount is not None and Decimal(0) < amount < then.balance:
        kind = Kind.SHORT_PAID
    if kind is Kind.REJECTED and not reason and not code:
        raise LedesLedgerError(f"invoice {number}: a rejection needs its --reason or --code (as the portal gives it)")
    if kind is not Kind.REDUCED and line is not None:
        raise LedesLedgerError(f"invoice {number}: only a reduction is on a line (--line), not {kind.value}")
    if kind not in MONEY_KINDS and amount is not None:
        raise LedesLedgerError(f"invoice {number}: only paid, reduced and written-off take an amount, not {kind.value}")
    event = Event(number, kind, on, recorded_at or now(), actor, then.document.content_hash, amount=amount, line=line,
                  reason=reason, code=code, portal=portal, rule=rule, details=details or {})
    return event, with_event(state, event)
