"""How the engine passes a rule's findings on: at the record's place, the money at stake as a magnitude."""

from __future__ import annotations

from decimal import Decimal

from ledes.diagnostics import Emit
from ledes.model import Invoice, Location


def report_on_invoice(
    emit: Emit,
    rule_name: str,
    invoice: Invoice,
    message: str,
    *,
    record=None,
    field: str | None = None,
    amount: Decimal | None = None,
    hint: str | None = None,
) -> None:
    """How a rule's check reports on an invoice: at its record's line (else the invoice's), with the invoice's number."""
    number = invoice.number if isinstance(invoice.number, str) else None
    _emit_at(emit, rule_name, message, (record or invoice).location, number, field, amount, hint)


def report_late(
    emit: Emit,
    rule_name: str,
    message: str,
    *,
    record=None,
    field: str | None = None,
    amount: Decimal | None = None,
    hint: str | None = None,
    invoice: str | None = None,
) -> None:
    """How a rule's ``finish`` reports: at its record's own file and line (the record knows both)."""
    location = record.location if record is not None else None
    _emit_at(emit, rule_name, message, location, invoice, field, amount, hint,
             path=location.path if location else None)


def _emit_at(emit: Emit, rule_name: str, message: str, location: Location | None, invoice: str | None,
             field: str | None, amount: Decimal | None, hint: str | None, **path: str | None) -> None:
    """One finding at ``location`` (its line and XPath), the money at stake as its magnitude."""
    emit(
        rule_name,
        message,
        line=location.line if location else None,
        field=field,
        xpath=location.xpath if location else None,
        invoice=invoice,
        amount=magnitude(amount),
        hint=hint,
        **path,
    )


def magnitude(amount: Decimal | None) -> Decimal | None:
    """The money at stake is a sum of money, never negative: a credit line's at stake is its amount without the sign."""
    return amount.copy_abs() if isinstance(amount, Decimal) else amount  # every digit kept (abs() rounds)
