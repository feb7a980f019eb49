"""An invoice as the ledger records it: its content hash, client, currency, total, lines and money at risk per rule."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import attrs

from ledes.diagnostics import Diagnostic
from ledes.ledger.events import Document, Line
from ledes.model import Invoice
from ledes.money import to_minor
from ledes.rules import RULES_BY_NAME


def content_hash(invoice: Invoice) -> str:
    """The SHA-256 of the invoice's content: every value read, not where it stood in its file (two spellings of one
    amount, or the same invoice moved in its file, hash alike); its number as the ledger keeps it, stripped (`` A-1 ``
    is A-1 again, not a new version)."""
    number = invoice.number
    if isinstance(number, str) and number != number.strip():
        invoice = attrs.evolve(invoice, number=number.strip())
    return hashlib.sha256(repr(invoice).encode("utf-8")).hexdigest()


def file_hash(path: str) -> str:
    """The SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _decimal(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(0)


def finer_than_minor_units(invoice: Invoice, currency: str) -> str | None:
    """Why ``invoice``'s total or a line's total cannot be kept in ``currency``'s minor unit (700.50 in JPY), else
    None: the ledger would otherwise round it, and its lines would no longer add up to what the client owes."""
    items = [("its total", invoice.total)]
    items += [(f"line {item.number}'s total", item.total) for item in invoice.line_items]
    for what, amount in items:
        if isinstance(amount, Decimal) and amount.is_finite() and amount != to_minor(amount, currency):
            return (f"{what} {amount} has more decimals than {currency}'s minor unit: the ledger keeps amounts in it"
                    " (give the invoice's currency with --currency, or correct the amount)")
    return None


def document_of(invoice: Invoice, currency: str, at_risk: dict[str, Decimal]) -> Document:
    """The ledger's record of ``invoice``; amounts in ``currency``'s minor unit; ``total`` its stated total, else its lines'."""
    lines: list[Line] = []
    for matter in invoice.matters:
        for item in matter.line_items:
            keeper = item.timekeeper
            keeper_name = (keeper.name or keeper.id or "") if keeper else ""
            lines.append(Line(
                number=int(item.number) if item.number and str(item.number).isdigit() else len(lines) + 1,
                type=item.type.value if item.type is not None and not isinstance(item.type, str) else str(item.type or ""),
                matter=matter.law_firm_matter_id or matter.client_matter_id or "",
                timekeeper=keeper_name,
                task=item.task_code or item.expense_code or "",
                total=to_minor(_decimal(item.total), currency),
            ))
    stated = invoice.total
    total = stated if isinstance(stated, Decimal) else sum((line.total for line in lines), Decimal(0))
    return Document(
        content_hash=content_hash(invoice),
        number=str(invoice.number).strip(),
        client=invoice.client.id or invoice.client.name or "",
        law_firm=invoice.law_firm.id or invoice.law_firm.name or "",
        currency=currency,
        invoice_date=invoice.date if isinstance(invoice.date, date) else None,
        total=to_minor(total, currency),
        lines=tuple(lines),
        at_risk={rule: to_minor(amount, currency) for rule, amount in sorted(at_risk.items())},
    )


def at_risk_by_rule(diagnostics: Iterable[Diagnostic]) -> dict[str, dict[str, Decimal]]:
    """Per invoice and guideline rule, the money ``ledes validate`` put at risk: each line once per rule, at its largest."""
    largest: dict[tuple[str, str, object], Decimal] = {}
    for d in diagnostics:
        declared = RULES_BY_NAME.get(d.rule)
        if declared is None or not declared.guideline or d.amount is None or d.invoice is None:
            continue
        key = (d.invoice, d.rule, (d.line, d.location.xpath if d.location else None))
        largest[key] = max(largest.get(key, Decimal(0)), abs(d.amount))
    found: dict[str, dict[str, Decimal]] = {}
    for (invoice, name, _), amount in largest.items():
        per_rule = found.setdefault(invoice, {})
        per_rule[name] = per_rule.get(name, Decimal(0)) + amount
    return found


def changes(old: Document, new: Document) -> list[str]:
    """What a resubmission changed: the total, and each line added, removed or with another total."""
    found = []
    if old.total != new.total:
        found.append(f"total {old.total} -> {new.total}")
    before = {line.number: line for line in old.lines}
    after = {line.number: line for line in new.lines}
    for number in sorted(before.keys() | after.keys()):
        if number not in after:
            found.append(f"line {number} removed ({before[number].total})")
        elif number not in before:
            found.append(f"line {number} added ({after[number].total})")
        elif before[number] != after[number]:
            was, now = before[number], after[number]
            if was.total != now.total:
                found.append(f"line {number} total {was.total} -> {now.total}")
            else:
                found.append(f"line {number} changed")
    if old.client != new.client:
        found.append(f"client {old.client} -> {new.client}")
    if not found:
        found.append("content changed (no total or line total differs)")
    return found
