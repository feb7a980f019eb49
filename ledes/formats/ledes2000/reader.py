"""Reader for LEDES 2000: streams invoices into the model, tolerating and reporting what real 2000 files contain.

It reads with the LEDES XML 2.x machinery (the same safe streaming, ``stream_invoices``;
a ``ValueReader`` in LEDES 2000's ``Dialect`` for the values; the same stated figures
for the arithmetic rules), with LEDES 2000's shape: root ``ledesxml`` with its DOCTYPE
(never loaded), one ``firm`` and its ``client`` segments beside it or inside it (the
DTD's nesting is UNVERIFIED: both are read), ``address_info`` inside addresses, flat
contact fields, ``YYYYMMDD`` dates, ``acca_*`` codes, ``tk_sum`` with hours and cost, and
matter adjustments as ``matter_adj_on_fees`` / ``_exp`` (a reduction is positive), read
as one IF / IE line per matter. Quirks of real files are read and reported, never
silently: units written ``HH:MM`` (``field.hours-minutes``), several matters merged into
one ``matter`` element, split at each new ``cl_matter_id`` / ``lf_matter_id``
(``xml.merged-matters``), a ``<matter>`` closed after every matter but opened once, put
back where each matter begins (``xml.merged-matters`` too), Windows code-page bytes under a UTF-8 declaration
(``xml.encoding``) and unescaped ``<``, ``>`` or ``&`` in text (``xml.unescaped``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, BinaryIO

from lxml import etree

from ledes.diagnostics import Emit
from ledes.formats.ledes2000 import table
from ledes.formats.ledesxml.reader import PROGRESS, stream_invoices
from ledes.formats.ledesxml.segments import Names, StatedName, report_unread_summaries, timekeeper
from ledes.formats.ledesxml.stated import child_lines, figure_names, stated_figures
from ledes.formats.ledesxml.values import Claim, Dialect, ValueReader
from ledes.formats.xmlmatters import MatterOpenings
from ledes.formats.xmlrepair import RepairingReader
from ledes.formats.xmlsafe import MAX_BYTES, UntrustedStream, local
from ledes.model import (
    Client,
    Contact,
    Invoice,
    LawFirm,
    LineItem,
    LineItemType,
    Location,
    Matter,
    Stated,
    StatedTimekeeper,
    StatedTotals,
)
from ledes.model.invoice import Day
from ledes.rules import field as field_rules
from ledes.rules import structure as structure_rules
from ledes.rules import xml as xml_rules

ROOT = "ledesxml"
_LINES = {"fee": table.FEE, "expense": table.EXPENSE}
_TKSUMS = ("tk_sum", "tksum")

# LEDES 2000's values: YYYYMMDD dates and HH:MM hours, no item numbers, addresses in address_info.
LEDES_2000 = Dialect(
    table.convert,
    frozenset({"client", "invoice", "matter", "tk_sum", "tksum", "fee", "expense", "address_info"}),
    item_numbers=False,
    address_elements=table.ADDRESS_ELEMENTS,
    address_wrapper="address_info",
)
_MATTER_FIGURES = figure_names(table.MATTER)
_FIGURE_ELEMENTS = frozenset(_MATTER_FIGURES.values())
_TKSUM_FIGURES = figure_names(table.TKSUM)


class _Group(list):
    """The children of one matter, when a ``matter`` element holds several: read like an element."""

    tag = "matter"

    def __init__(self, children: list, sourceline: int | None) -> None:
        super().__init__(children)
        self.sourceline = sourceline


def read_2000(stream, emit: Emit, path: str | None = None, *, max_bytes: int = MAX_BYTES) -> Iterator[Invoice]:
    """Stream the invoices of a LEDES 2000 document from a binary stream (or a text stream's buffer).

    A document over ``max_bytes`` is refused.
    """
    binary: BinaryIO = getattr(stream, "buffer", stream)
    repaired = RepairingReader(binary)
    opened = MatterOpenings(repaired, repaired.repairs)
    reader = Reader2000(emit, path, opened.claim(emit))
    elements = UntrustedStream(opened, ("invoice",), progress=PROGRESS, max_bytes=max_bytes)
    yield from stream_invoices(elements, reader, emit)
    opened.report(emit)  # the repairs no element claimed (outside any invoice, or on a line with no value)


class Reader2000:
    """Reads LEDES 2000 segments into the model, as ``stream_invoices`` hands them over.

    ``claim`` reports the repairs made as the document was read (``RepairingReader``,
    ``MatterOpenings``), each with the XPath of the value it repaired, as that value is read.
    """

    def __init__(self, emit: Emit, path: str | None, claim: Claim) -> None:
        self.emit = emit
        self.path = path
        self.value_reader = ValueReader(emit, LEDES_2000, claim=claim)
        self.root_name = ""
        self.firm_element: etree._Element | None = None
        self.firm: LawFirm | None = None
        self.firm_path = ""
        self.client_element: etree._Element | None = None
        self.client: Client | None = None
        self.client_path = ""
        self.counts = {"client": 0, "invoice": 0}
        self.reported_no_firm = False
        # XML has no line number: each invoice's lines are numbered from 1, as nearly every 1998B file numbers them.
        self.line_numbers = itertools.count(1)

    def check_root(self, root: etree._Element | None) -> bool:
        name = local(root) if root is not None else ""
        self.root_name = name
        if name == ROOT:
            return True
        self.emit(
            structure_rules.FORMAT_LINE,
            f"the root element <{name}> is not LEDES 2000's root <ledesxml>",
            line=root.sourceline if root is not None else None,
            xpath=f"/{name}",
        )
        return False

    def segment(self, element: etree._Element) -> None:
        """Nothing: a LEDES 2000 document is streamed invoice by invoice, and has no segment outside them to read."""

    # -- firm and client -------------------------------------------------------------

    def _law_firm(self, firm: etree._Element) -> LawFirm:
        if firm is not self.firm_element or self.firm is None:
            self.firm_element = firm
            self.firm_path = f"/{self.root_name}/firm"
            values = self.value_reader.values(firm, table.FIRM, self.firm_path)
            billing = _contact(values, "~billing.")
            values = {key: value for key, value in values.items() if key[0] not in "=~"}
            self.firm = LawFirm(**{"id": None, **values, "billing_contact": billing})
        return self.firm

    def _client(self, client: etree._Element) -> Client:
        if client is not self.client_element or self.client is None:
            self.client_element = client
            self.counts["client"] += 1
            self.counts["invoice"] = 0
            self.client_path = f"/{self.root_name}/client[{self.counts['client']}]"
            parent = client.getparent()
            if parent is not None and local(parent) == "firm":
                self.client_path = f"/{self.root_name}/firm/client[{self.counts['client']}]"
            values = self.value_reader.values(client, table.CLIENT, self.client_path)
            contact = _contact(values, "~contact.")
            values = {key: value for key, value in values.items() if key[0] != "~"}
            self.client = Client(**{"id": None, **values, "contact": contact})
        return self.client

    # -- invoice ---------------------------------------------------------------------

    def invoice(self, element: etree._Element) -> Invoice | None:
        client_element = element.getparent()
        firm_element = None
        if client_element is not None and local(client_element) == "client":
            # The firm holds its clients, or stands beside them under the root.
            parent = client_element.getparent()
            if parent is not None and local(parent) == "firm":
                firm_element = parent
            elif parent is not None:
                root = _root(client_element)
                firm_element = next((child for child in root if local(child) == "firm"), None)
        else:
            client_element = None
        if client_element is None or firm_element is None:
            # An <invoice> directly under the root (a <firm> renamed, say) has no client; a client
            # with no <firm> before it or around it has no law firm. Neither invoice can be read.
            where = f"/{self.root_name}/…/invoice"
            if client_element is None:
                self.emit(field_rules.REQUIRED, "<invoice> is not inside a <client>: LEDES 2000 puts each invoice in its client",
                          line=element.sourceline, xpath=where)
            elif not self.reported_no_firm:
                self.reported_no_firm = True
                self.emit(field_rules.REQUIRED, f"<{self.root_name}> has no <firm>: the invoices of its clients have no law firm",
                          line=element.sourceline, xpath=f"/{self.root_name}/firm")
            self.emit(xml_rules.UNMAPPED, "an <invoice> outside a client, or in a file without a firm, was not read",
                      line=element.sourceline, xpath=where)
            return None
        law_firm = self._law_firm(firm_element)
        client = self._client(client_element)
        self.counts["invoice"] += 1
        self.line_numbers = itertools.count(1)
        xpath = f"{self.client_path}/invoice[{self.counts['invoice']}]"
        values = self.value_reader.values(element, table.INVOICE, xpath)
        number = values.get("number")
        invoice_number = number if isinstance(number, str) else None
        discount = values.pop("~generic_discount", None)
        if discount is not None and discount != 0:
            self.value_reader.unmapped("invoice", f"{xpath}/inv_generic_discount", element.sourceline, invoice_number,
                                       f"inv_generic_discount {discount} has no place in ledes's model; it is not carried over")
        adjustment_date = values.get("billing_end") or values.get("date")
        matters = []
        count = 0
        for child in element:
            if local(child) != "matter":
                continue
            for group in self._split(child, invoice_number, f"{xpath}/matter[{count + 1}]"):
                count += 1
                matters.append(self._matter(group, f"{xpath}/matter[{count}]", adjustment_date, invoice_number))
        values.setdefault("number", None)
        values.setdefault("date", None)
        return Invoice(client=client, law_firm=law_firm, matters=tuple(matters),
                       location=Location(self.path, element.sourceline, None, xpath), taxes_by_rate=True, **values)

    def _split(self, matter: etree._Element, invoice_number: str | None, xpath: str) -> list[_Group]:
        """The matters a ``matter`` element holds: a new one at each repeated cl_matter_id / lf_matter_id."""
        groups: list[_Group] = []
        starts: list[str] = []  # the XPath of the element that begins each later matter
        current: list = []
        repeats: dict[str, int] = {}
        seen: set[str] = set()
        has_lines = False
        for child in matter:
            name = local(child)
            if name in table.MATTER_KEYS:
                repeats[name] = repeats.get(name, 0) + 1
            if name in table.MATTER_KEYS and (name in seen or has_lines):
                groups.append(_Group(current, current[0].sourceline if current else matter.sourceline))
                starts.append(f"{xpath}/{name}[{repeats[name]}]")
                current, seen, has_lines = [], set(), False
            if name in table.MATTER_KEYS:
                seen.add(name)
            elif name in ("fee", "expense", *_TKSUMS):
                has_lines = True
            current.append(child)
        groups.append(_Group(current, current[0].sourceline if current and groups else matter.sourceline))
        if len(groups) > 1:
            for group, start in zip(groups[1:], starts, strict=True):
                self.emit(
                    xml_rules.MERGED_MATTERS,
                    f"one <matter> element holds {len(groups)} matters; read as {len(groups)} matters,"
                    " split where a new cl_matter_id / lf_matter_id begins",
                    line=group.sourceline, xpath=start, invoice=invoice_number,
                    hint="write each matter in its own <matter> element",
                )
        return groups

    def _matter(self, group: _Group, xpath: str, adjustment_date: Day, invoice_number: str | None) -> Matter:
        values = self.value_reader.values(group, table.MATTER, xpath, invoice_number)
        managing = _contact(values, "~managing.")
        adjustments: dict[str, Any] = {key: values.pop(key) for key in ("~adjust_fees", "~adjust_expenses") if key in values}
        names: Names = {}
        keepers = []
        stated_names: list[StatedName] = []
        items: list[LineItem] = []
        counts: dict[str, int] = {}
        raw = []
        lines: dict[str, int] = {}  # the line of each summary figure
        for child in group:
            name = local(child)
            if name in _TKSUMS or name in _LINES:
                counts[name] = counts.get(name, 0) + 1
                child_path = f"{xpath}/{name}[{counts[name]}]"
                if name in _TKSUMS:
                    keeper = self.value_reader.values(child, table.TKSUM, child_path, invoice_number)
                    keepers.append(self._stated_timekeeper(child, child_path, keeper))
                    keeper_id = keeper.get("id")
                    if isinstance(keeper_id, str):
                        named = (keeper.get("last_name"), keeper.get("first_name"), keeper.get("classification"))
                        names.setdefault(keeper_id, named)
                        stated_names.append((keeper_id, child, child_path, named))
                else:
                    raw.append((name, child, child_path))
            elif name in _FIGURE_ELEMENTS and name not in lines:
                lines[name] = child.sourceline
        figures = stated_figures(values, _MATTER_FIGURES, lines, group.sourceline, xpath, self.path)
        for name, child, child_path in raw:
            items.append(self._line(name, child, child_path, names, invoice_number))
        if stated_names:
            report_unread_summaries(self.emit, stated_names, names, items, invoice_number, levels_on_lines=False)
        for key, line_type in (("~adjust_fees", LineItemType.FEE_ADJUSTMENT),
                               ("~adjust_expenses", LineItemType.EXPENSE_ADJUSTMENT)):
            reduction = adjustments.get(key)
            if reduction is None or reduction == 0:
                continue
            amount = -reduction if type(reduction) is Decimal else reduction
            items.append(LineItem(str(next(self.line_numbers)), line_type, adjustment_date, adjustment=amount,
                                  total=amount, location=Location(self.path, group.sourceline, None, xpath)))
        values.setdefault("law_firm_matter_id", None)
        stated = StatedTotals(figures, timekeepers=tuple(keepers)) if figures or keepers else None
        return Matter(line_items=tuple(items), location=Location(self.path, group.sourceline, None, xpath),
                      stated_totals=stated, **{**values, "managing_contact": managing})

    def _stated_timekeeper(self, element: etree._Element, xpath: str, values: dict[str, Any]) -> StatedTimekeeper:
        """A ``tk_sum`` as stated: whose fees at which rate give its ``tk_hours`` and ``tk_cost``."""
        keeper_id = values.get("id")
        lines = child_lines(element, _TKSUM_FIGURES.values())
        figures = stated_figures(values, _TKSUM_FIGURES, lines, element.sourceline, xpath, self.path)
        return StatedTimekeeper(keeper_id if isinstance(keeper_id, str) else None, values.get("~rate"), figures)

    def _line(self, name: str, element: etree._Element, xpath: str, names: Names, invoice_number: str | None) -> LineItem:
        values = self.value_reader.values(element, _LINES[name], xpath, invoice_number)
        keeper_id = values.pop("~timekeeper_id", None)
        base = values.pop("~base_amount", None)
        total = values.pop("~total", None)
        level = names.get(keeper_id, (None, None, None))[2] if isinstance(keeper_id, str) else None
        values["timekeeper"] = timekeeper(keeper_id, level, names) if keeper_id is not None else None
        values["type"] = LineItemType.FEE if name == "fee" else LineItemType.EXPENSE
        if type(base) is Decimal and type(total) is Decimal and total != base:
            values["adjustment"] = total - base  # a fee's discount or premium: total_amount less base_amount
        if base is not None:
            values["stated_base"] = Stated("base_amount", base,
                                           Location(self.path, element.sourceline, None, f"{xpath}/base_amount"))
        values.setdefault("date", None)
        return LineItem(number=str(next(self.line_numbers)), total=total,
                        location=Location(self.path, element.sourceline, None, xpath), **values)


def _root(element: etree._Element) -> etree._Element:
    """The root of the tree ``element`` is in."""
    node = element
    parent = node.getparent()
    while parent is not None:
        node, parent = parent, parent.getparent()
    return node


def _contact(values: dict[str, Any], prefix: str) -> Contact | None:
    """The flat contact fields of a segment (``~billing.last_name`` …) as one Contact, taken out of ``values``."""
    fields = {key[len(prefix):]: values.pop(key) for key in list(values) if key.startswith(prefix)}
    return Contact(**fields) if fields else None
