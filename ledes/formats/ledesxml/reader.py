"""Reader for LEDES XML 2.1 and 2.2: streams invoices into the model, reporting problems with line and XPath.

The document is parsed safely (``xmlsafe``) and invoice by invoice: each ``invoice``
element is read with its client and firm, then removed from the tree, so memory stays
bounded. Values are converted by the element tables; one that does not convert is kept
as ``Unparsed`` and reported. Fees, expenses and matter discounts or credits become line
items in document order, numbered from 1 through the file (XML has no line number).
A line's tax is derived from the tax its ``tx_id`` refers to: taxable amount
(``total_amount``) × rate, to the cent; the model's line total includes it. The matter
summary figures are compared with the lines (``arithmetic.matter-totals``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, BinaryIO

from lxml import etree

from ledes.diagnostics import Emit
from ledes.formats.ledesxml import table
from ledes.formats.ledesxml.table import ADDRESS, AMOUNT, CONTACT, TEXT, Element, convert, render
from ledes.formats.xmlsafe import UntrustedStream
from ledes.model import (
    Address,
    Client,
    Contact,
    Invoice,
    LawFirm,
    LineItem,
    LineItemType,
    Location,
    Matter,
    Timekeeper,
    Unparsed,
)
from ledes.money import to_cents
from ledes.totals import EXPENSE_TYPES, FEE_TYPES, line_tax, matter_totals, pre_tax_total

if TYPE_CHECKING:
    from ledes.formats.ledesxml.writer import XmlVersion

MATTER_TOTALS = "arithmetic.matter-totals"
UNMAPPED = "xml.unmapped"
TAX_REFERENCE = "xml.tax-reference"
ITEM_NUMBER = "xml.item-number"
ROOTS = {"ledesxmlebilling2.1": "LEDES XML 2.1", "ledesxmlebilling2.2": "LEDES XML 2.2"}

_CHILD = Element(("",), "")
_ITEM_NUMBER = Element(("file_item_nbr",), "")
_BITMAP_LIMIT = 1 << 26  # item numbers below this are remembered in a bitmap (8 MiB at most); others in a set


class _Index:
    """An element table indexed for reading: by name, by full tag (filled as tags are met), its required elements."""

    def __init__(self, elements: tuple[Element, ...]) -> None:
        self.elements = elements  # kept so that the id() it is cached under stays this table's
        self.by_name = {name: element for element in elements for name in element.names}
        # full tag (namespace included) -> element spec, or _CHILD / _ITEM_NUMBER
        self.by_tag: dict[str, Element] = {}
        self.required = [element for element in elements if element.required]


_INDEXES: dict[int, _Index] = {}


def _index(elements: tuple[Element, ...]) -> _Index:
    found = _INDEXES.get(id(elements))
    if found is None:
        found = _INDEXES[id(elements)] = _Index(elements)
    return found

# Each line segment's table in ``table.Segments``.
_LINE_SEGMENTS = {"fee": "fee", "expense": "expense", "matter_disc_cred": "disc_cred"}
_TAX_ITEMS = frozenset(name for names in table.TAX_ITEM_NAMES.values() for name in names)
_TAX_ITEM_TAGS = tuple(f"{{*}}{name}" for name in sorted(_TAX_ITEMS))
_CATEGORIES = {"fee": LineItemType.FEE_ADJUSTMENT, "exp": LineItemType.EXPENSE_ADJUSTMENT,
               "expense": LineItemType.EXPENSE_ADJUSTMENT}
_TIERS = ("tax_tier_detail", "tax_tier_summary", "tax_tier_sum")
_CHILD_SEGMENTS = frozenset({"client", "tax", "invoice", "matter", "tax_tier_detail", "tax_tier_summary", "tax_tier_sum"})
_KNOWN_CHILDREN = (
    _CHILD_SEGMENTS | table.STRUCTURAL | frozenset(_LINE_SEGMENTS) | frozenset(table.TKSUM_NAMES)
    | frozenset(table.TAX_SUMMARY_NAMES) | _TAX_ITEMS
)


def _figures(elements: tuple[Element, ...]) -> dict[str, str]:
    """The summary figures of a segment that the reader checks: computed value -> element name."""
    return {element.target[1:]: element.name for element in elements if element.target.startswith("=")}


def _tax_figures(items: list[LineItem], rate: Decimal) -> dict[str, Decimal]:
    """What a tax summary should state for one tax: the taxable fees and expenses under it, and that tax on each.

    The tax is computed per line at this tax's rate, so a line that carries several taxes
    counts under each with its own share.
    """
    figures: dict[str, Decimal] = {}
    for suffix, types in (("fees", FEE_TYPES), ("expenses", EXPENSE_TYPES)):
        amounts = [pre_tax_total(item) for item in items if item.type in types]
        if amounts and all(type(amount) is Decimal for amount in amounts):
            figures[f"taxable_{suffix}"] = sum(amounts, Decimal(0))  # type: ignore[arg-type]
            figures[f"tax_{suffix}"] = sum((line_tax(amount, rate) for amount in amounts), Decimal(0))  # type: ignore[arg-type]
    return figures


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""


def read_xml(stream, emit: Emit, path: str | None = None, version: XmlVersion | None = None) -> Iterator[Invoice]:
    """Stream the invoices of a LEDES XML 2.x document from a binary stream (or a text stream's buffer).

    A 2.1 or 2.2 root is read with the 2.1 / 2.2 tables; ``version`` (the format reading)
    adds its own root, read with its own tables.
    """
    binary: BinaryIO = getattr(stream, "buffer", stream)
    reader = _Reader(emit, path, version)
    yield from stream_invoices(UntrustedStream(binary, ("invoice", "tax", *_TIERS)), reader, emit)


def stream_invoices(elements: UntrustedStream, reader: _Reader, emit: Emit) -> Iterator[Invoice]:
    """The invoices ``reader`` makes of the elements of an untrusted document, each removed from the tree once read."""
    checked_root = False
    for element in elements:
        if not checked_root:
            checked_root = True
            if not reader.check_root(elements.root):
                break
        name = _local(element)
        if name == "tax":
            reader.define_tax(element)
        elif name in _TIERS:
            reader.tier(element)
        else:
            parent = element.getparent()
            invoice = reader.invoice(element)
            if parent is not None:
                parent.remove(element)
            if invoice is not None:
                yield invoice
    if not checked_root and elements.root is not None:
        reader.check_root(elements.root)
    for problem in elements.problems:
        problem.report(emit)


class _Reader:
    """Reads LEDES XML 2.x segments into the model; LEDES 2000's reader builds on it."""

    known_children = _KNOWN_CHILDREN
    item_numbers = True  # whether file_item_nbr is checked (LEDES 2000 has none)
    convert = staticmethod(convert)

    def __init__(self, emit: Emit, path: str | None, version: XmlVersion | None = None) -> None:
        self.emit = emit
        self.path = path
        self.root_name = ""
        self.version = version
        self._use(table.SEGMENTS)
        self.taxes: dict[str, tuple[object, str | None, int | None]] = {}
        self.firm_element: etree._Element | None = None
        self.firm: LawFirm | None = None
        self.firm_path = ""
        self.client_element: etree._Element | None = None
        self.client: Client | None = None
        self.client_path = ""
        self.counts = {"firm": 0, "client": 0, "invoice": 0}
        self.unmapped: set[tuple[str, str]] = set()
        self.rateless: set[str] = set()  # taxes without a rate, reported once each
        self.item_bitmap = bytearray()
        self.large_item_numbers: set[int | str] = set()
        self.converted: dict[tuple[str, str], tuple[object, tuple[str, str] | None]] = {}
        # XML has no line number: lines are numbered through the file, as the LOC's 1998B sample numbers them.
        self.line_numbers = itertools.count(1)

    # -- document ------------------------------------------------------------------

    def check_root(self, root: etree._Element | None) -> bool:
        name = _local(root) if root is not None else ""
        self.root_name = name
        own = self.version.root if self.version is not None else None
        if name == own:
            self._use(self.version.segments)  # type: ignore[union-attr]
            return True
        if name in ROOTS:
            return True
        roots = [*ROOTS, *([own] if own is not None and own not in ROOTS else [])]
        versions = [root_name.removeprefix("ledesxmlebilling") for root_name in roots]
        self.emit(
            "structure.format-line",
            f"the root element <{name}> is not a LEDES XML {', '.join(versions[:-1])} or {versions[-1]} root"
            f" ({', '.join(roots)})",
            line=root.sourceline if root is not None else None,
            xpath=f"/{name}",
        )
        return False

    def _use(self, segments: table.Segments) -> None:
        """Read with the element tables ``segments`` (a version's, from its root)."""
        self.segments = segments
        self.matter_figures = _figures(segments.matter)
        self.tax_figures = _figures(segments.tax_summary)

    def define_tax(self, element: etree._Element) -> None:
        parent = element.getparent()
        if parent is not None and _local(parent) == "firm":
            self._law_firm(parent)
            base = self.firm_path
        else:
            base = f"/{self.root_name}"
        self.counts[base] = self.counts.get(base, 0) + 1
        xpath = f"{base}/tax[{self.counts[base]}]"
        values = self._values(element, self.segments.tax, xpath)
        tax_id = values.get("id")
        if str(values.get("tiers", "")).strip().upper() == "Y":
            tiers = next(element.iterchildren("{*}tax_tiers"), element)
            self._unmapped("tax", f"{xpath}/tax_tiers", tiers.sourceline, None,
                           f"tax '{tax_id}' is tiered; ledes reads its tax_rate_percent only, not its tiers")
        if isinstance(tax_id, str):
            self.taxes[tax_id] = (values.get("rate"), values.get("type"), element.sourceline)

    def tier(self, element: etree._Element) -> None:
        name = _local(element)
        parent = element.getparent()
        if parent is not None and _local(parent) == "firm":
            self._law_firm(parent)
            base = self.firm_path
        elif parent is not None and _local(parent) == "invoice":
            base = f"{self.client_path}/invoice[{self.counts['invoice'] + 1}]"
        else:
            base = f"/{self.root_name}"
        key = f"{base}/{name}"
        self.counts[key] = self.counts.get(key, 0) + 1
        self._unmapped(name, f"{key}[{self.counts[key]}]", element.sourceline, None,
                       f"<{name}> (a tiered tax) is not read: ledes holds one tax rate per line")

    # -- firm and client -------------------------------------------------------------

    def _law_firm(self, firm: etree._Element) -> LawFirm:
        if firm is not self.firm_element:
            self.firm_element = firm
            self.counts["firm"] += 1
            self.counts["client"] = 0
            self.firm_path = f"/{self.root_name}/firm[{self.counts['firm']}]"
            values = self._values(firm, self.segments.firm, self.firm_path)
            values = {key: value for key, value in values.items() if key[0] not in "=~"}
            self.firm = LawFirm(**{"id": None, **values})
        assert self.firm is not None
        return self.firm

    def _client(self, client: etree._Element) -> Client:
        if client is not self.client_element:
            self.client_element = client
            self.counts["client"] += 1
            self.counts["invoice"] = 0
            self.client_path = f"{self.firm_path}/client[{self.counts['client']}]"
            self.client = Client(**{"id": None, **self._values(client, self.segments.client, self.client_path)})
        assert self.client is not None
        return self.client

    # -- invoice ---------------------------------------------------------------------

    def invoice(self, element: etree._Element) -> Invoice | None:
        client_element = element.getparent()
        firm_element = client_element.getparent() if client_element is not None else None
        if firm_element is None or _local(client_element) != "client" or _local(firm_element) != "firm":
            where = f"/{self.root_name}/…/invoice"
            self.emit(UNMAPPED, "an <invoice> outside firm/client was not read", line=element.sourceline, xpath=where)
            return None
        law_firm = self._law_firm(firm_element)
        client = self._client(client_element)
        self.counts["invoice"] += 1
        xpath = f"{self.client_path}/invoice[{self.counts['invoice']}]"
        values = self._values(element, self.segments.invoice, xpath)
        number = values.get("number")
        invoice_number = number if isinstance(number, str) else None
        line_numbers = self.line_numbers
        # A discount or credit has no date in XML: it is dated the end of the billing period (else the invoice date).
        adjustment_date = values.get("billing_end") or values.get("date")
        matters = []
        matter_count = 0
        for child in element:
            if _local(child) == "matter":
                matter_count += 1
                matters.append(
                    self._matter(child, f"{xpath}/matter[{matter_count}]", adjustment_date, line_numbers, invoice_number)
                )
        values.setdefault("number", None)
        values.setdefault("date", None)
        return Invoice(
            client=client,
            law_firm=law_firm,
            matters=tuple(matters),
            location=Location(self.path, element.sourceline, None, xpath),
            **values,
        )

    def _matter(self, element, xpath: str, adjustment_date, line_numbers, invoice_number: str | None) -> Matter:
        values = self._values(element, self.segments.matter, xpath, invoice_number)
        stated = {key[1:]: values.pop(key) for key in list(values) if key[0] == "="}
        names: dict[str, tuple[str | None, str | None, str | None]] = {}
        raw_items = []
        stated_taxes = []
        counts: dict[str, int] = {}
        for child in element:
            name = _local(child)
            if name in _LINE_SEGMENTS or name in table.TKSUM_NAMES or name in table.TAX_SUMMARY_NAMES:
                counts[name] = counts.get(name, 0) + 1
                child_path = f"{xpath}/{name}[{counts[name]}]"
                if name in table.TKSUM_NAMES:
                    keeper = self._values(child, self.segments.tksum, child_path, invoice_number)
                    keeper_id = keeper.get("id")
                    if isinstance(keeper_id, str) and keeper_id not in names:
                        names[keeper_id] = (keeper.get("last_name"), keeper.get("first_name"), keeper.get("classification"))
                elif name in table.TAX_SUMMARY_NAMES:
                    stated_taxes.append((child, child_path, self._values(child, self.segments.tax_summary, child_path,
                                                                         invoice_number)))
                else:
                    raw_items.append((name, child, child_path))
        read = [
            self._line_item(name, child, child_path, names, adjustment_date, str(next(line_numbers)), invoice_number)
            for name, child, child_path in raw_items
        ]
        values.setdefault("law_firm_matter_id", None)
        items = tuple(item for item, _ in read)
        matter = Matter(line_items=items, location=Location(self.path, element.sourceline, None, xpath), **values)
        self._check_totals(matter, element, xpath, stated, stated_taxes, read, invoice_number)
        return matter

    def _line_item(self, name, element, xpath, names, adjustment_date, number, invoice_number) -> tuple[LineItem, list]:
        """A fee, expense or discount as a line item, and the ids of the taxes it refers to."""
        values = self._values(element, getattr(self.segments, _LINE_SEGMENTS[name]), xpath, invoice_number)
        tax_ids = []
        tax_counts: dict[str, int] = {}
        for child in element.iterchildren(*_TAX_ITEM_TAGS):
            tag = _local(child)
            if tag in _TAX_ITEMS:
                tax_counts[tag] = tax_counts.get(tag, 0) + 1
                for tax_id in child:
                    if _local(tax_id) == "file_item_nbr":
                        self._item_number(tax_id, f"{xpath}/{tag}[{tax_counts[tag]}]", invoice_number)
                    if _local(tax_id) == "tx_id":
                        where = f"{xpath}/{tag}[{tax_counts[tag]}]/tx_id"
                        tax_ids.append((self._text(tax_id, where, invoice_number), tax_id.sourceline, where))
        location = Location(self.path, element.sourceline, None, xpath)
        if name == "matter_disc_cred":
            category = values.pop("~category", None)
            values.pop("~direction", None)
            amount = values.pop("~amount", None)
            line_type = _CATEGORIES.get(str(category).strip().lower()) if category is not None else None
            if line_type is None:
                line_type = LineItemType.FEE_ADJUSTMENT
                self.emit(
                    "field.line-type",
                    f"disc_cred_category is {category!r}; expected Fee or Exp (read as a fee adjustment)",
                    line=element.sourceline, xpath=f"{xpath}/disc_cred_category", invoice=invoice_number,
                )
            values.update(type=line_type, date=adjustment_date, adjustment=amount)
            pre_tax = amount
        else:
            line_type = LineItemType.FEE if name == "fee" else LineItemType.EXPENSE
            keeper_id = values.pop("~timekeeper_id", None)
            level = values.pop("~classification", None)
            stated_base = values.pop("=base_amount", None)
            pre_tax = values.pop("~total", None)
            values["type"] = line_type
            values["timekeeper"] = self._timekeeper(keeper_id, level, names)
            self._check_base(values, stated_base, element, xpath, invoice_number)
        total = pre_tax
        if tax_ids:
            rate, tax_type, tax = self._tax(tax_ids, pre_tax, xpath, invoice_number)
            values.update(tax_rate=rate, tax_type=tax_type, tax_total=tax)
            if type(pre_tax) is Decimal and type(tax) is Decimal:
                total = pre_tax + tax
            elif type(pre_tax) is Decimal:
                total = Unparsed(render(AMOUNT, pre_tax))  # before a tax that cannot be computed: not the line's total
        values.setdefault("date", None)
        item = LineItem(number=number, total=total, location=location, **values)
        return item, [tax_id for tax_id, _, _ in tax_ids]

    def _timekeeper(self, keeper_id, level, names) -> Timekeeper | None:
        if keeper_id is None and level is None:
            return None
        last, first, summary_level = names.get(keeper_id, (None, None, None)) if isinstance(keeper_id, str) else (None, None, None)
        name = f"{last}, {first}" if last is not None and first is not None else last if last is not None else first
        return Timekeeper(keeper_id if isinstance(keeper_id, str) else None, name, level if level is not None else summary_level, last, first)

    def _tax(self, tax_ids, taxable, xpath: str, invoice_number) -> tuple[object, str | None, object]:
        """The rate, type and amount of a line's tax: the sum of the taxes it refers to."""
        rates, types = [], []
        for tax_id, line, tax_xpath in tax_ids:
            definition = self.taxes.get(tax_id)
            if definition is None:
                self.emit(
                    TAX_REFERENCE,
                    f"tx_id '{tax_id}' is not defined by a tax segment before it is used",
                    line=line, xpath=tax_xpath, invoice=invoice_number,
                    hint="define each tax in a <tax> segment of the firm, before its clients",
                )
                return Unparsed(str(tax_id)), None, Unparsed("")
            if type(definition[0]) is not Decimal and tax_id not in self.rateless:
                self.rateless.add(tax_id)
                self.emit(
                    TAX_REFERENCE,
                    f"tx_id '{tax_id}' names a tax without a usable tax_rate_percent, so its lines' tax cannot be computed",
                    line=line, xpath=tax_xpath, invoice=invoice_number,
                )
            rates.append(definition[0])
            if definition[1] is not None:
                types.append(definition[1])
        if len(tax_ids) > 1:
            self._unmapped("tax", tax_ids[1][2], tax_ids[1][1], invoice_number,
                           f"the line refers to {len(tax_ids)} taxes; ledes holds one rate per line (their sum)")
        if not all(type(rate) is Decimal for rate in rates):
            return next(rate for rate in rates if type(rate) is not Decimal), "/".join(types) or None, Unparsed("")
        rate = sum(rates, Decimal(0))
        if type(taxable) is not Decimal:
            return rate, "/".join(types) or None, Unparsed("")
        return rate, "/".join(types) or None, sum((line_tax(taxable, part) for part in rates), Decimal(0))

    # -- checks --------------------------------------------------------------------

    def _check_base(self, values, stated_base, element, xpath: str, invoice_number) -> None:
        units, rate = values.get("units"), values.get("unit_cost")
        if type(stated_base) is Decimal and type(units) is Decimal and type(rate) is Decimal:
            computed = units * rate
            if to_cents(stated_base) != to_cents(computed):
                self.emit(
                    "arithmetic.line-total",
                    f"base_amount is {stated_base} but units × rate = {units} × {rate} = {computed}",
                    line=element.sourceline, xpath=f"{xpath}/base_amount", invoice=invoice_number,
                    amount=abs(stated_base - computed),
                )

    def _check_totals(self, matter: Matter, element, xpath: str, stated: dict, stated_taxes: list, read: list,
                      invoice_number) -> None:
        computed = matter_totals(matter)
        for key, value in stated.items():
            self._compare(key, value, computed.get(key), self.matter_figures[key], element, xpath, invoice_number)
        if any(tax_id not in self.taxes for _, tax_ids in read for tax_id in tax_ids):
            return  # a line under an unknown tax (reported where it is used) cannot be placed under any summary
        for child, child_path, values in stated_taxes:
            tax_id = values.get("id")
            definition = self.taxes.get(tax_id) if isinstance(tax_id, str) else None
            if definition is None or type(definition[0]) is not Decimal:
                continue  # an unknown tax: reported where it is used
            items = [item for item, tax_ids in read if tax_id in tax_ids]
            figures = _tax_figures(items, definition[0])
            for key, name in self.tax_figures.items():
                if f"={key}" in values:
                    self._compare(key, values[f"={key}"], figures.get(key), name, child, child_path, invoice_number)

    def _compare(self, key, stated, computed, name, element, xpath, invoice_number) -> None:
        if type(stated) is not Decimal or type(computed) is not Decimal:
            return
        if to_cents(stated) == to_cents(computed):
            return
        line = element.sourceline
        for child in element:
            if _local(child) == name:
                line = child.sourceline
                break
        self.emit(
            MATTER_TOTALS,
            f"{name} is {stated} but the matter's lines give {to_cents(computed)}",
            line=line, xpath=f"{xpath}/{name}", invoice=invoice_number, amount=abs(stated - computed),
        )

    # -- values --------------------------------------------------------------------

    def _values(self, element, elements: tuple[Element, ...], xpath: str, invoice_number: str | None = None) -> dict:
        """The values of a segment's own elements, by target; problems reported.

        The hot loop of the reader: element names are looked up by their full tag
        (namespace included) and dates and amounts converted once per distinct text.
        """
        index = _index(elements)
        by_tag = index.by_tag
        converted = self.converted
        convert = self.convert
        values: dict[str, object] = {}
        for child in element:
            tag = child.tag
            spec = by_tag.get(tag)
            if spec is None:
                if not isinstance(tag, str):
                    continue  # a comment
                name = tag[tag.rfind("}") + 1 :]
                spec = index.by_name.get(name)
                if spec is None:
                    if name == "file_item_nbr" and self.item_numbers:
                        by_tag[tag] = _ITEM_NUMBER
                        self._item_number(child, xpath, invoice_number)
                    elif name in self.known_children:
                        by_tag[tag] = _CHILD
                    else:
                        self._unmapped(_local(element), f"{xpath}/{name}", child.sourceline, invoice_number)
                    continue
                by_tag[tag] = spec
            elif spec is _CHILD:
                continue
            elif spec is _ITEM_NUMBER:
                self._item_number(child, xpath, invoice_number)
                continue
            target = spec.target
            if target in values:
                name = _local(child)
                same = sum(1 for sibling in child.itersiblings(preceding=True) if sibling.tag == child.tag)
                where = f"{xpath}/{name}[{same + 1}]" if same else f"{xpath}/{name}"
                message = (f"<{name}> repeats a value already given" + (f" as <{spec.name}>" if same == 0 else "")
                           + "; the first is read")
                self._unmapped(_local(element), where, child.sourceline, invoice_number, message)
                continue
            kind = spec.kind
            if kind is ADDRESS or kind is CONTACT:
                values[target] = self._structure(child, kind, f"{xpath}/{spec.name}", invoice_number)
                continue
            text = child.text
            if len(child):
                text = self._text(child, f"{xpath}/{spec.name}", invoice_number)
            if not text:
                continue
            if kind is TEXT:
                values[target] = text
                if spec.max_length is not None and len(text) > spec.max_length:
                    self.emit("field.length", f"{spec.name} is {len(text)} characters long; at most {spec.max_length}"
                              " are allowed", line=child.sourceline, xpath=f"{xpath}/{spec.name}", invoice=invoice_number)
                continue
            key = (kind, text)
            found = converted.get(key)
            if found is None:
                if len(converted) > 50_000:
                    converted.clear()
                found = converted[key] = convert(kind, text)
            value, problem = found
            if problem is not None:
                self.emit(problem[0], f"<{spec.name}>: {problem[1]}", line=child.sourceline, xpath=f"{xpath}/{spec.name}",
                          invoice=invoice_number)
            values[target] = value
        for spec in index.required:
            if values.get(spec.target) is None:
                self.emit(
                    "field.required",
                    f"<{_local(element)}> has no {spec.name}",
                    line=element.sourceline, xpath=f"{xpath}/{spec.name}", invoice=invoice_number,
                )
        return values

    def _structure(self, element, kind: str, xpath: str, invoice_number) -> Address | Contact | None:
        elements = table.ADDRESS_ELEMENTS if kind == ADDRESS else table.CONTACT_ELEMENTS
        values = self._values(element, elements, xpath, invoice_number)
        if not values:
            return None
        return (Address if kind == ADDRESS else Contact)(**values)

    def _text(self, element, xpath: str, invoice_number) -> str | None:
        """An element's text, None when it is empty; markup inside a value is reported and its text kept."""
        if len(element):
            inner = element[0]
            self._unmapped(_local(element), f"{xpath}/{_local(inner)}", inner.sourceline, invoice_number,
                           f"<{_local(element)}> holds elements where a value belongs; their text is kept, the markup is not")
            text = "".join(element.itertext())
        else:
            text = element.text
        return text if text else None

    def _item_number(self, element, xpath: str, invoice_number) -> None:
        """Check that a file_item_nbr is a positive whole number not used before in the file, in bounded memory."""
        text = (element.text or "").strip()
        # ASCII digits only ('²'.isdigit() is true); a number too long for int() is kept as its digits.
        digits = text.lstrip("0") if text.isascii() and text.isdigit() else ""
        number: int | str = int(digits) if 0 < len(digits) <= 18 else digits
        problem = None
        if not number:
            problem = f"file_item_nbr is '{element.text or ''}'; expected a positive whole number"
        elif isinstance(number, int) and number < _BITMAP_LIMIT:
            byte, bit = divmod(number, 8)
            if byte >= len(self.item_bitmap):
                self.item_bitmap.extend(bytes(max(byte + 1 - len(self.item_bitmap), len(self.item_bitmap))))
            if self.item_bitmap[byte] & (1 << bit):
                problem = f"file_item_nbr {number} is already used earlier in the file; each item's number is unique"
            self.item_bitmap[byte] |= 1 << bit
        elif number in self.large_item_numbers:
            problem = f"file_item_nbr {number} is already used earlier in the file; each item's number is unique"
        else:
            self.large_item_numbers.add(number)
        if problem is not None:
            self.emit(ITEM_NUMBER, problem, line=element.sourceline, xpath=f"{xpath}/file_item_nbr", invoice=invoice_number)

    def _unmapped(self, segment: str, xpath: str, line: int | None, invoice_number, message: str | None = None) -> None:
        key = (segment, xpath.rsplit("/", 1)[-1], message or "")
        if key in self.unmapped:
            return
        self.unmapped.add(key)
        name = xpath.rsplit("/", 1)[-1]
        self.emit(
            UNMAPPED,
            message or f"<{name}> in <{segment}> is not part of the LEDES XML 2.x segments ledes reads; it is not carried over",
            line=line, xpath=xpath, invoice=invoice_number,
        )

