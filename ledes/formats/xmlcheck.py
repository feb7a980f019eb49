"""Checking a LEDES XML 2.x file: safely parsed, recognised by its root, validated against an XSD."""

from __future__ import annotations

import contextlib
import io
import os
import re
from importlib import resources

import attrs
from lxml import etree

from ledes.diagnostics import Emit
from ledes.formats.xmlmatters import MatterOpenings
from ledes.formats.xmlrepair import RepairingReader
from ledes.formats.xmlsafe import (
    MAX_BYTES,
    WELL_FORMED,
    XML_20,
    XML_21,
    XML_22,
    XML_2000,
    file_size,
    parse_untrusted,
    root_format,
)
from ledes.formats.xmlschema import first_violation, validate_schema
from ledes.rules import structure as structure_rules
from ledes.rules import xml as xml_rules

FORMAT_NAMES = {XML_22: "LEDESXML2.2", XML_21: "LEDESXML2.1", XML_20: "LEDESXML2.0", XML_2000: "LEDES2000"}
# The project's reconstructions of the LOC schemas (see their headers), shipped in the wheel as
# ledes-xml-<version>.xsd: a document is checked against its own version's (a format checks a
# document of its own version against the schema its version declares: ``own`` below).
_RECONSTRUCTIONS = {
    kind: name
    for kind, name in ((kind, f"ledes-xml-{kind.removeprefix('xml')}.xsd") for kind in FORMAT_NAMES)
    if (resources.files("ledes.schemas") / name).is_file()
}
# A document larger than this is checked against its schema in one streaming pass, which
# stops at the first violation: the whole tree of a 20 MB document would take gigabytes.
FULL_CHECK_BYTES = 4 * 1024 * 1024
# The namespace libxml2 writes before an element's name ("{http://www.ledes.org/LEDES22.xsd}inv_date"): a URI, not
# a pattern's count ("[0-9]{4}") or a value's braces.
_NAMESPACE = re.compile(r"\{[^{}\s]*[:/][^{}\s]*\}(?=[A-Za-z_])")
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(ledesxmlebilling2\.[0-9]|ledesxml)[\s>/]")
_KINDS = {b"ledesxmlebilling2.2": XML_22, b"ledesxmlebilling2.1": XML_21, b"ledesxmlebilling2.0": XML_20, b"ledesxml": XML_2000}


def sniff_root(head: bytes) -> str | None:
    """The LEDES XML version a document's first bytes name in their root element (``xml2.1``), or None."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", "replace").encode("utf-8")
    found = _ROOT.search(head)
    return _KINDS.get(found.group(1)) if found else None


def reconstruction(kind: str | None):
    """The project's reconstructed XSD for a LEDES XML version, as a path (None for versions without one)."""
    if kind not in _RECONSTRUCTIONS:
        return None
    return str(resources.files("ledes.schemas") / _RECONSTRUCTIONS[kind])  # "{http://www.ledes.org/LEDES22.xsd}charge_date" reads as "charge_date"


def check_xml(
    source, emit: Emit, xsd: str | os.PathLike[str] | None = None, own: tuple[str, str] | None = None
) -> str | None:
    """Report what is wrong with a LEDES XML file; return its format name, or None when it cannot be read at all
    (not well-formed, unsafe, too large, or not a LEDES root).

    Without ``xsd`` the file is validated against the project's reconstruction of its
    version's schema (findings: ``xml.schema-reconstruction``, warnings), less its
    identity constraints, which the reader checks as it streams (``xml.item-number``,
    ``xml.tax-reference``); with ``xsd`` against that schema (``xml.schema``, errors).
    ``own`` is the checking format's version and the path of its reconstruction
    (``("xml2.0", path)``): a document of that version is validated against it.
    """
    size = stream_size(source)
    if size is not None and FULL_CHECK_BYTES < size <= MAX_BYTES:  # a larger one is refused by its size alone
        return _check_streaming(source, emit, xsd, own)
    parsed = parse_untrusted(MatterOpenings(source))  # a matter closed but never opened is the reader's to report
    if isinstance(parsed, list) and any(problem.rule == WELL_FORMED for problem in parsed) and _rewinds(source):
        # Not well-formed: what the reader repairs (and reports, line by line) is repaired here too.
        repaired = parse_untrusted(MatterOpenings(RepairingReader(source)))
        parsed = repaired if not isinstance(repaired, list) else parsed
    if isinstance(parsed, list):
        for problem in parsed:
            problem.report(emit)
        return None
    kind = root_format(parsed)
    root = parsed.getroot()
    if kind is None:
        emit(
            structure_rules.FORMAT_LINE,
            f"the root element <{etree.QName(root).localname}> is not a LEDES XML root"
            " (ledesxmlebilling2.0, ledesxmlebilling2.1, ledesxmlebilling2.2, ledesxml)",
            line=root.sourceline,
            xpath=f"/{etree.QName(root).localname}",
        )
        return None
    if xsd is not None:
        problems = validate_schema(parsed, xsd)
    elif (own is not None and own[0] == kind) or kind in _RECONSTRUCTIONS:
        shipped = own[1] if own is not None and own[0] == kind else None
        with (contextlib.nullcontext(shipped) if shipped is not None
              else resources.as_file(resources.files("ledes.schemas") / _RECONSTRUCTIONS[kind])) as schema:
            problems = [
                attrs.evolve(problem, rule=xml_rules.SCHEMA_RECONSTRUCTION.name)
                for problem in validate_schema(parsed, schema, identity=False)
            ]
    else:
        problems = []
        emit(
            xml_rules.SCHEMA_RECONSTRUCTION,
            f"no schema for {FORMAT_NAMES[kind]} ships with ledes, so only well-formedness was checked;"
            " give one with --xsd PATH",
            line=root.sourceline,
        )
    for problem in problems:
        emit(problem.rule, _plain(problem.message, kind if xsd is None else None), line=problem.line, xpath=problem.xpath)
    return FORMAT_NAMES[kind]


_OTHER_ROOT = "No matching global declaration available for the validation root"
_ROOT_NAMESPACE = re.compile(r"^Element '(?:\{([^}]*)\})?([^']*)'")


def _plain(message: str, kind: str | None) -> str:
    """A schema problem's message without namespaces; libxml2's words for a root in another namespace than the
    schema's (``.../LEDES2.2``, or none) said plainly: the file is read by its root's name all the same. ``kind`` is
    the version whose reconstruction was checked (None: the schema given with ``--xsd``)."""
    if _OTHER_ROOT in message and (found := _ROOT_NAMESPACE.match(message)) is not None:
        namespace, name = found.groups()
        expected = (f"'http://www.ledes.org/LEDES{kind.removeprefix('xml').replace('.', '')}.xsd', the one the"
                    " reconstructed schema has (generators differ, and no published schema settles it)"
                    if kind is not None else "the target namespace of the schema given with --xsd")
        return (f"the root <{name}> is in " + (f"the namespace '{namespace}'" if namespace else "no namespace")
                + f", not {expected}: the file is read as its root names it, but its elements could not be checked"
                " against the schema")
    return _NAMESPACE.sub("", message)


def _rewinds(source) -> bool:
    """Whether ``source`` went back to its start, to be read again."""
    try:
        source.seek(0)
    except (AttributeError, OSError, ValueError):
        return False
    return True


def stream_size(source) -> int | None:
    """The size of the document behind ``source``: a regular file's, or the bytes held in memory (standard input)."""
    if isinstance(source, io.BytesIO):
        return source.getbuffer().nbytes
    return file_size(source)


def _check_streaming(
    source, emit: Emit, xsd: str | os.PathLike[str] | None, own: tuple[str, str] | None
) -> str | None:
    """``check_xml`` for a large document: its version from its first bytes, and its first schema violation only."""
    head = source.read(4096)
    source.seek(0)
    kind = sniff_root(head)
    if kind is None:
        return None
    if xsd is not None:
        rule, schema = xml_rules.SCHEMA.name, str(xsd)
    elif own is not None and own[0] == kind:
        rule, schema = xml_rules.SCHEMA_RECONSTRUCTION.name, own[1]
    elif kind in _RECONSTRUCTIONS:
        rule, schema = xml_rules.SCHEMA_RECONSTRUCTION.name, str(reconstruction(kind))
    else:
        return FORMAT_NAMES[kind]
    problem = first_violation(MatterOpenings(source), schema, identity=xsd is not None)
    if problem is not None:
        emit(rule, _plain(problem.message, kind if xsd is None else None) + f" (the file is over {FULL_CHECK_BYTES // 2**20} MB: only"
             " its first schema violation is listed)", line=problem.line)
    return FORMAT_NAMES[kind]
