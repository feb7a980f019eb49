"""The XML writer's element loop as code: one function per table, indent and computed values, made once, as attrs makes its methods."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from ledes.errors import LedesWriteError
from ledes.formats.ledesxml.table import (
    ADDRESS,
    ADDRESS_ELEMENTS,
    AMOUNT,
    CONTACT,
    CONTACT_ELEMENTS,
    DATE,
    HOURS,
    Element,
    render,
)

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ESCAPED = re.compile("[&<>\r]")
# Characters XML 1.0 cannot hold, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Either: a text without any is written as it is.
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# A segment's writer: (record, computed values by target, the function that takes each piece of text, the number of
# the invoice written, for an error's message).
SegmentWriter = Callable[[object, "dict | None", Callable[[str], object], object], None]
_MADE: dict[tuple, tuple[tuple[Element, ...], SegmentWriter]] = {}
# The type of value an element of a kind usually holds, tested first (any is written as render writes it).
_EXPECTED: dict[object, tuple[str, ...]] = {DATE: ("date", "Decimal", "str"), AMOUNT: ("Decimal", "str", "date"), HOURS: ("Decimal", "str", "date")}
_MOST_MADE = 512  # a writer's tables make a dozen; past this many (tests' random tables, say), they are made again


def escape_text(text: str, name: str, invoice_number: object) -> str:
    """Element text with ``&``, ``<``, ``>`` and CR escaped; a LedesWriteError for a character XML 1.0 cannot hold."""
    if _NOT_XML.search(text):
        raise LedesWriteError(
            f"invoice {invoice_number}: <{name}> holds {text!r}, with a control character"
            " that XML 1.0 cannot hold; remove it from the source"
        )
    if _ESCAPED.search(text):
        text = _ESCAPED.sub(lambda found: _ESCAPES[found.group()], text)
    return text


def segment_writer(
    elements: tuple[Element, ...], pad: str, computed: tuple[str, ...], own: bool, required: tuple[str, ...] = ()
) -> SegmentWriter:
    """The function that writes ``elements`` at indent ``pad``: each that has a value, rendered and escaped, in order.

    A value is ``computed``'s (the targets it holds, in any order) where it has one, else
    the record's own attribute when there is a record (``own``) and the target is not
    ``=`` or ``~``, else none; an address or contact is written nested, and when it has no
    value, empty if its name is in ``required``: a loop over the table, one element at a time,
    unrolled into a function made once for each key (the tests hold it to that loop).
    """
    key = (id(elements), pad, computed, own, required)
    found = _MADE.get(key)
    if found is None or found[0] is not elements:
        if len(_MADE) >= _MOST_MADE:
            _MADE.clear()
        found = _MADE[key] = (elements, _made(elements, pad, frozenset(computed), own, required))
    return found[1]


def _made(
    elements: tuple[Element, ...], pad: str, computed: frozenset[str], own: bool, required: tuple[str, ...]
) -> SegmentWriter:
    """The source of a segment's writer, compiled: a few lines per element, its names and tags as constants."""
    space: dict[str, object] = {
        "Decimal": Decimal, "date": date, "render": render, "special": _SPECIAL.search, "escape_text": escape_text,
    }
    lines = ["def write(record, computed, add, invoice_number):"]
    for index, element in enumerate(elements):
        target, name = element.target, element.name
        if target in computed:
            source = f"computed[{target!r}]"
        elif own and target[0] not in "=~":
            source = f"record.{target}" if target.isidentifier() else f"getattr(record, {target!r})"
        else:
            source = None
        if element.kind in (ADDRESS, CONTACT):
            inner = ADDRESS_ELEMENTS if name.endswith("address") else CONTACT_ELEMENTS
            space[f"nested_{index}"] = segment_writer(inner, pad + "  ", (), True)
            empty = f"add({pad + '<' + name + '/>' + chr(10)!r})" if name in required else "pass"
            if source is None:
                lines.append(f"    {empty}")
                continue
            lines += [
                f"    value = {source}",
                "    if value is not None:",
                f"        add({pad + '<' + name + '>' + chr(10)!r})",
                f"        nested_{index}(value, None, add, invoice_number)",
                f"        add({pad + '</' + name + '>' + chr(10)!r})",
                "    else:",
                f"        {empty}",
            ]
            continue
        if source is None:
            continue
        space[f"kind_{index}"] = element.kind
        tag = _literal(f"{pad}<{name}>") + "{value}" + _literal(f"</{name}>\n")
        escaped = f"if special(value): value = escape_text(value, {name!r}, invoice_number)"
        branches = {
            "str": [escaped],
            "Decimal": ["value = format(value, 'f')"],  # digits, a sign and a point (or NaN, Infinity): no escaping
            "date": ["value = value.isoformat()"],  # render's YYYY-MM-DD
        }
        lines += [f"    value = {source}", "    if value is not None:", "        kind = type(value)"]
        for number, type_name in enumerate(_EXPECTED.get(element.kind, ("str", "Decimal", "date"))):
            lines += [f"        {'elif' if number else 'if'} kind is {type_name}:",
                      *(f"            {line}" for line in branches[type_name])]
        lines += [
            "        else:",
            f"            value = render(kind_{index}, value)",
            f"            {escaped}",
            f"        add(f{tag!r})",
        ]
    lines.append("    return None")
    exec(compile("\n".join(lines) + "\n", f"<ledes xml writer of {elements[0].name if elements else ''}.. at {len(pad)}>", "exec"), space)
    return space["write"]  # type: ignore[return-value]


def _literal(text: str) -> str:
    """``text`` as the literal part of an f-string."""
    return text.replace("{", "{{").replace("}", "}}")
