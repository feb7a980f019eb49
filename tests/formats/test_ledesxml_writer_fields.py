"""The XML writer's element loop writes each segment exactly as its tables say: ``segment_values``, ``render``, ``escape_text``.

``_Writer._fields`` lays each table out once and writes a value without calling per element;
these tests hold it to the plain composition it replaces, on every fixture's records and on
generated ones (text with ``&``, ``<``, CR and characters XML cannot hold included).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import strategies as S
from hypothesis import given, settings
from hypothesis import strategies as st

import ledes
from ledes.errors import LedesError, LedesWriteError
from ledes.formats.ledesxml import XML_21, writer
from ledes.formats.ledesxml.fieldcode import segment_writer
from ledes.formats.ledesxml.table import (
    ADDRESS,
    ADDRESS_ELEMENTS,
    CONTACT,
    CONTACT_ELEMENTS,
    Element,
    render,
    segment_values,
)
from ledes.formats.ledesxml.writer import DERIVED, _derived, _Writer, escape_text
from ledes.formats.ledesxml.xml20 import XML_20
from ledes.model import Address, Invoice, LawFirm, Unparsed
from ledes.money import exact

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_FILES = sorted(path for path in (ROOT / "fixtures").rglob("*") if path.suffix in (".txt", ".xml"))


def reference(record, elements, pad, computed=None, required=()) -> str:
    """A segment as the writer wrote it element by element: each value rendered and escaped, addresses and contacts nested."""
    written = []
    for element, value in segment_values(record, elements, computed):
        if element.kind in (ADDRESS, CONTACT):
            if value is None:
                written.append(f"{pad}<{element.name}/>\n" if element.name in required else "")
            else:
                inner = ADDRESS_ELEMENTS if element.name.endswith("address") else CONTACT_ELEMENTS
                written.append(f"{pad}<{element.name}>\n{reference(value, inner, pad + '  ')}{pad}</{element.name}>\n")
        elif value is not None:
            written.append(f"{pad}<{element.name}>{escape_text(render(element.kind, value), element.name, 'n')}"
                           f"</{element.name}>\n")
    return "".join(written)


def fields(record, elements, pad, computed=None, required=()) -> str:
    writer = _Writer(XML_21)
    writer.invoice_number = "n"
    writer._fields(record, elements, pad, computed, required)
    return "".join(writer.parts)


def outcome(write, *args) -> str | tuple[str, ...]:
    try:
        return write(*args)
    except LedesWriteError as error:
        return ("refused", str(error))


def segments(invoice: Invoice) -> Iterator[tuple]:
    """(record, elements, computed, required) for every segment of ``invoice`` in 2.1's and 2.0's tables."""
    for version in (XML_21, XML_20):
        tables = version.segments
        yield invoice.law_firm, tables.firm, {"=source_app": "ledes"}, ("lf_address", "lf_billing_contact")
        yield invoice.client, tables.client, None, ()
        yield invoice, tables.invoice, None, ()
        for matter in invoice.matters:
            yield matter, tables.matter, {"=total_due": 1}, ()
            for item in matter.line_items:
                for elements in (tables.fee, tables.expense, tables.disc_cred):
                    yield item, elements, _derived(item), ()


def assert_alike(invoice: Invoice) -> None:
    for record, elements, computed, required in segments(invoice):
        for pad in ("", "    "):
            assert outcome(fields, record, elements, pad, computed, required) == outcome(
                reference, record, elements, pad, computed, required)


def test_every_fixture_record_is_written_as_the_tables_say():
    checked = 0
    for path in FIXTURE_FILES:
        try:
            invoices = list(ledes.iter_invoices(path))
        except LedesError:
            continue
        for invoice in invoices:
            assert_alike(invoice)
            checked += 1
    assert checked > 100


@settings(deadline=None)
@given(invoice=S.invoices(alphabet=st.characters(exclude_categories=("Cs",))), xml=S.xml_invoice_lists())
def test_generated_records_are_written_as_the_tables_say(invoice: Invoice, xml: list[Invoice]):
    for each in [invoice, *xml]:
        assert_alike(each)


@pytest.mark.parametrize("text", ["a & b", "<x>", "line\r\nnext", "tab\tok", "bell\x07", "\ufffe"])
def test_a_text_that_needs_escaping_or_cannot_be_held_is_handled_as_escape_text_does(text: str):
    firm = LawFirm("F1", name=text)
    assert outcome(fields, firm, XML_21.segments.firm, "  ") == outcome(reference, firm, XML_21.segments.firm, "  ")


# -- the functions segment_writer makes, against the loop they unroll ------------------------------------------------

_TABLES = [getattr(version.segments, name) for version in (XML_21, XML_20)
           for name in ("firm", "client", "invoice", "matter", "disc_cred", "tksum", "fee", "expense", "tax_summary")]
_values = st.one_of(
    st.none(), st.just(""), st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=6),
    st.sampled_from(["a & b", "<x>", "r\rn", "\x07", "tab\t", "\ufffe"]),
    st.decimals(allow_nan=True, allow_infinity=True, places=2), st.dates(), st.integers(),
    st.builds(Unparsed, st.sampled_from(["1.2.3", "<bad>", "x&y"])),
)


def fields_in_a_loop(
    record: object, elements: tuple[Element, ...], pad: str, computed: dict | None, required: tuple[str, ...],
    add: Callable[[str], object], invoice_number: object,
) -> None:
    """What the function ``segment_writer`` makes does, as a loop over the table: the reference it is held to."""
    for element in elements:
        target, name = element.target, element.name
        if computed is not None and target in computed:
            value = computed[target]
        elif record is not None and target[0] not in "=~":
            value = getattr(record, target)
        else:
            value = None
        if element.kind in (ADDRESS, CONTACT):
            if value is not None:
                add(f"{pad}<{name}>\n")
                inner = ADDRESS_ELEMENTS if name.endswith("address") else CONTACT_ELEMENTS
                fields_in_a_loop(value, inner, pad + "  ", None, (), add, invoice_number)
                add(f"{pad}</{name}>\n")
            elif name in required:
                add(f"{pad}<{name}/>\n")
        elif value is not None:
            text = escape_text(render(element.kind, value), name, invoice_number)
            add(f"{pad}<{name}>{text}</{name}>\n")



def loop_text(record, elements, pad, computed, required) -> str | tuple[str, str]:
    written: list[str] = []
    try:
        fields_in_a_loop(record, elements, pad, computed, required, written.append, "n")
    except LedesWriteError as error:
        return ("refused", str(error))
    return "".join(written)


def made_text(record, elements, pad, computed, required) -> str | tuple[str, str]:
    written: list[str] = []
    write = segment_writer(elements, pad, tuple(computed) if computed else (), record is not None, required)
    try:
        write(record, computed, written.append, "n")
    except LedesWriteError as error:
        return ("refused", str(error))
    return "".join(written)


@settings(deadline=None, max_examples=200)
@given(data=st.data(), elements=st.sampled_from(_TABLES), pad=st.sampled_from(["", "  ", "          "]),
       own=st.booleans(), xml=S.xml_invoice_lists(max_size=1))
def test_a_made_writer_writes_what_the_loop_writes(data, elements, pad, own, xml: list[Invoice]):
    """Any computed targets (a record's own among them, or none), with or without a record, values of every type."""
    invoice = xml[0]
    records = [invoice.law_firm, invoice.client, invoice, *invoice.matters, *invoice.line_items]
    record = data.draw(st.sampled_from(records)) if own else None
    targets = [element.target for element in elements]
    values = [element.target for element in elements if element.kind not in (ADDRESS, CONTACT)]
    chosen = data.draw(st.lists(st.sampled_from(values), unique=True))
    computed = {target: data.draw(_values) for target in chosen} if chosen or data.draw(st.booleans()) else None
    names = [element.name for element in elements if element.kind in (ADDRESS, CONTACT)]
    required = tuple(data.draw(st.lists(st.sampled_from(names), unique=True))) if names else ()
    if record is not None and any(not hasattr(record, target) for target in targets
                                  if target[0] not in "=~" and target not in (computed or {})):
        record = None  # a table of another record's attributes
    assert made_text(record, elements, pad, computed, required) == loop_text(record, elements, pad, computed, required)


def test_a_made_writer_escapes_and_refuses_as_escape_text_does():
    for text in ("a & b", "<x>", "line\r\nnext", "", "bell\x07", "\ufffe", "é’"):
        for record in (LawFirm("F1", name=text, address=Address(line1=text)), LawFirm("F1")):
            args = (record, XML_21.segments.firm, "  ", {"=source_app": text}, ("lf_address",))
            assert made_text(*args) == loop_text(*args)


@settings(deadline=None)
@given(xml=S.xml_invoice_lists(), invoices=st.lists(S.invoices(alphabet=st.characters(exclude_categories=("Cs",))),
                                                    max_size=1))
def test_a_document_is_written_as_with_the_loop(xml: list[Invoice], invoices: list[Invoice]):
    """The whole text of a document, each segment written by its made function or by the loop, is the same."""

    def by_loop(elements, pad, computed, own, required=()):
        return lambda record, values, add, number: fields_in_a_loop(record, elements, pad, values, required, add, number)

    def document(version, chosen) -> str | tuple[str, str]:
        try:
            with exact():
                return "".join(writer.xml_texts(version, chosen))
        except Exception as error:  # a control character (LedesWriteError), a tax a 1998B line cannot have...
            return (type(error).__name__, str(error))

    for version in (XML_21, XML_20):
        for chosen in (xml, invoices):
            made = document(version, chosen)
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(writer, "segment_writer", by_loop)
                assert document(version, chosen) == made


@given(xml=S.xml_invoice_lists(max_size=1))
def test_the_derived_values_are_those_the_writers_are_made_for(xml: list[Invoice]):
    for item in xml[0].line_items:
        assert tuple(_derived(item)) == DERIVED
