"""What openpyxl does with each part of an .xlsx workbook, known from its content types and relationships, not names.

openpyxl streams a workbook's sheets and shared strings, but reads some parts whole, as one
tree of some 30 bytes of memory per byte of XML: its content types, relationships, styles,
properties and workbook, and whatever the relationships name as an external link or a chart
sheet. Such a part may be called anything (``xl/book.bin``), so the parts read whole are
found as openpyxl finds them: every relationship is resolved as openpyxl resolves it, and a
part any relationship or content type names as something openpyxl may read whole is one.
The content types and relationships are read streaming, each element dropped once read,
after ``ledes.importing.xlsxcheck`` has refused any DTD in them and any over its limit.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError, iterparse

import attrs

CONTENT_TYPES = "[Content_Types].xml"
# The parts openpyxl reads whole by their fixed names, and the suffix of every relationships part.
READ_WHOLE_NAMES = frozenset({CONTENT_TYPES, "docProps/core.xml", "docProps/custom.xml", "xl/workbook.xml",
                              "xl/styles.xml", "xl/theme/theme1.xml"})
RELATIONSHIPS = ".rels"
_SHARED_STRINGS = ("/sharedStrings", "sharedStrings+xml")
# Relationship types and content types (their ends) of the parts openpyxl streams, or never reads when it reads a
# workbook read-only, as ledes does: sheets, shared strings, pivot-table caches, comments and custom XML.
_NOT_READ_WHOLE = ("/worksheet", "worksheet+xml", *_SHARED_STRINGS, "/pivotCacheRecords", "pivotCacheRecords+xml",
                   "/comments", "comments+xml", "/vmlDrawing", "vmlDrawing", "/customXml")


@attrs.frozen
class PartRoles:
    """The names of the parts openpyxl may read whole, and of those named as the workbook's shared strings."""

    read_whole: frozenset[str]
    shared_strings: frozenset[str]


def part_roles(archive: zipfile.ZipFile) -> PartRoles:
    """The roles the workbook's content types and relationships give its parts."""
    read_whole = set(READ_WHOLE_NAMES)
    shared_strings: set[str] = set()
    for name in archive.namelist():
        if name.endswith(RELATIONSHIPS):
            read_whole.add(name)
            for kind, target in _relationships(archive, name):
                _sort(kind, target, read_whole, shared_strings)
    for override in _elements(archive, CONTENT_TYPES, "Override"):
        _sort(override.get("ContentType", ""), override.get("PartName", "").removeprefix("/"), read_whole,
              shared_strings)
    return PartRoles(frozenset(read_whole), frozenset(shared_strings))


def _sort(kind: str, part: str, read_whole: set[str], shared_strings: set[str]) -> None:
    """File ``part`` by its relationship or content type ``kind``: a chart sheet is read whole, whatever else."""
    if kind.endswith(_SHARED_STRINGS):
        shared_strings.add(part)
    if "chartsheet" in kind or not kind.endswith(_NOT_READ_WHOLE):
        read_whole.add(part)


def _relationships(archive: zipfile.ZipFile, name: str) -> Iterator[tuple[str, str]]:
    """(type, part) for each relationship in the relationships part ``name``, resolved as openpyxl resolves it."""
    parent = posixpath.split(posixpath.dirname(name))[0]
    for relationship in _elements(archive, name, "Relationship"):
        target = relationship.get("Target", "")
        if relationship.get("TargetMode") == "External":
            continue
        yield relationship.get("Type", ""), (target[1:] if target.startswith("/")
                                             else posixpath.normpath(posixpath.join(parent, target)))


def _elements(archive: zipfile.ZipFile, name: str, local_name: str) -> Iterator[Element]:
    """The elements called ``local_name`` (in any namespace) of the part ``name``, read streaming and then dropped.

    A part that is missing or not well-formed has none: openpyxl reports it, or does not read it.
    """
    if name not in archive.NameToInfo:
        return
    try:
        with archive.open(name) as part:
            root = None
            for event, element in iterparse(part, events=("start", "end")):
                if root is None:
                    root = element
                elif event == "end" and element.tag.rpartition("}")[2] == local_name:
                    yield element
                    root.clear()
    except ParseError:
        return
