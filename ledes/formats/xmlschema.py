"""Validating an untrusted XML document against an XSD: streaming when it is valid, every violation with its line and XPath when not."""

from __future__ import annotations

import collections
import functools
import itertools
import os
import re
import stat
import threading

from lxml import etree

from ledes.errors import LedesConfigError
from ledes.formats.xmlbytes import ByteSource, CappedReader, TooLarge
from ledes.formats.xmlsafe import (
    MAX_BYTES,
    PROGRESS,
    SCHEMA,
    SEGMENTS,
    STALL_BYTES,
    RefuseLoading,
    XmlProblem,
    clean_message,
    discard,
    doctype_problem,
    file_size,
    local,
    safe_parser,
)

_XSD = "http://www.w3.org/2001/XMLSchema"
# The segments removed once checked, and those whose end shows the document is still LEDES (``PROGRESS``).
_CHECKED = tuple(f"{{*}}{name}" for name in ("invoice", "tax", *PROGRESS))
MAX_SCHEMA_PROBLEMS = 10_000  # violations of a schema listed for one document; past them, how many more there are
MAX_ATTRIBUTES = 16  # attributes of one element checked against a schema; more are one finding, not one each
_CROWDED = etree.XPath(f"//*[count(@*) > {MAX_ATTRIBUTES}]")
_STEP = re.compile(r"([^/\[\]()@]+)(?:\[(\d+)\])?")


def valid_streaming(
    source: ByteSource, xsd_path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES, identity: bool = True
) -> bool:
    """True when a document is valid against an XSD, checked in one streaming pass.

    False on the first violation (or on any other problem): ``validate_schema`` on the
    whole tree then finds every violation. Memory is bounded unless the schema has
    identity constraints (xs:unique, xs:key), for which libxml2 keeps every value;
    ``identity=False`` leaves them out. Raises LedesConfigError when the XSD is unusable.
    """
    try:
        schema, lock = _schema(*_schema_key(xsd_path), identity)
    except _BadSchema as error:
        raise LedesConfigError(f"XSD '{xsd_path}': {error}") from None
    size = file_size(source)
    if size is not None and size > max_bytes:
        return False
    try:
        reader = CappedReader(source, max_bytes, STALL_BYTES)
        if doctype_problem(reader.head) is not None:
            return False
        with lock:
            context = etree.iterparse(
                reader, events=("end",), tag=_CHECKED, schema=schema, resolve_entities=False,
                no_network=True, load_dtd=False, huge_tree=False,
            )
            for _, element in context:
                reader.progressed()
                tag = element.tag  # its local name as below: a QName made for each line costs several times as much
                if tag[tag.rfind("}") + 1 :] in PROGRESS:
                    continue
                discard(element)  # (the root itself, which may be named invoice, stays)
    except (etree.XMLSyntaxError, TooLarge):
        return False
    return context.root is not None  # libxml2 ends a lone "<" without an error, and without a root


def loaded_schema(xsd_path: str | os.PathLike[str], *, identity: bool = True) -> tuple[etree.XMLSchema, threading.Lock]:
    """The XSD at ``xsd_path``, compiled once (again when the file changes), and the lock held while validating with it.

    Raises LedesConfigError when the XSD is unusable.
    """
    try:
        return _schema(*_schema_key(xsd_path), identity)
    except _BadSchema as error:
        raise LedesConfigError(f"XSD '{xsd_path}': {error}") from None


def first_violation(
    source: ByteSource, xsd_path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES, identity: bool = True
) -> XmlProblem | None:
    """The first schema violation of a document, found in one streaming pass (bounded memory), or None.

    Only a violation of the schema is returned: a document that is not well-formed is
    left to the reader, which reports that as it streams.
    """
    try:
        schema, lock = _schema(*_schema_key(xsd_path), identity)
    except _BadSchema as error:
        raise LedesConfigError(f"XSD '{xsd_path}': {error}") from None
    try:
        reader = CappedReader(source, max_bytes, STALL_BYTES)
        with lock:
            context = etree.iterparse(
                reader, events=("end",), tag=_CHECKED, schema=schema, resolve_entities=False,
                no_network=True, load_dtd=False, huge_tree=False,
            )
            try:
                for _, element in context:
                    reader.progressed()
                    tag = element.tag
                    if tag[tag.rfind("}") + 1 :] in PROGRESS:
                        continue
                    discard(element)
            except etree.XMLSyntaxError as error:
                found = [entry for entry in error.error_log if entry.domain == etree.ErrorDomains.SCHEMASV]
                if found:
                    return XmlProblem(SCHEMA, clean_message(found[0].message), found[0].line or None)
    except TooLarge:
        return None
    return None


def validate_schema(
    tree: etree._ElementTree, xsd_path: str | os.PathLike[str], *, identity: bool = True
) -> list[XmlProblem]:
    """Check a parsed document against an XSD; one ``xml.schema`` problem per violation, in file order.

    At most ``MAX_SCHEMA_PROBLEMS`` are listed, then how many more there are; an element of more
    than ``MAX_ATTRIBUTES`` attributes is one problem, and its attributes are removed from ``tree``.

    ``identity=False`` leaves out the schema's identity constraints (xs:unique, xs:key,
    xs:keyref). Raises LedesConfigError when the XSD cannot be read or is not a usable schema.
    """
    try:
        schema, lock = _schema(*_schema_key(xsd_path), identity)
    except _BadSchema as error:
        raise LedesConfigError(f"XSD '{xsd_path}': {error}") from None
    paths = _Paths(tree)
    crowded = _crowded_elements(tree, paths)  # their attributes taken off: checked one by one, each costs a finding
    with lock:
        schema.validate(tree)
        errors = schema.error_log
    problems = crowded[:MAX_SCHEMA_PROBLEMS]
    for entry in itertools.islice(errors, MAX_SCHEMA_PROBLEMS - len(problems)):
        element = paths.find(entry.path)
        line = entry.line or (element.sourceline if element is not None else None)
        xpath = paths.readable(element) if element is not None else entry.path or None
        problems.append(XmlProblem(SCHEMA, clean_message(entry.message), line or None, xpath))
    unlisted = len(crowded) + len(errors) - len(problems)
    if unlisted:
        problems.append(XmlProblem(SCHEMA, f"{unlisted:,} more violations of the schema are not listed (the first"
                                   f" {MAX_SCHEMA_PROBLEMS:,} are)", None, None))
    return problems


def _crowded_elements(tree: etree._ElementTree, paths: _Paths) -> list[XmlProblem]:
    """Each element of more than ``MAX_ATTRIBUTES`` attributes, as one problem, its attributes removed from ``tree``.

    libxml2 reports each attribute a schema does not allow, about a kilobyte of log each:
    a few megabytes of them would take gigabytes. No LEDES schema gives an element more
    than four.
    """
    problems = []
    for element in _CROWDED(tree):
        names = list(element.attrib)
        shown = ", ".join(names[:3])
        problems.append(XmlProblem(SCHEMA, f"<{local(element)}> carries {len(names):,} attributes ({shown}, …), more"
                                   f" than the {MAX_ATTRIBUTES} checked on one element; no LEDES schema allows more"
                                   " than four", element.sourceline, paths.readable(element)))
        element.attrib.clear()
    return problems


class _BadSchema(Exception):
    """Why an XSD cannot be used; validate_schema names the file."""


def _schema_key(xsd_path: str | os.PathLike[str]) -> tuple[str, int, int]:
    """The schema cache key: the real path, its modification time and size, so an edited XSD is reloaded."""
    try:
        status = os.stat(xsd_path)
    except OSError as error:
        raise _BadSchema(f"cannot read it: {error.strerror or error}") from None
    if stat.S_ISDIR(status.st_mode):
        raise _BadSchema("cannot read it: it is a directory")
    return os.path.realpath(xsd_path), status.st_mtime_ns, status.st_size


@functools.lru_cache(maxsize=16)
def _schema(path: str, mtime_ns: int, size: int, identity: bool = True) -> tuple[etree.XMLSchema, threading.Lock]:
    """The compiled schema at ``path`` (and a lock: a schema's error log is shared by its callers)."""
    refusals = RefuseLoading(local_files=True)
    try:
        document = etree.parse(path, safe_parser(refusals))
        if not identity:
            for constraint in list(document.iter(*(f"{{{_XSD}}}{name}" for name in ("unique", "key", "keyref")))):
                constraint.getparent().remove(constraint)
        return etree.XMLSchema(document), threading.Lock()
    except etree.XMLSyntaxError as error:
        reason = f"not well-formed XML: {clean_message(error.msg)}"
    except etree.XMLSchemaParseError as error:
        errors = error.error_log.filter_from_errors() or error.error_log
        reason = f"not a usable XML schema: {clean_message(errors[0].message) if errors else clean_message(str(error))}"
        reason += f" (line {errors[0].line})" if errors and errors[0].line else ""
    except OSError as error:
        reason = f"cannot read it: {error.strerror or error}"
    if refusals.refused:
        reason = f"it refers to {', '.join(refusals.refused)}; ledes loads schemas from local files only"
    raise _BadSchema(reason)


class _Paths:
    """Finds the elements libxml2's error paths name, and names them readably.

    Each parent's children are indexed once, so thousands of errors among thousands of
    siblings cost no more than one pass over them. libxml2's own paths for a document in a
    default namespace are ``/*/*[10]/*[7]``; the readable ones are local names, a segment
    always numbered among its same-named siblings and any other element only when it is
    repeated, as the LEDES XML reader writes them:
    ``/ledesxmlebilling2.2/firm[1]/client[1]/invoice[1]/matter[2]/fee[3]/units``.
    """

    def __init__(self, tree: etree._ElementTree) -> None:
        self.tree = tree
        self.children: dict[etree._Element, dict[str, list[etree._Element]]] = {}
        self.names: dict[etree._Element, str] = {}

    def find(self, path: str | None) -> etree._Element | None:
        """The one element ``path`` names, or None."""
        if not path or not path.startswith("/"):
            return None
        node, root = None, self.tree.getroot()
        for step in path[1:].split("/"):
            found = _STEP.fullmatch(step)
            if found is None:
                return self._evaluate(path)
            name, index = found.group(1), int(found.group(2) or 1)
            if node is None:
                candidates = [root] if name in ("*", _qualified(root)) else []
            else:
                candidates = self._index(node).get(name, [])
            if index > len(candidates):
                return self._evaluate(path)
            node = candidates[index - 1]
        return node

    def readable(self, element: etree._Element) -> str:
        steps = []
        while (parent := element.getparent()) is not None:
            self._index(parent)
            steps.append(self.names[element])
            element = parent
        steps.append(etree.QName(element).localname)
        return "/" + "/".join(reversed(steps))

    def _index(self, parent: etree._Element) -> dict[str, list[etree._Element]]:
        index = self.children.get(parent)
        if index is None:
            index = self.children[parent] = {"*": list(parent.iterchildren(etree.Element))}
            counts = collections.Counter(child.tag for child in index["*"])
            seen: collections.Counter[str] = collections.Counter()
            for child in index["*"]:
                index.setdefault(_qualified(child), []).append(child)
                seen[child.tag] += 1
                local = etree.QName(child).localname
                numbered = counts[child.tag] > 1 or local in SEGMENTS
                self.names[child] = f"{local}[{seen[child.tag]}]" if numbered else local
        return index

    def _evaluate(self, path: str) -> etree._Element | None:
        """Any other path, by XPath: an element, not a comment, text or several nodes."""
        try:
            found = self.tree.xpath(path)
        except etree.XPathError:
            return None
        if isinstance(found, list) and len(found) == 1 and isinstance(found[0], etree._Element):
            return found[0] if isinstance(found[0].tag, str) else None
        return None


def _qualified(element: etree._Element) -> str:
    """An element's name as libxml2 writes it in a path step: ``prefix:name``, or ``name`` with no prefix."""
    local = etree.QName(element).localname
    return f"{element.prefix}:{local}" if element.prefix else local
