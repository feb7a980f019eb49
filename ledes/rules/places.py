"""Where a run-wide rule first saw a record: its ``Location``, spilled as the ``ascii`` text of its four fields."""

from __future__ import annotations

from ledes.model import Location
from ledes.rules.runstore import SpillingMap

NOWHERE = Location(None, None, None, None)  # the place of a record read without one


def first_places(per_line: bool = False) -> SpillingMap[Location]:
    """A run's map from a key's digest to where it was first seen, in flat memory (``SpillingMap``'s ``per_line``)."""
    return SpillingMap(_encoded, _decoded, per_line=per_line)


def _encoded(place: Location) -> str:
    return ascii((place.path, place.line, place.field, place.xpath))


def _decoded(text: str) -> Location:
    """A place as ``_encoded`` wrote it."""
    import ast  # only a repeat whose first place had spilled needs it

    path, line, field, xpath = ast.literal_eval(text)
    return Location(path, line, field, xpath)
