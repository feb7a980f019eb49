"""Reader for LEDES XML 2.1 and 2.2: streams invoices into the model, reporting problems with line and XPath.

The document is parsed safely (``xmlsafe``) and invoice by invoice: each ``invoice``
element is read with its client and firm, then removed from the tree, so memory stays
bounded. Values are converted by the element tables (``values``); one that does not
convert is kept as ``Unparsed`` and reported. The segments become the model as
``segments`` describes; the taxes are ``taxes``'. The figures the file states beside
its lines (matter summaries, tax summaries, ``base_amount``) are kept on the model and
checked by the arithmetic rules (``arithmetic.matter-totals``, ``arithmetic.line-total``).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO, Protocol

from lxml import etree

from ledes.diagnostics import Emit
from ledes.formats.ledesxml.segments import ROOTS, TIERS, XmlReader
from ledes.formats.xmlmatters import MatterOpenings
from ledes.formats.xmlsafe import MAX_BYTES, PROGRESS, UntrustedStream, discard, local
from ledes.model import Invoice
from ledes.money import exact

if TYPE_CHECKING:
    from ledes.formats.ledesxml.writer import XmlVersion

__all__ = ["PROGRESS", "ROOTS", "DocumentReader", "XmlReader", "read_xml", "stream_invoices"]


class DocumentReader(Protocol):
    """What ``stream_invoices`` reads a document's segments with (``XmlReader``, LEDES 2000's ``Reader2000``)."""

    def check_root(self, root: etree._Element | None) -> bool:
        """Whether the document's root is one this reader reads; reported when it is not."""
        ...

    def segment(self, element: etree._Element) -> None:
        """A segment the stream yields outside any invoice (LEDES XML 2.x: a tax definition)."""
        ...

    def invoice(self, element: etree._Element) -> Invoice | None:
        """The invoice an ``invoice`` element holds, with its firm and client; None when it cannot be read."""
        ...


def read_xml(stream, emit: Emit, path: str | None = None, version: XmlVersion | None = None, *,
             max_bytes: int = MAX_BYTES) -> Iterator[Invoice]:
    """Stream the invoices of a LEDES XML 2.x document from a binary stream (or a text stream's buffer).

    A 2.1 or 2.2 root is read with the 2.1 / 2.2 tables; ``version`` (the format reading)
    adds its own root, read with its own tables. A document over ``max_bytes`` is refused.
    A matter closed but never opened (``MatterOpenings``) is read as a matter of its own, and reported.
    """
    binary: BinaryIO = getattr(stream, "buffer", stream)
    opened = MatterOpenings(binary)
    reader = XmlReader(emit, path, version, opened.claim(emit))
    elements = UntrustedStream(opened, ("invoice", "tax", *TIERS), progress=PROGRESS, max_bytes=max_bytes)
    yield from stream_invoices(elements, reader, emit)
    opened.report(emit)


def stream_invoices(elements: UntrustedStream, reader: DocumentReader, emit: Emit) -> Iterator[Invoice]:
    """The invoices ``reader`` makes of the elements of an untrusted document, each removed from the tree once read."""
    checked_root = False
    for element in elements:
        if not checked_root:
            checked_root = True
            if not reader.check_root(elements.root):
                break
        if local(element) != "invoice":
            reader.segment(element)
            continue
        # An invoice's records hold no reference cycles: the cyclic garbage collector is paused while they are built.
        collecting = gc.isenabled()
        gc.disable()
        try:
            with exact():  # a line's total and tax keep every digit of a wide amount or rate
                invoice = reader.invoice(element)
        finally:
            if collecting:
                gc.enable()
        discard(element)
        if invoice is not None:
            yield invoice
    if not checked_root and elements.root is not None:
        reader.check_root(elements.root)
    for problem in elements.problems:
        problem.report(emit)
