"""LEDES 2000 as a ``Format``: its tolerant reader and clean writer; its DTD is never loaded."""

from __future__ import annotations

from ledes.formats.base import Format
from ledes.formats.ledes2000 import table
from ledes.formats.ledes2000.reader import read_2000
from ledes.formats.ledes2000.writer import write_2000
from ledes.formats.ledesxml.format import LAW_FIRM_NAME, prepare_for_xml
from ledes.formats.ledesxml.precheck import dtd_precheck
from ledes.formats.ledesxml.sniff import root_sniffer
from ledes.formats.losses import by_reading_back

LEDES_2000 = Format(
    name="LEDES2000",
    key="xml2000",
    title="LEDES 2000",
    read=read_2000,
    write=write_2000,
    field_names=table.FIELD_NAMES,
    sniff=root_sniffer("ledesxml"),
    losses=by_reading_back,
    binary=True,
    precheck=dtd_precheck("xml2000"),
    required_options=(LAW_FIRM_NAME,),
    prepare=prepare_for_xml,
)
