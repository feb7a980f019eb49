"""The values of LEDES XML segments: each element read by its table, converted once per distinct text, problems reported.

``ValueReader`` is what every XML reader of ledes reads values with (LEDES XML 2.x and
LEDES 2000); a ``Dialect`` says how one family writes them: its converter (dates
``YYYY-MM-DD`` or ``YYYYMMDD``, hours), the child segments it passes over, whether its
items carry a ``file_item_nbr``, and how an address holds its fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

import attrs
from lxml import etree

from ledes.diagnostics import Emit
from ledes.formats.ledesxml import table
from ledes.formats.ledesxml.table import ADDRESS, CONTACT, TEXT, Element, ElementKind
from ledes.formats.xmlsafe import local
from ledes.model import Address, Contact
from ledes.rules import field as field_rules
from ledes.rules import xml as xml_rules

# An element's text as a model value, and the problem to report (rule name, message) when it does not convert.
Convert = Callable[[ElementKind, str], tuple[object, tuple[str, str] | None]]
# Called with a segment, its XPath and its invoice's number before the segment's values are read.
Claim = Callable[[Any, str, str | None], None]

# How a segment's child element is read (the first item of its entry in ``ElementIndex.entries``).
_CONVERTED, _TEXT, _STRUCTURE, _CHILD, _ITEM_NUMBER = range(5)
_NO_SPEC = Element(("",), "")  # the spec in the entry of a child segment or an item number
_BITMAP_LIMIT = 1 << 26  # item numbers below this are remembered in a bitmap (8 MiB at most); others in a set
_BITMAP_DIGITS = len(str(_BITMAP_LIMIT))  # a number with fewer digits is below the limit
_CACHE_LIMIT = 4096  # distinct texts of one kind whose conversions are remembered before its cache starts again


@attrs.frozen
class Dialect:
    """How one family of LEDES XML writes its values (see the module docstring); ``XML_2X`` is LEDES XML 2.x's.

    ``known_children`` are the child segments a segment may hold besides its values
    (read by the segment's reader, passed over here); ``address_wrapper`` is the element
    an address puts its fields in (LEDES 2000's ``address_info``), None for none.
    """

    convert: Convert
    known_children: frozenset[str]
    item_numbers: bool = True
    address_elements: tuple[Element, ...] = table.ADDRESS_ELEMENTS
    contact_elements: tuple[Element, ...] = table.CONTACT_ELEMENTS
    address_wrapper: str | None = None


class ElementIndex:
    """An element table indexed for reading: by name, by full tag (filled as tags are met), its required elements.

    ``entries`` holds, by full tag (namespace included), how a child element is read:
    (``_CONVERTED``, ``_TEXT``, ``_STRUCTURE``, ``_CHILD`` or ``_ITEM_NUMBER``; its target;
    its element spec; the id its kind's conversions are cached under).
    """

    def __init__(self, elements: tuple[Element, ...]) -> None:
        self.elements = elements  # kept so that the id() it is cached under stays this table's
        self.by_name = {name: element for element in elements for name in element.names}
        self.entries: dict[str, tuple[int, str, Element, int]] = {}
        self.required = [element for element in elements if element.required]

    def entry(self, tag: str, spec: Element) -> tuple[int, str, Element, int]:
        """The entry of ``tag``, an element of ``spec``: remembered for the next time."""
        kind = spec.kind
        mode = _STRUCTURE if kind is ADDRESS or kind is CONTACT else _TEXT if kind is TEXT else _CONVERTED
        found = self.entries[tag] = (mode, spec.target, spec, id(kind))
        return found


_INDEXES: dict[int, ElementIndex] = {}


def element_index(elements: tuple[Element, ...]) -> ElementIndex:
    """The index of an element table, made once per table."""
    found = _INDEXES.get(id(elements))
    if found is None:
        found = _INDEXES[id(elements)] = ElementIndex(elements)
    return found


# The segments whose values are a line item's (XML 2.x and LEDES 2000), and the targets that hold a line's
# amount under another name: a discount's amount, a LEDES 2000 matter adjustment (read as an IF / IE line).
_LINE_SEGMENTS = frozenset({"fee", "expense", "matter_disc_cred"})
_LINE_AMOUNTS = {"~total": "line_item.total", "~amount": "line_item.total", "~adjust_fees": "line_item.total",
                 "~adjust_expenses": "line_item.total"}


def model_path(segment: str, target: str) -> str:
    """The model path of a segment's value (``fee`` and ``units``: ``line_item.units``); ``stated`` for a stated figure."""
    if target.startswith("="):
        return "stated"
    if target in _LINE_AMOUNTS:
        return _LINE_AMOUNTS[target]
    if segment in _LINE_SEGMENTS:
        return f"line_item.{target}"
    if segment == "tax" and target == "rate":
        return "line_item.tax_rate"
    return f"{segment}.{target}"


# What XML 1.0 holds that no LEDES text should: DEL and the C1 controls (the C0 ones but tab and line ends it cannot hold).
_CONTROL = re.compile("[\x7f-\x9f]")


class ValueReader:
    """Reads the values of segments by their element tables, reporting each problem with its line and XPath.

    It remembers across the document what it reports once (an unmapped element), the
    item numbers used, and the conversions made. ``claim``, when set, is called with
    each segment before its values are read (LEDES 2000 reports its repairs so).
    """

    def __init__(self, emit: Emit, dialect: Dialect, claim: Claim | None = None) -> None:
        self.emit = emit
        self.dialect = dialect
        self.convert = dialect.convert
        self.known_children = dialect.known_children
        self.item_numbers = dialect.item_numbers
        self.claim = claim
        self.reported: set[tuple[str, str, str]] = set()  # unmapped elements, reported once each
        self.item_bitmap = bytearray()
        self.large_item_numbers: set[int | str] = set()
        # The conversions made, by the id of their kind, then text (a dict per kind: no key tuple to build and hash;
        # a kind of many distinct texts, the amounts, no longer empties the cache of the dates).
        self.converted: dict[int, dict[str, tuple[object, tuple[str, str] | None]]] = {}
        # Whether the segment ``values`` read last holds child segments (a line's tax references), passed over there.
        self.passed_children = False

    def values(self, element: Any, elements: tuple[Element, ...], xpath: str,
               invoice_number: str | None = None) -> dict[str, Any]:
        """The values of a segment's own elements, by target (each of the type its target wants); problems reported.

        The hot loop of the readers: element names are looked up by their full tag
        (namespace included) and dates and amounts converted once per distinct text.
        """
        if self.claim is not None:
            self.claim(element, xpath, invoice_number)
        index = _INDEXES.get(id(elements)) or element_index(elements)
        entry_of = index.entries.get
        caches = self.converted
        values: dict[str, Any] = {}
        passed = False
        for child in element:
            tag = child.tag
            entry = entry_of(tag)
            if entry is None:
                if not isinstance(tag, str):
                    continue  # a comment
                name = tag[tag.rfind("}") + 1 :]
                spec = index.by_name.get(name)
                if spec is not None:
                    entry = index.entry(tag, spec)
                elif name == "file_item_nbr" and self.item_numbers:
                    entry = index.entries[tag] = (_ITEM_NUMBER, "", _NO_SPEC, 0)
                elif name in self.known_children:
                    entry = index.entries[tag] = (_CHILD, "", _NO_SPEC, 0)
                else:
                    self.unmapped(local(element), f"{xpath}/{name}", child.sourceline, invoice_number)
                    continue
            mode, target, spec, kind_id = entry
            if mode >= _CHILD:
                if mode == _CHILD:
                    passed = True
                else:
                    self.item_number(child, xpath, invoice_number)
                continue
            if target in values:
                self.repeated(element, child, spec, xpath, invoice_number)
                continue
            if mode == _STRUCTURE:
                values[target] = self.structure(child, cast(str, spec.kind), f"{xpath}/{local(child)}", invoice_number)
                continue
            text = child.text
            if len(child):
                text = self.text(child, f"{xpath}/{local(child)}", invoice_number)
            if not text:
                continue
            if mode == _TEXT:
                values[target] = text
                if not text.isprintable() and (control := _CONTROL.search(text)) is not None:
                    self.control(element, child, control, xpath, invoice_number)
                if spec.max_length is not None and len(text) > spec.max_length:
                    self.emit(field_rules.LENGTH, f"{local(child)} is {len(text)} characters long; at most"
                              f" {spec.max_length} are allowed", line=child.sourceline, xpath=f"{xpath}/{local(child)}",
                              invoice=invoice_number)
                continue
            cache = caches.get(kind_id)  # a kind is a table's constant: its id is hashed at once, its fields every time
            found = cache.get(text) if cache is not None else None
            if found is None:
                if cache is None:
                    cache = caches[kind_id] = {}
                elif len(cache) > _CACHE_LIMIT:
                    cache.clear()
                found = cache[text] = self.convert(spec.kind, text)
            value, problem = found
            if problem is not None:
                note = field_rules.arithmetic_note(model_path(local(element), target), value)
                self.emit(problem[0], f"<{local(child)}>: {problem[1]}{note}", line=child.sourceline,
                          xpath=f"{xpath}/{local(child)}", invoice=invoice_number)
                if target == "units" and problem[0] == field_rules.HOURS_MINUTES.name:
                    values["spellings"] = {"units": text}  # the arithmetic's exact hours (``LineItem.spellings``)
            values[target] = value
        self.passed_children = passed
        for spec in index.required:
            value = values.get(spec.target)
            if value is None or (type(value) is str and not value.strip()):  # blank text is as empty as none
                self.emit(
                    field_rules.REQUIRED,
                    f"<{local(element)}> has no {spec.name}" if value is None else
                    f"<{local(element)}>'s {spec.name} is blank (only whitespace); it is required",
                    line=element.sourceline, xpath=f"{xpath}/{spec.name}", invoice=invoice_number,
                )
        return values

    def control(self, element: Any, child: Any, control: re.Match[str], xpath: str, invoice_number: str | None) -> None:
        """Report a value that holds DEL or a C1 control (``field.control-character``), which XML 1.0 allows."""
        name = local(child)
        self.emit(field_rules.CONTROL_CHARACTER,
                  f"<{name}> holds the control character U+{ord(control.group()):04X} at character {control.start() + 1};"
                  " LEDES text holds printable characters (and tabs and line breaks) only",
                  line=child.sourceline, xpath=f"{xpath}/{name}", invoice=invoice_number,
                  hint="remove it from the system that exported the invoice (C1 controls in text that should be"
                       " Windows-1252 or UTF-8 usually mean it was decoded with the wrong encoding)")

    def repeated(self, element: Any, child: Any, spec: Element, xpath: str, invoice_number: str | None) -> None:
        """Report a value given again in a segment (its first is read)."""
        name = local(child)
        same = sum(1 for sibling in child.itersiblings(preceding=True) if sibling.tag == child.tag)
        where = f"{xpath}/{name}[{same + 1}]" if same else f"{xpath}/{name}"
        # The element that gave the value read: the first earlier one of the same target, in either spelling.
        given = [local(sibling) for sibling in child.itersiblings(preceding=True) if local(sibling) in spec.names]
        message = (f"<{name}> repeats a value already given" + (f" as <{given[-1] if given else spec.name}>"
                                                                 if same == 0 else "")
                   + "; the first is read")
        self.unmapped(local(element), where, child.sourceline, invoice_number, message)

    def structure(self, element: Any, kind: str, xpath: str, invoice_number: str | None) -> Address | Contact | None:
        """An address or a contact; an address's fields inside the dialect's wrapper when it has one (else directly)."""
        dialect = self.dialect
        if kind == ADDRESS:
            wrapper = dialect.address_wrapper
            if wrapper is not None:
                inner = next((child for child in element if local(child) == wrapper), None)
                if inner is not None:
                    element, xpath = inner, f"{xpath}/{wrapper}"
            values = self.values(element, dialect.address_elements, xpath, invoice_number)
            return Address(**values) if values else None
        values = self.values(element, dialect.contact_elements, xpath, invoice_number)
        return Contact(**values) if values else None

    def text(self, element: Any, xpath: str, invoice_number: str | None) -> str | None:
        """An element's text, None when it is empty; markup inside a value is reported and its text kept."""
        if len(element):
            inner = element[0]
            self.unmapped(local(element), f"{xpath}/{local(inner)}", inner.sourceline, invoice_number,
                          f"<{local(element)}> holds elements where a value belongs; their text is kept, the markup is not")
            text = "".join(element.itertext())
        else:
            text = element.text
        return text if text else None

    def item_number(self, element: etree._Element, xpath: str, invoice_number: str | None) -> None:
        """Check that a file_item_nbr is a positive whole number not used before in the file, in bounded memory."""
        text = element.text
        # The usual number, as ledes writes it (digits, no leading zero, below the bitmap's limit), first used here.
        if text and len(text) < _BITMAP_DIGITS and text.isdigit() and text.isascii() and text[0] != "0":
            usual = int(text)
            byte, bit = usual >> 3, 1 << (usual & 7)
            bitmap = self.item_bitmap
            if byte < len(bitmap) and not bitmap[byte] & bit:
                bitmap[byte] |= bit
                return
        text = (text or "").strip()
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
            self.emit(xml_rules.ITEM_NUMBER, problem, line=element.sourceline, xpath=f"{xpath}/file_item_nbr",
                      invoice=invoice_number)

    def unmapped(self, segment: str, xpath: str, line: int | None, invoice_number: str | None,
                 message: str | None = None) -> None:
        """Report an element ledes does not read (once per segment, element name and message)."""
        name = xpath.rsplit("/", 1)[-1]
        key = (segment, name, message or "")
        if key in self.reported:
            return
        self.reported.add(key)
        self.emit(
            xml_rules.UNMAPPED,
            message or f"<{name}> in <{segment}> is not part of the LEDES XML 2.x segments ledes reads; it is not carried over",
            line=line, xpath=xpath, invoice=invoice_number,
        )
