"""How LEDES XML is read quickly gives what the plain reading gives: matters, the conversion cache, line counts, the collector."""

from __future__ import annotations

import gc
import io

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from ledes.formats.ledesxml import XML_21, XML_22, segments, table, values
from ledes.formats.ledesxml.reader import read_xml
from ledes.formats.ledesxml.segments import XML_2X, OwnChildren
from ledes.formats.ledesxml.values import ValueReader
from ledes.formats.ledesxml.xml20 import XML_20
from ledes.formats.xmlbytes import CappedReader

NAMESPACE = "http://www.ledes.org/LEDES21.xsd"

# A matter's children: its own values (well formed or not), elements ledes does not read, a value holding markup,
# a comment, and the segments it holds (read on their own, passed over by the matter's values).
MATTER_CHILDREN = st.sampled_from([
    ("cl_matter_id", "CM-1"), ("cl_matter_id", ""), ("lf_matter_id", "42"), ("matter_name", "x" * 300),
    ("matter_total_detail_fees", "12.50"), ("matter_total_detail_fees", "twelve"), ("matter_net_fees", "1e3"),
    ("matter_total_due", " 7 "), ("file_item_nbr", "3"), ("file_item_nbr", "x"), ("unknown_element", "?"),
    ("lf_matter_id", "<b>bold</b> text"), ("comment", ""),
    ("fee", ""), ("expense", ""), ("tksum", ""), ("tax_summary", ""), ("matter_disc_cred", ""),
])


def matter_element(children: list[tuple[str, str]], namespace: str | None) -> etree._Element:
    """A ``matter`` element of ``children`` (name, text), in ``namespace``, each child on a line of its own."""
    def tag(name: str) -> str:
        return f"{{{namespace}}}{name}" if namespace else name

    text = "".join(
        "<!-- a comment -->\n" if name == "comment"
        else f"<{name}><tk_id>1</tk_id></{name}>\n" if name in ("fee", "expense", "tksum", "tax_summary", "matter_disc_cred")
        else f"<{name}>{text}</{name}>\n"
        for name, text in children
    )
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    root = etree.fromstring(f"<matter{xmlns}>\n{text}</matter>")
    assert root.tag == tag("matter")
    return root


def findings_of(read) -> tuple[object, list[tuple]]:
    """What ``read(reader)`` returns with a new reader, and the findings it made (rule, message, line, xpath)."""
    found: list[tuple] = []
    reader = ValueReader(lambda rule, message, **where: found.append((rule, message, sorted(where.items()))), XML_2X)
    return read(reader), found


@given(st.lists(MATTER_CHILDREN, max_size=14), st.sampled_from([NAMESPACE, None]))
def test_a_matters_own_children_read_as_the_whole_matter_would(children, namespace):
    """The matter's values from its own children alone: the same values and findings, in the same order, as from all."""
    element = matter_element(children, namespace)
    own = OwnChildren(element)
    own.extend(child for child in element if values.local(child) not in segments._MATTER_CHILDREN)
    whole = findings_of(lambda reader: reader.values(element, table.SEGMENTS.matter, "/m", "7"))
    alone = findings_of(lambda reader: reader.values(own, table.SEGMENTS.matter, "/m", "7"))
    assert alone == whole


def test_no_matter_value_is_named_as_a_segment_the_matter_holds():
    """The matter's tables and its child segments have no name in common (else a value would be read as a segment)."""
    for version in (XML_20, XML_21, XML_22):
        assert not {name for element in version.segments.matter for name in element.names} & segments._MATTER_CHILDREN


# Texts met as dates and as amounts: each converted by its kind, the cache holding them or not.
FEE_VALUES = st.tuples(st.sampled_from(["charge_date", "units", "rate", "total_amount"]),
                       st.sampled_from(["2021-05-30", "2021-02-30", "12.5", "12.50", "x", " 7 ", "0", "20210530", "1:30"]))


def read_fees(reader: ValueReader, elements: list[tuple[str, str]]) -> list[dict]:
    """The values of a fee of each (name, text), read one after the other by ``reader``."""
    return [reader.values(etree.fromstring(f"<fee><{name}>{text}</{name}></fee>"), table.SEGMENTS.fee, "/fee")
            for name, text in elements]


@given(st.lists(FEE_VALUES, min_size=1, max_size=40), st.sampled_from([0, 1, 3, 4096]))
def test_each_value_is_read_as_a_new_reader_reads_it_whatever_its_cache_holds(elements, limit):
    """One reader for many segments (its conversions cached, per kind, emptied past ``limit``) reads as a new one each time."""
    saved, values._CACHE_LIMIT = values._CACHE_LIMIT, limit
    try:
        reused = findings_of(lambda reader: read_fees(reader, elements))
        one_each = [findings_of(lambda reader, element=element: read_fees(reader, [element])) for element in elements]
    finally:
        values._CACHE_LIMIT = saved
    assert reused[0] == [read[0] for read, _ in one_each]
    assert reused[1] == [finding for _, found in one_each for finding in found]


class Chunked(io.RawIOBase):
    """A stream that hands out its bytes in chunks of the sizes given, as a pipe or a slow file may."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self.data, self.sizes = data, sizes

    def read(self, size: int = -1, /) -> bytes:
        if not self.data:
            return b""
        step = min(size if size > 0 else len(self.data), self.sizes.pop(0) if self.sizes else len(self.data))
        chunk, self.data = self.data[:step], self.data[step:]
        return chunk


@given(st.binary(max_size=300).map(lambda data: bytes(b"a\r\n"[byte % 3] for byte in data)),
       st.lists(st.integers(1, 40), max_size=20))
def test_line_breaks_are_counted_as_crlf_cr_and_lf_each_one_whatever_the_chunks(data, sizes):
    """A chunk without CR counts its LFs; one with CR counts CRLF, CR and LF as one each (a CRLF across chunks as two)."""
    reader = CappedReader(Chunked(data, list(sizes)), 10**6)
    while reader.read(7):
        pass
    chunks, stream = [], Chunked(data, list(sizes))
    while chunk := stream.read(10**6):
        chunks.append(chunk)
    # The reader takes its head from the chunks in turn until it has HEAD_BYTES (all of them here), each counted alone.
    expected = sum(chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n") for chunk in chunks)
    assert reader.breaks == expected
    assert reader.ends_with_break == (bool(chunks) and chunks[-1].endswith((b"\n", b"\r", b"\n\x00")))


SMALL_21 = f"""<?xml version="1.0" encoding="UTF-8"?>
<ledesxmlebilling2.1 xmlns="{NAMESPACE}"><firm><lf_vendor_id>1</lf_vendor_id><client><cl_id>2</cl_id>
<invoice><inv_id>3</inv_id><inv_date>2021-06-23</inv_date><matter><cl_matter_id>4</cl_matter_id>
<fee><charge_date>2021-05-30</charge_date><units>1</units><rate>2</rate><total_amount>2</total_amount></fee>
</matter></invoice></client></firm></ledesxmlebilling2.1>""".encode()


def test_the_collector_is_paused_while_an_invoice_is_built_and_given_back_after():
    """Building an invoice makes no reference cycles: the cyclic collector waits; the caller's setting is kept."""
    seen: list[bool] = []
    original = segments.XmlReader._line_item

    def line_item(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return original(self, *args, **kwargs)

    segments.XmlReader._line_item = line_item
    try:
        assert gc.isenabled()
        invoices = list(read_xml(io.BytesIO(SMALL_21), lambda *args, **kwargs: None))
        assert gc.isenabled()
        gc.disable()
        try:
            list(read_xml(io.BytesIO(SMALL_21), lambda *args, **kwargs: None))
            assert not gc.isenabled()  # a caller's paused collector stays paused
        finally:
            gc.enable()
    finally:
        segments.XmlReader._line_item = original
    assert len(invoices) == 1
    assert seen == [False, False]
