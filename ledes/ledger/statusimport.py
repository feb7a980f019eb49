"""``ledes ledger import-status``: a portal's or billing system's export of statuses, payments and reductions, in one transaction.

Every row is matched to an invoice in the ledger (and, for a line-level reduction, to one
of its lines) and becomes one event, or is listed with the reason it cannot be. The rows
are recorded in one transaction: all of them or, when one is bad (unless
``skip_bad_rows``) or the import is interrupted, none. A row recorded by an earlier import
of the same export is recognised and not recorded twice; two alike rows of one export are
two events (two cheques of one amount on one day).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import attrs

from ledes.errors import LedesInputError
from ledes.importing.sources import is_blank, open_rows
from ledes.importing.values import ValueReader
from ledes.ledger import rows
from ledes.ledger.events import MONEY_KINDS, Event, InvoiceState, Kind, LedesLedgerError
from ledes.ledger.recording import actor_or_default, now, prepare
from ledes.ledger.rowkeys import earlier_keys, row_key
from ledes.ledger.statusmapping import StatusMapping, load_status_mapping
from ledes.ledger.store import Store
from ledes.ledger.tables import LARGEST_INTEGER
from ledes.rules import RULES_BY_NAME


@attrs.frozen
class RowOutcome:
    """One row of the export: the event it recorded, or why it records nothing (``ignored``, ``already`` or ``error``)."""

    row: int
    invoice: str
    outcome: str  # recorded, ignored, already, error
    event: Event | None = None
    reason: str | None = None


@attrs.frozen
class StatusImport:
    """What an import did: each row's outcome, and whether the events were recorded (not a dry run, no bad row)."""

    source: str
    rows: tuple[RowOutcome, ...]
    recorded: bool

    @property
    def errors(self) -> int:
        return sum(r.outcome == "error" for r in self.rows)


def import_status(
    store: Store,
    source: str,
    mapping_path: str,
    *,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    actor: str | None = None,
    on_row: Callable[[RowOutcome], None] | None = None,
) -> StatusImport:
    """Match every row of ``source`` and record its events in one transaction (none on a dry run or a bad row)."""
    mapping = load_status_mapping(mapping_path)
    who = actor_or_default(actor)
    parsed = _read_rows(source, mapping)
    outcomes: list[RowOutcome] = []
    with store.writing() as connection:
        states = rows.states(connection, {row.fields["invoice"] for row in parsed if row.fields.get("invoice")})
        seen = earlier_keys(states.values())
        stamp = now()
        for row in sorted(parsed, key=lambda item: (item.on or date.max, item.number)):
            outcome, state = _match(row, mapping, states, seen, who, stamp)
            if outcome.event is not None and state is not None:
                states[outcome.event.number] = state
                if not dry_run:
                    rows.insert_events(connection, [outcome.event])
            outcomes.append(outcome)
            if on_row is not None:
                on_row(outcome)
        failed = any(o.outcome == "error" for o in outcomes) and not skip_bad_rows
        if dry_run or failed:
            connection.rollback()
    return StatusImport(source, tuple(sorted(outcomes, key=lambda o: o.row)), not dry_run and not failed)


@attrs.frozen
class _Row:
    """A row of the export: its number, its mapped cells, and its date and amount where they parse."""

    number: int
    fields: dict[str, str]
    on: date | None
    amount: Decimal | None


def _read_rows(source: str, mapping: StatusMapping) -> list[_Row]:
    """Each non-blank row's mapped cells, with its date and amount parsed where they can be."""
    found = []
    with open_rows(source, mapping) as opened:
        indexes = {}
        for field, column in mapping.columns.items():
            if column not in opened.header:
                raise LedesInputError(f"{source}: no column '{column}' (columns.{field} in {mapping.path});"
                                      f" its columns: {', '.join(opened.header)}")
            indexes[field] = opened.header.index(column)
        values = ValueReader(mapping, opened.workbook)
        for number, cells in opened.rows:
            if is_blank(cells):
                continue
            fields = {field: (cells[index].strip() if index < len(cells) else "") for field, index in indexes.items()}
            on = values.date(fields["date"]) if fields.get("date") else None
            amount = values.number(fields["amount"]) if fields.get("amount") else None
            found.append(_Row(number, fields, on, amount))
    return found


def _match(row: _Row, mapping: StatusMapping, states: dict[str, InvoiceState], seen: Counter[str], who: str,
           stamp: str) -> tuple[RowOutcome, InvoiceState | None]:
    """The row's outcome, and the invoice with its event when it records one."""
    number, fields = row.number, row.fields
    invoice = fields.get("invoice", "")

    def error(reason: str) -> tuple[RowOutcome, None]:
        return RowOutcome(number, invoice, "error", reason=reason), None

    if not invoice:
        return error(f"no invoice number in column '{mapping.columns['invoice']}'")
    if any("\x00" in value for value in fields.values()):
        return error("the row holds a NUL character (U+0000), which the ledger cannot keep")
    word = fields.get("status", "")
    if word.upper() not in mapping.statuses:
        known = ", ".join(sorted(mapping.statuses)) or "none"
        return error(f"status '{word}' is not in the mapping's [statuses] (it knows: {known})")
    kind_name = mapping.statuses[word.upper()]
    if kind_name is None:
        return RowOutcome(number, invoice, "ignored", reason=f"status '{word}' is ignored by the mapping"), None
    state = states.get(invoice)
    if state is None:
        return error(f"invoice {invoice} is not in the ledger")
    on = row.on
    if on is None:
        return error(f"date '{fields.get('date', '')}' is not in the mapping's date formats"
                     f" ({', '.join(mapping.date_formats)})")
    amount = row.amount
    if fields.get("amount") and amount is None:
        return error(f"amount '{fields['amount']}' is not a number")
    line = None
    if fields.get("line"):
        text = fields["line"]
        if not (text.isascii() and text.isdigit()) or len(text) > len(str(LARGEST_INTEGER)) or int(text) > LARGEST_INTEGER:
            return error(f"line '{text}' is not a line number")
        line = int(text)
    code = fields.get("code") or None
    rule = mapping.codes.get(code.upper()) if code else None
    if rule is None and code in RULES_BY_NAME:
        rule = code
    kind = Kind(kind_name)
    # A status row's amount or line (an approval's amount, say) is not part of an event that carries none.
    amount = amount if kind in MONEY_KINDS else None
    line = line if kind is Kind.REDUCED else None
    reason = fields.get("reason") or None
    key = row_key(invoice, kind, on, amount, line, code, reason, state.currency)
    if seen[key] > 0:
        seen[key] -= 1
        return RowOutcome(number, invoice, "already", reason="recorded by an earlier import of this export"), None
    try:
        event, after = prepare(state, invoice, kind, on, amount, reason=reason, code=code, rule=rule, line=line,
                               portal=fields.get("portal") or mapping.portal, actor=who, recorded_at=stamp,
                               details={"row_key": key, "source_row": number})
    except LedesLedgerError as refused:
        return error(str(refused))
    return RowOutcome(number, invoice, "recorded", event), after
