"""What is checked before a LEDES XML document is read (safe parsing and its schema, streaming when it is valid), or as it is read."""

from __future__ import annotations

import os
from collections.abc import Iterator
from importlib import resources
from typing import BinaryIO

from ledes.diagnostics import Emit
from ledes.formats.base import NotValid, Opener, Precheck
from ledes.formats.ledesxml.reader import stream_invoices
from ledes.formats.ledesxml.segments import TIERS, XmlReader
from ledes.formats.ledesxml.versions import XmlVersion
from ledes.formats.xmlcheck import check_xml
from ledes.formats.xmlsafe import PROGRESS, UntrustedStream
from ledes.formats.xmlschema import loaded_schema, valid_streaming
from ledes.model import Invoice


def schema_precheck(kind: str, reconstruction: str | None = None):
    """The precheck of the XML version ``kind`` (``xml2.1``): against the schema given with ``--xsd``, else its own.

    ``reconstruction`` is the file name of the version's reconstructed XSD in
    ``ledes.schemas`` (``ledes-xml-2.1.xsd``); without one, only ``--xsd`` validates.
    """
    own = (kind, str(resources.files("ledes.schemas") / reconstruction)) if reconstruction is not None else None

    def precheck(opener: Opener, emit: Emit, xsd: str | os.PathLike[str] | None) -> Precheck:
        schema = xsd if xsd is not None else own[1] if own is not None else None
        if schema is not None:
            with opener() as stream:
                # The reconstruction's identity constraints are the reader's to check, in bounded memory.
                if valid_streaming(stream, schema, identity=xsd is not None):
                    return Precheck()
        with opener() as stream:
            format_name = check_xml(stream, emit, xsd, own)
        return Precheck(readable=format_name is not None, format_name=format_name or "XML")

    return precheck


def dtd_precheck(kind: str):
    """The precheck of a DTD format (LEDES 2000): its DTD is never loaded, so only a schema given with ``--xsd`` is checked."""
    with_schema = schema_precheck(kind)

    def precheck(opener: Opener, emit: Emit, xsd: str | os.PathLike[str] | None) -> Precheck:
        return Precheck() if xsd is None else with_schema(opener, emit, xsd)

    return precheck


def schema_check(kind: str, reconstruction: str | None, opener: Opener, emit: Emit,
                 xsd: str | os.PathLike[str] | None) -> Precheck:
    """``schema_precheck(kind, reconstruction)`` run once: what a format's deferred precheck calls."""
    return schema_precheck(kind, reconstruction)(opener, emit, xsd)


def dtd_check(kind: str, opener: Opener, emit: Emit, xsd: str | os.PathLike[str] | None) -> Precheck:
    """``dtd_precheck(kind)`` run once: what a format's deferred precheck calls."""
    return dtd_precheck(kind)(opener, emit, xsd)


def passes_precheck(stream: BinaryIO, *, version: XmlVersion) -> bool:
    """Whether a document passes its version's precheck (``schema_precheck`` without ``--xsd``) with no finding.

    The same one streaming pass against the version's own schema, its identity constraints left to the reader.
    """
    if version.schema is None:
        return False
    return valid_streaming(stream, str(resources.files("ledes.schemas") / version.schema), identity=False)


def read_valid(stream, emit: Emit, path: str | None = None, *, version: XmlVersion) -> Iterator[Invoice]:
    """``read_xml`` of a document expected to be valid against its version's own schema, checked as it is read.

    One parse where the precheck and the reader make two, for a caller that can start
    again: when the document turns out not to be valid, or anything else stops its reading,
    NotValid is raised after the invoices read so far, whose findings are then void. When
    it ends without one, the schema found it valid, as the precheck (``schema_precheck``)
    would have, and the invoices and findings are those the reader alone makes.
    """
    if version.schema is None:
        raise NotValid
    schema, lock = loaded_schema(str(resources.files("ledes.schemas") / version.schema), identity=False)
    binary = getattr(stream, "buffer", stream)
    with lock:
        elements = UntrustedStream(binary, ("invoice", "tax", *TIERS), progress=PROGRESS, schema=schema)
        yield from stream_invoices(elements, XmlReader(emit, path, version), emit)
    if elements.problems or elements.root is None:
        raise NotValid
