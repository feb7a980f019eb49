"""The pipe writer renders each scope once; its records equal the field-by-field writer it replaced, on every fixture.

Dates and numbers render as they did before their faster paths, on any value.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ledes
from ledes.errors import LedesWriteError
from ledes.formats.fields import Date, Number, Rate
from ledes.formats.ledes1998b.table import FORMAT as FORMAT_1998B
from ledes.formats.ledes1998bi.table import FORMAT as FORMAT_1998BI
from ledes.formats.pipe.spec import PipeFormat
from ledes.formats.pipe.writer import pipe_records, write_pipe

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted(path for path in (ROOT / "fixtures").rglob("*")
                  if path.is_file() and path.suffix.lower() in {".txt", ".xml", ".ledes", ".csv"})
SPECS = {"1998b": FORMAT_1998B, "1998bi": FORMAT_1998BI}
SCOPES = ("invoice", "client", "law_firm", "client_address", "law_firm_address", "matter", "line_item", "timekeeper")


def reference_records(spec: PipeFormat, invoices: Iterable[ledes.Invoice]) -> Iterator[str]:
    """The writer as it was: every field of every row looked up and rendered on its own, checked as it goes."""
    yield spec.format_line
    yield spec.header
    for invoice in invoices:
        for matter in invoice.matters:
            for item in matter.line_items:
                records = (invoice, invoice.client, invoice.law_firm, invoice.client.address,
                           invoice.law_firm.address, matter, item, item.timekeeper)
                texts = []
                for field in spec.fields:
                    record = records[SCOPES.index(field.scope)]
                    if record is None:
                        texts.append("")
                        continue
                    value = getattr(record, field.attribute)
                    spellings = getattr(record, "spellings", None)
                    spelling = spellings.get(field.attribute) if spellings else None
                    kept = spelling is not None and _same_value(field, spelling, value)
                    text = spelling if kept else field.kind.render(value)
                    last = len(texts) == len(spec.fields) - 1
                    if "|" in text or "\n" in text or "\r" in text or "[]" in text or (last and text.endswith("[")):
                        which = ("a '|'" if "|" in text else "a line break" if "\n" in text or "\r" in text
                                 else "'[]', the record terminator" if "[]" in text
                                 else "a final '[' (with the terminator, '[[]')")
                        raise LedesWriteError(f"invoice {invoice.number}, line item {item.number}: {field.name}"
                                              f" contains {which}, which LEDES cannot hold; remove it before writing")
                    texts.append(text)
                yield "|".join(texts) + "[]"


def _same_value(field, spelling: str, value: object) -> bool:
    converted, _, _ = field.kind.convert(spelling)
    return converted == value and type(converted) is type(value)


def written(records: Iterator[str]) -> list[str]:
    """The records, and the writer's error in place of the rest when it stops."""
    found: list[str] = []
    try:
        for record in records:
            found.append(record)
    except LedesWriteError as error:
        found.append(f"error: {error}")
    return found


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: str(path.relative_to(ROOT / "fixtures")))
def test_every_fixture_is_written_as_before(path: Path):
    invoices = list(ledes.iter_invoices(path, diagnostics=[]))
    for spec in SPECS.values():
        assert written(pipe_records(spec, invoices)) == written(reference_records(spec, invoices))


def _with_text(invoice: ledes.Invoice, where: str, text: str) -> ledes.Invoice:
    """The invoice with ``text`` put in one place: the invoice, its client, its matter, a line item or a timekeeper."""
    matter = invoice.matters[0]
    items = list(matter.line_items)
    if where == "invoice":
        return attrs.evolve(invoice, description=text)
    if where == "client":
        return attrs.evolve(invoice, client=attrs.evolve(invoice.client, id=text))
    if where == "matter":
        return attrs.evolve(invoice, matters=(attrs.evolve(matter, client_matter_id=text), *invoice.matters[1:]))
    index = len(items) - 1
    if where == "line_item":
        items[index] = attrs.evolve(items[index], description=text)
    else:
        keeper = items[index].timekeeper or ledes.Timekeeper("K1")
        items[index] = attrs.evolve(items[index], timekeeper=attrs.evolve(keeper, name=text))
    return attrs.evolve(invoice, matters=(attrs.evolve(matter, line_items=tuple(items)), *invoice.matters[1:]))


@pytest.mark.parametrize("where", ["invoice", "client", "matter", "line_item", "timekeeper"])
@pytest.mark.parametrize("text", ["a|b", "a\nb", "a\rb", "|", "a||b"])
@pytest.mark.parametrize("key", sorted(SPECS))
def test_a_value_that_cannot_be_written_stops_the_writer_at_the_same_record_and_field(where, text, key):
    invoices = list(ledes.iter_invoices(ROOT / "fixtures" / "1998b" / "valid" / "multi_matter.txt"))
    changed = [_with_text(invoices[0], where, text), *invoices[1:]]
    new, old = written(pipe_records(SPECS[key], changed)), written(reference_records(SPECS[key], changed))
    assert new == old
    assert new[-1].startswith("error: ")


def reference_number_text(kind: Number, value: Decimal) -> str:
    """Number.render as it was: the exponent read from the value's tuple, shortened when the value allows."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -kind.decimals:
        with contextlib.suppress(InvalidOperation):
            shortened = value.quantize(Decimal(1).scaleb(-kind.decimals))
            if shortened == value:
                value = shortened
    return format(value, "f")


@given(st.decimals(allow_nan=True, allow_infinity=True) | st.decimals(places=6) | st.decimals(places=12),
       st.sampled_from([Number(10, 2), Number(14, 4), Number(4, 1), Rate()]))
def test_numbers_render_as_before(value: Decimal, kind: Number):
    assert kind.render(value) == reference_number_text(kind, value)


@given(st.dates() | st.datetimes())
def test_dates_render_as_before(value: date):
    assert Date().render(value) == f"{value.year:04d}{value.month:02d}{value.day:02d}"


@pytest.mark.parametrize("key", sorted(SPECS))
def test_every_kind_writes_text_as_it_is_and_none_as_nothing(key):
    """What the writer's shortcut for str and None values relies on: every kind's render does the same."""
    for field in SPECS[key].fields:
        assert field.kind.render("a b~1,5") == "a b~1,5", field.name
        assert field.kind.render(None) == "", field.name


AMOUNTS = [Decimal("1.5"), Decimal("1.50"), Decimal("1.50000"), Decimal("1.500000"), Decimal("0.12345"), Decimal("2E+1")]


@given(st.lists(st.tuples(st.integers(0, len(AMOUNTS) - 1), st.booleans()), min_size=1, max_size=12))
def test_equal_values_kept_as_one_object_or_spelled_apart_are_each_written_as_their_own(choices):
    """Rendered values are remembered by object: one object on many lines, and equal values with other exponents
    (1.5, 1.50, 1.50000), are each written as the field-by-field writer writes them, invoice after invoice."""
    (invoice, *_) = ledes.iter_invoices(ROOT / "fixtures" / "1998b" / "valid" / "multi_matter.txt")
    matter = invoice.matters[0]
    template = matter.line_items[0]
    shared = [Decimal(value) for value in AMOUNTS]  # one object per amount, reused across lines
    items = tuple(attrs.evolve(template, number=str(number), units=shared[index] if reuse else Decimal(AMOUNTS[index]),
                               unit_cost=shared[-1 - index], total=Decimal(AMOUNTS[index]))
                  for number, (index, reuse) in enumerate(choices, start=1))
    changed = attrs.evolve(invoice, matters=(attrs.evolve(matter, line_items=items),))
    for spec in SPECS.values():
        for _ in range(2):  # the second time, every value is already remembered
            assert written(pipe_records(spec, [changed])) == written(reference_records(spec, [changed]))


DESCRIPTIONS = (st.none() | st.sampled_from(["", "a", "a|b", "a\nb", "a\rb", "[]", "a[", "plain text"])
                | st.text(max_size=6))


@given(st.lists(st.lists(DESCRIPTIONS, min_size=1, max_size=5), min_size=1, max_size=3),
       st.sampled_from(["\n", "\r\n"]), st.sampled_from(sorted(SPECS)))
def test_a_matter_written_as_one_block_is_the_records_one_by_one(matters, newline, key):
    """Each matter's line items are rendered a column at a time and its records checked as one text: the file is the
    records (each with the line break asked for) of the field-by-field writer, up to a value that cannot be written,
    whichever line item of the matter holds it."""
    (invoice, *_) = ledes.iter_invoices(ROOT / "fixtures" / "1998b" / "valid" / "multi_matter.txt")
    template = invoice.matters[0]
    changed = attrs.evolve(invoice, matters=tuple(
        attrs.evolve(template, line_items=tuple(
            attrs.evolve(template.line_items[index % len(template.line_items)], number=str(index + 1),
                         description=description) for index, description in enumerate(descriptions)))
        for descriptions in matters))
    expected = written(reference_records(SPECS[key], [changed]))
    out = io.StringIO(newline="")
    try:
        write_pipe(SPECS[key], [changed], out, newline)
    except LedesWriteError as error:
        out.write(f"error: {error}{newline}")
    assert out.getvalue() == "".join(record + newline for record in expected)
