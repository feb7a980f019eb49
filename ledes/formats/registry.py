"""The table of supported formats, and recognising which one a file holds from its first line."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TextIO

import attrs

from ledes.diagnostics import Emit
from ledes.formats.ledes1998b import table as table_1998b
from ledes.formats.ledes1998b.reader import read_1998b
from ledes.formats.ledes1998b.writer import write_1998b
from ledes.formats.ledes1998bi import table as table_1998bi
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

FORMATS: tuple[Format, ...] = (LEDES_1998B, LEDES_1998BI)


def format_named(key: str) -> Format:
    """The format whose CLI key (``1998b``) or name (``LEDES1998B``) is ``key``."""
    for candidate in FORMATS:
        if key.lower() in (candidate.key, candidate.name.lower()):
            return candidate
    raise KeyError(key)


def detect_format(head: str) -> Format:
    """The format a file's first lines announce; LEDES 1998B when nothing better matches.

    The format line decides; when it is damaged, a header of 1998BI's 52 field names
    does. A file that matches nothing is read as 1998B, so that the reader can report
    the damage and every other problem in the file.
    """
    first = head.lstrip("\ufeff").lstrip()
    for candidate in FORMATS:
        if any(first.startswith(marker) for marker in candidate.markers):
            return candidate
    lines = first.splitlines()
    header = lines[1] if len(lines) > 1 and not lines[0].upper().startswith("INVOICE_DATE|") else first
    if header.upper().count("|") >= len(table_1998bi.FIELDS) - 1 and "INVOICE_NET_TOTAL" in header.upper():
        return LEDES_1998BI
    return LEDES_1998B
