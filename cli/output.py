"""Rendering findings and file summaries for people (text) and programs (JSON); validate's writers build on these."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import IO, TYPE_CHECKING

from ledes import Diagnostic
from ledes.figures import counted, plain_money, plain_quantity, quantity
from ledes.figures import money as money_text
from ledes.safetext import json_escaped, valid_unicode, visible

if TYPE_CHECKING:
    from ledes.summary import FileFigures, InvoiceSummary
    from ledes.summary import Tally as SummaryTally


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


def ident(value: str | None) -> str:
    """An identifier as written, ``-`` for none."""
    return "-" if value is None else value


def day(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "-" if value is None else str(value)


class ShowBody:
    """``ledes show``'s invoices, each written to ``out`` as it comes: text (``text=True``) or the JSON document's items.

    The heading and the totals need the whole file, so they are written around this body
    when the file has been read (``show_heading``, ``show_totals``, ``show_json_start``,
    ``show_json_end``).
    """

    def __init__(self, out: IO[str], text: bool) -> None:
        self.out = out
        self.text = text
        self.separator = "\n    "

    def add(self, invoice: InvoiceSummary) -> None:
        if self.text:
            self.out.write("".join(visible(line) + "\n" for line in _invoice_lines(invoice)))
        else:
            self.out.write(self.separator + _json(_invoice_document(invoice), indent=2).replace("\n", "\n    "))
            self.separator = ",\n    "


def show_heading(path: str, format_name: str, figures: FileFigures) -> str:
    """The first line of ``ledes show``: what the file holds, in counts."""
    return visible(
        f"{path}: {format_name}, {plural(figures.invoices, 'invoice')}, {plural(figures.matters.count(), 'matter')},"
        f" {plural(figures.timekeepers.count(), 'timekeeper')}, {plural(figures.line_items, 'line item')}"
    )


def show_totals(path: str, figures: FileFigures, problems: int) -> Iterable[str]:
    """The last lines of ``ledes show``: the totals by line type, and how many problems reading found."""
    return map(visible, _totals_lines(path, figures, problems))


def _totals_lines(path: str, figures: FileFigures, problems: int) -> Iterable[str]:
    yield ""
    yield f"Totals over {plural(figures.invoices, 'invoice')}:"
    several = len(figures.by_currency) > 1
    for sums in figures.by_currency.values():  # never added across currencies
        currency = sums.currency
        if several:
            named = f"in {currency}" if currency else "stating no currency"
            yield f"  {plural(sums.invoices, 'invoice')} {named}:"
        for label, tally in sums.by_type.items():
            yield f"  {label:<24}{tally.lines:>7,}{units(tally.units):>14}{money(tally.amount, currency):>18}"
        yield f"  {'all line items':<24}{sums.line_items:>7,}{'':>14}{money(sums.total, currency):>18}"
    if problems:
        yield ""
        yield f"Reading found {plural(problems, 'problem')}; run `ledes validate {path}` for the list."


def _invoice_lines(invoice: InvoiceSummary) -> Iterable[str]:
    yield ""
    yield (
        f"Invoice {ident(invoice.number)}  dated {day(invoice.date)}  client {ident(invoice.client_id)}"
        f"  law firm {ident(invoice.law_firm_id)}  period {day(invoice.billing_start)} to {day(invoice.billing_end)}"
    )
    yield from _invoice_text(invoice)


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
            f"  matter {ident(matter.law_firm_matter_id)}{client_matter}: {plural(matter.lines.lines, 'line')},"
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


def show_json_start(path: str, format_name: str) -> str:
    """The ``ledes show --format json`` document up to its first invoice (``ShowBody`` writes the invoices)."""
    return f'{{\n  "path": {_json(valid_unicode(path))},\n  "format": {_json(format_name)},\n  "invoices": ['


def show_json_end(figures: FileFigures) -> str:
    """The rest of the ``ledes show --format json`` document after its invoices: the file's totals."""
    file_currency = figures.currency
    total = figures.total  # None for invoices in several currencies: never added across them
    totals = {
        "invoices": figures.invoices,
        "matters": figures.matters.count(),
        "timekeepers": figures.timekeepers.count(),
        "line_items": figures.line_items,
        "amount": None if total is None else plain_money(total, file_currency),
        "by_line_type": {label: _tally(t, file_currency) for label, t in figures.by_type.items()},
        "by_currency": [
            {"currency": sums.currency, "invoices": sums.invoices, "line_items": sums.line_items,
             "amount": plain_money(sums.total, sums.currency),
             "by_line_type": {label: _tally(t, sums.currency) for label, t in sums.by_type.items()}}
            for sums in figures.by_currency.values()
        ],
    }
    return f'\n  ],\n  "totals": {_json(totals, indent=2).replace(chr(10), chr(10) + "  ")}\n}}'


def _json(value: object, indent: int | None = None) -> str:
    import json  # only for --format json

    return json_escaped(json.dumps(value, indent=indent, ensure_ascii=False))


def _tally(t: SummaryTally, currency: str | None) -> dict:
    return {"lines": t.lines, "units": plain_quantity(t.units), "amount": plain_money(t.amount, currency)}


def _invoice_document(invoice: InvoiceSummary) -> dict:
    """One invoice of the ``ledes show --format json`` document: figures in ``ledes.figures``'s plain form (``"1370.00"``)."""

    def amount(value: object, currency: str | None) -> str | None:
        if value is None:
            return None
        return plain_money(value, currency) if isinstance(value, Decimal) else str(value)

    return {
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
                **_tally(m.lines, invoice.currency),
                "hours": plain_quantity(m.lines.units),
                "expense_units": plain_quantity(m.expense_units),
            }
            for m in invoice.matters
        ],
        "by_line_type": {label: _tally(t, invoice.currency) for label, t in invoice.by_type.items()},
        "timekeepers": [
            {"id": p.id, "name": p.name, "classification": p.classification,
             "hours": plain_quantity(p.fees.units), "fees": plain_money(p.fees.amount, invoice.currency)}
            for p in invoice.timekeepers.values()
        ],
    }
