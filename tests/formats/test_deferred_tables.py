"""The LEDES XML and LEDES 2000 element tables are built when first used, and are then what they were."""

from __future__ import annotations

import subprocess
import sys

from ledes.formats import ledes2000, ledesxml
from ledes.formats.ledes2000 import table as table_2000
from ledes.formats.ledesxml import XML_21, XML_22, table
from ledes.formats.ledesxml.xml20 import MAX_LENGTHS_20, NOT_IN_20, XML_20
from ledes.formats.registry import format_named


def test_the_field_names_are_the_tables():
    for key in ("xml2.0", "xml2.1", "xml2.2"):
        names = format_named(key).field_names
        assert names == table.FIELD_NAMES and dict(names) == table.FIELD_NAMES
        assert names["line_item.total"] == table.FIELD_NAMES["line_item.total"] and len(names) == len(table.FIELD_NAMES)
    assert dict(format_named("xml2000").field_names) == table_2000.FIELD_NAMES
    assert ledesxml and ledes2000  # the packages, imported as the registry imports them


def test_the_segments_are_the_tables_built_once():
    assert XML_21.segments is table.SEGMENTS and XML_22.segments is table.SEGMENTS
    amended = table.SEGMENTS.amended(dropped=NOT_IN_20, max_lengths=MAX_LENGTHS_20)
    assert XML_20.segments is XML_20.segments
    assert XML_20.segments == amended and XML_20.segments != table.SEGMENTS


PROBE = """
import sys
from ledes.formats.registry import FORMATS, format_named
print("ledes.formats.ledesxml.table" in sys.modules, "ledes.formats.ledes2000.table" in sys.modules)
format_named("xml2.1").field_names.get("line_item.total")
format_named("xml2000").field_names.get("line_item.total")
print("ledes.formats.ledesxml.table" in sys.modules, "ledes.formats.ledes2000.table" in sys.modules)
"""


def test_the_format_table_does_not_build_them():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["False False", "True True"]
