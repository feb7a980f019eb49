"""The table of supported formats, and recognising which one a file holds from its first line."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TextIO

import attrs

from ledes.diagnostics import Emit
from ledes.formats.ledes1998b import table as table_1998b
from ledes.formats.ledes1998b.reader import read_1998b
from ledes.formats.ledes1998b.writer import write_1998b
from ledes.formats.ledes1998bi import table as table_1998bi
from ledes.formats.ledes2000 import read_2000, write_2000
from ledes.formats.ledes2000 import table as table_2000
from ledes.formats.ledesxml import XML_21, XML_22, read_xml, write_xml
from ledes.formats.ledesxml import table as table_xml
from ledes.formats.pipe.reader import read_pipe
from ledes.formats.pipe.writer import write_pipe
from ledes.model import Invoice


@attrs.frozen
class Format:
    """A LEDES format: its name, the CLI's name for it, its reader and writer, its field names."""

    name: str
    key: str
    title: str
    read: Callable[[TextIO, Emit, str | None], Iterator[Invoice]]
    write: Callable[[Iterable[Invoice], TextIO], None]
    field_names: Mapping[str, str]
    markers: tuple[str, ...]
    xml: bool = False


LEDES_1998B = Format(
    name=table_1998b.FORMAT_NAME,
    key="1998b",
    title="LEDES 1998B",
    read=read_1998b,
    write=write_1998b,
    field_names=table_1998b.FIELD_NAMES,
    markers=("LEDES1998B",),
)

LEDES_1998BI = Format(
    name=table_1998bi.FORMAT_NAME,
    key="1998bi",
    title="LEDES 1998BI",
    read=functools.partial(read_pipe, table_1998bi.FORMAT),
    write=functools.partial(write_pipe, table_1998bi.FORMAT),
    field_names=table_1998bi.FIELD_NAMES,
    markers=("LEDES98BI",),
)

LEDES_XML_21 = Format(
    name="LEDESXML2.1",
    key="xml2.1",
    title="LEDES XML 2.1",
    read=read_xml,
    write=functools.partial(write_xml, XML_21),
    field_names=table_xml.FIELD_NAMES,
    markers=(f"<{XML_21.root}",),
    xml=True,
)

LEDES_XML_22 = Format(
    name="LEDESXML2.2",
    key="xml2.2",
    title="LEDES XML 2.2",
    read=read_xml,
    write=functools.partial(write_xml, XML_22),
    field_names=table_xml.FIELD_NAMES,
    markers=(f"<{XML_22.root}",),
    xml=True,
)

LEDES_2000 = Format(
    name="LEDES2000",
    key="xml2000",
    title="LEDES 2000",
    read=read_2000,
    write=write_2000,
    field_names=table_2000.FIELD_NAMES,
    markers=("<ledesxml",),
    xml=True,
)

FORMATS: tuple[Format, ...] = (LEDES_1998B, LEDES_1998BI, LEDES_XML_21, LEDES_XML_22, LEDES_2000)
_XML_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(ledesxmlebilling2\.[0-9]|ledesxml)[\s>/]")


def format_named(key: str) -> Format:
    """The format whose CLI key (``1998b``) or name (``LEDES1998B``) is ``key``."""
    for candidate in FORMATS:
        if key.lower() in (candidate.key, candidate.name.lower()):
            return candidate
    raise KeyError(key)


def detect_format(head: str) -> Format:
    """The format a file's first lines announce; LEDES 1998B when nothing better matches.

    An XML document is LEDES XML 2.1, 2.2 or LEDES 2000 by its root element (2.2 when the
    root is none of them: the reader then reports it). Otherwise the format line decides; when it is damaged, a header of 1998BI's 52 field names
    does. A file that matches nothing is read as 1998B, so that the reader can report
    the damage and every other problem in the file.
    """
    first = head.lstrip("\ufeff").lstrip()
    if first.startswith("<"):
        root = _XML_ROOT.search(first)
        name = root.group(1) if root else None
        return {XML_21.root: LEDES_XML_21, "ledesxml": LEDES_2000}.get(name, LEDES_XML_22)  # type: ignore[arg-type]
    for candidate in FORMATS:
        if any(first.startswith(marker) for marker in candidate.markers):
            return candidate
    lines = first.splitlines()
    header = lines[1] if len(lines) > 1 and not lines[0].upper().startswith("INVOICE_DATE|") else first
    if header.upper().count("|") >= len(table_1998bi.FIELDS) - 1 and "INVOICE_NET_TOTAL" in header.upper():
        return LEDES_1998BI
    return LEDES_1998B
