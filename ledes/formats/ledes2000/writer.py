"""Writer for LEDES 2000: clean, well-formed documents with none of the quirks real 2000 files have.

The XML declaration, then the DOCTYPE as the format has it (``<!DOCTYPE ledesxml SYSTEM
"http://www.ledes.org/ledes2000.dtd">``), then root ``ledesxml`` holding the one ``firm``
(LEDES 2000 has one @FIRM per file, "the first segment of the data") followed by one
``client`` per run of invoices to the same client, as the LOC's segment table and the one
production generator have it. Each matter in its own ``matter`` element; its ``tk_sum``
segments (hours and cost per timekeeper, level and rate), then fees, then expenses (the
generator's order); dates ``YYYYMMDD``; units as decimal hours; every text escaped. The
matter totals are computed from the lines; IF / IE lines become the matter's
``matter_adj_on_fees`` / ``_exp``, a reduction written positive. What 2000 cannot hold
(line taxes, line numbers out of file order, several discounts per matter, …) is listed by
``ledes convert`` before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TextIO

from ledes.errors import LedesWriteError
from ledes.formats.ledes2000 import table
from ledes.formats.ledes2000.table import render
from ledes.formats.ledesxml.table import ADDRESS, Element, segment_values
from ledes.formats.ledesxml.writer import escape_text, timekeeper_names
from ledes.model import Contact, Invoice, LawFirm, LineItem, LineItemType, Matter
from ledes.money import exact, tidy, tidy_in, to_minor
from ledes.totals import matter_totals, pre_tax_total
from ledes.version import __version__

DOCTYPE = '<!DOCTYPE ledesxml SYSTEM "http://www.ledes.org/ledes2000.dtd">'


def write_2000(invoices: Iterable[Invoice], out: TextIO) -> None:
    """Write ``invoices`` (all from one law firm) to ``out`` as one LEDES 2000 document."""
    with exact():  # a line's amount before tax (its total less its tax) keeps every digit
        _Writer(out).write(invoices)


class _Writer:
    def __init__(self, out: TextIO) -> None:
        self.write_text = out.write
        self.firm: LawFirm | None = None
        self.client: object = None
        self.invoice_number: object = None

    def write(self, invoices: Iterable[Invoice]) -> None:
        self.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{DOCTYPE}\n<ledesxml>\n')
        for invoice in invoices:
            self.invoice_number = invoice.number
            if self.firm is None:
                self.firm = invoice.law_firm
                self._firm(invoice.law_firm, __version__)
            elif invoice.law_firm != self.firm:
                raise LedesWriteError(
                    f"invoice {invoice.number} is from law firm {invoice.law_firm.id}, not {self.firm.id}: LEDES 2000"
                    " holds one firm per file; convert each firm's invoices to a file of its own"
                )
            if invoice.client != self.client:
                self._close_client()
                self._open_client(invoice)
            self._invoice(invoice)
        self._close_client()
        self.write_text("</ledesxml>\n")

    def _firm(self, firm: LawFirm, version: str) -> None:
        self.write_text("  <firm>\n")
        self._fields(firm, table.FIRM, "    ", {
            **_contact_values("~billing.", firm.billing_contact), "=source_app": "ledes", "=app_version": version,
        })
        self.write_text("  </firm>\n")

    def _open_client(self, invoice: Invoice) -> None:
        self.client = invoice.client
        self.write_text("  <client>\n")
        self._fields(invoice.client, table.CLIENT, "    ", _contact_values("~contact.", invoice.client.contact))

    def _close_client(self) -> None:
        if self.client is not None:
            self.write_text("  </client>\n")
            self.client = None

    def _invoice(self, invoice: Invoice) -> None:
        self.write_text("    <invoice>\n")
        self._fields(invoice, table.INVOICE, "      ")
        for matter in invoice.matters:
            self._matter(matter, invoice.currency)
        self.write_text("    </invoice>\n")

    def _matter(self, matter: Matter, currency: str | None) -> None:
        pad = "        "
        totals = matter_totals(matter, currency)
        computed: dict[str, object] = {f"={key}": value for key, value in totals.items()}
        for key, name in (("~adjust_fees", "credit_fees"), ("~adjust_expenses", "credit_expenses")):
            credit = totals[name]
            computed[key] = -credit if credit else None  # a reduction is positive in LEDES 2000
        computed.update(_contact_values("~managing.", matter.managing_contact))
        self.write_text("      <matter>\n")
        self._fields(matter, table.MATTER, pad, computed)
        for (keeper_id, level, _), (last, first, rate, hours) in _summaries(matter).items():
            self.write_text(f"{pad}<tk_sum>\n")
            cost = tidy(hours * rate) if type(rate) is Decimal and type(hours) is Decimal else None
            self._fields(None, table.TKSUM, pad + "  ", {
                "id": keeper_id, "last_name": last, "first_name": first, "classification": level,
                "~rate": rate, "=hours": hours, "=cost": cost,
            })
            self.write_text(f"{pad}</tk_sum>\n")
        for line_type, name, elements in ((LineItemType.FEE, "fee", table.FEE),
                                          (LineItemType.EXPENSE, "expense", table.EXPENSE)):
            for item in matter.line_items:
                if item.type is line_type:
                    self.write_text(f"{pad}<{name}>\n")
                    self._fields(item, elements, pad + "  ", _derived(item, currency))
                    self.write_text(f"{pad}</{name}>\n")
        self.write_text("      </matter>\n")

    def _fields(self, record: object, elements: tuple[Element, ...], pad: str, computed: dict | None = None) -> None:
        """Write a segment's elements that have a value; ``computed`` holds values by target."""
        for element, value in segment_values(record, elements, computed):
            if value is None:
                continue
            if element.kind is ADDRESS:
                self._address(element.name, value, pad)
            else:
                self._element(element.name, render(element.kind, value), pad)

    def _address(self, name: str, address: object, pad: str) -> None:
        self.write_text(f"{pad}<{name}>\n{pad}  <address_info>\n")
        self._fields(address, table.ADDRESS_ELEMENTS, pad + "    ")
        self.write_text(f"{pad}  </address_info>\n{pad}</{name}>\n")

    def _element(self, name: str, text: str, pad: str) -> None:
        self.write_text(f"{pad}<{name}>{escape_text(text, name, self.invoice_number)}</{name}>\n")


def _contact_values(prefix: str, contact: Contact | None) -> dict[str, object]:
    if contact is None:
        return {}
    return {f"{prefix}{field}": getattr(contact, field) for field in ("last_name", "first_name", "id", "phone", "fax", "email")}


def _derived(item: LineItem, currency: str | None = None) -> dict[str, object]:
    """A line's ``~`` values: its timekeeper's id, its base amount and its total before tax.

    2000 states no adjustment: a reader takes it as total less base. So the base is the total less the
    adjustment where the line states both (the adjustment comes back as it was); else units × rate, to
    ``currency``'s minor unit as an amount is written (1.125 × 333.3333 billed 375.00 is 375.00, not
    374.9999625, which would come back as an adjustment of 0.0000375).
    """
    units, cost, adjustment = item.units, item.unit_cost, item.adjustment
    total = pre_tax_total(item)
    base = None
    if type(total) is Decimal and type(adjustment) is Decimal and adjustment:
        base = tidy_in(total - adjustment, currency)
    elif type(units) is Decimal and type(cost) is Decimal:
        base = to_minor(units * cost, currency)
    if base is None and item.adjustment in (None, 0) and type(total) is Decimal:
        base = total
    return {
        "~timekeeper_id": item.timekeeper.id if item.timekeeper else None,
        "~base_amount": base,
        "~total": total,
    }


def _summaries(matter: Matter) -> dict[tuple, tuple]:
    """One tk_sum per timekeeper, level and rate of the matter's fees: names, rate, hours (None when unreadable)."""
    found: dict[tuple, tuple] = {}
    for item in matter.line_items:
        keeper = item.timekeeper
        if keeper is None or keeper.id is None or item.type is not LineItemType.FEE:
            continue
        cost = item.unit_cost  # a rate by its value (1250 and 1250.00 are one), an unreadable one by its text
        key = (keeper.id, keeper.classification, cost if type(cost) is Decimal or cost is None else render(table.AMOUNT, cost))
        last, first, rate, hours = found.get(key, (*timekeeper_names(keeper), item.unit_cost, Decimal(0)))
        units = item.units
        hours = hours + units if type(hours) is Decimal and type(units) is Decimal else None
        found[key] = (last, first, rate, hours)
    return found

