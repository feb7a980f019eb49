"""Writer for LEDES XML 2.1 and 2.2: canonical, streaming output driven by the element tables.

Canonical means: the root in its version's namespace; one ``firm`` per run of
consecutive invoices from the same firm and one ``client`` per run of the same client;
every segment's elements in table order, then its ``file_item_nbr`` (one counter for
the file, from 1); in a matter, its timekeeper summaries, then its fees, expenses and
adjustments (``matter_disc_cred``) in the model's order, then one tax summary per tax;
dates ``YYYY-MM-DD``; the matter summary figures computed from the lines (the discount
figures signed as the source matter signs them: ``totals.credits_as_stated``). A tax is
defined once per file (``tax`` in the firm, before its clients) with ids ``T1``, ``T2``…;
an invoice that needs a tax not yet defined starts a new ``firm`` element that defines it.
Nothing is dropped silently: a value XML 1.0 cannot hold (a control character) stops the
writer with an error naming the invoice and element.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TextIO

from ledes.formats.ledesxml import table
from ledes.formats.ledesxml.fieldcode import escape_text, segment_writer
from ledes.formats.ledesxml.table import Element, render
from ledes.formats.ledesxml.versions import XmlVersion
from ledes.model import Invoice, LawFirm, LineItem, LineItemType, Matter, Timekeeper
from ledes.model.names import split_name
from ledes.money import exact, to_minor
from ledes.totals import FEE_TYPES, credits_as_stated, matter_totals, pre_tax_total, tax_summary
from ledes.version import __version__

# Each line type's segment: its element name, and its table in ``table.Segments``.
_SEGMENT = {
    LineItemType.FEE: ("fee", "fee"),
    LineItemType.EXPENSE: ("expense", "expense"),
    LineItemType.FEE_ADJUSTMENT: ("matter_disc_cred", "disc_cred"),
    LineItemType.EXPENSE_ADJUSTMENT: ("matter_disc_cred", "disc_cred"),
}


def timekeeper_names(keeper: Timekeeper) -> tuple[str | None, str | None]:
    """(tk_lname, tk_fname): the timekeeper's own last and first names, else split from "Last, First"."""
    if keeper.last_name is not None or keeper.first_name is not None:
        return keeper.last_name, keeper.first_name
    return split_name(keeper.name)


def tax_key(item: LineItem) -> tuple[str, str | None] | None:
    """What defines a line's tax in XML (its rate and type), or None when the line has no tax rate."""
    if item.tax_rate is None:
        return None
    return render(table.AMOUNT, item.tax_rate), item.tax_type


def write_xml(version: XmlVersion, invoices: Iterable[Invoice], out: TextIO) -> None:
    """Write ``invoices`` to ``out`` as one LEDES XML document of ``version``."""
    with exact():  # a line's amount before tax (its total less its tax) keeps every digit
        for text in xml_texts(version, invoices):
            out.write(text)


def xml_texts(version: XmlVersion, invoices: Iterable[Invoice]) -> Iterator[str]:
    """``write_xml``'s text, one piece per invoice (the document's start with the first, its end last).

    Each piece is to be taken in ``exact()``, as ``write_xml`` takes them: a line's amount
    before tax keeps every digit.
    """
    return _Writer(version).texts(invoices)


class _Writer:
    """Writes one document: each invoice's text gathered in ``parts`` and given at once."""

    def __init__(self, version: XmlVersion) -> None:
        self.version = version
        self.segments = version.segments
        self.parts: list[str] = []
        self.add = self.parts.append
        self.item_number = 0
        self.taxes: dict[tuple[str, str | None], str] = {}
        self.firm: LawFirm | None = None
        self.client: object = None
        self.invoice_number: object = None

    def texts(self, invoices: Iterable[Invoice]) -> Iterator[str]:
        self.add('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.add(f'<{self.version.root} xmlns="{self.version.namespace}">\n')
        for invoice in invoices:
            self.invoice_number = invoice.number
            needed = [key for key in map(tax_key, invoice.line_items) if key is not None and key not in self.taxes]
            if self.firm is None or invoice.law_firm != self.firm or needed:
                self._close_firm()
                self._open_firm(invoice.law_firm, dict.fromkeys(needed))
            if self.client != invoice.client:
                self._close_client()
                self._open_client(invoice)
            self._invoice(invoice)
            yield self._taken()
        self._close_firm()
        self.add(f"</{self.version.root}>\n")
        yield self._taken()

    def _taken(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text

    # -- segments ----------------------------------------------------------------

    def _open_firm(self, firm: LawFirm, new_taxes: dict) -> None:
        self.firm = firm
        self.add("  <firm>\n")
        computed = {"=source_app": "ledes", "=app_version": __version__}
        self._fields(firm, self.segments.firm, "    ", computed, required=("lf_address", "lf_billing_contact"))
        self._item_number("    ")
        for rate, tax_type in new_taxes:
            tax_id = self.taxes[(rate, tax_type)] = f"T{len(self.taxes) + 1}"
            self.add("    <tax>\n")
            self._element("tx_id", tax_id, "      ")
            if tax_type is not None:
                self._element("tax_type", tax_type, "      ")
            self._element("tax_rate_percent", rate, "      ")
            self._item_number("      ")
            self.add("    </tax>\n")

    def _close_firm(self) -> None:
        if self.firm is not None:
            self._close_client()
            self.add("  </firm>\n")
            self.firm = None

    def _open_client(self, invoice: Invoice) -> None:
        self.client = invoice.client
        self.add("    <client>\n")
        self._fields(invoice.client, self.segments.client, "      ")
        self._item_number("      ")

    def _close_client(self) -> None:
        if self.client is not None:
            self.add("    </client>\n")
            self.client = None

    def _invoice(self, invoice: Invoice) -> None:
        self.add("      <invoice>\n")
        self._fields(invoice, self.segments.invoice, "        ")
        self._item_number("        ")
        for matter in invoice.matters:
            self._matter(matter, invoice.currency)
        self.add("      </invoice>\n")

    def _matter(self, matter: Matter, currency: str | None) -> None:
        pad, add = "          ", self.add
        add("        <matter>\n")
        computed = matter_totals(matter, currency)
        stated = matter.stated_totals
        if stated is not None and stated.figures:  # a discount the source states as a positive reduction stays so
            computed = credits_as_stated(computed, stated.figures, currency)[0]
        totals = {f"={name}": value for name, value in computed.items()}
        self._fields(matter, self.segments.matter, pad, totals)
        self._item_number(pad)
        for keeper_id, (last, first, level, rate) in _summaries(matter).items():
            add(f"{pad}<tksum>\n")
            self._fields(None, self.segments.tksum, pad + "  ", {
                "id": keeper_id[0], "last_name": last, "first_name": first, "classification": level, "~rate": rate,
            })
            self._item_number(pad + "  ")
            add(f"{pad}</tksum>\n")
        summaries: dict[str, list[LineItem]] = {}
        line_pad = pad + "  "
        invoice_number = self.invoice_number
        line_type: object = None  # the type of the line before, whose element's name and writer these are
        name, write = "", None
        for item in matter.line_items:
            if item.type is not line_type:
                line_type = item.type
                segment = _SEGMENT.get(line_type)  # type: ignore[arg-type]
                write = None if segment is None else segment_writer(
                    getattr(self.segments, segment[1]), line_pad, DERIVED, True)
                name = "" if segment is None else segment[0]
            if write is None:
                continue  # an unreadable line type: listed as a loss before writing (see ledesxml.losses)
            add(f"{pad}<{name}>\n")
            write(item, _derived(item, currency), add, invoice_number)
            self.item_number += 1
            if item.tax_rate is None:  # no tax (``tax_key``)
                add(f"{line_pad}<file_item_nbr>{self.item_number}</file_item_nbr>\n{pad}</{name}>\n")
                continue
            add(f"{line_pad}<file_item_nbr>{self.item_number}</file_item_nbr>\n")
            tax_id = self.taxes[tax_key(item)]  # type: ignore[index]
            summaries.setdefault(tax_id, []).append(item)
            tag = table.TAX_ITEM_NAMES[name][0]
            add(f"{line_pad}<{tag}>\n")
            self._element("tx_id", tax_id, line_pad + "  ")
            self._item_number(line_pad + "  ")
            add(f"{line_pad}</{tag}>\n")
            add(f"{pad}</{name}>\n")
        for tax_id, items in summaries.items():
            add(f"{pad}<tax_summary>\n")
            figures = {f"={key}": value for key, value in tax_summary(items).items()}
            self._fields(None, self.segments.tax_summary, line_pad, {"id": tax_id, **figures})
            self._item_number(line_pad)
            add(f"{pad}</tax_summary>\n")
        add("        </matter>\n")

    # -- elements ----------------------------------------------------------------

    def _fields(
        self,
        record: object,
        elements: tuple[Element, ...],
        pad: str,
        computed: dict | None = None,
        required: tuple[str, ...] = (),
    ) -> None:
        """Write a segment's elements that have a value; ``computed`` holds values by target (``=total_due``, ``id``).

        The values as ``table.segment_values`` gives them, each rendered and escaped as
        ``_element`` does, addresses and contacts nested; by the function made for the
        table, indent and computed targets (``fieldcode.segment_writer``): the hot loop of
        the writer, without a call per element.
        """
        write = segment_writer(elements, pad, tuple(computed) if computed else (), record is not None, required)
        write(record, computed, self.add, self.invoice_number)

    def _element(self, name: str, text: str, pad: str) -> None:
        self.add(f"{pad}<{name}>{escape_text(text, name, self.invoice_number)}</{name}>\n")

    def _item_number(self, pad: str) -> None:
        self.item_number += 1
        self.add(f"{pad}<file_item_nbr>{self.item_number}</file_item_nbr>\n")


# The targets of the values ``_derived`` gives (its dictionary's keys).
DERIVED = ("~timekeeper_id", "~classification", "~total", "=base_amount", "~category", "~direction", "~amount")


def _derived(item: LineItem, currency: str | None = None) -> dict[str, object]:
    """The values of a line's ``~`` and ``=`` elements, by target (``DERIVED``); base_amount (units × rate) to
    ``currency``'s minor unit, as an amount is written (1.125 × 333.3333 is 375.00, not 374.9999625)."""
    keeper = item.timekeeper
    units, cost = item.units, item.unit_cost
    total = pre_tax_total(item)
    amount = total if item.total is not None else item.adjustment  # adjustment_amount(item)
    direction = None
    if type(amount) is Decimal:
        direction = "Increase" if amount > 0 else "Decrease"
    return {
        "~timekeeper_id": keeper.id if keeper else None,
        "~classification": keeper.classification if keeper else None,
        "~total": total,
        "=base_amount": to_minor(units * cost, currency) if type(units) is Decimal and type(cost) is Decimal else None,
        "~category": "Fee" if item.type in FEE_TYPES else "Exp",
        "~direction": direction,
        "~amount": amount,
    }


def _summaries(matter: Matter) -> dict[tuple, tuple]:
    """One timekeeper summary per timekeeper, level and rate of the matter's fees (and per timekeeper named only on
    expenses); none for a timekeeper of a discount line alone, which ``matter_disc_cred`` cannot name (its loss is listed)."""
    found: dict[tuple, tuple] = {}
    named: set[str] = set()
    for item in matter.line_items:
        keeper = item.timekeeper
        if keeper is None or keeper.id is None or item.type is not LineItemType.FEE:
            continue
        cost = item.unit_cost
        key = (keeper.id, keeper.classification,
               None if cost is None else format(cost, "f") if type(cost) is Decimal else render(table.AMOUNT, cost))
        if key not in found:
            found[key] = (*timekeeper_names(keeper), keeper.classification, cost)
            named.add(keeper.id)
    for item in matter.line_items:
        keeper = item.timekeeper
        if keeper is None or keeper.id is None or keeper.id in named or item.type is not LineItemType.EXPENSE:
            continue
        last, first = timekeeper_names(keeper)
        if last is not None or first is not None:
            found[(keeper.id, keeper.classification, None)] = (last, first, keeper.classification, None)
            named.add(keeper.id)
    return _unclassified_first(matter, found)


def _unclassified_first(matter: Matter, found: dict[tuple, tuple]) -> dict[tuple, tuple]:
    """The summaries, with a timekeeper's unclassified one first when some line of theirs has no classification.

    A line is written without ``tk_level`` when its timekeeper has no classification, and the
    reader gives such a line the level of the timekeeper's first ``tksum``: so that first
    summary must have none either (one is added, without a rate, when no fee has one).
    """
    unclassified: dict[str, Timekeeper] = {}
    for item in matter.line_items:
        keeper = item.timekeeper
        if keeper is not None and keeper.id is not None and keeper.classification is None:
            unclassified.setdefault(keeper.id, keeper)
    if not unclassified:
        return found
    none_first: dict[str, tuple] = {}
    for key in found:
        if key[0] in unclassified and key[1] is None:
            none_first.setdefault(key[0], key)
    ordered: dict[tuple, tuple] = {}
    seen: set[str] = set()
    for key, value in found.items():
        keeper_id = key[0]
        if keeper_id in unclassified and keeper_id not in seen:
            first = none_first.get(keeper_id)
            if first is None:
                last, first_name = timekeeper_names(unclassified[keeper_id])
                ordered[(keeper_id, None, None)] = (last, first_name, None, None)
            else:
                ordered[first] = found[first]
        seen.add(keeper_id)
        ordered.setdefault(key, value)
    return ordered

