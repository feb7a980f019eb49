"""LEDES 1998B as a ``Format``: the pipe reader and writer with its field table; the format every plain text file falls back to."""

from __future__ import annotations

import re

from ledes.formats.base import BY_HELD_FIELDS, Format, deferred
from ledes.formats.ledes1998b import table
from ledes.formats.ledes1998b.reader import read_1998b
from ledes.formats.pipe.sniff import pipe_sniffer

LEDES_1998B = Format(
    name=table.FORMAT_NAME,
    key="1998b",
    title="LEDES 1998B",
    read=read_1998b,
    write=deferred("ledes.formats.ledes1998b.writer", "write_1998b"),  # validating never writes
    field_names=table.FIELD_NAMES,
    # "LEDES1998B" followed by anything but the I of 1998BI ("LEDES1998B []", "LEDES1998B[]|").
    sniff=pipe_sniffer(table.FORMAT, re.compile(r"LEDES\s*1998\s*B(?!\s*I)"), fallback=True),
    losses=BY_HELD_FIELDS,
    preamble_lines=2,
)
