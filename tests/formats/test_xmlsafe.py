"""Safe XML reading: hostile or broken XML ends in a problem record, never a fetch, an expansion or an exception."""

from __future__ import annotations

import io
import os
import re
import socket
import threading
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import ledes
from ledes.api import iter_invoices
from ledes.diagnostics import DiagnosticSink, Severity
from ledes.errors import LedesConfigError, LedesInputError
from ledes.formats import WriteOptions, format_named, xmlsafe, xmlschema
from ledes.formats.xmlsafe import UntrustedStream, XmlProblem, parse_untrusted, root_format
from ledes.formats.xmlschema import validate_schema

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = {version: ROOT / "fixtures" / "xml" / f"ledes{version.replace('.', '')}_sample.xml" for version in ("2.1", "2.2")}
RULES = {xmlsafe.WELL_FORMED, xmlsafe.UNSAFE, xmlsafe.SIZE}
FUZZ = settings(max_examples=max(200, 2 * settings().max_examples))

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b']>\n<lolz a="&lol9;">&lol9;</lolz>\n'
)


def xsd(version: str) -> Path:
    path = ROOT / "schemas" / f"ledes-xml-{version}.xsd"
    if not path.exists():
        pytest.skip(f"{path.name} not present")
    return path


def problems(result: etree._ElementTree | list[XmlProblem]) -> list[XmlProblem]:
    assert isinstance(result, list), "expected problems, got a tree"
    return result


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a connection from Python fails the test, even when the caller swallows the error."""
    attempts: list[object] = []

    def refuse(self, address, *args):
        attempts.append(address)
        raise OSError("network access during a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield
    assert attempts == []


@pytest.fixture
def witness():
    """A local TCP server that records every connection: proof that libxml2 itself fetched nothing either.

    It yields the server's URL and a function that stops the server and returns every connection
    made to it: those it accepted, and those still waiting in its backlog (a connection that a
    blocking ``connect`` completed is there before the parse returns), so no test waits on a clock.
    """
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.05)
    connections: list[object] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, peer = server.accept()
            except OSError:
                continue
            connections.append(peer)
            connection.close()

    def made() -> list[object]:
        stop.set()
        thread.join()
        server.setblocking(False)
        while True:
            try:
                connection, peer = server.accept()
            except BlockingIOError:
                return connections
            connections.append(peer)
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", made
    stop.set()
    thread.join()
    server.close()


@pytest.mark.parametrize("version", ["2.1", "2.2"])
def test_samples_parse_are_recognised_and_validate(version):
    """Each sample invoice parses, is recognised by its root element and has no schema violation."""
    tree = parse_untrusted(SAMPLES[version])
    assert isinstance(tree, etree._ElementTree)
    assert root_format(tree) == f"xml{version}"
    assert validate_schema(tree, xsd(version)) == []


def test_bytes_and_streams_parse_like_paths():
    """A document given as bytes or as a binary stream parses as from its path."""
    data = SAMPLES["2.2"].read_bytes()
    for source in (data, io.BytesIO(data), str(SAMPLES["2.2"])):
        tree = parse_untrusted(source)
        assert isinstance(tree, etree._ElementTree)
        assert etree.tostring(tree) == etree.tostring(etree.parse(io.BytesIO(data)))


def test_billion_laughs_is_refused_at_once(monkeypatch):
    """Nested entity declarations are refused as xml.unsafe, at the DOCTYPE's line, before any parser sees them."""
    def no_parser(*args, **kwargs):
        raise AssertionError("the document reached a parser")

    monkeypatch.setattr(xmlsafe.etree, "parse", no_parser)
    monkeypatch.setattr(xmlsafe.etree, "iterparse", no_parser)
    [problem] = problems(parse_untrusted(BILLION_LAUGHS))
    assert (problem.rule, problem.line) == ("xml.unsafe", 2)
    assert "lol" in problem.message and "billion laughs" in problem.message


def test_billion_laughs_beyond_the_inspected_head_is_still_refused():
    """A DOCTYPE pushed past the first 64 KiB by a long comment is still caught, by the parser's own limits."""
    data = b"<!--" + b"x" * 70_000 + b"-->" + BILLION_LAUGHS.partition(b"?>")[2]
    [problem] = problems(parse_untrusted(data))
    assert problem.rule == "xml.unsafe"


@pytest.mark.parametrize(
    ("doctype", "reason"),
    [
        (b'<!DOCTYPE r [<!ENTITY a SYSTEM "file:///etc/passwd">]><r>&a;</r>', "entity 'a' refers to 'file:///etc/passwd'"),
        (b'<!DOCTYPE r SYSTEM "/etc/hosts"><r/>', "external DTD '/etc/hosts'"),
    ],
)
def test_doctype_beyond_the_inspected_head_is_still_refused(doctype, reason):
    """A DOCTYPE that parses (nothing loaded or expanded) is refused after parsing when the head search missed it."""
    [problem] = problems(parse_untrusted(b"<!--" + b"x" * 70_000 + b"-->\n" + doctype))
    assert problem.rule == "xml.unsafe" and reason in problem.message


@pytest.mark.parametrize(
    "declaration",
    [
        b'<!ENTITY xxe SYSTEM "file:///etc/passwd">',
        b'<!ENTITY % xxe SYSTEM "file:///etc/passwd"> %xxe;',
        b'<!ENTITY xxe PUBLIC "-//ledes//x" "file:///etc/passwd">',
    ],
)
def test_external_file_entity_is_refused_and_never_read(declaration):
    """An entity naming a local file is refused as xml.unsafe; the file's content appears nowhere."""
    data = b'<?xml version="1.0"?>\n<!DOCTYPE r [' + declaration + b"]>\n<r>&xxe;</r>"
    [problem] = problems(parse_untrusted(data))
    assert (problem.rule, problem.line) == ("xml.unsafe", 2)
    assert "file:///etc/passwd" in problem.message
    assert "root:" not in problem.message


def test_external_http_entity_and_dtd_are_refused_without_a_connection(witness):
    """Entities and DTDs on a web server are refused, and no connection reaches the server."""
    url, connections_made = witness
    documents = [
        f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{url}/secret">]><r>&xxe;</r>',
        f'<!DOCTYPE r [<!ENTITY % dtd SYSTEM "{url}/evil.dtd"> %dtd;]><r/>',
        f'<!DOCTYPE r SYSTEM "{url}/ledes.dtd"><r/>',
    ]
    for document in documents:
        [problem] = problems(parse_untrusted(document.encode()))
        assert problem.rule == "xml.unsafe" and url in problem.message
    assert connections_made() == []


def test_ledes2000_doctype_is_accepted_and_other_external_dtds_refused():
    """LEDES 2000's own DOCTYPE declares nothing and is never loaded: accepted. Any other DTD is refused on its line."""
    ledes2000 = b"<?xml version='1.0'?>\r\n<!DOCTYPE ledesxml SYSTEM 'http://www.ledes.org/ledes2000.dtd'>\r\n<ledesxml/>"
    assert not isinstance(parse_untrusted(ledes2000), list)
    other = b"<?xml version='1.0'?>\r\n<!DOCTYPE ledesxml SYSTEM 'http://attacker.example/evil.dtd'>\r\n<ledesxml/>"
    [problem] = problems(parse_untrusted(other))
    assert (problem.rule, problem.line) == ("xml.unsafe", 2)
    assert "external DTD 'http://attacker.example/evil.dtd'" in problem.message
    with_subset = ledes2000.replace(b".dtd'>", b".dtd' [<!ENTITY a 'b'>]>")
    [problem] = problems(parse_untrusted(with_subset))
    assert problem.rule == "xml.unsafe" and "declares entities (a)" in problem.message


def test_ledes2000_dtd_is_never_fetched():
    """A DOCTYPE pointing at a live server that serves the DTD: the server is never contacted."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    contacted = []

    def serve() -> None:
        try:
            connection, _ = server.accept()
            contacted.append(True)
            connection.close()
        except OSError:
            pass

    thread = threading.Thread(target=serve)
    thread.start()
    port = server.getsockname()[1]
    data = (f"<?xml version='1.0'?>\n<!DOCTYPE ledesxml SYSTEM 'http://127.0.0.1:{port}/ledes2000.dtd'>\n"
            "<ledesxml><firm><lf_name>&amp;</lf_name></firm></ledesxml>").encode()
    tree = parse_untrusted(data)
    stream = UntrustedStream(io.BytesIO(data), ("firm",))
    assert [element.findtext("lf_name") for element in stream] == ["&"]
    thread.join()
    server.close()
    assert not isinstance(tree, list) and stream.problems == []
    assert contacted == []


def test_doctype_in_utf16_is_refused():
    """The DOCTYPE search reads UTF-16 documents in their own encoding."""
    data = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'.encode("utf-16")
    [problem] = problems(parse_untrusted(data))
    assert (problem.rule, problem.line) == ("xml.unsafe", 2)


def test_file_over_the_ceiling_is_refused_from_its_size_alone(tmp_path, monkeypatch):
    """A 2 GB (sparse) file is refused as xml.size at once, without a single byte being read."""
    huge = tmp_path / "huge.xml"
    huge.write_bytes(b"<r>")
    os.truncate(huge, 2 * 2**30)
    opened = []

    def unreadable(path, mode="r", *args, **kwargs):
        handle = open(path, mode, *args, **kwargs)  # noqa: SIM115 - closed by the wrapper below
        opened.append(handle)
        return _NoReads(handle)

    monkeypatch.setattr(xmlsafe, "open", unreadable, raising=False)
    [problem] = problems(parse_untrusted(huge))
    assert problem.rule == "xml.size" and "2,147,483,648 bytes" in problem.message
    assert opened and opened[0].closed


class _NoReads:
    """A file whose content must not be read: only its descriptor (for fstat) and closing are allowed."""

    def __init__(self, handle) -> None:
        self.handle = handle

    def fileno(self) -> int:
        return self.handle.fileno()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.handle.close()

    def read(self, *args):
        raise AssertionError("the oversized file was read")


def test_stream_over_the_ceiling_is_cut_off():
    """A stream, whose size is unknown, is refused as soon as it passes the ceiling: never read to the end."""
    document = b"<r>" + b"<a/>" * 500_000 + b"</r>"

    class Counting(io.BytesIO):
        taken = 0

        def read(self, size=-1):
            chunk = super().read(size)
            Counting.taken += len(chunk)
            return chunk

    stream = Counting(document)
    [problem] = problems(parse_untrusted(stream, max_bytes=100_000))
    assert problem.rule == "xml.size"
    assert Counting.taken <= 100_001


def test_bytes_over_the_ceiling_are_refused():
    """Bytes longer than the ceiling are refused as xml.size before parsing."""
    [problem] = problems(parse_untrusted(b"<r>" + b" " * 100 + b"</r>", max_bytes=100))
    assert problem.rule == "xml.size" and "107 bytes" in problem.message


def test_document_at_the_ceiling_parses():
    """The ceiling is inclusive."""
    data = b"<r>" + b" " * 93 + b"</r>"
    assert isinstance(parse_untrusted(data, max_bytes=100), etree._ElementTree)
    assert isinstance(parse_untrusted(io.BytesIO(data), max_bytes=100), etree._ElementTree)


@pytest.mark.parametrize(
    ("data", "line", "text"),
    [
        (b"<?xml version='1.0'?>\n<r>\n  <a>\n  </b>\n</r>", 4, "Opening and ending tag mismatch"),
        (b"<r>\n\n<a x='1' x='2'/></r>", 3, "Attribute x redefined"),
        (b"<r>\n&undefined;</r>", 2, "Entity 'undefined' not defined"),
        (b"<r/>\n<r/>", 2, "Extra content at the end of the document"),
        (b"", 1, "Document is empty"),
        (b"<r>\n\xff</r>", 2, "encoding"),
        (b"<?xml version='1.0' encoding='no-such'?><r/>", 1, "Unsupported encoding"),
    ],
)
def test_malformed_xml_is_reported_on_its_line(data, line, text):
    """A syntax error is one xml.well-formed problem with libxml2's line and column."""
    [problem] = problems(parse_untrusted(data))
    assert (problem.rule, problem.line) == ("xml.well-formed", line)
    assert text.lower() in problem.message.lower() and "column" in problem.message


def test_nesting_beyond_the_parser_limit_is_a_size_problem():
    """Nesting deeper than libxml2's safe limit (256) is xml.size, without the parser's flag advice."""
    [problem] = problems(parse_untrusted(b"<a>" * 300 + b"</a>" * 300))
    assert problem.rule == "xml.size" and "XML_PARSE_HUGE" not in problem.message


def test_missing_or_unreadable_path_is_an_input_error(tmp_path):
    """A path that cannot be read is a usage problem (LedesInputError), not a finding."""
    with pytest.raises(LedesInputError, match="cannot read"):
        parse_untrusted(tmp_path / "missing.xml")
    with pytest.raises(LedesInputError, match="directory"):
        parse_untrusted(tmp_path)


def _sample_with(old: bytes, new: bytes) -> tuple[etree._ElementTree, int]:
    """The 2.2 sample with the first ``old`` replaced by ``new``, and the 1-based line it is on."""
    data = SAMPLES["2.2"].read_bytes()
    assert old in data
    line = data[: data.index(old)].count(b"\n") + 1
    tree = parse_untrusted(data.replace(old, new, 1))
    assert isinstance(tree, etree._ElementTree)
    return tree, line


def test_schema_violation_has_line_and_readable_xpath():
    """A value the XSD rejects is xml.schema with the element's line and a named XPath."""
    tree = parse_untrusted(SAMPLES["2.2"])
    date = tree.getroot().find(".//{*}inv_date")
    original = b"<inv_date>" + date.text.encode() + b"</inv_date>"
    tree, line = _sample_with(original, b"<inv_date>2020-13-45</inv_date>")
    [problem] = validate_schema(tree, xsd("2.2"))
    assert (problem.rule, problem.line) == ("xml.schema", line)
    assert re.fullmatch(r"/ledesxmlebilling2\.2/firm(\[1\])?/client(\[1\])?/invoice(\[1\])?/inv_date", problem.xpath)
    assert "2020-13-45" in problem.message


def test_schema_violation_in_a_repeated_element_is_numbered():
    """Among same-named siblings the XPath numbers the element: ``fee[2]``."""
    tree = parse_untrusted(SAMPLES["2.2"])
    matter = next(matter for matter in tree.getroot().iter("{*}matter") if len(matter.findall("{*}fee")) > 1)
    units = matter.findall("{*}fee")[1].find("{*}units")
    units.text = "many"
    [problem] = validate_schema(tree, xsd("2.2"))
    assert problem.rule == "xml.schema" and problem.line == units.sourceline
    assert re.search(r"/matter(\[\d+\])?/fee\[2\]/units$", problem.xpath)


@pytest.mark.parametrize(
    "document",
    [
        SAMPLES["2.2"].read_bytes(),
        b"<r><a/><b><c/><c/><!--x--><c>t</c></b><a><b/></a></r>",
        b"<p:r xmlns:p='urn:p'><p:a/><p:a><q:b xmlns:q='urn:q'/><b/></p:a></p:r>",
        b"<r xmlns='urn:d'><a/><x:a xmlns:x='urn:x'/><a/></r>",
    ],
)
def test_every_element_is_found_from_its_libxml2_path(document):
    """The paths libxml2 puts in schema errors lead back to their element, in default, prefixed and no namespace."""
    tree = parse_untrusted(document)
    paths = xmlschema._Paths(tree)
    for element in tree.getroot().iter(etree.Element):
        assert paths.find(tree.getpath(element)) is element


def test_every_violation_is_located():
    """Many violations among many siblings each get their own line and numbered XPath."""
    tree = parse_untrusted(SAMPLES["2.2"])
    units = tree.getroot().findall(".//{*}fee/{*}units")
    for element in units:
        element.text = "many"
    reparsed = parse_untrusted(etree.tostring(tree))
    found = validate_schema(reparsed, xsd("2.2"))
    expected = [element.sourceline for element in reparsed.getroot().findall(".//{*}fee/{*}units")]
    assert [problem.line for problem in found] == expected
    assert len({problem.xpath for problem in found}) == len(units)


def test_problems_become_diagnostics():
    """XmlProblem.report passes rule, message, line and XPath to a DiagnosticSink."""
    sink = DiagnosticSink("invoice.xml", lambda rule: Severity.ERROR)
    XmlProblem("xml.schema", "bad date", 12, "/ledesxmlebilling2.2/firm").report(sink.emit)
    [diagnostic] = sink.diagnostics
    assert (diagnostic.rule, diagnostic.message, diagnostic.line) == ("xml.schema", "bad date", 12)
    assert diagnostic.location.xpath == "/ledesxmlebilling2.2/firm"


def test_compiled_schemas_are_cached():
    """The same XSD is compiled once."""
    tree = parse_untrusted(SAMPLES["2.2"])
    validate_schema(tree, xsd("2.2"))
    hits = xmlschema._schema.cache_info().hits
    validate_schema(tree, xsd("2.2"))
    assert xmlschema._schema.cache_info().hits == hits + 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot read it"),
        (b"<xs:schema", "not well-formed"),
        (b"<invoice/>", "not a usable XML schema"),
    ],
)
def test_unusable_xsd_is_a_config_error(tmp_path, content, reason):
    """An XSD that is missing, broken or not a schema raises LedesConfigError naming it in one line."""
    path = tmp_path / "custom.xsd"
    if content is not None:
        path.write_bytes(content)
    tree = parse_untrusted(b"<r/>")
    with pytest.raises(LedesConfigError, match=reason) as raised:
        validate_schema(tree, path)
    assert str(path) in str(raised.value) and "\n" not in str(raised.value)


def test_xsd_importing_from_the_network_is_refused(tmp_path, witness):
    """An XSD that imports a schema by URL is a config error; local includes are allowed; nothing is fetched."""
    url, connections_made = witness
    schema = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{}</xs:schema>'
    (tmp_path / "part.xsd").write_text(schema.format('<xs:element name="r"/>'))
    local = tmp_path / "local.xsd"
    local.write_text(schema.format('<xs:include schemaLocation="part.xsd"/>'))
    assert validate_schema(parse_untrusted(b"<r/>"), local) == []
    remote = tmp_path / "remote.xsd"
    remote.write_text(schema.format(f'<xs:import namespace="urn:x" schemaLocation="{url}/x.xsd"/><xs:element name="r"/>'))
    with pytest.raises(LedesConfigError, match="local files only"):
        validate_schema(parse_untrusted(b"<r/>"), remote)
    assert connections_made() == []


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (b'<ledesxmlebilling2.2 xmlns="http://www.ledes.org/LEDES22.xsd"/>', "xml2.2"),
        (b"<ledesxmlebilling2.2/>", "xml2.2"),
        (b'<ledesxmlebilling2.2 xmlns="http://www.ledes.org/LEDES2.2"/>', "xml2.2"),  # the namespace is unconfirmed
        (b'<ledesxmlebilling2.1 xmlns="http://www.ledes.org/LEDES21.xsd"/>', "xml2.1"),
        (b"<ledesxmlebilling2.1/>", "xml2.1"),
        (b'<l:ledesxmlebilling2.0 xmlns:l="urn:x"/>', "xml2.0"),
        (b"<ledesxml/>", "xml2000"),
        (b"<invoice/>", None),
    ],
)
def test_root_format(document, expected):
    """The LEDES XML version is told by the root element (2.2 also by its namespace)."""
    tree = parse_untrusted(document)
    assert root_format(tree) == expected


def _check_outcome(result: etree._ElementTree | list[XmlProblem]) -> None:
    if isinstance(result, etree._ElementTree):
        return
    assert result, "an empty list of problems"
    for problem in result:
        assert isinstance(problem, XmlProblem) and problem.rule in RULES
        assert problem.line is None or problem.line >= 1
        assert problem.message


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data):
    """Whatever the bytes, the result is a tree or problem records."""
    _check_outcome(parse_untrusted(data))


MARKUP = st.sampled_from(
    [
        "<?xml version='1.0'?>", "<?xml version='1.0' encoding='UTF-16'?>", "<!DOCTYPE r", "[", "]>", ">",
        "<!ENTITY a 'x&a;'>", "<!ENTITY % p SYSTEM 'file:///etc/passwd'>", "%p;", "&a;", "&#0;", "&#x41;",
        "<r>", "</r>", "<a b='1'>", "</a>", "<![CDATA[", "]]>", "<!--", "-->", "<?pi x?>", "\n", "\r", " ",
        "\ufeff", "é", "\x00", "<", "&", "'", '"', "xmlns='urn:x'", "<ledesxmlebilling2.2>",
    ]
)


@FUZZ
@given(st.lists(MARKUP, max_size=30), st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_markup_soup_never_raises(parts, encoding):
    """Random sequences of XML markup, in several encodings, give a tree or problem records."""
    _check_outcome(parse_untrusted("".join(parts).encode(encoding, "replace")))


def test_an_element_crowded_with_attributes_is_one_problem_and_the_rest_is_still_checked():
    """More than MAX_ATTRIBUTES on an element: one problem naming it (libxml2 would log each, a kilobyte apiece)."""
    tree = parse_untrusted(SAMPLES["2.2"])
    firm = tree.getroot().find("{*}firm")
    for index in range(xmlschema.MAX_ATTRIBUTES + 1):
        firm.set(f"a{index}", "1")
    tree.getroot().find(".//{*}units").text = "many"
    crowded, units = validate_schema(tree, xsd("2.2"))
    assert crowded.message.startswith(f"<firm> carries {xmlschema.MAX_ATTRIBUTES + 1} attributes (a0, a1, a2, …)")
    assert crowded.xpath == "/ledesxmlebilling2.2/firm[1]"
    assert "many" in units.message
    firm.attrib.clear()
    firm.set("a0", "1")  # a few stray attributes: each is checked, as libxml2 words it
    [stray, _] = validate_schema(tree, xsd("2.2"))
    assert "'a0'" in stray.message and "not allowed" in stray.message


def test_past_the_most_listed_the_schema_problems_are_counted(monkeypatch):
    monkeypatch.setattr(xmlschema, "MAX_SCHEMA_PROBLEMS", 2)
    tree = parse_untrusted(SAMPLES["2.2"])
    for units in tree.getroot().iter("{*}units"):
        units.text = "many"
    total = sum(1 for _ in tree.getroot().iter("{*}units"))
    assert total > 3
    problems = validate_schema(tree, xsd("2.2"))
    assert [problem.rule for problem in problems] == ["xml.schema"] * 3
    assert all("many" in problem.message for problem in problems[:2])
    assert problems[2].message == f"{total - 2:,} more violations of the schema are not listed (the first 2 are)"


def test_discard_removes_a_crowded_segment_and_everything_in_it():
    """``discard`` empties the crowded nodes below a read segment first, then removes it; the root stays."""
    fees = "".join(f"<fee><n>{i}</n><d>x</d></fee>" for i in range(200))
    document = f"<root><invoice><id>1</id><matter>{fees}</matter><matter><fee/></matter></invoice><after/></root>"
    context = etree.iterparse(io.BytesIO(document.encode()), events=("end",), tag=("invoice", "root"))
    for _, element in context:
        if element.tag == "invoice":
            invoice = element
            root = invoice.getparent()
            xmlsafe.discard(invoice)
            assert invoice.getparent() is None and len(invoice) == 0
        else:
            xmlsafe.discard(element)  # the root: nothing to remove it from
    assert [child.tag for child in root] == ["after"]


def test_an_invoice_of_thousands_of_lines_is_read_whole_and_removed(tmp_path: Path):
    """One invoice of 6,000 lines in one matter (removing such a matter at once took time growing as its square)."""
    source = ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"
    first = next(iter(iter_invoices(source)))
    matter = first.matters[0]
    fee = matter.line_items[0]
    items = tuple(attrs.evolve(fee, number=str(number)) for number in range(1, 6001))
    invoice = attrs.evolve(first, matters=(attrs.evolve(matter, line_items=items),), total=fee.total * 6000)
    path = tmp_path / "big.xml"
    ledes.write([format_named("xml2.1").prepared(invoice, WriteOptions(None, "Firm LLP"))], path, format="xml2.1")
    read = list(iter_invoices(path))
    assert len(read) == 1 and len(read[0].matters[0].line_items) == 6000
    with path.open("rb") as stream:
        assert xmlschema.valid_streaming(stream, ROOT / "schemas" / "ledes-xml-2.1.xsd")
