"""What a LEDES XML segment states that its lines also give (its ``=`` figures), kept with the line and XPath of each."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ledes.formats.ledesxml.table import Element
from ledes.formats.xmlsafe import local
from ledes.model import Location, Stated


def figure_names(elements: tuple[Element, ...]) -> dict[str, str]:
    """The figures a segment's table states: computed key (the ``=`` target without its ``=``) -> element name."""
    return {element.target[1:]: element.name for element in elements if element.target.startswith("=")}


def child_lines(element: Any, names: Iterable[str]) -> dict[str, int]:
    """The line of the first child of ``element`` named each of ``names`` (those it has)."""
    wanted = frozenset(names)
    lines: dict[str, int] = {}
    for child in element:
        name = local(child)
        if name in wanted and name not in lines:
            lines[name] = child.sourceline
    return lines


def stated_figures(values: dict[str, Any], names: dict[str, str], lines: dict[str, int], line: int | None, xpath: str,
                   path: str | None) -> dict[str, Stated]:
    """The ``=`` values of a segment, taken out of ``values``: each at its element's line (``lines``), else the segment's.

    ``names`` are the segment's figures (``figure_names``); ``xpath`` is the segment's.
    """
    figures: dict[str, Stated] = {}
    for target in [key for key in values if key[0] == "="]:
        key = target[1:]
        name = names[key]
        figures[key] = Stated(name, values.pop(target), Location(path, lines.get(name, line), None, f"{xpath}/{name}"))
    return figures
