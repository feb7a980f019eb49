"""A format's ``unread`` paths: its writer writes an invoice alike whatever they hold, so the loss check need not write to know.

``reread_losses`` takes the values at those paths as written alike without writing the
invoice again; these tests are the proof that it may: over every fixture and generated
invoices, the writer's text is the same with those values changed or emptied, and the
losses found with the shortcut are the ones found by writing every time.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import invoices, xml_invoice_lists

import ledes
from ledes.errors import LedesError
from ledes.formats import FORMATS, Format
from ledes.formats.base import WriteOptions
from ledes.formats.losses import _records, reread_losses
from ledes.formats.rewrites import Difference, writes
from ledes.model import Invoice

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_FILES = sorted(path for path in (ROOT / "fixtures").rglob("*") if path.suffix in (".txt", ".xml"))
WITH_UNREAD = [file_format for file_format in FORMATS if file_format.unread]
OPTIONS = WriteOptions(currency="USD", law_firm_name="Law Offices of John Smith")
CHECKS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def fixture_invoices() -> Iterator[Invoice]:
    """Every invoice the fixtures hold, as read (invalid values and all)."""
    for path in FIXTURE_FILES:
        try:
            yield from ledes.iter_invoices(path)
        except LedesError:
            continue


def prepared(target: Format, invoice: Invoice) -> Invoice | None:
    """``invoice`` as ``convert`` hands it to ``target``'s writer, or None when the target cannot write it at all."""
    try:
        ready = target.prepared(invoice, OPTIONS)
        target.write([ready], io.StringIO())
    except (LedesError, TypeError, ValueError, ArithmeticError):
        return None
    return ready


def unread_differences(target: Format, invoice: Invoice) -> list[Difference]:
    """A made-up other value for every record's value at each of ``target``'s unread paths."""
    found = []
    for scope, record, anchor in _records(invoice):
        for path in target.unread:
            path_scope, _, name = path.rpartition(".")
            if record is not None and path_scope == scope:
                found.append(Difference(path, record, anchor, getattr(record, name), "9999 other", "changed"))
    return found


def assert_written_alike(target: Format, invoice: Invoice) -> None:
    ready = prepared(target, invoice)
    if ready is None:
        return
    out = io.StringIO()
    target.write([ready], out)
    differences = unread_differences(target, ready)
    assert writes(ready, differences, target.write) == out.getvalue()
    assert writes(ready, differences, target.write, emptied=True) == out.getvalue()


def assert_same_losses(target: Format, invoice: Invoice) -> None:
    ready = prepared(target, invoice)
    if ready is None:
        return
    names = dict(target.field_names)
    found = reread_losses(ready, target.write, target.read, names, target.title, "in.txt", target.unread)
    written = reread_losses(ready, target.write, target.read, names, target.title, "in.txt")
    assert found == written


def test_the_xml_formats_declare_the_line_number_unread():
    assert {file_format.key for file_format in WITH_UNREAD} == {"xml2.0", "xml2.1", "xml2.2", "xml2000"}


@pytest.mark.parametrize("target", WITH_UNREAD, ids=lambda target: target.key)
def test_every_fixture_is_written_alike_whatever_its_unread_values(target: Format):
    changed = 0
    for invoice in fixture_invoices():
        assert_written_alike(target, invoice)
        changed += bool(unread_differences(target, invoice))
    assert changed > 100  # most fixtures have lines, whose numbers were changed


@pytest.mark.parametrize("target", WITH_UNREAD, ids=lambda target: target.key)
def test_every_fixture_loses_the_same_with_and_without_the_shortcut(target: Format):
    for invoice in fixture_invoices():
        assert_same_losses(target, invoice)


@CHECKS
@given(generated=invoices(), xml_generated=xml_invoice_lists())
def test_generated_invoices_are_written_alike_and_lose_the_same(generated: Invoice, xml_generated: list[Invoice]):
    for target in WITH_UNREAD:
        for invoice in [generated, *xml_generated]:
            assert_written_alike(target, invoice)
            assert_same_losses(target, invoice)
