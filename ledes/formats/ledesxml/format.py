"""LEDES XML 2.1 and 2.2 as ``Format`` values: one reader, one writer per version, the schema checked before reading."""

from __future__ import annotations

import functools

from ledes.formats.base import BY_READING_BACK, DeferredMapping, Format, RequiredOption, WriteOptions, deferred
from ledes.formats.ledesxml import XML_21, XML_22
from ledes.formats.ledesxml.sniff import root_sniffer
from ledes.formats.ledesxml.versions import XmlVersion
from ledes.model import Invoice

LAW_FIRM_NAME = RequiredOption("law_firm_name", "the law firm's name (lf_name)")


_complete = deferred("ledes.conversion", "complete_for_xml")  # only writing an XML file completes an invoice


def prepare_for_xml(invoice: Invoice, options: WriteOptions, title: str) -> Invoice:
    """What every LEDES XML writer needs: the law firm's name; and the currency given for invoices that state none."""
    return _complete(invoice, options.law_firm_name, title, options.currency)


def xml_format(version: XmlVersion, name: str, key: str, title: str, *, fallback: bool = False) -> Format:
    """The ``Format`` of one LEDES XML 2.x version; a ``fallback`` one reads (and reports) XML of unknown roots."""
    return Format(
        name=name,
        key=key,
        title=title,
        read=functools.partial(deferred("ledes.formats.ledesxml.reader", "read_xml"), version=version),
        write=functools.partial(deferred("ledes.formats.ledesxml.writer", "write_xml"), version),
        field_names=DeferredMapping("ledes.formats.ledesxml.table", "FIELD_NAMES"),
        sniff=root_sniffer(version.root, fallback=fallback),
        losses=BY_READING_BACK,
        binary=True,
        precheck=functools.partial(deferred("ledes.formats.ledesxml.precheck", "schema_check"), key, version.schema),
        required_options=(LAW_FIRM_NAME,),
        prepare=prepare_for_xml,
        unread=frozenset({"line_item.number"}),
        read_valid=functools.partial(deferred("ledes.formats.ledesxml.precheck", "read_valid"), version=version),
        texts=functools.partial(deferred("ledes.formats.ledesxml.writer", "xml_texts"), version),
        valid=functools.partial(deferred("ledes.formats.ledesxml.precheck", "passes_precheck"), version=version),
    )


LEDES_XML_21 = xml_format(XML_21, "LEDESXML2.1", "xml2.1", "LEDES XML 2.1")
LEDES_XML_22 = xml_format(XML_22, "LEDESXML2.2", "xml2.2", "LEDES XML 2.2", fallback=True)
