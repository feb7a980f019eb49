"""Parsing untrusted XML safely: no network, no DTD, no entity expansion, a size ceiling, and every refusal as a finding with its line."""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import urllib.parse
from collections.abc import Iterator
from typing import Any

import attrs
from lxml import etree

from ledes.diagnostics import Emit
from ledes.errors import LedesInputError
from ledes.formats.xmlbytes import ByteSource, CappedReader, Stalled, TooLarge
from ledes.rules import xml as xml_rules

MAX_BYTES = 256 * 2**20
STALL_BYTES = 2 * 2**20  # the most a streamed document may hold between two segment ends (a line: a few hundred bytes)
# Segments that end often in a LEDES XML document (each line, timekeeper summary, matter, client): each one shows a
# streamed document is still LEDES, however long its invoice.
PROGRESS = ("fee", "expense", "matter_disc_cred", "tksum", "tk_sum", "matter", "client", "firm")

# The rules an XML problem names, by name (an ``XmlProblem`` carries the name: it is compared and kept as text).
WELL_FORMED, UNSAFE = xml_rules.WELL_FORMED.name, xml_rules.UNSAFE.name
SIZE, SCHEMA = xml_rules.SIZE.name, xml_rules.SCHEMA.name

# What root_format returns: the LEDES XML versions, told apart by their root element (the LEDES XML specifications, ledes.org).
XML_22, XML_21, XML_20, XML_2000 = "xml2.2", "xml2.1", "xml2.0", "xml2000"
NAMESPACE_22 = "http://www.ledes.org/LEDES22.xsd"

Source = str | os.PathLike[str] | bytes | ByteSource

# The LEDES XML segments: always numbered in the XPaths of diagnostics, even when alone.
SEGMENTS = frozenset({
    "firm", "client", "invoice", "matter", "matter_disc_cred", "tksum", "tk_sum", "fee", "expense", "tax",
    "tax_summary", "tax_sum", "tax_item_fee", "tax_fee", "tax_item_expense", "tax_expense", "tax_matter_disc_cred",
    "tax_tier_detail", "tax_tier_summary", "tax_tier_sum", "extend_header",
})
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\0", "utf-16-le"), (b"\0<", "utf-16-be"),
)
_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)
_LITERAL = r"""(?:"([^"]*)"|'([^']*)')"""
_EXTERNAL_ID = rf"""(?:\s+(?:SYSTEM|PUBLIC\s+(?:"[^"]*"|'[^']*'))\s+{_LITERAL})?"""
_DOCTYPE = re.compile(rf"<!DOCTYPE\s+(?P<root>[^\s\[>]+){_EXTERNAL_ID}\s*(\[)?")
_ENTITY = re.compile(rf"<!ENTITY\s+(?:%\s+)?([^\s>]+){_EXTERNAL_ID}")
_PARSER_HINT = re.compile(r",? *(?:try XML_PARSE_HUGE|use XML_PARSE_HUGE option|see xmlCtxtSetMaxAmplification)\.?")


def local(element: Any) -> str:
    """An element's name without its namespace; "" for a comment or processing instruction."""
    tag = element.tag
    return tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""


_CROWD = 32  # children past which an element's own are removed before it is (see ``discard``)


def discard(element: Any) -> None:
    """Remove a read element from the tree a streaming parse is building, in time linear in its size (not the root).

    lxml moves a removed node's whole subtree to fix its namespaces, in time that grows as the
    square of a node's children (a matter of 15,000 lines: 5 s; 40,000: 38 s), while it moves a
    node of a few children at once: so each crowded node below ``element`` is emptied first, the
    deepest first, and ``element`` is emptied (in C, child by child) before it is removed.
    """
    parent = element.getparent()
    if parent is None:
        return
    for child in element:
        if len(child) > _CROWD:
            discard(child)
    element.clear()
    parent.remove(element)


@attrs.frozen
class XmlProblem:
    """A reason an XML document cannot be read, or a schema violation: rule, message, 1-based line, XPath."""

    rule: str
    message: str
    line: int | None = None
    xpath: str | None = None

    def report(self, emit: Emit) -> None:
        """Pass this problem on as a diagnostic, e.g. ``problem.report(sink.emit)``."""
        emit(self.rule, self.message, line=self.line, xpath=self.xpath)


def parse_untrusted(source: Source, *, max_bytes: int = MAX_BYTES) -> etree._ElementTree | list[XmlProblem]:
    """Parse an XML document from a path, bytes or a binary stream; its tree, or why it cannot be read.

    Nothing is ever loaded: any DOCTYPE (an internal subset, entity declarations, an external
    DTD) is refused as ``xml.unsafe`` before the parser sees the document, and entities are
    never expanded. A file larger than ``max_bytes`` is refused as ``xml.size`` from its size
    alone; a stream is cut off as soon as it passes the ceiling. Syntax errors are
    ``xml.well-formed``. Raises LedesInputError only when a path cannot be opened or read.
    """
    if isinstance(source, bytes):
        if len(source) > max_bytes:
            return [_too_large(len(source), max_bytes)]
        return _parse(io.BytesIO(source), max_bytes)
    if not isinstance(source, (str, os.PathLike)):
        size = file_size(source)
        if size is not None and size > max_bytes:
            return [_too_large(size, max_bytes)]
        return _parse(source, max_bytes)
    try:
        with open(source, "rb") as handle:
            status = os.fstat(handle.fileno())
            if stat.S_ISREG(status.st_mode) and status.st_size > max_bytes:
                return [_too_large(status.st_size, max_bytes)]
            return _parse(handle, max_bytes)
    except IsADirectoryError:
        raise LedesInputError(f"cannot read '{source}': it is a directory") from None
    except OSError as error:
        raise LedesInputError(f"cannot read '{source}': {error.strerror or error}") from None


class UntrustedStream:
    """The elements named ``tags`` of an untrusted document, each yielded once complete, as it is parsed.

    The same protections as ``parse_untrusted``: any DOCTYPE refused before parsing, no
    entity expansion, DTD or network, the size ceiling. The caller may remove an element
    from the tree once it has used it, so memory stays bounded however long the
    document. What stops the parse is in ``problems`` once iteration ends; ``root`` is
    the document's root element once it has been seen.

    The elements named ``progress`` (a reader's line segments) are not yielded: each one
    that ends shows the document is still LEDES. Where ``stall_bytes`` pass with neither
    kind ending, the document is mostly elements no reader reads, which the parser would
    keep in memory until their enclosing segment ends: reading stops there (``xml.size``),
    so memory stays bounded whatever the document holds.

    With a ``schema``, the document is also validated against it as it is parsed: the
    first violation stops the parse, as a syntax error does (``problems``). That mode is
    for documents ledes wrote itself: their internal entities would be expanded (within
    libxml2's limits), which a DOCTYPE found before parsing refuses anyway.
    """

    def __init__(
        self, source: ByteSource, tags: tuple[str, ...], *, max_bytes: int = MAX_BYTES,
        progress: tuple[str, ...] = (), stall_bytes: int = STALL_BYTES, schema: etree.XMLSchema | None = None,
    ) -> None:
        self.source = source
        self.tags = tags
        self.schema = schema
        self.progress = frozenset(progress)
        self.max_bytes = max_bytes
        self.stall_bytes = stall_bytes
        self.problems: list[XmlProblem] = []
        self.root: etree._Element | None = None

    def __iter__(self) -> Iterator[etree._Element]:
        size = file_size(self.source)
        if size is not None and size > self.max_bytes:
            self.problems.append(_too_large(size, self.max_bytes))  # from its size alone, before reading a byte
            return
        try:
            reader = CappedReader(self.source, self.max_bytes, self.stall_bytes)
            doctype = doctype_problem(reader.head)
            if doctype is not None:
                self.problems.append(doctype)
                return
            context = etree.iterparse(
                reader,
                events=("end",),
                tag=[f"{{*}}{tag}" for tag in (*self.tags, *self.progress)],
                # With a schema, lxml's resolve_entities=False lets libxml2 pass over some errors of form (an
                # unescaped "&", a document cut short); "internal" keeps them errors and loads nothing external.
                resolve_entities=False if self.schema is None else "internal",
                no_network=True,
                load_dtd=False,
                huge_tree=False,
                remove_comments=True,
                remove_pis=True,
                schema=self.schema,
            )
            try:
                progress = self.progress
                for _, element in context:
                    reader.progressed()
                    if self.root is None:
                        self.root = element.getroottree().getroot()
                    tag = element.tag
                    if tag[tag.rfind("}") + 1 :] in progress:
                        continue
                    yield element
            except etree.XMLSyntaxError as error:
                self.problems.extend(_syntax_problems(error, context.error_log, reader.last_line))
                return
            if self.root is None:
                self.root = context.root
        except Stalled as stalled:
            inside = f", the last one begun <{stalled.element}>" if stalled.element else ""
            self.problems.append(XmlProblem(SIZE, (
                f"more than {self.stall_bytes:,} bytes with no LEDES segment ending (elements ledes does not read{inside}, "
                "or one value that long); reading stopped"), reader.last_line))
            return
        except TooLarge:
            self.problems.append(_too_large(None, self.max_bytes))
            return
        if self.root is not None and self.root.getroottree().docinfo.doctype and not _allowed(self.root.getroottree().docinfo):
            self.problems.append(XmlProblem(UNSAFE, _refusal([], False, self.root.getroottree().docinfo.system_url)))


def file_size(source: object) -> int | None:
    """The size of a regular file behind a stream (through its buffers), None for a pipe or anything else."""
    while source is not None:
        fileno = getattr(source, "fileno", None)
        if fileno is not None:
            try:
                status = os.fstat(fileno())
            except (OSError, ValueError, io.UnsupportedOperation):
                return None
            return status.st_size if stat.S_ISREG(status.st_mode) else None
        source = getattr(source, "stream", None) or getattr(source, "raw", None)
    return None


def root_format(tree: etree._ElementTree) -> str | None:
    """Which LEDES XML version a document is, from its root element's name; None when it is none of them.

    Any namespace is accepted, as the readers accept it: the 2.2 namespace
    (``http://www.ledes.org/LEDES22.xsd``) is attested by one generator only, and the 2.1 and
    2.0 roots by no public sample, so a file in another spelling (``.../LEDES2.2``) is read as
    its root names it; the schema check reports the namespace the reconstruction does not have.
    """
    name = etree.QName(tree.getroot())
    return {"ledesxmlebilling2.2": XML_22, "ledesxmlebilling2.1": XML_21, "ledesxmlebilling2.0": XML_20,
            "ledesxml": XML_2000}.get(name.localname)


class RefuseLoading(etree.Resolver):
    """Answers a request to load a DTD, entity or schema with nothing, and remembers what was asked for.

    With ``local_files`` (for XSDs, whose ``xs:include`` names files beside them) a local
    file is left to libxml2; anything with a URL scheme is still refused.
    """

    def __init__(self, local_files: bool = False) -> None:
        super().__init__()
        self.local_files = local_files
        self.refused: list[str] = []

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> object:
        scheme = urllib.parse.urlsplit(system_url or "").scheme
        if self.local_files and system_url and (len(scheme) <= 1 or scheme == "file"):
            return None  # a local file ("C:" is a drive, not a scheme), loaded the usual way
        self.refused.append(str(system_url or public_id))
        return self.resolve_string("", context)


def safe_parser(resolver: RefuseLoading) -> etree.XMLParser:
    """The one parser configuration: no entity expansion, DTD, validation, network or oversized nodes."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )
    parser.resolvers.add(resolver)
    return parser


def _parse(stream: ByteSource, max_bytes: int) -> etree._ElementTree | list[XmlProblem]:
    try:
        reader = CappedReader(stream, max_bytes)
        doctype = doctype_problem(reader.head)
        if doctype is not None:
            return [doctype]
        refusals = RefuseLoading()
        parser = safe_parser(refusals)
        try:
            tree = etree.parse(reader, parser)
        except etree.XMLSyntaxError as error:
            return _syntax_problems(error, parser.error_log, reader.last_line)
    except TooLarge:
        return [_too_large(None, max_bytes)]
    problems = []
    if tree.docinfo.doctype and not _allowed(tree.docinfo):
        # a DOCTYPE the search of the head missed: past 64 KiB, or an unusual encoding
        dtd = tree.docinfo.internalDTD
        entities = [(entity.name, entity.system_url) for entity in dtd.iterentities()] if dtd is not None else []
        problems.append(XmlProblem(UNSAFE, _refusal(entities, False, tree.docinfo.system_url)))
    if refusals.refused:
        problems.append(XmlProblem(UNSAFE, f"the document asked to load {', '.join(refusals.refused)}: refused"))
    return problems or tree


def ledes2000_doctype(root: str | None, system_url: str | None) -> bool:
    """True for LEDES 2000's own DOCTYPE, ``<!DOCTYPE ledesxml SYSTEM '…/ledes2000.dtd'>``, without an internal subset.

    It is accepted because it declares nothing and ledes never loads it: the parser does
    not load DTDs or touch the network, and a resolver answers any request with nothing.
    """
    url = None if system_url is None else system_url.strip().lower()
    return root == "ledesxml" and url is not None and (url == "ledes2000.dtd" or url.endswith("/ledes2000.dtd"))


def _allowed(docinfo) -> bool:
    dtd = docinfo.internalDTD
    declares = dtd is not None and (any(True for _ in dtd.iterentities()) or any(True for _ in dtd.iterelements()))
    return not declares and ledes2000_doctype(docinfo.root_name, docinfo.system_url)


def _too_large(size: int | None, limit: int) -> XmlProblem:
    if size is None:
        return XmlProblem(SIZE, f"the document is longer than {limit:,} bytes, the most ledes reads as XML; reading stopped")
    return XmlProblem(SIZE, f"the file is {size:,} bytes, over the {limit:,} bytes ledes reads as XML; it was not read")


def doctype_problem(head: bytes) -> XmlProblem | None:
    """The refusal of a DOCTYPE in the document's prolog, found before any parsing; None when there is none."""
    text = _decode(head)
    prolog = _PROLOG.match(text)  # the pattern matches the empty string: it always matches
    start = prolog.end() if prolog is not None else 0
    if not text.startswith("<!DOCTYPE", start):
        return None
    line = _line_at(text, start)
    found = _DOCTYPE.match(text, start)
    if found is None:
        return XmlProblem(UNSAFE, _refusal([], True, None), line)
    subset = found.group(4) is not None
    url = found.group(2) or found.group(3)
    if not subset and ledes2000_doctype(found.group("root"), url):
        return None
    end = text.find("]>", found.end()) if subset else found.end()
    declared = _ENTITY.finditer(text, found.end(), end if end >= 0 else len(text)) if subset else ()
    entities = [(entity.group(1), entity.group(2) or entity.group(3)) for entity in declared]
    return XmlProblem(UNSAFE, _refusal(entities, subset, url), line)


def _refusal(entities: list[tuple[str, str | None]], subset: bool, dtd_url: str | None) -> str:
    reasons = []
    if entities:
        names = ", ".join(name for name, _ in entities[:5]) + (", …" if len(entities) > 5 else "")
        reasons.append(f"it declares entities ({names})")
        reasons += [f"entity '{name}' refers to '{url}'" for name, url in entities if url]
    elif subset:
        reasons.append("it has an internal DTD subset")
    if dtd_url:
        reasons.append(f"it refers to the external DTD '{dtd_url}'")
    what = "; ".join(reasons) or "it declares a document type"
    return (
        f"DOCTYPE refused: {what}. DTDs can expand entities without bound (billion laughs) or read"
        " files and URLs (XXE), so ledes loads and expands nothing; LEDES XML 2.x has no DOCTYPE (remove it),"
        " LEDES 2000 only <!DOCTYPE ledesxml SYSTEM \"http://www.ledes.org/ledes2000.dtd\">, with nothing inside it"
    )


def _decode(head: bytes) -> str:
    """The head of a document as text, enough to find markup: UTF-16 and UTF-32 by their marks, else byte-wise."""
    for mark, codec in _BOMS:
        if head.startswith(mark):
            return head.decode(codec, "replace")
    return head.decode("latin-1")


def _line_at(text: str, position: int) -> int:
    before = text[:position].replace("\r\n", "\n").replace("\r", "\n")
    return before.count("\n") + 1


def _syntax_problems(error: etree.XMLSyntaxError, log: etree._ListErrorLog, last_line: int) -> list[XmlProblem]:
    """One problem per parser error: entity abuse is ``xml.unsafe``, other parser limits ``xml.size``.

    An error at the very end of a document that ends with a line break is on the file's last
    line, not on the line after it, where libxml2 puts it.
    """
    problems: list[XmlProblem] = []
    for entry in log.filter_from_errors() or ():
        message = clean_message(entry.message)
        line = min(entry.line, last_line) if entry.line else None
        if entry.type == etree.ErrorTypes.ERR_ENTITY_LOOP or "amplification" in message:
            problem = XmlProblem(UNSAFE, f"entity expansion refused: {message}", line)
        elif entry.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            problem = XmlProblem(SIZE, f"beyond the parser's safety limits: {message}", line)
        else:
            problem = XmlProblem(WELL_FORMED, f"{message} (column {entry.column})", line)
        if problem not in problems:
            problems.append(problem)
    return problems or [XmlProblem(WELL_FORMED, clean_message(error.msg), min(error.lineno, last_line) if error.lineno else None)]


def clean_message(message: str) -> str:
    return _PARSER_HINT.sub("", message.strip()).rstrip(".,: ") or "not well-formed XML"
