"""LEDES 2000 as a ``Format``: its tolerant reader and clean writer; its DTD is never loaded."""

from __future__ import annotations

import functools

from ledes.formats.base import BY_READING_BACK, DeferredMapping, Format, deferred
from ledes.formats.ledesxml.format import LAW_FIRM_NAME, prepare_for_xml
from ledes.formats.ledesxml.sniff import root_sniffer

LEDES_2000 = Format(
    name="LEDES2000",
    key="xml2000",
    title="LEDES 2000",
    read=deferred("ledes.formats.ledes2000.reader", "read_2000"),
    write=deferred("ledes.formats.ledes2000.writer", "write_2000"),
    field_names=DeferredMapping("ledes.formats.ledes2000.table", "FIELD_NAMES"),
    sniff=root_sniffer("ledesxml"),
    losses=BY_READING_BACK,
    binary=True,
    precheck=functools.partial(deferred("ledes.formats.ledesxml.precheck", "dtd_check"), "xml2000"),
    required_options=(LAW_FIRM_NAME,),
    prepare=prepare_for_xml,
    unread=frozenset({"line_item.number"}),
)
