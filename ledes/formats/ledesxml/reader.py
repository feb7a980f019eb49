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
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from lxml import etree

from ledes.diagnostics import Emit
from ledes.formats.ledesxml.segments import ROOTS, TIERS, XmlReader
from ledes.formats.xmlbytes import ByteSource
from ledes.formats.xmlmatters import MatterOpenings
from ledes.formats.xmlrepair import RepairingReader
from ledes.formats.xmlsafe import MAX_BYTES, PROGRESS, WELL_FORMED, UntrustedStream, discard, local
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
    A document that turns out not to be well-formed is read again from its start, when the
    stream can go back to it, repaired line by line as LEDES 2000 always is
    (``RepairingReader``: Windows code-page bytes, an unescaped ``<`` or ``&`` in a value);
    the invoices already read are passed over then, their findings not told twice.
    """
    binary: BinaryIO = getattr(stream, "buffer", stream)
    start = binary.tell() if binary.seekable() else None
    told = _Muted(emit)
    first = _Reading(binary, told, path, version, max_bytes)
    read = 0
    for invoice in first.invoices():
        read += 1
        yield invoice
    if start is None or not any(problem.rule == WELL_FORMED for problem in first.elements.problems):
        first.finish()
        return
    binary.seek(start)
    told.muted = read > 0
    second = _Reading(RepairingReader(binary), told, path, version, max_bytes)
    for index, invoice in enumerate(second.invoices()):
        if index >= read:
            yield invoice
        elif index == read - 1:
            told.muted = False  # what follows the invoices read before is told
    told.muted = False
    second.finish()


class _Muted:
    """An ``Emit`` that can be muted: while a document read again passes over what was already read and told."""

    def __init__(self, emit: Emit) -> None:
        self.emit = emit
        self.muted = False

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        if not self.muted:
            self.emit(*args, **kwargs)


class _Reading:
    """One reading of a document: its bytes (a matter closed but never opened put back), elements and segment reader."""

    def __init__(self, source: ByteSource, emit: Emit, path: str | None, version: XmlVersion | None,
                 max_bytes: int) -> None:
        repairs = getattr(source, "repairs", None)  # a RepairingReader's, reported as the values are read
        self.emit = emit
        self.opened = MatterOpenings(source, repairs)
        self.reader = XmlReader(emit, path, version, self.opened.claim(emit))
        self.elements = UntrustedStream(self.opened, ("invoice", "tax", *TIERS), progress=PROGRESS,
                                        max_bytes=max_bytes)

    def invoices(self) -> Iterator[Invoice]:
        """The invoices, the problems that stopped the parse left for ``finish``."""
        return stream_invoices(self.elements, self.reader, self.emit, report=False)

    def finish(self) -> None:
        """Report what stopped the parse, and the repairs no value claimed."""
        for problem in self.elements.problems:
            problem.report(self.emit)
        self.opened.report(self.emit)


def stream_invoices(elements: UntrustedStream, reader: DocumentReader, emit: Emit, *,
                    report: bool = True) -> Iterator[Invoice]:
    """The invoices ``reader`` makes of the elements of an untrusted document, each removed from the tree once read.

    What stopped the parse (``elements.problems``) is reported at the end, unless ``report`` is false.
    """
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
    if report:
        for problem in elements.problems:
            problem.report(emit)
