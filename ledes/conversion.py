"""Preparing invoices for another format: values the target requires, derived from the invoice or supplied by the user."""

from __future__ import annotations

from decimal import Decimal

import attrs

from ledes.errors import LedesError
from ledes.model import Invoice, LineItem
from ledes.model.names import split_name

ZERO = Decimal(0)


class LedesMissingValueError(LedesError):
    """The target format requires a value the source does not have and no option supplied."""


def complete_for_xml(invoice: Invoice, law_firm_name: str | None, target_title: str,
                     currency: str | None = None) -> Invoice:
    """Fill what LEDES XML requires: the law firm's name (``lf_name``), from ``law_firm_name`` when the source has none;
    and ``inv_currency`` from ``currency`` when the source states none (1998B)."""
    if invoice.currency is None and currency:
        invoice = attrs.evolve(invoice, currency=currency)
    if invoice.law_firm.name is not None:
        return invoice
    if not law_firm_name:
        raise LedesMissingValueError(
            f"invoice {invoice.number}: {target_title} needs lf_name, the law firm's name, and the source has none;"
            " give it with --law-firm-name"
        )
    return attrs.evolve(invoice, law_firm=attrs.evolve(invoice.law_firm, name=law_firm_name))


def _complete_line_item(item: LineItem) -> LineItem:
    """A zero tax where none is given; the timekeeper's last and first names from "Last, First"."""
    if item.tax_total is None:
        item = attrs.evolve(item, tax_total=ZERO)
    keeper = item.timekeeper
    if keeper is not None and keeper.name and keeper.last_name is None and keeper.first_name is None:
        last, first = split_name(keeper.name)
        item = attrs.evolve(item, timekeeper=attrs.evolve(keeper, last_name=last, first_name=first))
    return item


def complete_for_1998bi(invoice: Invoice, currency: str | None) -> Invoice:
    """Fill what LEDES 1998BI requires: the currency (from ``currency``), zero line taxes, tax and net
    totals, and timekeepers' last and first names split from TIMEKEEPER_NAME."""
    missing_currency = invoice.currency is None
    if missing_currency and not currency:
        raise LedesMissingValueError(
            f"invoice {invoice.number}: LEDES 1998BI needs INVOICE_CURRENCY and the source has none;"
            " give it with --currency (for example --currency USD)"
        )
    matters = tuple(
        attrs.evolve(matter, line_items=tuple(_complete_line_item(item) for item in matter.line_items))
        for matter in invoice.matters
    )
    completed = attrs.evolve(invoice, matters=matters, currency=invoice.currency or currency)
    if completed.tax_total is None:
        taxes = [item.tax_total for item in completed.line_items]
        amounts = [tax for tax in taxes if type(tax) is Decimal]
        if len(amounts) == len(taxes):  # every line's tax is an amount
            completed = attrs.evolve(completed, tax_total=sum(amounts, ZERO))
    if completed.net_total is None and type(completed.total) is Decimal and type(completed.tax_total) is Decimal:
        completed = attrs.evolve(completed, net_total=completed.total - completed.tax_total)
    return completed
