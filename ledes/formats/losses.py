"""What an invoice would lose in another format: by the fields the format holds, or by reading it back.

Every loss names the source's field, its value and its line, in one of two classes: a value
the target has no field for at all is a ``convert.unsupported-field`` warning (the output is
written without it); a value the target holds but would give back changed or empty is a
``convert.changed-value`` error (nothing is written unless the loss is allowed).
"""

from __future__ import annotations

import io
import itertools
import operator
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs
from attrs import AttrsInstance

from ledes.diagnostics import Diagnostic
from ledes.formats.base import Format
from ledes.formats.losstext import distinct, dropped, listed_values
from ledes.formats.rewrites import Anchor, Difference, Write, written, written_alike
from ledes.model import Invoice, LineItem, LineItemType, Location, Matter, Timekeeper, Unparsed
from ledes.model.names import split_name
from ledes.rules.conversion import CHANGED_VALUE, UNSUPPORTED_FIELD

ZERO = Decimal(0)
LossFinder = Callable[[Invoice], list[Diagnostic]]


def by_held_fields(target: Format, source_names: Mapping[str, str], path: str | None) -> LossFinder:
    """A flat format (1998B, 1998BI) holds a value exactly when it has a field for it."""
    held = frozenset(target.field_names)
    return lambda invoice: unsupported(invoice, held, source_names, target.title, path)


def by_reading_back(target: Format, source_names: Mapping[str, str], path: str | None) -> LossFinder:
    """A format of another shape (LEDES XML) loses what its own reader would not give back as it was."""
    return lambda invoice: reread_losses(invoice, target.write, target.read, source_names, target.title, path,
                                         target.unread)


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


# Records, what a file states beside its values (stated_base, stated_totals: for the arithmetic rules) and how it gives
# them (taxes_by_rate) are not values.
_STRUCTURE = {
    "client", "law_firm", "matters", "line_items", "location", "spellings", "address", "timekeeper",
    "remit_address", "billing_contact", "contact", "managing_contact", "stated_base", "stated_totals", "taxes_by_rate",
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
        anchor = occurrences[0][1]
        where = anchor.location or Location(path)
        name = source_names.get(target, target)
        rule = UNSUPPORTED_FIELD
        message = f"{target_title} has no field for {name}; {dropped([value for value, _ in occurrences])}"
        if target in _IN_THE_LINE_TOTAL and any(value != ZERO for value, _ in occurrences):
            rule = CHANGED_VALUE  # the line's total keeps it: what is written no longer adds up
            message += f", and the line totals that include {'them' if len(occurrences) > 1 else 'it'} would no longer add up"
        losses.append(
            Diagnostic(
                rule.name,
                rule.level,
                message,
                Location(path, where.line, name),
                invoice.number if isinstance(invoice.number, str) else None,
            )
        )
    return losses


# Amounts a line's total includes: dropped where they are not zero, the line no longer adds up (a change, not a value
# the target merely has no field for): 1998BI's line tax into 1998B, an expense's adjustment into LEDES 2000.
_IN_THE_LINE_TOTAL = frozenset({"line_item.tax_total", "line_item.adjustment"})
# A tax of zero says nothing however it is written: dropped, the totals a target states come out the same in value.
_ZERO_TAXES = frozenset({"line_item.tax_total", "invoice.tax_total"})
_EQUIVALENT_WHEN_DROPPED = {
    # Values that say nothing, whose absence reads the same: an IF/IE line's units of 1 and unit
    # cost of 0 (the arithmetic reads empty ones so), a zero tax, the usual charge type.
    # Equivalent only in a target that writes the invoice the same without them (see reread_losses):
    # one that writes the value and gives it back empty changes it. A line's adjustment of 0.00 is
    # not among them: 1998B writes it, and a target that gives it back empty (LEDES 2000, whose fee
    # states base and total and whose expense states neither) would turn it into an empty field.
    ("line_item", "units"): Decimal(1),
    ("line_item", "unit_cost"): ZERO,
    ("line_item", "tax_total"): ZERO,
    ("line_item", "charge_type"): "U",
    ("invoice", "tax_total"): ZERO,
}

def reread_losses(
    invoice: Invoice,
    write: Write,
    read: Callable[..., Iterator[Invoice]],
    source_names: Mapping[str, str],
    target_title: str,
    path: str | None,
    unread: frozenset[str] = frozenset(),
) -> list[Diagnostic]:
    """One finding per field whose value would not survive writing ``invoice`` in the target format and reading it back.

    For the targets whose shape differs from the source's (LEDES XML has no line
    numbers, no date on a discount, one name per timekeeper and one tax definition per
    rate), comparing the invoice with what the target's own reader makes of it is the
    exact test: a value that comes back changed or empty is a loss; a value the
    target adds (a derived last name) is not. An XML reader numbers each invoice's
    lines from 1, so an invoice read back alone is numbered as in the whole file.

    Which class a loss is in is decided in the target's own terms, by writing: when the
    target writes the invoice the same with the values it gives back in place of the
    source's, it has no field for them (``convert.unsupported-field``, a warning; not
    listed at all for a value that says nothing, such as a zero adjustment LEDES 2000
    writes as no adjustment). When it writes something else, it held a value and gave
    back another (``convert.changed-value``, an error): so a ``0.00`` that a target
    writes and reads back empty is a change, wherever that target writes it. The values at
    ``unread`` paths, which the writer never reads, are known to be written alike unwritten.
    """
    text = written(invoice, write)
    again = list(read(io.BytesIO(text.encode("utf-8")), lambda *args, **kwargs: None, None))
    return read_back_losses(invoice, again[0] if again else None, write, source_names, target_title, path, unread, text)


def read_back_losses(
    invoice: Invoice, again: Invoice | None, write: Write,
    source_names: Mapping[str, str], target_title: str, path: str | None, unread: frozenset[str] = frozenset(),
    text: str | None = None,
) -> list[Diagnostic]:
    """``reread_losses`` of ``invoice`` given what the target read back for it (``again``: None for nothing).

    ``text`` is the target's text of ``invoice`` alone, written here only when a difference
    needs it (``convert`` compares each invoice with the one its output's validation reads).
    """
    if again is None:
        whole: dict[tuple[str, str], list[tuple[object, Anchor, str]]] = {(CHANGED_VALUE.name, "invoice.number"): [
            (invoice.number, invoice, "the invoice would not be read back at all")]}
        return _loss_diagnostics(whole, invoice, source_names, target_title, path)
    differences = _differences(invoice, again, target_title)
    if not differences:
        return []
    def text_of() -> str:
        nonlocal text
        if text is None:
            text = written(invoice, write)
        return text

    alike = written_alike(invoice, differences, text_of, write, unread)
    changed = [difference for difference in alike if difference.kept is not None]
    unheld = (alike - set(changed)) | written_alike(invoice, changed, text_of, write, unread, emptied=True)
    found: dict[tuple[str, str], list[tuple[object, Anchor, str]]] = {}
    totals_changed = {id(difference.record) for difference in differences if difference.path == "line_item.total"}
    for difference in differences:
        outcome = difference.outcome
        if difference.says_nothing and difference.path in _ZERO_TAXES:
            continue  # a zero tax dropped: what the target writes may differ only by its form (0.00 or 0 in a total)
        if difference in unheld and difference.kept is not None and difference.path.startswith("timekeeper."):
            # The target holds a timekeeper's name once per id (LEDES XML's tksum): another line's name for the
            # same id comes back in its place, another person's name, not a value the target has no field for.
            rule = CHANGED_VALUE.name
            outcome += f" ({target_title} holds one name per timekeeper id)"
        elif difference in unheld:
            if difference.says_nothing:
                continue
            rule = UNSUPPORTED_FIELD.name
            if (difference.path in _IN_THE_LINE_TOTAL and difference.kept is None and difference.value != ZERO
                    and id(difference.record) not in totals_changed):  # its line's total, kept, no longer adds up
                rule = CHANGED_VALUE.name
                outcome += ", and the line's total would no longer add up"
        else:
            rule = CHANGED_VALUE.name
        found.setdefault((rule, difference.path), []).append((_text(difference.value), difference.anchor, outcome))
    return _loss_diagnostics(found, invoice, source_names, target_title, path)


def _differences(invoice: Invoice, copy: Invoice, target_title: str) -> list[Difference]:
    """Every value of ``invoice`` that ``copy`` (the invoice as the target reads it back) gives back otherwise."""
    found: list[Difference] = []
    removed: list[Difference] = []  # the lines given back as no line of their own: listed first
    for (scope, record, anchor), (_, other, _) in zip(_invoice_records(invoice), _invoice_records(copy), strict=True):
        _record_differences(found, invoice, scope, record, anchor, other)
    item_names, item_values = _compared(LineItem)
    # A timekeeper is one record on many lines: given back with the same values again, it differs as it did, so
    # once known to differ nowhere it is not compared again (its lines' differences would all be in that record).
    alike_keepers: set[tuple[int, tuple]] = set()
    keeper_values = _compared(Timekeeper)[1]
    for index, matter in enumerate(invoice.matters):
        other = copy.matters[index] if index < len(copy.matters) else None
        _record_differences(found, invoice, "matter", matter, matter, other)
        _record_differences(found, invoice, "matter_managing_contact", matter.managing_contact, matter,
                            other and other.managing_contact)
        for item, match in _matched_items(matter, other):
            if match is None:
                removed.append(Difference("line_item.type", item, item, _text(item.type), None,
                                          f"the line would not come back as a line of its own in {target_title}",
                                          removed=True))
                continue
            # Most lines come back equal but for a value or two (their number): only those are looked at.
            own_values, kept_values = item_values(item), item_values(match)
            if own_values != kept_values:
                _differing(found, invoice, "line_item", item, item, item_names, own_values, kept_values)
            keeper, kept = item.timekeeper, match.timekeeper
            if keeper is not None:
                seen = (id(keeper), keeper_values(kept)) if type(kept) is Timekeeper else None
                if seen is not None and seen in alike_keepers:
                    continue
                before = len(found)
                _record_differences(found, invoice, "timekeeper", keeper, item, kept)
                if seen is not None and len(found) == before:
                    alike_keepers.add(seen)
    return removed + found


def _record_differences(found: list[Difference], invoice: Invoice, scope: str, record: AttrsInstance | None,
                        anchor: Anchor, read_back: AttrsInstance | None) -> None:
    """The values of ``record`` that ``read_back`` (the record read back in its place) gives back otherwise."""
    if record is None:
        return
    names, values_of = _compared(type(record))
    own_values = values_of(record)
    kept_values = values_of(read_back) if type(read_back) is type(record) else tuple(
        getattr(read_back, name, None) for name in names)
    _differing(found, invoice, scope, record, anchor, names, own_values, kept_values)


def _differing(found: list[Difference], invoice: Invoice, scope: str, record: AttrsInstance, anchor: Anchor,
               names: tuple[str, ...], own_values: tuple, kept_values: tuple) -> None:
    """A Difference for each value of ``own_values`` that ``kept_values`` gives back otherwise."""
    # Only the values that differ are looked at (found at C speed: most records come back equal).
    for index in itertools.compress(range(len(names)), map(operator.ne, own_values, kept_values)):
        name, value, kept_value = names[index], own_values[index], kept_values[index]
        if value is None or (isinstance(value, Unparsed) and value == str(kept_value)):
            continue  # no value, or a source text the source could not read that the target reads as written
        says_nothing = kept_value is None and (_EQUIVALENT_WHEN_DROPPED.get((scope, name), object()) == value
                                               or _empty(f"{scope}.{name}", value, invoice, record))
        outcome = "it would be dropped" if kept_value is None else f"it would be read back as '{_text(kept_value)}'"
        found.append(Difference(f"{scope}.{name}", record, anchor, value, kept_value, outcome, says_nothing))


_COMPARED: dict[type, tuple[tuple[str, ...], Callable[[Any], tuple]]] = {}


def _compared(record_type: type) -> tuple[tuple[str, ...], Callable[[Any], tuple]]:
    """A record type's value attributes (not ``_STRUCTURE``) and a function giving a record's values of them."""
    found = _COMPARED.get(record_type)
    if found is None:
        names = tuple(attribute.name for attribute in attrs.fields(record_type) if attribute.name not in _STRUCTURE)
        getter = operator.attrgetter(*names)
        found = _COMPARED[record_type] = (names, getter if len(names) > 1 else lambda record: (getter(record),))
    return found


def _invoice_records(invoice: Invoice) -> list[tuple[str, AttrsInstance | None, Anchor]]:
    """The invoice-level records of ``_records``: everything but the matters and their lines."""
    return list(itertools.islice(_records(invoice), _INVOICE_RECORDS))


_INVOICE_RECORDS = 8  # the records ``_records`` gives before the first matter's


def _matched_items(matter: Matter, other: Matter | None) -> list[tuple[LineItem, LineItem | None]]:
    """Each line of ``matter`` with the line the target gave back for it, or None.

    A writer may group lines by kind (LEDES 2000 writes fees, then expenses, then the
    matter's adjustments) but keeps their order within a kind, so the n-th line of a
    type is matched with the n-th line of that type read back.
    """
    items = matter.line_items
    if other is not None and list(map(_TYPE, items)) == list(map(_TYPE, other.line_items)):
        return list(zip(items, other.line_items, strict=True))  # the same kinds in the same order: line by line
    remaining: dict[object, list[LineItem]] = {}
    for item in other.line_items if other is not None else ():
        remaining.setdefault(item.type, []).append(item)
    for queue in remaining.values():
        queue.reverse()
    return [(item, remaining[item.type].pop() if remaining.get(item.type) else None) for item in items]


_TYPE = operator.attrgetter("type")


def _text(value: object) -> object:
    """A value as a coordinator reads it: an enum by its code."""
    return value.value if isinstance(value, LineItemType) else value


def _loss_diagnostics(found: dict[tuple[str, str], list[tuple[object, Anchor, str]]], invoice: Invoice,
                      source_names: Mapping[str, str], target_title: str, path: str | None) -> list[Diagnostic]:
    """One finding per (rule, field), at its first place: each distinct value with what becomes of it (``listed_values``)."""
    losses = []
    for (rule, target), occurrences in found.items():
        anchor = occurrences[0][1]
        where = anchor.location or Location(path)
        name = source_names.get(target, target)
        values = [(value, outcome) for value, _, outcome in occurrences]
        if rule == UNSUPPORTED_FIELD.name:
            severity, message = UNSUPPORTED_FIELD.level, f"{target_title} has no field for {name} {listed_values(values)}"
        else:
            one = len(distinct(values)) == 1
            listed = listed_values(values, " as it is: ") if one else f"as it is: {listed_values(values)}"
            severity, message = CHANGED_VALUE.level, f"{target_title} cannot hold {name} {listed}"
        losses.append(
            Diagnostic(
                rule,
                severity,
                message,
                Location(path, where.line, name, where.xpath),
                invoice.number if isinstance(invoice.number, str) else None,
            )
        )
    return losses


def _empty(target: str, value: object, invoice: Invoice, record: object = None) -> bool:
    if target in ("timekeeper.last_name", "timekeeper.first_name"):
        last, first = split_name(getattr(record, "name", None))
        return value == (last if target.endswith("last_name") else first)
    if target in ("line_item.tax_total", "invoice.tax_total", "invoice.reported_tax_total", "line_item.tax_rate"):
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
