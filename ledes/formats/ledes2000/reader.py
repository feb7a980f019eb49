"""Reader for LEDES 2000: streams invoices into the model, tolerating and reporting what real 2000 files contain.

Built on the LEDES XML 2.x reader (same safe parsing, value conversion, reporting and
matter arithmetic), with LEDES 2000's shape: root ``ledesxml`` with its DOCTYPE (never
loaded), one ``firm`` and its ``client`` segments beside it or inside it (the DTD's
nesting is UNVERIFIED: both are read), ``address_info`` inside addresses, flat contact
fields, ``YYYYMMDD`` dates, ``acca_*`` codes, ``tk_sum`` with hours and cost, and matter
adjustments as ``matter_adj_on_fees`` / ``_exp`` (a reduction is positive), read as one
IF / IE line per matter. Quirks of real files are read and reported, never silently:
units written ``HH:MM`` (``field.hours-minutes``), several matters merged into one
``matter`` element, split at each new ``cl_matter_id`` / ``lf_matter_id``
(``xml.merged-matters``), Windows code-page bytes under a UTF-8 declaration
(``xml.encoding``) and unescaped ``<``, ``>`` or ``&`` in text (``xml.unescaped``).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import BinaryIO

from lxml import etree

from ledes.diagnostics import Emit
from ledes.formats.ledes2000 import table
from ledes.formats.ledes2000.repair import RepairingReader
from ledes.formats.ledesxml.reader import MATTER_TOTALS, _local, _Reader, stream_invoices
from ledes.money import to_cents
from ledes.formats.xmlsafe import UntrustedStream
from ledes.model import Address, Client, Contact, Invoice, LawFirm, LineItem, LineItemType, Location, Matter

MERGED_MATTERS = "xml.merged-matters"
ROOT = "ledesxml"
_LINES = {"fee": table.FEE, "expense": table.EXPENSE}
_SEGMENTS = frozenset({"client", "invoice", "matter", "tk_sum", "tksum", "fee", "expense", "address_info"})


class _Group(list):
    """The children of one matter, when a ``matter`` element holds several: read like an element."""

    tag = "matter"

    def __init__(self, children: list, sourceline: int | None) -> None:
        super().__init__(children)
        self.sourceline = sourceline


def read_2000(stream, emit: Emit, path: str | None = None) -> Iterator[Invoice]:
    """Stream the invoices of a LEDES 2000 document from a binary stream (or a text stream's buffer)."""
    binary: BinaryIO = getattr(stream, "buffer", stream)
    repaired = RepairingReader(binary)
    reader = _Reader2000(emit, path, repaired.repairs)
    yield from stream_invoices(UntrustedStream(repaired, ("invoice",)), reader, emit)
    reader.report_repairs()


class _Reader2000(_Reader):
    known_children = _SEGMENTS
    item_numbers = False
    convert = staticmethod(table.convert)

    def __init__(self, emit: Emit, path: str | None, repairs: dict[int, tuple[str, str]]) -> None:
        super().__init__(emit, path)
        self.repairs = repairs
        self.reported_no_firm = False

    def check_root(self, root: etree._Element | None) -> bool:
        name = _local(root) if root is not None else ""
        self.root_name = name
        if name == ROOT:
            return True
        self.emit(
            "structure.format-line",
            f"the root element <{name}> is not LEDES 2000's root <ledesxml>",
            line=root.sourceline if root is not None else None,
            xpath=f"/{name}",
        )
        return False

    def report_repairs(self) -> None:
        """Report the repairs no element claimed (outside any invoice, or on a line with no value)."""
        for line, (rule, message) in sorted(self.repairs.items()):
            self.emit(rule, message, line=line)
        self.repairs.clear()

    def _claim_repairs(self, element, xpath: str, invoice_number) -> None:
        """Report the repairs made on the lines of ``element``'s values, with their XPath."""
        if not self.repairs:
            return
        for child in element:
            line = getattr(child, "sourceline", None)
            if line in self.repairs and isinstance(child.tag, str):
                rule, message = self.repairs.pop(line)
                self.emit(rule, message, line=line, xpath=f"{xpath}/{_local(child)}", invoice=invoice_number)

    def _values(self, element, elements, xpath: str, invoice_number: str | None = None) -> dict:
        self._claim_repairs(element, xpath, invoice_number)
        return super()._values(element, elements, xpath, invoice_number)

    # -- firm and client -------------------------------------------------------------

    def _law_firm(self, firm: etree._Element) -> LawFirm:
        if firm is not self.firm_element:
            self.firm_element = firm
            self.firm_path = f"/{self.root_name}/firm"
            values = self._values(firm, table.FIRM, self.firm_path)
            billing = _contact(values, "~billing.")
            values = {key: value for key, value in values.items() if key[0] not in "=~"}
            self.firm = LawFirm(**{"id": None, **values, "billing_contact": billing})
        assert self.firm is not None
        return self.firm

    def _client(self, client: etree._Element) -> Client:
        if client is not self.client_element:
            self.client_element = client
            self.counts["client"] += 1
            self.counts["invoice"] = 0
            self.client_path = f"/{self.root_name}/client[{self.counts['client']}]"
            if _local(client.getparent()) == "firm":
                self.client_path = f"/{self.root_name}/firm/client[{self.counts['client']}]"
            values = self._values(client, table.CLIENT, self.client_path)
            contact = _contact(values, "~contact.")
            values = {key: value for key, value in values.items() if key[0] != "~"}
            self.client = Client(**{"id": None, **values, "contact": contact})
        assert self.client is not None
        return self.client

    def _structure(self, element, kind: str, xpath: str, invoice_number) -> Address | Contact | None:
        """An address: its ``address_info`` (or, tolerated, the address fields directly inside it)."""
        info = next((child for child in element if _local(child) == "address_info"), None)
        values = self._values(info if info is not None else element, table.ADDRESS_ELEMENTS,
                              f"{xpath}/address_info" if info is not None else xpath, invoice_number)
        return Address(**values) if values else None

    # -- invoice ---------------------------------------------------------------------

    def invoice(self, element: etree._Element) -> Invoice | None:
        client_element = element.getparent()
        firm_element = None
        in_client = client_element is not None and _local(client_element) == "client"
        if in_client:
            # The firm holds its clients, or stands beside them under the root.
            parent = client_element.getparent()
            if parent is not None and _local(parent) == "firm":
                firm_element = parent
            elif parent is not None:
                root = self.firm_root(client_element)
                firm_element = next((child for child in root if _local(child) == "firm"), None) if root is not None else None
        if firm_element is None:
            # An <invoice> directly under the root (a <firm> renamed, say) has no client; a client
            # with no <firm> before it or around it has no law firm. Neither invoice can be read.
            where = f"/{self.root_name}/…/invoice"
            if not in_client:
                self.emit("field.required", "<invoice> is not inside a <client>: LEDES 2000 puts each invoice in its client",
                          line=element.sourceline, xpath=where)
            elif not self.reported_no_firm:
                self.reported_no_firm = True
                self.emit("field.required", f"<{self.root_name}> has no <firm>: the invoices of its clients have no law firm",
                          line=element.sourceline, xpath=f"/{self.root_name}/firm")
            self.emit("xml.unmapped", "an <invoice> outside a client, or in a file without a firm, was not read",
                      line=element.sourceline, xpath=where)
            return None
        law_firm = self._law_firm(firm_element)
        client = self._client(client_element)
        self.counts["invoice"] += 1
        xpath = f"{self.client_path}/invoice[{self.counts['invoice']}]"
        values = self._values(element, table.INVOICE, xpath)
        number = values.get("number")
        invoice_number = number if isinstance(number, str) else None
        discount = values.pop("~generic_discount", None)
        if discount is not None and discount != 0:
            self._unmapped("invoice", f"{xpath}/inv_generic_discount", element.sourceline, invoice_number,
                           f"inv_generic_discount {discount} has no place in ledes's model; it is not carried over")
        adjustment_date = values.get("billing_end") or values.get("date")
        matters = []
        count = 0
        for child in element:
            if _local(child) != "matter":
                continue
            groups = self._split(child, invoice_number, f"{xpath}/matter[{count + 1}]")
            for group in groups:
                count += 1
                matters.append(self._matter(group, f"{xpath}/matter[{count}]", adjustment_date, invoice_number))
        values.setdefault("number", None)
        values.setdefault("date", None)
        return Invoice(client=client, law_firm=law_firm, matters=tuple(matters),
                       location=Location(self.path, element.sourceline, None, xpath), **values)

    def firm_root(self, client_element) -> etree._Element | None:
        node = client_element
        while node is not None and node.getparent() is not None:
            node = node.getparent()
        return node

    def _split(self, matter: etree._Element, invoice_number, xpath: str) -> list[_Group]:
        """The matters a ``matter`` element holds: a new one at each repeated cl_matter_id / lf_matter_id."""
        groups: list[_Group] = []
        starts: list[str] = []  # the XPath of the element that begins each later matter
        current: list = []
        repeats: dict[str, int] = {}
        seen: set[str] = set()
        has_lines = False
        for child in matter:
            name = _local(child)
            if name in table.MATTER_KEYS:
                repeats[name] = repeats.get(name, 0) + 1
            if name in table.MATTER_KEYS and (name in seen or has_lines):
                groups.append(_Group(current, current[0].sourceline if current else matter.sourceline))
                starts.append(f"{xpath}/{name}[{repeats[name]}]")
                current, seen, has_lines = [], set(), False
            if name in table.MATTER_KEYS:
                seen.add(name)
            elif name in ("fee", "expense", "tk_sum", "tksum"):
                has_lines = True
            current.append(child)
        groups.append(_Group(current, current[0].sourceline if current and groups else matter.sourceline))
        if len(groups) > 1:
            for group, start in zip(groups[1:], starts, strict=True):
                self.emit(
                    MERGED_MATTERS,
                    f"one <matter> element holds {len(groups)} matters; read as {len(groups)} matters,"
                    " split where a new cl_matter_id / lf_matter_id begins",
                    line=group.sourceline, xpath=start, invoice=invoice_number,
                    hint="write each matter in its own <matter> element",
                )
        return groups

    def _matter(self, group: _Group, xpath: str, adjustment_date, invoice_number) -> Matter:
        values = self._values(group, table.MATTER, xpath, invoice_number)
        stated = {key[1:]: values.pop(key) for key in list(values) if key[0] == "="}
        managing = _contact(values, "~managing.")
        adjustments = {key: values.pop(key) for key in ("~adjust_fees", "~adjust_expenses") if key in values}
        names: dict[str, tuple] = {}
        summaries = []
        items: list[LineItem] = []
        counts: dict[str, int] = {}
        raw = []
        for child in group:
            name = _local(child)
            if name in ("tk_sum", "tksum", "fee", "expense"):
                counts[name] = counts.get(name, 0) + 1
                child_path = f"{xpath}/{name}[{counts[name]}]"
                if name in ("tk_sum", "tksum"):
                    keeper = self._values(child, table.TKSUM, child_path, invoice_number)
                    summaries.append((child, child_path, keeper))
                    keeper_id = keeper.get("id")
                    if isinstance(keeper_id, str) and keeper_id not in names:
                        names[keeper_id] = (keeper.get("last_name"), keeper.get("first_name"), keeper.get("classification"))
                else:
                    raw.append((name, child, child_path))
        for name, child, child_path in raw:
            items.append(self._line(name, child, child_path, names, invoice_number))
        for key, line_type in (("~adjust_fees", LineItemType.FEE_ADJUSTMENT),
                               ("~adjust_expenses", LineItemType.EXPENSE_ADJUSTMENT)):
            reduction = adjustments.get(key)
            if reduction is None or reduction == 0:
                continue
            amount = -reduction if type(reduction) is Decimal else reduction
            items.append(LineItem(str(next(self.line_numbers)), line_type, adjustment_date, adjustment=amount,
                                  total=amount, location=Location(self.path, group.sourceline, None, xpath)))
        values.setdefault("law_firm_matter_id", None)
        matter = Matter(line_items=tuple(items), location=Location(self.path, group.sourceline, None, xpath),
                        **{**values, "managing_contact": managing})
        self._check_totals(matter, group, xpath, stated, [], [(item, []) for item in items], invoice_number)
        self._check_summaries(matter, summaries, invoice_number)
        return matter

    def _line(self, name: str, element, xpath: str, names: dict, invoice_number) -> LineItem:
        values = self._values(element, _LINES[name], xpath, invoice_number)
        keeper_id = values.pop("~timekeeper_id", None)
        base = values.pop("~base_amount", None)
        total = values.pop("~total", None)
        level = names.get(keeper_id, (None, None, None))[2] if isinstance(keeper_id, str) else None
        values["timekeeper"] = self._timekeeper(keeper_id, level, names) if keeper_id is not None else None
        values["type"] = LineItemType.FEE if name == "fee" else LineItemType.EXPENSE
        if type(base) is Decimal and type(total) is Decimal and total != base:
            values["adjustment"] = total - base  # a fee's discount or premium: total_amount less base_amount
        self._check_base(values, base, element, xpath, invoice_number)
        values.setdefault("date", None)
        return LineItem(number=str(next(self.line_numbers)), total=total,
                        location=Location(self.path, element.sourceline, None, xpath), **values)

    def _check_summaries(self, matter: Matter, summaries: list, invoice_number) -> None:
        """tk_hours and tk_cost of each tk_sum: the hours of that timekeeper's fees at that level and rate, times the rate."""
        for element, xpath, values in summaries:
            keeper_id, rate = values.get("id"), values.get("~rate")
            fees = [
                item for item in matter.line_items
                if item.type is LineItemType.FEE and item.timekeeper is not None and item.timekeeper.id == keeper_id
                and (type(rate) is not Decimal or item.unit_cost == rate)
            ]
            units = [item.units for item in fees]
            if not all(type(unit) is Decimal for unit in units):
                continue
            hours = sum(units, Decimal(0))
            figures = {"hours": hours, "cost": hours * rate if type(rate) is Decimal else None}
            for key, name in (("hours", "tk_hours"), ("cost", "tk_cost")):
                stated, computed = values.get(f"={key}"), figures[key]
                if type(stated) is Decimal and type(computed) is Decimal and to_cents(stated) != to_cents(computed):
                    line = next((child.sourceline for child in element if _local(child) == name), element.sourceline)
                    self.emit(MATTER_TOTALS, f"{name} is {stated} but the timekeeper's fees give {to_cents(computed)}",
                              line=line, xpath=f"{xpath}/{name}", invoice=invoice_number,
                              amount=abs(stated - computed))


def _contact(values: dict, prefix: str) -> Contact | None:
    """The flat contact fields of a segment (``~billing.last_name`` …) as one Contact, taken out of ``values``."""
    fields = {key[len(prefix):]: values.pop(key) for key in list(values) if key.startswith(prefix)}
    return Contact(**fields) if fields else None

