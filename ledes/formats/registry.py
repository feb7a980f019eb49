"""The table of supported formats, and the one place that recognises which format a file holds."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from ledes.formats.base import Format
from ledes.formats.keys import FORMAT_KEYS
from ledes.formats.ledes1998b.format import LEDES_1998B
from ledes.formats.ledes1998bi.format import LEDES_1998BI
from ledes.formats.ledes2000.format import LEDES_2000
from ledes.formats.ledesxml.format import LEDES_XML_21, LEDES_XML_22
from ledes.formats.ledesxml.xml20 import LEDES_XML_20

# Each supported format, once; earlier ones win a tie. A new format adds one line here.
FORMATS: tuple[Format, ...] = (LEDES_1998B, LEDES_1998BI, LEDES_XML_20, LEDES_XML_21, LEDES_XML_22, LEDES_2000)
DEFAULT = LEDES_1998B  # what the library writes when no format is named
if tuple(f.key for f in FORMATS) != FORMAT_KEYS:  # the CLI's choices are listed without importing the formats
    raise ImportError(f"ledes.formats.keys.FORMAT_KEYS {FORMAT_KEYS} differ from the registry's formats")

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def format_named(key: str) -> Format:
    """The format whose CLI key (``1998b``) or name (``LEDES1998B``) is ``key``."""
    for candidate in FORMATS:
        if key.lower() in (candidate.key, candidate.name.lower()):
            return candidate
    raise KeyError(key)


@functools.cache
def message_names(key: str) -> Mapping[str, str]:
    """The LEDES 1998B field names rule messages are written with, to the format ``key``'s own names where they differ.

    A rule says "LINE_ITEM_TOTAL is 1250 but …"; on a LEDES XML file that is ``total_amount``
    (``DiagnosticSink`` puts each file's names in its findings' messages).
    """
    own = format_named(key).field_names
    return {name: own[path] for path, name in LEDES_1998B.field_names.items()
            if own.get(path, name) != name and _ELEMENT.fullmatch(own[path]) and path not in _NOT_RENAMED
            and own[path] != "base_amount"}


_ELEMENT = re.compile("[a-z_]+")
# A line's type is XML's element (fee, expense, …), a timekeeper's "Last, First" two elements, and LEDES
# 2000's base_amount is no adjustment: a message about them keeps 1998B's name.
_NOT_RENAMED = frozenset({"line_item.type", "timekeeper.name"})


def sniff(head: bytes | str) -> tuple[Format, int]:
    """The format a file's first bytes (or characters) fit best, with its score (``ledes.formats.base``)."""
    text = _decoded(head) if isinstance(head, bytes) else head
    scored = [(candidate.sniff(text), -index, candidate) for index, candidate in enumerate(FORMATS)]
    score, _, best = max(scored, key=lambda entry: entry[:2])
    return best, score


def detect(head: bytes | str) -> Format:
    """The format a file's first bytes announce; LEDES 1998B when nothing matches.

    An XML document is told by its root element; a pipe file by its format line and its
    header together, the header weighing more (it decides how the records are read). A
    file that matches nothing is read as 1998B (XML of an unknown root as XML 2.2), so
    that the reader can report the damage and every other problem in the file.
    """
    return sniff(head)[0]


def _decoded(head: bytes) -> str:
    for mark, encoding in _BOMS:
        if head.startswith(mark):
            return head[len(mark):].decode(encoding, "replace")
    return head.decode("utf-8", "replace")


detect_format = detect  # the name this function had before the Format protocol
