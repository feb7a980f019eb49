"""Where a run-wide rule first saw a record: its ``Location``, spilled as one line of ASCII text."""

from __future__ import annotations

from ledes.model import Location
from ledes.rules.runstore import SpillingMap

NOWHERE = Location(None, None, None, None)  # the place of a record read without one

_PATHS_KEPT = 1024  # the ``ascii`` text of this many paths remembered (a run reads a few files)
_path_texts: dict[str | None, str] = {}
_text_paths: dict[str, str | None] = {}  # the other way: a place read back without parsing its path's text again


def first_places(per_line: bool = False) -> SpillingMap[Location]:
    """A run's map from a key's digest to where it was first seen, in flat memory (``SpillingMap``'s ``per_line``)."""
    return SpillingMap(_encoded, _decoded, per_line=per_line)


def _encoded(place: Location) -> str:
    """A place as text: ``LINE PATH`` (the path's ``ascii``, remembered) for a line of a file, as a pipe reader
    places a record; else the ``ascii`` of its four fields, which starts with a bracket."""
    line = place.line
    if type(line) is int and place.field is None and place.xpath is None:
        path = place.path
        text = _path_texts.get(path)
        if text is None:
            if len(_path_texts) >= _PATHS_KEPT:
                _path_texts.clear()
                _text_paths.clear()
            text = _path_texts[path] = ascii(path)
            _text_paths[text] = path
        return f"{line} {text}"
    return ascii((place.path, line, place.field, place.xpath))


def _decoded(text: str) -> Location:
    """A place as ``_encoded`` wrote it."""
    import ast  # only a repeat whose first place had spilled needs it

    if text.startswith("("):
        path, line, field, xpath = ast.literal_eval(text)
        return Location(path, line, field, xpath)
    line_text, _, path_text = text.partition(" ")
    path = _text_paths[path_text] if path_text in _text_paths else ast.literal_eval(path_text)
    return Location(path, int(line_text), None, None)
