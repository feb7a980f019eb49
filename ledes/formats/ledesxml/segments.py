"""The segments of a LEDES XML 2.x document read into the model: firm, client, invoice, matter and its lines.

Fees, expenses and matter discounts or credits become line items in document order,
numbered from 1 in each invoice (XML has no line number; 1998B files number them so). A line's tax is derived
from the tax its ``tx_id`` refers to: taxable amount (``total_amount``) × rate, to the
cent; the model's line total includes it. What the file states that the lines also
give (the matter summary figures, the tax summaries, a fee's ``base_amount``) is kept
on the model for the arithmetic rules (``Matter.stated_totals``, ``LineItem.stated_base``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from lxml import etree

from ledes.diagnostics import Emit
from ledes.formats.ledesxml import table
from ledes.formats.ledesxml.discounts import discount
from ledes.formats.ledesxml.stated import figure_names, stated_figures
from ledes.formats.ledesxml.table import AMOUNT, render
from ledes.formats.ledesxml.taxes import TAX_ITEMS, TaxBook
from ledes.formats.ledesxml.values import Claim, Dialect, ValueReader
from ledes.formats.xmlsafe import local
from ledes.model import (
    Client,
    Invoice,
    LawFirm,
    LineItem,
    LineItemType,
    Location,
    Matter,
    Stated,
    StatedTotals,
    Timekeeper,
    Unparsed,
)
from ledes.model.invoice import Day
from ledes.rules import structure as structure_rules
from ledes.rules import xml as xml_rules

if TYPE_CHECKING:
    from ledes.formats.ledesxml.writer import XmlVersion

ROOTS = {"ledesxmlebilling2.1": "LEDES XML 2.1", "ledesxmlebilling2.2": "LEDES XML 2.2"}
TIERS = ("tax_tier_detail", "tax_tier_summary", "tax_tier_sum")

# Each line segment's table in ``table.Segments``.
LINE_SEGMENTS = {"fee": "fee", "expense": "expense", "matter_disc_cred": "disc_cred"}
_CHILD_SEGMENTS = frozenset({"client", "tax", "invoice", "matter", *TIERS})
_KNOWN_CHILDREN = (
    _CHILD_SEGMENTS | table.STRUCTURAL | frozenset(LINE_SEGMENTS) | frozenset(table.TKSUM_NAMES)
    | frozenset(table.TAX_SUMMARY_NAMES) | TAX_ITEMS
)

# The children of a matter read as segments of their own: its lines, timekeeper summaries and tax summaries.
_MATTER_CHILDREN = frozenset(LINE_SEGMENTS) | frozenset(table.TKSUM_NAMES) | frozenset(table.TAX_SUMMARY_NAMES)
_UNMADE = Timekeeper(None)  # no timekeeper made yet for a key (None is one: a line without any)

# LEDES XML 2.x's values: dates YYYY-MM-DD, numbered items, addresses and contacts holding their fields.
XML_2X = Dialect(table.convert, _KNOWN_CHILDREN)

# A timekeeper summary's names and level, by timekeeper id: (last name, first name, level).
Names = dict[str, tuple[str | None, str | None, str | None]]
# A timekeeper summary as read: its tk_id, element, XPath and name (last, first, level).
StatedName = tuple[str, etree._Element, str, tuple[str | None, str | None, str | None]]


def timekeeper(keeper_id: str | None, level: str | None, names: Names) -> Timekeeper | None:
    """A line's timekeeper: its id and level, named by the matter's timekeeper summary (``names``) of that id.

    A line without a level takes the summary's. A level that is no classification code (the TOTVS SIGAPFS
    generator writes the category's description there, "Sócio ") is kept as written and reported
    (``field.classification``): the summary's code need not be what the line meant, and a converted file
    would bill the line at a level its source does not state.
    """
    if keeper_id is None and level is None:
        return None
    last, first, summary_level = names.get(keeper_id, (None, None, None)) if isinstance(keeper_id, str) else (None, None, None)
    name = f"{last}, {first}" if last is not None and first is not None else last if last is not None else first
    if level is None:
        level = summary_level
    return Timekeeper(keeper_id if isinstance(keeper_id, str) else None, name, level, last, first)


class OwnChildren(list):
    """A segment's children that are not segments of their own, read by ``ValueReader.values`` as the segment itself."""

    def __init__(self, segment: etree._Element) -> None:
        super().__init__()
        self.tag = segment.tag
        self.sourceline = segment.sourceline


class XmlReader:
    """Reads LEDES XML 2.x segments into the model, as ``stream_invoices`` hands them over."""

    def __init__(self, emit: Emit, path: str | None, version: XmlVersion | None = None,
                 claim: Claim | None = None) -> None:
        self.emit = emit
        self.path = path
        self.root_name = ""
        self.version = version
        self.value_reader = ValueReader(emit, XML_2X, claim)
        self.taxes = TaxBook(self.value_reader)
        self.use(table.SEGMENTS)
        self.firm_element: etree._Element | None = None
        self.firm: LawFirm | None = None
        self.firm_path = ""
        self.client_element: etree._Element | None = None
        self.client: Client | None = None
        self.client_path = ""
        self.counts = {"firm": 0, "client": 0, "invoice": 0}
        # XML has no line number: each invoice's lines are numbered from 1, as nearly every 1998B file numbers them.
        self.line_numbers = itertools.count(1)

    def use(self, segments: table.Segments) -> None:
        """Read with the element tables ``segments`` (a version's, from its root)."""
        self.segments = segments
        self.line_tables = {name: getattr(segments, table_name) for name, table_name in LINE_SEGMENTS.items()}
        self.matter_figures = figure_names(segments.matter)
        self.figure_elements = frozenset(self.matter_figures.values())
        self.tax_figures = figure_names(segments.tax_summary)

    # -- document ------------------------------------------------------------------

    def check_root(self, root: etree._Element | None) -> bool:
        """Whether ``root`` is a LEDES XML 2.1 or 2.2 root, or the version's own (whose tables are then used)."""
        name = local(root) if root is not None else ""
        self.root_name = name
        version = self.version
        own = version.root if version is not None else None
        if version is not None and name == own:
            self.use(version.segments)
            return True
        if name in ROOTS:
            return True
        roots = [*ROOTS, *([own] if own is not None and own not in ROOTS else [])]
        versions = [root_name.removeprefix("ledesxmlebilling") for root_name in roots]
        self.emit(
            structure_rules.FORMAT_LINE,
            f"the root element <{name}> is not a LEDES XML {', '.join(versions[:-1])} or {versions[-1]} root"
            f" ({', '.join(roots)})",
            line=root.sourceline if root is not None else None,
            xpath=f"/{name}",
        )
        return False

    def segment(self, element: etree._Element) -> None:
        """A segment outside any invoice that the document streams: a tax definition, or a tiered tax's."""
        if local(element) == "tax":
            self.define_tax(element)
        else:
            self.tier(element)

    def define_tax(self, element: etree._Element) -> None:
        parent = element.getparent()
        if parent is not None and local(parent) == "firm":
            self._law_firm(parent)
            base = self.firm_path
        else:
            base = f"/{self.root_name}"
        self.counts[base] = self.counts.get(base, 0) + 1
        self.taxes.define(element, self.segments.tax, f"{base}/tax[{self.counts[base]}]")

    def tier(self, element: etree._Element) -> None:
        name = local(element)
        parent = element.getparent()
        if parent is not None and local(parent) == "firm":
            self._law_firm(parent)
            base = self.firm_path
        elif parent is not None and local(parent) == "invoice":
            base = f"{self.client_path}/invoice[{self.counts['invoice'] + 1}]"
        else:
            base = f"/{self.root_name}"
        key = f"{base}/{name}"
        self.counts[key] = self.counts.get(key, 0) + 1
        self.value_reader.unmapped(name, f"{key}[{self.counts[key]}]", element.sourceline, None,
                             f"<{name}> (a tiered tax) is not read: ledes holds one tax rate per line")

    # -- firm and client -------------------------------------------------------------

    def _law_firm(self, firm: etree._Element) -> LawFirm:
        if firm is not self.firm_element or self.firm is None:
            self.firm_element = firm
            self.counts["firm"] += 1
            self.counts["client"] = 0
            self.firm_path = f"/{self.root_name}/firm[{self.counts['firm']}]"
            values = self.value_reader.values(firm, self.segments.firm, self.firm_path)
            values = {key: value for key, value in values.items() if key[0] not in "=~"}
            self.firm = LawFirm(**{"id": None, **values})
        return self.firm

    def _client(self, client: etree._Element) -> Client:
        if client is not self.client_element or self.client is None:
            self.client_element = client
            self.counts["client"] += 1
            self.counts["invoice"] = 0
            self.client_path = f"{self.firm_path}/client[{self.counts['client']}]"
            self.client = Client(**{"id": None, **self.value_reader.values(client, self.segments.client, self.client_path)})
        return self.client

    # -- invoice ---------------------------------------------------------------------

    def invoice(self, element: etree._Element) -> Invoice | None:
        client_element = element.getparent()
        firm_element = client_element.getparent() if client_element is not None else None
        if client_element is None or firm_element is None or local(client_element) != "client" or local(firm_element) != "firm":
            where = f"/{self.root_name}/…/invoice"
            self.emit(xml_rules.UNMAPPED, "an <invoice> outside firm/client was not read", line=element.sourceline,
                      xpath=where)
            return None
        law_firm = self._law_firm(firm_element)
        client = self._client(client_element)
        self.counts["invoice"] += 1
        self.line_numbers = itertools.count(1)
        xpath = f"{self.client_path}/invoice[{self.counts['invoice']}]"
        values = self.value_reader.values(element, self.segments.invoice, xpath)
        number = values.get("number")
        invoice_number = number if isinstance(number, str) else None
        # A discount or credit has no date in XML: it is dated the end of the billing period (else the invoice date).
        adjustment_date = values.get("billing_end") or values.get("date")
        currency = values.get("currency")
        self.taxes.currency = currency if isinstance(currency, str) else None
        matters = []
        matter_count = 0
        for child in element:
            if local(child) == "matter":
                matter_count += 1
                matters.append(self._matter(child, f"{xpath}/matter[{matter_count}]", adjustment_date, invoice_number))
        values.setdefault("number", None)
        values.setdefault("date", None)
        return Invoice(
            client=client,
            law_firm=law_firm,
            matters=tuple(matters),
            location=Location(self.path, element.sourceline, None, xpath),
            taxes_by_rate=True,
            **values,
        )

    def _matter(self, element: etree._Element, xpath: str, adjustment_date: Day, invoice_number: str | None) -> Matter:
        own = OwnChildren(element)
        segments: list[tuple[str, etree._Element, str]] = []
        counts: dict[str, int] = {}
        figure_elements = self.figure_elements
        lines: dict[str, int] = {}  # the line of each summary figure
        for child in element:
            tag = child.tag
            name = tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""  # local(child), inline: once per line
            if name in _MATTER_CHILDREN:
                counts[name] = counts.get(name, 0) + 1
                segments.append((name, child, f"{xpath}/{name}[{counts[name]}]"))
                continue
            own.append(child)
            if name in figure_elements and name not in lines:
                lines[name] = child.sourceline
        # The matter's values from its own children alone: its lines, summaries and tax summaries are read below.
        values = self.value_reader.values(own, self.segments.matter, xpath, invoice_number)
        names: Names = {}
        raw_items = []
        summaries = []
        stated_keepers: list[StatedName] = []
        for name, child, child_path in segments:
            if name in table.TKSUM_NAMES:
                keeper = self.value_reader.values(child, self.segments.tksum, child_path, invoice_number)
                keeper_id = keeper.get("id")
                if isinstance(keeper_id, str):
                    named = (keeper.get("last_name"), keeper.get("first_name"), keeper.get("classification"))
                    names.setdefault(keeper_id, named)
                    stated_keepers.append((keeper_id, child, child_path, named))
            elif name in table.TAX_SUMMARY_NAMES:
                summaries.append((child, child_path,
                                  self.value_reader.values(child, self.segments.tax_summary, child_path, invoice_number)))
            else:
                raw_items.append((name, child, child_path))
        figures = stated_figures(values, self.matter_figures, lines, element.sourceline, xpath, self.path)
        line_numbers = self.line_numbers
        keepers: dict[tuple[object, ...], Timekeeper | None] = {}  # the matter's timekeepers, one per id and level
        read = [
            self._line_item(name, child, child_path, names, adjustment_date, str(next(line_numbers)), invoice_number,
                            keepers)
            for name, child, child_path in raw_items
        ]
        if stated_keepers:
            report_unread_summaries(self.value_reader.emit, stated_keepers, names, (item for item, _ in read),
                                    invoice_number)
        self.taxes.share_out(summaries, read, self.taxes.currency)
        taxes = self.taxes.summaries(summaries, read, self.tax_figures, self.path)
        stated = StatedTotals(figures, taxes, unplaced=self.taxes.unplaced(read) if taxes else ()) if figures or taxes else None
        values.setdefault("law_firm_matter_id", None)
        return Matter(line_items=tuple(item for item, _ in read), stated_totals=stated,
                      location=Location(self.path, element.sourceline, None, xpath), **values)

    def _line_item(self, name: str, element: etree._Element, xpath: str, names: Names, adjustment_date: Day,
                   number: str, invoice_number: str | None,
                   keepers: dict[tuple[object, ...], Timekeeper | None]) -> tuple[LineItem, list[str | None]]:
        """A fee, expense or discount as a line item, and the ids of the taxes it refers to.

        ``keepers`` holds the matter's timekeepers made so far, by id and level: its lines share them.
        """
        value_reader = self.value_reader
        values = value_reader.values(element, self.line_tables[name], xpath, invoice_number)
        # A line's taxes are in child segments, which ``values`` passes over: looked for only when it passed some.
        references = self.taxes.references(element, xpath, invoice_number) if value_reader.passed_children else []
        line = element.sourceline
        location = Location(self.path, line, None, xpath)
        if name == "matter_disc_cred":
            amount = discount(values, self.emit, line, xpath, invoice_number)
            values.update(date=adjustment_date, adjustment=amount)
            pre_tax = amount
        else:
            keeper_id = values.pop("~timekeeper_id", None)
            level = values.pop("~classification", None)
            base = values.pop("=base_amount", None)
            pre_tax = values.pop("~total", None)
            values["type"] = LineItemType.FEE if name == "fee" else LineItemType.EXPENSE
            key = (keeper_id, level, type(keeper_id), type(level))
            keeper = keepers.get(key, _UNMADE)
            if keeper is _UNMADE:
                keeper = keepers[key] = timekeeper(keeper_id, level, names)
            values["timekeeper"] = keeper
            if base is not None:
                values["stated_base"] = Stated("base_amount", base, Location(self.path, line, None, f"{xpath}/base_amount"))
        total = pre_tax
        if references:
            rate, tax_type, tax = self.taxes.line_tax(references, pre_tax, xpath, invoice_number)
            values.update(tax_rate=rate, tax_type=tax_type, tax_total=tax)
            if type(pre_tax) is Decimal and type(tax) is Decimal:
                total = pre_tax + tax
            elif type(pre_tax) is Decimal:
                total = Unparsed(render(AMOUNT, pre_tax))  # before a tax that cannot be computed: not the line's total
        values.setdefault("date", None)
        item = LineItem(number=number, total=total, location=location, **values)
        return item, [reference.tax_id for reference in references] if references else []


def report_unread_summaries(emit: Emit, stated: list[StatedName], names: Names, items: Iterable[LineItem],
                            invoice_number: str | None, *, levels_on_lines: bool = True) -> None:
    """Report each timekeeper summary (``tksum``, LEDES 2000's ``tk_sum``) the model does not keep, as
    ``xml.unmapped`` (converting lists it as a loss): one whose ``tk_id`` no line of the matter bills, and one that
    repeats a ``tk_id`` under another name (the first is read).

    A timekeeper's name and level are read from its summary for the lines that name its ``tk_id``; its ``tk_rate``
    may be a standard rate the fees do not bill at, so it is not compared. A summary whose ``tk_level`` no line of
    its timekeeper bills at (a generator that writes the level's description on its fees, ``Partner``, and the code,
    ``PARTNR``, in ``tksum``) is not carried over either; that is not asked of LEDES 2000 (``levels_on_lines``
    false), whose fees state no level, so a ``tk_sum`` per level of one timekeeper is its way of splitting them.
    """
    levels: dict[str, set[str | None]] = {}
    for item in items:
        if (keeper := item.timekeeper) is not None and keeper.id is not None:
            levels.setdefault(keeper.id, set()).add(keeper.classification)
    for keeper_id, element, xpath, (last, first, level) in stated:
        name = local(element)
        first_last, first_first, _ = names[keeper_id]
        billed = levels.get(keeper_id)
        if billed is None:
            what = ", ".join(part for part in (last, first, level) if part)
            message = (f"<{name}> of tk_id '{keeper_id}'{f' ({what})' if what else ''} names a timekeeper no line"
                       " of this matter bills; it is not read, and converting does not carry it over")
        elif levels_on_lines and level is not None and level not in billed:
            shown = ", ".join(repr(each) for each in sorted(billed, key=str) if each is not None) or "none"
            message = (f"<{name}> of tk_id '{keeper_id}' states tk_level '{level}', which no line of that timekeeper"
                       f" in this matter bills at (they give {shown}); it is not carried over")
        elif (last, first) != (first_last, first_first):
            message = (f"<{name}> repeats tk_id '{keeper_id}' under another name ('{_named(last, first)}'; an"
                       f" earlier one says '{_named(first_last, first_first)}'); the earlier one is read, this one"
                       " is not carried over")
        else:
            continue
        emit(xml_rules.UNMAPPED, message, line=element.sourceline, xpath=xpath, invoice=invoice_number)


def _named(last: str | None, first: str | None) -> str:
    """A timekeeper's name as the model holds it: "Last, First"."""
    return ", ".join(part for part in (last, first) if part)
