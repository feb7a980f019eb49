"""Rendering findings and file summaries for people (text) and programs (JSON); validate's writers build on these."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ledes import Diagnostic
from ledes.figures import counted, plain_money, plain_quantity, quantity
from ledes.figures import money as money_text
from ledes.safetext import valid_unicode, visible

if TYPE_CHECKING:
    from ledes.summary import FileSummary, InvoiceSummary


def diagnostic_line(path: str, diagnostic: Diagnostic, currency: str | None = None) -> str:
    """``path:line: severity rule: message (field, invoice, at stake)``; money at stake to ``currency``'s minor unit.

    Control characters from the file (in the path, message, field, invoice and hint) are made visible.
    """
    where = f"{visible(path)}:{diagnostic.line}" if diagnostic.line is not None else visible(path)
    details = []
    if diagnostic.field:
        details.append(visible(diagnostic.field))
    if diagnostic.invoice:
        details.append(f"invoice {visible(diagnostic.invoice)}")
    if diagnostic.amount is not None:
        details.append(f"at stake {money(diagnostic.amount, currency)}")
    text = f"{where}: {diagnostic.severity.value} {diagnostic.rule}: {visible(diagnostic.message)}"
    if details:
        text += f" [{', '.join(details)}]"
    if diagnostic.hint:
        text += f"\n    hint: {visible(diagnostic.hint)}"
    return text


def plural(count: int, noun: str) -> str:
    """``1 error``, ``2 errors`` (``ledes.figures.counted``)."""
    return counted(count, noun)


def money(value: object, currency: str | None = None) -> str:
    """An amount for people (``ledes.figures.money``); an unreadable one as written, ``-`` for none."""
    if isinstance(value, Decimal):
        return money_text(value, currency)
    return "-" if value is None else str(value)


def units(value: object) -> str:
    """Hours or units for people (``ledes.figures.quantity``)."""
    return quantity(value) if isinstance(value, Decimal) else "-"


def day(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "-" if value is None else str(value)


def summary_text(path: str, format_name: str, summary: FileSummary, problems: int) -> Iterable[str]:
    """What ``ledes show`` prints, line by line; every value from the file with its control characters made visible."""
    return map(visible, _summary_lines(path, format_name, summary, problems))


def _summary_lines(path: str, format_name: str, summary: FileSummary, problems: int) -> Iterable[str]:
    yield (
        f"{path}: {format_name}, {plural(len(summary.invoices), 'invoice')}, {plural(summary.matters, 'matter')},"
        f" {plural(summary.timekeepers, 'timekeeper')}, {plural(summary.line_items, 'line item')}"
    )
    for invoice in summary.invoices:
        yield ""
        yield (
            f"Invoice {invoice.number}  dated {day(invoice.date)}  client {invoice.client_id}"
            f"  law firm {invoice.law_firm_id}  period {day(invoice.billing_start)} to {day(invoice.billing_end)}"
        )
        yield from _invoice_text(invoice)
    currency = _one_currency(summary)
    yield ""
    yield f"Totals over {plural(len(summary.invoices), 'invoice')}:"
    for label, tally in summary.by_type.items():
        yield f"  {label:<24}{tally.lines:>7,}{units(tally.units):>14}{money(tally.amount, currency):>18}"
    yield f"  {'all line items':<24}{summary.line_items:>7,}{'':>14}{money(summary.total, currency):>18}"
    if problems:
        yield ""
        yield f"Reading found {plural(problems, 'problem')}; run `ledes validate {path}` for the list."


def _invoice_text(invoice: InvoiceSummary) -> Iterable[str]:
    """One invoice's totals, matters, line types and timekeepers; money to its currency's minor unit."""
    currency = invoice.currency
    agrees = "" if invoice.stated_total == invoice.line_total else "  ≠ "
    stated_currency = f" {currency}" if currency else ""
    tax = f" (tax {money(invoice.tax_total, currency)})" if invoice.tax_total is not None else ""
    yield (
        f"  invoice total {money(invoice.stated_total, currency)}{stated_currency}{tax}{agrees or '  = '}lines"
        f" {money(invoice.line_total, currency)}"
    )
    for matter in invoice.matters:
        client_matter = f" (client matter {matter.client_matter_id})" if matter.client_matter_id else ""
        worked = f" {units(matter.lines.units)} hours," if matter.lines.units else ""
        yield (
            f"  matter {matter.law_firm_matter_id}{client_matter}: {plural(matter.lines.lines, 'line')},"
            f"{worked} {money(matter.lines.amount, currency)}"
        )
    yield f"  {'line type':<24}{'lines':>7}{'units':>14}{'amount':>18}"
    for label, tally in invoice.by_type.items():
        yield f"  {label:<24}{tally.lines:>7,}{units(tally.units):>14}{money(tally.amount, currency):>18}"
    if invoice.timekeepers:
        yield f"  {'timekeeper':<40}{'hours':>14}{'fees':>18}"
        for person in invoice.timekeepers.values():
            label = " ".join(str(part) for part in (person.id, person.name, person.classification) if part)
            yield f"  {label[:40]:<40}{units(person.fees.units):>14}{money(person.fees.amount, currency):>18}"


def _one_currency(summary: FileSummary) -> str | None:
    """The currency every invoice of the file states, if they state one and the same (else the cent is used)."""
    currencies = {invoice.currency for invoice in summary.invoices}
    return currencies.pop() if len(currencies) == 1 else None


def summary_json(path: str, format_name: str, summary: FileSummary) -> str:
    """The ``ledes show --format json`` document: figures in ``ledes.figures``'s plain form (``"1370.00"``, ``"4.20"``)."""
    file_currency = _one_currency(summary)

    def amount(value: object, currency: str | None) -> str | None:
        if value is None:
            return None
        return plain_money(value, currency) if isinstance(value, Decimal) else str(value)

    def tally(t, currency: str | None) -> dict:
        return {"lines": t.lines, "units": plain_quantity(t.units), "amount": plain_money(t.amount, currency)}

    document = {
        "path": valid_unicode(path),
        "format": format_name,
        "invoices": [
            {
                "number": invoice.number,
                "date": day(invoice.date),
                "client_id": invoice.client_id,
                "law_firm_id": invoice.law_firm_id,
                "billing_start": day(invoice.billing_start),
                "billing_end": day(invoice.billing_end),
                "invoice_total": amount(invoice.stated_total, invoice.currency),
                "currency": invoice.currency,
                "tax_total": amount(invoice.tax_total, invoice.currency),
                "line_total": plain_money(invoice.line_total, invoice.currency),
                "matters": [
                    {
                        "law_firm_matter_id": m.law_firm_matter_id,
                        "client_matter_id": m.client_matter_id,
                        **tally(m.lines, invoice.currency),
                        "hours": plain_quantity(m.lines.units),
                        "expense_units": plain_quantity(m.expense_units),
                    }
                    for m in invoice.matters
                ],
                "by_line_type": {label: tally(t, invoice.currency) for label, t in invoice.by_type.items()},
                "timekeepers": [
                    {"id": p.id, "name": p.name, "classification": p.classification,
                     "hours": plain_quantity(p.fees.units), "fees": plain_money(p.fees.amount, invoice.currency)}
                    for p in invoice.timekeepers.values()
                ],
            }
            for invoice in summary.invoices
        ],
        "totals": {
            "invoices": len(summary.invoices),
            "matters": summary.matters,
            "timekeepers": summary.timekeepers,
            "line_items": summary.line_items,
            "amount": plain_money(summary.total, file_currency),
            "by_line_type": {label: tally(t, file_currency) for label, t in summary.by_type.items()},
        },
    }
    import json  # only for --format json

    return json.dumps(document, indent=2, ensure_ascii=False)
