"""The taxes of a LEDES XML 2.x document: their definitions, each line's tax from the ones it refers to, the tax summaries."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import Any, NamedTuple, cast

import attrs

from ledes.formats.ledesxml import table
from ledes.formats.ledesxml.stated import child_lines, stated_figures
from ledes.formats.ledesxml.table import Element
from ledes.formats.ledesxml.values import ValueReader
from ledes.formats.xmlsafe import local
from ledes.model import LineItem, StatedTax, Unparsed
from ledes.model.invoice import Money
from ledes.money import minor_unit, to_minor
from ledes.rules import field as field_rules
from ledes.rules import xml as xml_rules
from ledes.totals import EXPENSE_TYPES, FEE_TYPES, line_tax, pre_tax_amount

TAX_ITEMS = frozenset(name for names in table.TAX_ITEM_NAMES.values() for name in names)
_TAX_ITEM_TAGS = tuple(f"{{*}}{name}" for name in sorted(TAX_ITEMS))


class Definition(NamedTuple):
    """A tax as a ``tax`` segment defines it: its rate (as read), its type, the line it is defined on."""

    rate: Money
    type: str | None
    line: int | None


class Reference(NamedTuple):
    """A line's reference to a tax: the ``tx_id`` (None when empty), its line and XPath."""

    tax_id: str | None
    line: int | None
    xpath: str


class TaxBook:
    """The taxes a document defines, by ``tx_id``, and what the lines that refer to them make of them.

    A tax is defined in the firm, before the clients whose lines use it (the reader
    streams, so a tax defined later is unknown to the lines before it).
    """

    def __init__(self, values: ValueReader) -> None:
        self.values = values
        self.emit = values.emit
        self.taxes: dict[str, Definition] = {}
        self.rateless: set[str] = set()  # taxes without a rate, reported once each
        self.currency: str | None = None  # the invoice being read: its lines' taxes are rounded to its minor unit

    def define(self, element: Any, elements: tuple[Element, ...], xpath: str) -> None:
        """Read a ``tax`` segment (at ``xpath``) by its table ``elements``; a tiered tax is reported as not fully read."""
        values = self.values.values(element, elements, xpath)
        tax_id = values.get("id")
        if str(values.get("tiers", "")).strip().upper() == "Y":
            tiers = next(element.iterchildren("{*}tax_tiers"), element)
            self.values.unmapped("tax", f"{xpath}/tax_tiers", tiers.sourceline, None,
                                 f"tax '{tax_id}' is tiered; ledes reads its tax_rate_percent only, not its tiers")
        rate = values.get("rate")
        if type(rate) is Decimal and not 0 <= rate < 1:  # 20.00 for 20 %: every line's tax a hundred times too much
            where = next(element.iterchildren("{*}tax_rate_percent"), element)
            self.values.emit(field_rules.TAX_RATE, f"tax_rate_percent is {rate}, not a rate from 0 up to (not"
                             " including) 1: it holds a fraction (7.2516 % is 0.072516), so 20 % is 0.20",
                             line=where.sourceline, xpath=f"{xpath}/tax_rate_percent")
        if isinstance(tax_id, str):
            self.taxes[tax_id] = Definition(rate, values.get("type"), element.sourceline)

    def references(self, element: Any, xpath: str, invoice_number: str | None) -> list[Reference]:
        """The taxes a fee, expense or discount refers to (its ``tax_item_*`` children), their item numbers checked."""
        found: list[Reference] = []
        counts: dict[str, int] = {}
        values = self.values
        for child in element.iterchildren(*_TAX_ITEM_TAGS):
            tag = local(child)
            if tag in TAX_ITEMS:
                counts[tag] = counts.get(tag, 0) + 1
                for tax_id in child:
                    name = local(tax_id)
                    if name == "file_item_nbr":
                        values.item_number(tax_id, f"{xpath}/{tag}[{counts[tag]}]", invoice_number)
                    if name == "tx_id":
                        where = f"{xpath}/{tag}[{counts[tag]}]/tx_id"
                        found.append(Reference(values.text(tax_id, where, invoice_number), tax_id.sourceline, where))
        return found

    def line_tax(self, references: list[Reference], taxable: object, xpath: str,
                 invoice_number: str | None) -> tuple[object, str | None, object]:
        """The rate, type and amount of a line's tax: the sum of the taxes it refers to, each to the cent."""
        rates, types = [], []
        for tax_id, line, tax_xpath in references:
            definition = self.taxes.get(tax_id) if tax_id is not None else None
            if tax_id is None or definition is None:
                self.emit(
                    xml_rules.TAX_REFERENCE,
                    f"tx_id '{tax_id}' is not defined by a tax segment before it is used",
                    line=line, xpath=tax_xpath, invoice=invoice_number,
                    hint="define each tax in a <tax> segment of the firm, before its clients",
                )
                return Unparsed(str(tax_id)), None, Unparsed("")
            if type(definition.rate) is not Decimal and tax_id not in self.rateless:
                self.rateless.add(tax_id)
                self.emit(
                    xml_rules.TAX_REFERENCE,
                    f"tx_id '{tax_id}' names a tax without a usable tax_rate_percent, so its lines' tax cannot be computed",
                    line=line, xpath=tax_xpath, invoice=invoice_number,
                )
            rates.append(definition.rate)
            if definition.type is not None:
                types.append(definition.type)
        if len(references) > 1:
            self.values.unmapped("tax", references[1].xpath, references[1].line, invoice_number,
                                 f"the line refers to {len(references)} taxes; ledes holds one rate per line (their sum)")
        kinds = "/".join(types) or None
        decimals = [rate for rate in rates if type(rate) is Decimal]
        if len(decimals) < len(rates):
            return next(rate for rate in rates if type(rate) is not Decimal), kinds, Unparsed("")
        rate = sum(decimals, Decimal(0))
        if type(taxable) is not Decimal:
            return rate, kinds, Unparsed("")
        return rate, kinds, sum((line_tax(taxable, part, self.currency) for part in decimals), Decimal(0))

    def unplaced(self, read: list[tuple[LineItem, list[str | None]]]) -> tuple[LineItem, ...]:
        """The lines of ``read`` (each with the tax ids it refers to) that refer to a tax the document does not define."""
        taxes = self.taxes
        return tuple(item for item, tax_ids in read if any(tax_id not in taxes for tax_id in tax_ids))

    def share_out(self, stated: list[tuple[Any, str, dict[str, Any]]], read: list[tuple[LineItem, list[str | None]]],
                  currency: str | None) -> None:
        """Where a matter's tax summary states a tax worked out once on the taxable total (99.99 at 20 %: 20.00) that
        its lines' own taxes do not add up to (3 × 6.67), share that tax out over those lines (``read``, changed in
        place): each line's tax to the minor unit, the units left over to the largest remainders. LEDES XML states
        no line's tax, so the lines then add up to what the file states, in every command that counts them."""
        if not stated:
            return
        alone: dict[str | None, list[int]] = {}  # per tax, the lines under it alone: sorted once, for every summary
        for index, (_item, tax_ids) in enumerate(read):
            if len(tax_ids) == 1:
                alone.setdefault(tax_ids[0], []).append(index)
        for _element, _xpath, values in stated:
            tax_id = values.get("id")
            definition = self.taxes.get(tax_id) if isinstance(tax_id, str) else None
            rate = definition.rate if definition is not None else None
            under = alone.pop(tax_id, None)  # a tax summarised again: its lines are not shared out again
            if type(rate) is not Decimal or under is None:
                continue
            for types, key in ((FEE_TYPES, "=tax_fees"), (EXPENSE_TYPES, "=tax_expenses")):
                chosen = [index for index in under if read[index][0].type in types]
                given = values.get(key)
                bases = [pre_tax_amount(read[index][0]) for index in chosen]
                if type(given) is not Decimal or not chosen or None in bases:
                    continue
                shares = shared(given, [base * rate for base in cast(list[Decimal], bases)], currency)
                if shares is None:
                    continue
                for index, tax in zip(chosen, shares, strict=True):
                    item, tax_ids = read[index]
                    if item.tax_total != tax and type(item.total) is Decimal and type(item.tax_total) is Decimal:
                        read[index] = (attrs.evolve(item, tax_total=tax, total=item.total - item.tax_total + tax),
                                       tax_ids)

    def summaries(self, stated: list[tuple[Any, str, dict[str, Any]]], read: list[tuple[LineItem, list[str | None]]],
                  names: dict[str, str], path: str | None) -> tuple[StatedTax, ...]:
        """The tax summaries of a matter as stated: each with its tax's rate and the lines of ``read`` under that tax.

        ``stated`` holds each summary's element, XPath and values; ``names`` its figures (``figure_names``).
        """
        found = []
        under = _lines_by_tax(read) if stated else {}
        for element, xpath, values in stated:
            tax_id = values.get("id")
            tax_id = tax_id if isinstance(tax_id, str) else None
            definition = self.taxes.get(tax_id) if tax_id is not None else None
            items = under.get(tax_id, ()) if tax_id is not None else ()
            lines = child_lines(element, names.values())
            figures = stated_figures(values, names, lines, element.sourceline, xpath, path)
            found.append(StatedTax(tax_id, definition.rate if definition is not None else None, items, figures))
        return tuple(found)


def _lines_by_tax(read: list[tuple[LineItem, list[str | None]]]) -> dict[str | None, tuple[LineItem, ...]]:
    """The lines of ``read`` under each tax id they refer to, in line order, each once: one pass, however many summaries.

    Summaries of one tax share its tuple.
    """
    under: dict[str | None, list[LineItem]] = {}
    for item, tax_ids in read:
        for tax_id in dict.fromkeys(tax_ids):
            under.setdefault(tax_id, []).append(item)
    return {tax_id: tuple(items) for tax_id, items in under.items()}


def shared(total: Decimal, exact: list[Decimal], currency: str | None) -> list[Decimal] | None:
    """``exact`` amounts (each line's base × rate) rounded to the minor unit so that they add up to ``total``, the units
    left over going to the largest remainders; None when ``total`` is not their sum rounded once (the file worked the
    tax out otherwise: its lines' taxes, rounded each, are kept) or they already add up to it line by line."""
    rounded = [to_minor(amount, currency) for amount in exact]
    if sum(rounded, Decimal(0)) == total or to_minor(sum(exact, Decimal(0)), currency) != total:
        return None
    unit = minor_unit(currency)
    floors = [(amount / unit).to_integral_value(ROUND_FLOOR) * unit for amount in exact]
    left = int((total - sum(floors, Decimal(0))) / unit)
    if not 0 <= left <= len(exact):
        return None
    order = sorted(range(len(exact)), key=lambda index: (floors[index] - exact[index], index))
    for index in order[:left]:
        floors[index] += unit
    return [to_minor(amount, currency) for amount in floors]
