"""What an invoice would lose in another format: by the fields the format holds, or by reading it back.

Every loss is a ``convert.unsupported-field`` finding naming the source's field, its value and its line.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import TextIO

import attrs
from attrs import AttrsInstance

from ledes.diagnostics import Diagnostic, Severity
from ledes.formats.base import Format
from ledes.model import Invoice, LineItem, LineItemType, Location, Matter
from ledes.model.names import split_name
from ledes.rules.conversion import UNSUPPORTED_FIELD

ZERO = Decimal(0)
LossFinder = Callable[[Invoice], list[Diagnostic]]
# The record whose location a loss is reported at: the invoice, a matter or a line item.
Anchor = Invoice | Matter | LineItem


def by_held_fields(target: Format, source_names: Mapping[str, str], path: str | None) -> LossFinder:
    """A flat format (1998B, 1998BI) holds a value exactly when it has a field for it."""
    held = frozenset(target.field_names)
    return lambda invoice: unsupported(invoice, held, source_names, target.title, path)


def by_reading_back(target: Format, source_names: Mapping[str, str], path: str | None) -> LossFinder:
    """A format of another shape (LEDES XML) loses what its own reader would not give back as it was."""
    written = 0  # line items written so far: an XML reader numbers lines through the file

    def losses(invoice: Invoice) -> list[Diagnostic]:
        nonlocal written
        found = reread_losses(invoice, target.write, target.read, source_names, target.title, path, written)
        written += sum(isinstance(item.type, LineItemType) for item in invoice.line_items)
        return found

    return losses


def _records(invoice: Invoice) -> Iterator[tuple[str, AttrsInstance | None, Anchor]]:
    """(scope, record, the record whose location to report) for every record of an invoice."""
    yield "invoice", invoice, invoice
    yield "client", invoice.client, invoice
    yield "law_firm", invoice.law_firm, invoice
    yield "client_address", invoice.client.address, invoice
    yield "law_firm_address", invoice.law_firm.address, invoice
    yield "law_firm_remit_address", invoice.law_firm.remit_address, invoice
    yield "law_firm_billing_contact", invoice.law_firm.billing_contact, invoice
    yield "client_contact", invoice.client.contact, invoice
    for matter in invoice.matters:
        yield "matter", matter, matter
        yield "matter_managing_contact", matter.managing_contact, matter
        for item in matter.line_items:
            yield "line_item", item, item
            yield "timekeeper", item.timekeeper, item


# Records, and what a file states beside its values (stated_base, stated_totals: for the arithmetic rules), are not values.
_STRUCTURE = {
    "client", "law_firm", "matters", "line_items", "location", "spellings", "address", "timekeeper",
    "remit_address", "billing_contact", "contact", "managing_contact", "stated_base", "stated_totals",
}


def unsupported(invoice: Invoice, held: frozenset[str], source_names: Mapping[str, str], target_title: str,
                path: str | None) -> list[Diagnostic]:
    """One finding per field the target cannot hold that has a value in this invoice.

    A tax of zero and a net total equal to the total less tax carry no information, so
    dropping them loses nothing.
    """
    found: dict[str, list[tuple[object, Anchor]]] = {}
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
        more = f" in {len(occurrences)} places" if len(occurrences) > 1 else ""
        name = source_names.get(target, target)
        losses.append(
            Diagnostic(
                UNSUPPORTED_FIELD.name,
                Severity.ERROR,
                f"{target_title} has no field for {name}; '{value}'{more} would be dropped",
                Location(path, where.line, name),
                invoice.number if isinstance(invoice.number, str) else None,
            )
        )
    return losses


_EQUIVALENT_WHEN_DROPPED = {
    # Values that say nothing, whose absence reads the same: an IF/IE line's units of 1 and unit
    # cost of 0 (the arithmetic reads empty ones so), a zero adjustment or tax, the usual charge type.
    ("line_item", "units"): Decimal(1),
    ("line_item", "unit_cost"): ZERO,
    ("line_item", "adjustment"): ZERO,
    ("line_item", "tax_total"): ZERO,
    ("line_item", "charge_type"): "U",
    ("invoice", "tax_total"): ZERO,
}


def reread_losses(
    invoice: Invoice,
    write: Callable[[list[Invoice], TextIO], None],
    read: Callable[..., Iterator[Invoice]],
    source_names: Mapping[str, str],
    target_title: str,
    path: str | None,
    lines_before: int = 0,
) -> list[Diagnostic]:
    """One finding per field whose value would not survive writing ``invoice`` in the target format and reading it back.

    For the targets whose shape differs from the source's (LEDES XML has no line
    numbers, no date on a discount, one name per timekeeper and one tax definition per
    rate), comparing the invoice with what the target's own reader makes of it is the
    exact test: a value that comes back changed or empty is a loss; a value the
    target adds (a derived last name) is not. ``lines_before`` is the number of line
    items written before this invoice: a reader that numbers lines through the file
    (LEDES XML's) numbers this invoice's from there.
    """
    out = io.StringIO()
    write([invoice], out)
    again = list(read(io.BytesIO(out.getvalue().encode("utf-8")), lambda *args, **kwargs: None, None))
    found: dict[str, list[tuple[object, Anchor, str]]] = {}
    if not again:
        found["invoice.number"] = [(invoice.number, invoice, "the invoice would not be read back at all")]
        return _loss_diagnostics(found, invoice, source_names, target_title, path)
    copy = again[0]
    # (scope, record, the record whose location to report, the record read back in its place)
    pairs: list[tuple[str, AttrsInstance | None, Anchor, AttrsInstance | None]] = [
        (scope, record, anchor, other) for (scope, record, anchor), (_, other, _) in
        zip(_invoice_records(invoice), _invoice_records(copy), strict=True)]
    for index, matter in enumerate(invoice.matters):
        other = copy.matters[index] if index < len(copy.matters) else None
        pairs += [("matter", matter, matter, other),
                  ("matter_managing_contact", matter.managing_contact, matter, other and other.managing_contact)]
        for item, match in _matched_items(matter, other):
            if match is None:
                found.setdefault("line_item.type", []).append(
                    (_text(item.type), item, f"the line would not come back as a line of its own in {target_title}"))
                continue
            pairs += [("line_item", item, item, match), ("timekeeper", item.timekeeper, item, match.timekeeper)]
    for scope, record, anchor, read_back in pairs:
        if record is None:
            continue
        for attribute in attrs.fields(type(record)):
            name = attribute.name
            if name in _STRUCTURE:
                continue
            value = getattr(record, name)
            kept_value = getattr(read_back, name, None) if read_back is not None else None
            if scope == "line_item" and name == "number" and isinstance(kept_value, str) and kept_value.isdigit():
                kept_value = str(int(kept_value) + lines_before)
            if value is None or value == kept_value:
                continue
            if kept_value is None and (_EQUIVALENT_WHEN_DROPPED.get((scope, name), object()) == value
                                       or _empty(f"{scope}.{name}", value, invoice, record)):
                continue
            outcome = "it would be dropped" if kept_value is None else f"it would be read back as '{_text(kept_value)}'"
            found.setdefault(f"{scope}.{name}", []).append((_text(value), anchor, outcome))
    return _loss_diagnostics(found, invoice, source_names, target_title, path)


def _invoice_records(invoice: Invoice) -> list[tuple[str, AttrsInstance | None, Anchor]]:
    """The invoice-level records of ``_records``: everything but the matters and their lines."""
    return [entry for entry in _records(invoice) if entry[0] not in ("matter", "matter_managing_contact",
                                                                     "line_item", "timekeeper")]


def _matched_items(matter: Matter, other: Matter | None) -> list[tuple[LineItem, LineItem | None]]:
    """Each line of ``matter`` with the line the target gave back for it, or None.

    A writer may group lines by kind (LEDES 2000 writes fees, then expenses, then the
    matter's adjustments) but keeps their order within a kind, so the n-th line of a
    type is matched with the n-th line of that type read back.
    """
    remaining: dict[object, list[LineItem]] = {}
    for item in other.line_items if other is not None else ():
        remaining.setdefault(item.type, []).append(item)
    for queue in remaining.values():
        queue.reverse()
    return [(item, remaining[item.type].pop() if remaining.get(item.type) else None) for item in matter.line_items]


def _text(value: object) -> object:
    """A value as a coordinator reads it: an enum by its code."""
    return value.value if isinstance(value, LineItemType) else value


def _loss_diagnostics(found: dict[str, list[tuple[object, Anchor, str]]], invoice: Invoice, source_names: Mapping[str, str], target_title: str,
                      path: str | None) -> list[Diagnostic]:
    losses = []
    for target, occurrences in found.items():
        value, anchor, outcome = occurrences[0]
        where = anchor.location or Location(path)
        more = f" (and in {len(occurrences) - 1} more places)" if len(occurrences) > 1 else ""
        name = source_names.get(target, target)
        losses.append(
            Diagnostic(
                UNSUPPORTED_FIELD.name,
                Severity.ERROR,
                f"{target_title} cannot hold {name} '{value}' as it is: {outcome}{more}",
                Location(path, where.line, name, where.xpath),
                invoice.number if isinstance(invoice.number, str) else None,
            )
        )
    return losses


def _empty(target: str, value: object, invoice: Invoice, record: object = None) -> bool:
    if target in ("timekeeper.last_name", "timekeeper.first_name"):
        last, first = split_name(getattr(record, "name", None))
        return value == (last if target.endswith("last_name") else first)
    if target in ("line_item.tax_total", "invoice.tax_total", "invoice.reported_tax_total"):
        return value == ZERO
    if target == "line_item.tax_rate":
        return value == ZERO
    if target == "line_item.charge_type":
        return value == "U"  # units × rate, what every 1998B line is
    if target in ("matter.fee_share", "matter.expense_share"):
        return value == 1  # the client pays all of it: what a format without shares means
    if target == "invoice.net_total":
        tax = invoice.tax_total if invoice.tax_total is not None else ZERO
        try:
            return value == invoice.total - tax  # type: ignore[operator]
        except TypeError:
            return False
    return False
