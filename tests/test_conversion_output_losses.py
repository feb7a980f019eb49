"""Losses found from the written file's one validating read are the losses of writing and reading back each invoice alone.

``convert`` compares each invoice its output's validation reads with the source's invoice,
read again (``read_back_losses``), instead of writing each invoice alone and reading it
back (``reread_losses``). These tests are the proof that it may: over generated invoice
lists and every fixture, for every target read back for its losses, the two find the same
losses, and ``convert`` returns the same conversion (and writes the same bytes) either way.
"""

from __future__ import annotations

import io
from pathlib import Path

import attrs
import pytest
from conversion_support import converted
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import invoice_lists, invoice_lists_as_xml_holds, matters, xml_invoice_lists

import ledes
from ledes import api, outputcheck
from ledes.errors import LedesError
from ledes.formats import FORMATS, Format
from ledes.formats.base import BY_READING_BACK, WriteOptions
from ledes.formats.losses import _matched_items, read_back_losses, reread_losses
from ledes.model import Invoice, LineItem, Matter

ROOT = Path(__file__).resolve().parents[1]
READ_BACK = [file_format for file_format in FORMATS if file_format.losses is BY_READING_BACK]
OPTIONS = WriteOptions(currency="USD", law_firm_name="Law Offices of John Smith")
CHECKS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SOURCES = sorted(path for folder in ("1998b", "1998bi", "xml", "rules") for path in (ROOT / "fixtures" / folder).rglob("*")
                 if path.suffix in (".txt", ".xml"))


def writable(target: Format, invoices: list[Invoice]) -> list[Invoice]:
    """The invoices prepared as ``convert`` hands them to ``target``, leaving out those it cannot write at all."""
    ready = []
    for invoice in invoices:
        try:
            prepared = target.prepared(invoice, OPTIONS)
            target.write([prepared], io.StringIO())
        except (LedesError, TypeError, ValueError, ArithmeticError):
            continue
        ready.append(prepared)
    return ready


def read_whole(target: Format, invoices: list[Invoice]) -> list[Invoice] | None:
    """The invoices ``target``'s reader gives back from one document holding them all; None when it cannot hold them.

    LEDES 2000 holds one law firm per file: ``convert`` refuses invoices of several.
    """
    out = io.StringIO()
    try:
        target.write(invoices, out)
    except LedesError:
        return None
    return list(target.read(io.BytesIO(out.getvalue().encode("utf-8")), lambda *args, **kwargs: None, None))


def assert_same_losses(target: Format, invoices: list[Invoice]) -> None:
    ready = writable(target, invoices)
    if not ready:
        return
    names = dict(target.field_names)
    again = read_whole(target, ready)
    if again is None:
        return
    assert len(again) == len(ready)
    for invoice, read_back in zip(ready, again, strict=True):
        alone = reread_losses(invoice, target.write, target.read, names, target.title, "in.txt", target.unread)
        from_document = read_back_losses(invoice, read_back, target.write, names, target.title, "in.txt", target.unread)
        assert from_document == alone


@settings(CHECKS, max_examples=max(50, settings().max_examples // 2))  # each example: three lists, every target
@given(generated=invoice_lists(), xml_generated=xml_invoice_lists(), as_xml_holds=invoice_lists_as_xml_holds(bi=True))
def test_generated_invoices_lose_the_same_read_from_one_document_as_alone(
    generated: list[Invoice], xml_generated: list[Invoice], as_xml_holds: list[Invoice]
):
    for target in READ_BACK:
        for invoices in (generated, xml_generated, as_xml_holds):
            assert_same_losses(target, invoices)


def converted_by(monkeypatch: pytest.MonkeyPatch, source: Path, target: Format, out: Path,
                 from_output: bool) -> tuple[object, bytes | None]:
    """What ``convert`` returns (or raises) and writes, its losses found from the output or from each invoice alone."""
    monkeypatch.setattr(api, "rereadable", lambda path: from_output)
    return converted(source, target, out)


@pytest.mark.parametrize("target", READ_BACK, ids=lambda target: target.key)
def test_every_fixture_converts_the_same_with_losses_from_the_output(
    target: Format, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    compared = 0
    for source in SOURCES:
        out = tmp_path / f"out.{target.key}"
        alone = converted_by(monkeypatch, source, target, out, from_output=False)
        from_output = converted_by(monkeypatch, source, target, out, from_output=True)
        assert from_output == alone, source
        compared += alone[1] is not None
    assert compared > 20


def test_losses_come_from_the_output_for_a_regular_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The fast path is the one taken: a source file is not written and read back invoice by invoice."""
    calls = []
    monkeypatch.setattr("ledes.formats.losses.reread_losses", lambda *args, **kwargs: calls.append(args) or [])
    source = ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"
    result = ledes.convert(source, tmp_path / "out.xml", to="xml2.1", allow_loss=True,
                           law_firm_name="Law Offices of John Smith")
    assert result.invoices and not calls
    assert any(loss.rule == "convert.unsupported-field" for loss in result.losses)


@pytest.mark.parametrize("target", READ_BACK, ids=lambda target: target.key)
def test_an_output_too_large_to_validate_is_read_back_whole_for_the_same_losses(
    target: Format, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Over the XML ceiling, the validation reads no invoice (``xml.size``): the losses come from reading the output whole.

    Simulated on the fixtures: a ceiling of 0 bytes for ``convert``'s check, and a validation
    that gives back no invoice, as the real one does past the ceiling.
    """
    real_validated, real_read_whole = outputcheck.validated, outputcheck.read_whole
    read_whole: list[tuple] = []

    def validate_reading_nothing(path, format, on_invoice=None):
        return real_validated(path, format)

    def counted_read_whole(*args):
        read_whole.append(args)
        return real_read_whole(*args)

    compared = 0
    for source in SOURCES:
        out = tmp_path / f"out.{target.key}"
        alone = converted_by(monkeypatch, source, target, out, from_output=False)
        read_whole.clear()
        with monkeypatch.context() as patched:
            patched.setattr(outputcheck, "xml_ceiling", lambda: 0)
            patched.setattr(outputcheck, "validated", validate_reading_nothing)
            patched.setattr(outputcheck, "read_whole", counted_read_whole)
            whole = converted_by(patched, source, target, out, from_output=True)
        assert whole == alone, source
        compared += bool(read_whole)
    assert compared > 20


def matched_by_kind(matter: Matter, other: Matter | None) -> list[tuple[LineItem, LineItem | None]]:
    """The n-th line of each type with the n-th line of that type read back: how lines are matched in general."""
    remaining: dict[object, list[LineItem]] = {}
    for item in other.line_items if other is not None else ():
        remaining.setdefault(item.type, []).append(item)
    return [(item, remaining[item.type].pop(0) if remaining.get(item.type) else None) for item in matter.line_items]


@CHECKS
@given(matter=matters("M1"), again=matters("M1"), data=st.data())
def test_lines_of_the_same_kinds_in_the_same_order_are_matched_as_by_kind(matter: Matter, again: Matter, data):
    """``_matched_items`` pairs lines one by one when the kinds come back in order: the pairs matching by kind makes."""
    for other in (None, matter, again, attrs.evolve(matter, line_items=matter.line_items[::-1]),
                  attrs.evolve(matter, line_items=tuple(data.draw(st.permutations(matter.line_items))))):
        assert _matched_items(matter, other) == matched_by_kind(matter, other)


def test_a_timekeeper_shared_by_lines_is_compared_on_each_line_it_comes_back_otherwise():
    """One Timekeeper on many lines is compared once while it comes back alike (``_differences``), but each line
    whose read-back timekeeper differs is still a loss, as it is when every line has a timekeeper of its own."""
    target = next(file_format for file_format in READ_BACK if file_format.key == "xml2.1")
    invoice = target.prepared(ledes.load(ROOT / "fixtures" / "1998b" / "valid" / "multi_matter.txt")[0], OPTIONS)
    first = invoice.matters[0]
    keeper = next(item.timekeeper for item in first.line_items if item.timekeeper is not None)
    fees = tuple(attrs.evolve(item, timekeeper=keeper) if item.type.value == "F" else item for item in first.line_items)
    assert sum(item.timekeeper is keeper for item in fees) >= 2
    shared = attrs.evolve(invoice, matters=(attrs.evolve(first, line_items=fees), *invoice.matters[1:]))
    read_back = read_whole(target, [shared])
    assert read_back is not None
    back_first = read_back[0].matters[0]
    last_fee = max(index for index, item in enumerate(fees) if item.timekeeper is keeper)
    changed = tuple(attrs.evolve(item, timekeeper=attrs.evolve(item.timekeeper, classification="XX"))
                    if index == last_fee else item for index, item in enumerate(back_first.line_items))
    again = attrs.evolve(read_back[0], matters=(attrs.evolve(back_first, line_items=changed), *read_back[0].matters[1:]))
    own = attrs.evolve(shared, matters=(attrs.evolve(first, line_items=tuple(
        attrs.evolve(item, timekeeper=attrs.evolve(item.timekeeper)) if item.timekeeper is not None else item
        for item in fees)), *shared.matters[1:]))
    names = dict(target.field_names)
    losses = read_back_losses(shared, again, target.write, names, target.title, "in.txt", target.unread)
    assert losses == read_back_losses(own, again, target.write, names, target.title, "in.txt", target.unread)
    assert any("'XX'" in loss.message and loss.location.line == fees[last_fee].location.line for loss in losses)
