"""Preparing invoices for another format: values the target needs are derived or supplied, values it cannot hold are listed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

import attrs

from ledes.diagnostics import Diagnostic, Severity
from ledes.errors import LedesError
from ledes.model import Invoice, LineItem, Location

LOSS_RULE = "convert.unsupported-field"
ZERO = Decimal(0)


class LedesMissingValueError(LedesError):
    """The target format requires a value the source does not have and no option supplied."""


def _records(invoice: Invoice) -> Iterator[tuple[str, object, object]]:
    """(scope, record, the record whose location to report) for every record of an invoice."""
    yield "invoice", invoice, invoice
    yield "client", invoice.client, invoice
    yield "law_firm", invoice.law_firm, invoice
    yield "client_address", invoice.client.address, invoice
    yield "law_firm_address", invoice.law_firm.address, invoice
    for matter in invoice.matters:
        yield "matter", matter, matter
        for item in matter.line_items:
            yield "line_item", item, item
            yield "timekeeper", item.timekeeper, item


_STRUCTURE = {"client", "law_firm", "matters", "line_items", "location", "spellings", "address", "timekeeper"}


def unsupported(invoice: Invoice, held: frozenset[str], source_names: Mapping[str, str], target_title: str,
                path: str | None) -> list[Diagnostic]:
    """One finding per field the target cannot hold that has a value in this invoice.

    A tax of zero and a net total equal to the total less tax carry no information, so
    dropping them loses nothing.
    """
    found: dict[str, list] = {}
    for scope, record, anchor in _records(invoice):
        if record is None:
            continue
        for attribute in attrs.fields(type(record)):
            name = attribute.name
            target = f"{scope}.{name}"
            if name in _STRUCTURE or target in held:
                continue
            value = getattr(record, name)
            if value is None or _empty(target, value, invoice, record):
                continue
            found.setdefault(target, []).append((value, anchor))
    losses = []
    for target, occurrences in found.items():
        value, anchor = occurrences[0]
        where = anchor.location or Location(path)
        more = f" on {len(occurrences)} line items" if len(occurrences) > 1 else ""
        name = source_names.get(target, target)
        losses.append(
            Diagnostic(
                LOSS_RULE,
                Severity.ERROR,
                f"{target_title} has no field for {name}; '{value}'{more} would be dropped",
                Location(path, where.line, name),
                invoice.number if isinstance(invoice.number, str) else None,
            )
        )
    return losses


def split_name(name: str | None) -> tuple[str | None, str | None]:
    """(last, first) from a TIMEKEEPER_NAME: "Arnsley, Robert", or "Robert Arnsley" (last word last)."""
    if not name:
        return None, None
    if "," in name:
        last, _, first = name.partition(",")
    else:
        first, _, last = name.strip().rpartition(" ")
    return last.strip() or None, first.strip() or None


def _empty(target: str, value: object, invoice: Invoice, record: object = None) -> bool:
    if target in ("timekeeper.last_name", "timekeeper.first_name"):
        last, first = split_name(getattr(record, "name", None))
        return value == (last if target.endswith("last_name") else first)
    if target in ("line_item.tax_total", "invoice.tax_total", "invoice.reported_tax_total"):
        return value == ZERO
    if target == "line_item.tax_rate":
        return value == ZERO
    if target == "invoice.net_total":
        tax = invoice.tax_total if invoice.tax_total is not None else ZERO
        try:
            return value == invoice.total - tax  # type: ignore[operator]
        except TypeError:
            return False
    return False


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
        if all(type(tax) is Decimal for tax in taxes):
            completed = attrs.evolve(completed, tax_total=sum(taxes, ZERO))
    if completed.net_total is None and type(completed.total) is Decimal and type(completed.tax_total) is Decimal:
        completed = attrs.evolve(completed, net_total=completed.total - completed.tax_total)
    return completed
