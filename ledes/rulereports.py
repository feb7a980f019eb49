"""How the engine passes a rule's findings on: at the record's place, with the money at stake (none for a credit)."""

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
    guideline: bool = False,
) -> None:
    """How a rule's check reports on an invoice: at its record's line (else the invoice's), with the invoice's number."""
    number = invoice.number if isinstance(invoice.number, str) else None
    _emit_at(emit, rule_name, message, (record or invoice).location, number, field,
             at_stake(amount) if guideline else magnitude(amount), hint)


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
    guideline: bool = False,
) -> None:
    """How a rule's ``finish`` reports: at its record's own file and line (the record knows both)."""
    location = record.location if record is not None else None
    _emit_at(emit, rule_name, message, location, invoice, field,
             at_stake(amount) if guideline else magnitude(amount), hint, path=location.path if location else None)


def _emit_at(emit: Emit, rule_name: str, message: str, location: Location | None, invoice: str | None,
             field: str | None, amount: Decimal | None, hint: str | None, **path: str | None) -> None:
    """One finding at ``location`` (its line and XPath), with its money at stake."""
    emit(
        rule_name,
        message,
        line=location.line if location else None,
        field=field,
        xpath=location.xpath if location else None,
        invoice=invoice,
        amount=amount,
        hint=hint,
        **path,
    )


def magnitude(amount: Decimal | None) -> Decimal | None:
    """A format rule's money at stake is a sum of money, never negative: a credit line's is its amount without the sign."""
    return amount.copy_abs() if isinstance(amount, Decimal) else amount  # every digit kept (abs() rounds)


def at_stake(amount: Decimal | None) -> Decimal | None:
    """A client guideline rule's money at stake: none for a credit (a negative amount, a credit line's total).

    What a review would take off a credit line gives the client less back, not more: nothing
    of the client's money is at stake there, and it adds nothing to the invoice's money at risk.
    """
    return None if isinstance(amount, Decimal) and amount < 0 else amount
