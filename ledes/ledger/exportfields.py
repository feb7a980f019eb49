"""The fields of a line of ``ledes ledger export``, each checked for its type and range before it reaches the database.

A field of the wrong type (a reason that is an object, money at risk that is a string) or
out of range (a line number past SQLite's signed 64-bit integers, a client longer than its
column) raises ValueError naming the field and what was expected; ``load`` reports it as a
line that is not a line of ``ledes ledger export``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa

from ledes.formats.currencies import ISO_4217
from ledes.formats.recognise import printable
from ledes.guidelines import MAX_WINDOW_DAYS, RECEIVABLES_DEFAULTS
from ledes.ledger.events import MONEY_KINDS, Document, Event, Kind, Line
from ledes.ledger.tables import LARGEST_INTEGER, documents, events
from ledes.money import to_minor
from ledes.rules.options import reasonable

# The longest amount the ledger keeps: its columns hold money as decimal text of at most this many characters.
_AMOUNT_LENGTH = 64


def _found(value: object) -> str:
    return printable(repr(value), 40)


def _unicode(text: str, field: str) -> None:
    """Nothing when ``text`` is valid Unicode the ledger can keep; ValueError for a lone surrogate (a JSON escape such
    as \\udcff) or a NUL (U+0000, which PostgreSQL cannot store)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"{field}: not valid Unicode (a lone surrogate, \\u{ord(text[error.start]):04x})") from None
    if "\x00" in text:
        raise ValueError(f"{field}: holds a NUL character (U+0000), which the ledger cannot keep")


def _checked_text(value: object, field: str, column: sa.Column | None) -> str:
    """``value``, a string that fits ``column`` (any length for None)."""
    if not isinstance(value, str):
        raise ValueError(f"{field}: expected a string, found {_found(value)}")
    _unicode(value, field)
    limit = getattr(column.type, "length", None) if column is not None else None
    if limit is not None and len(value) > limit:
        raise ValueError(f"{field}: expected at most {limit} characters, found {len(value)}")
    return value


def _required(record: Mapping, field: str, column: sa.Column | None = None) -> str:
    return _checked_text(record[field], field, column)


def _optional(record: Mapping, field: str, column: sa.Column) -> str | None:
    value = record.get(field)
    return None if value is None else _checked_text(value, field, column)


def _amount(record: Mapping, field: str) -> Decimal:
    value = record[field]
    if not isinstance(value, str) or len(value) > _AMOUNT_LENGTH:
        raise ValueError(f"{field}: expected an amount as a decimal string such as \"1250.00\", found {_found(value)}")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        amount = Decimal("NaN")
    # An exponent (1e999999) is no amount a ledger writes, and one past an invoice's digits breaks the sums shown.
    if not amount.is_finite() or "e" in value.lower() or not reasonable(amount):
        raise ValueError(f"{field}: expected an amount as a decimal string such as \"1250.00\", found {_found(value)}")
    return amount


def _integer(value: object, field: str) -> int:
    """``value``, a whole number a database's signed 64-bit INTEGER holds."""
    if isinstance(value, bool) or not isinstance(value, int) or not -LARGEST_INTEGER - 1 <= value <= LARGEST_INTEGER:
        raise ValueError(f"{field}: expected a whole number from {-LARGEST_INTEGER - 1} to {LARGEST_INTEGER},"
                         f" found {_found(value)}")
    return value


def _day(value: object, field: str) -> date:
    if not isinstance(value, str):
        raise ValueError(f"{field}: expected a date such as \"2025-06-30\", found {_found(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{field}: expected a date such as \"2025-06-30\", found {_found(value)}") from None


def _object(record: Mapping, field: str) -> dict:
    value = record[field]
    if not isinstance(value, dict):
        raise ValueError(f"{field}: expected a JSON object, found {_found(value)}")
    return value


def _list(record: Mapping, field: str) -> list:
    value = record[field]
    if not isinstance(value, list):
        raise ValueError(f"{field}: expected a JSON array, found {_found(value)}")
    return value


def _line(item: object) -> Line:
    if not isinstance(item, dict):
        raise ValueError(f"lines: expected JSON objects, found {_found(item)}")
    return Line(_integer(item["line"], "line"), _required(item, "type"), _required(item, "matter"), _required(item, "timekeeper"),
                _required(item, "task"), _amount(item, "total"))


def _lines(record: Mapping) -> tuple[Line, ...]:
    items = _list(record, "lines")
    try:
        return tuple(_line(item) for item in items)
    except ValueError as error:
        raise ValueError(f"lines: {error}") from None


def document_of(record: Mapping) -> Document:
    """The invoice version a ``{"record": "invoice", ...}`` line holds; ValueError or KeyError when a field is wrong."""
    at_risk = {}
    for rule, value in _object(record, "at_risk").items():
        _checked_text(rule, "at_risk rule", events.c.rule)
        label = f"at_risk: {printable(rule, 40)}"
        at_risk[rule] = _amount({label: value}, label)
    document = Document(
        content_hash=_required(record, "content_hash", documents.c.content_hash),
        number=_required(record, "invoice", documents.c.number), client=_required(record, "client", documents.c.client),
        currency=_currency(record), invoice_date=_day(record["invoice_date"], "invoice_date") if record.get("invoice_date") else None,
        total=_amount(record, "total"), lines=_lines(record), at_risk=at_risk,
        law_firm=_optional(record, "law_firm", documents.c.law_firm),
    )
    amounts = [("total", document.total), *((f"lines[{index}].total", line.total)
                                            for index, line in enumerate(document.lines)),
               *((f"at_risk: {printable(rule, 40)}", amount) for rule, amount in at_risk.items())]
    for field, amount in amounts:  # as the ledger keeps them: 700.005 USD could never be paid in full
        if amount != to_minor(amount, document.currency):
            raise ValueError(f"{field}: {amount} is not an amount in minor units of {document.currency}")
    return document


def _currency(record: Mapping) -> str:
    code = _required(record, "currency", documents.c.currency)
    if code not in ISO_4217:
        raise ValueError(f"currency: expected an ISO 4217 code in upper case such as \"USD\", found {_found(code)}")
    return code


def _recorded_at(record: Mapping) -> str:
    stamp = _required(record, "recorded_at", events.c.recorded_at)
    try:
        datetime.fromisoformat(stamp)
    except ValueError:
        raise ValueError(f"recorded_at: expected a time such as \"2025-06-30T09:15:00.000000+00:00\", found"
                         f" {_found(stamp)}") from None
    return stamp


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    return isinstance(value, list) and any(_holds_nul(item) for item in value)


def _terms(details: Mapping) -> None:
    """A submission's payment terms and windows: whole numbers of days the guidelines' [receivables] allows."""
    terms = details.get("terms")
    if terms is None:
        return
    if not isinstance(terms, dict):
        raise ValueError(f"details.terms: expected a JSON object, found {_found(terms)}")
    for key, value in terms.items():
        if key not in RECEIVABLES_DEFAULTS:
            raise ValueError(f"details.terms: unknown key {_found(key)} (it knows {', '.join(RECEIVABLES_DEFAULTS)})")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WINDOW_DAYS:
            raise ValueError(f"details.terms.{key}: expected a whole number of days from 0 to {MAX_WINDOW_DAYS},"
                             f" found {_found(value)}")


def event_of(record: Mapping) -> Event:
    """The event an ``{"record": "event", ...}`` line holds; ValueError or KeyError when a field is wrong."""
    kind = _required(record, "event")
    details = record.get("details")
    if details is None:
        details = {}
    elif not isinstance(details, dict):
        raise ValueError(f"details: expected a JSON object, found {_found(details)}")
    _unicode(json.dumps(details, ensure_ascii=False), "details")
    if _holds_nul(details):
        raise ValueError("details: holds a NUL character (U+0000), which the ledger cannot keep")
    _terms(details)
    line = record.get("line")
    event_kind = Kind(kind)
    if record.get("amount") is not None and event_kind not in MONEY_KINDS:
        raise ValueError(f"amount: a {kind} event carries none (only paid, short-paid, reduced and written-off do)")
    if line is not None and event_kind is not Kind.REDUCED:
        raise ValueError(f"line: a {kind} event is on no line (only a reduction is)")
    return Event(
        number=_required(record, "invoice", events.c.number), kind=event_kind, on=_day(record["date"], "date"),
        recorded_at=_recorded_at(record),
        actor=_required(record, "by", events.c.actor),
        content_hash=_required(record, "content_hash", events.c.content_hash),
        file_hash=_optional(record, "file_hash", events.c.file_hash),
        amount=None if record.get("amount") is None else _amount(record, "amount"),
        line=None if line is None else _integer(line, "line"), reason=_optional(record, "reason", events.c.reason),
        code=_optional(record, "code", events.c.code),
        portal=_optional(record, "portal", events.c.portal),
        rule=_optional(record, "rule", events.c.rule), details=details,
    )
