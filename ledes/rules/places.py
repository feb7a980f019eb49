"""Where a run-wide rule first saw a record, kept small: (path, line, field, xpath), spilled as its ``ascii`` text."""

from __future__ import annotations

from ledes.model import Location
from ledes.rules.runstore import SpillingMap

Place = tuple[str | None, int | None, str | None, str | None]


def place_of(location: Location | None) -> Place:
    if location is None:
        return (None, None, None, None)
    return (location.path, location.line, location.field, location.xpath)


def location_at(place: Place) -> Location:
    path, line, field, xpath = place
    return Location(path, line, field, xpath)


def first_places() -> SpillingMap[Place]:
    """A run's map from a key's digest to where it was first seen, in flat memory."""
    return SpillingMap(ascii, _decoded)


def _decoded(text: str) -> Place:
    """A place as ``ascii`` wrote it."""
    import ast  # only a repeat whose first place had spilled needs it

    path, line, field, xpath = ast.literal_eval(text)
    return (path, line, field, xpath)
