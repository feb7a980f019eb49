"""The XML writer's element loop writes each segment exactly as its tables say: ``segment_values``, ``render``, ``escape_text``.

``_Writer._fields`` lays each table out once and writes a value without calling per element;
these tests hold it to the plain composition it replaces, on every fixture's records and on
generated ones (text with ``&``, ``<``, CR and characters XML cannot hold included).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import strategies as S
from hypothesis import given, settings
from hypothesis import strategies as st

import ledes
from ledes.errors import LedesError, LedesWriteError
from ledes.formats.ledesxml import XML_21
from ledes.formats.ledesxml.table import ADDRESS, ADDRESS_ELEMENTS, CONTACT, CONTACT_ELEMENTS, render, segment_values
from ledes.formats.ledesxml.writer import _derived, _Writer, escape_text
from ledes.formats.ledesxml.xml20 import XML_20
from ledes.model import Invoice, LawFirm

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


def outcome(write, *args) -> str | tuple[str, str]:
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
