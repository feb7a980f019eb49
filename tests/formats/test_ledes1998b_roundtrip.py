"""LEDES 1998B round trips: what the writer writes, the reader reads back unchanged, and the reverse.

Also: the writer never drops a value, kept spellings (``1250.``) are reproduced, ``ledes.write``
is atomic, and ``ledes.convert`` refuses to overwrite its input or to lose data.
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

import attrs
import pytest
import strategies as S
from formats_support import (
    COLUMNS,
    FIXTURES,
    GOOD,
    MULTI_MATTER,
    assert_every_value_is_written,
    control_character_findings,
    fee_row,
    ledes_file,
    read_bytes,
    read_text,
    rows,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import ledes
from ledes.formats.ledes1998b.table import FIELDS as FIELDS_1998B
from ledes.formats.ledes1998b.writer import dumps_1998b
from ledes.model import Invoice, LineItem, LineItemType, Matter
from ledes.model.classifications import ALL_CLASSIFICATIONS
from ledes.rules import LOSSY_RULES

# Generating models is slow (about 40 ms each), so the variations run fewer examples than
# the main property; HYPOTHESIS_PROFILE=fuzz runs them all with many more.
MODELS = settings(max_examples=max(30, settings().max_examples // 3))

# ---------------------------------------------------------------------------- parse(write(x)) == x


def expected_diagnostics(invoices: list[Invoice]) -> set[tuple[str, int, str]]:
    """What reading the writer's output of a valid model must report, predicted from the model.

    Only content can be reported: an empty conditionally required field (units and unit
    cost on F/E, expense code on E, timekeeper on F) and a classification that is not a
    known code. Nothing structural, no length, date or number problem, and no
    inconsistency between the repeated invoice-level values.
    """
    found = set()
    for line, (invoice, matter, item) in enumerate(rows(invoices), start=3):
        for name, _, get, required_for in COLUMNS:
            value = get(invoice, matter, item)
            if value is None and item.type in required_for:
                found.add(("field.required", line, name))
        keeper = item.timekeeper
        if keeper is not None and keeper.classification is not None and keeper.classification not in ALL_CLASSIFICATIONS:
            found.add(("field.classification", line, "TIMEKEEPER_CLASSIFICATION"))
    return found | control_character_findings(invoices, COLUMNS, FIELDS_1998B)


def reported(diagnostics) -> set[tuple[str, int, str]]:
    return {(d.rule, d.line, d.field) for d in diagnostics}


@given(S.invoice_lists())
def test_reading_the_writers_output_gives_back_the_model(invoices):
    """parse(write(x)) == x; reading reports only what the content calls for; write(parse(f)) == f.

    One property test checks all three (and the layout of every written record) because
    generating the models is what takes the time.
    """
    text = ledes.dumps(invoices)
    read, diagnostics = read_text(text)
    assert read == invoices
    assert reported(diagnostics) == expected_diagnostics(invoices)
    assert len(diagnostics) == len(reported(diagnostics))  # each reported once
    assert ledes.dumps(read) == text  # the writer's output is canonical: it is reproduced
    assert_every_value_is_written(text, invoices, "LEDES1998B[]", COLUMNS)


@MODELS
@given(S.invoice_lists(alphabet=S.any_characters))
def test_round_trip_holds_for_control_characters_and_unicode_separators(invoices):
    # Only CR and LF end a LEDES line: U+0085, U+2028, form feeds and NULs inside values stay values.
    read, diagnostics = read_text(ledes.dumps(invoices))
    assert read == invoices
    assert reported(diagnostics) == expected_diagnostics(invoices)


@MODELS
@given(S.invoice_lists(), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_round_trip_through_bytes_with_any_line_end_and_bom(invoices, newline, bom):
    data = dumps_1998b(invoices, newline=newline).encode("utf-8")
    read, diagnostics = read_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    assert read == invoices
    assert reported(diagnostics) == expected_diagnostics(invoices)


@MODELS
@given(S.invoice_lists(max_size=2))
def test_round_trip_through_a_file(tmp_path_factory, invoices):
    path = tmp_path_factory.mktemp("rt") / "out.txt"
    ledes.write(invoices, path)
    assert path.read_bytes() == ledes.dumps(invoices).encode("utf-8")
    found = []
    assert list(ledes.iter_invoices(path, diagnostics=found)) == invoices
    assert reported(found) == expected_diagnostics(invoices)
    # Every location points at the file and at the record's physical line.
    read = list(ledes.iter_invoices(path))
    lines = [item.location.line for invoice in read for item in invoice.line_items]
    assert lines == list(range(3, 3 + len(lines)))
    assert all(invoice.location.path == str(path) for invoice in read)


def test_a_narrative_of_exactly_the_limit_round_trips():
    item = LineItem("1", LineItemType.EXPENSE, date(2024, 1, 2), Decimal(1), Decimal("2.5"), None, Decimal("2.5"),
                    expense_code="E101", description=" x" * (15 * 1024 // 2))
    invoice = Invoice("A-1", date(2024, 1, 31), ledes.Client("C"), ledes.LawFirm("L"), Decimal("2.5"),
                      date(2024, 1, 1), date(2024, 1, 31), "d" * 15 * 1024, (Matter("M", None, (item,)),))
    assert len(item.description) == 15 * 1024
    read, diagnostics = read_text(ledes.dumps([invoice]))
    assert read == [invoice]
    assert diagnostics == []


def test_the_writer_refuses_values_a_record_cannot_hold():
    base = LineItem("1", LineItemType.EXPENSE, date(2024, 1, 2), Decimal(1), Decimal(1), None, Decimal(1), expense_code="E101")
    for bad in ("a|b", "two\nlines", "cr\rhere"):
        invoice = Invoice("A-1", date(2024, 1, 31), ledes.Client("C"), ledes.LawFirm("L"), Decimal(1),
                          date(2024, 1, 1), date(2024, 1, 31), None,
                          (Matter("M", None, (attrs.evolve(base, description=bad),)),))
        with pytest.raises(ledes.LedesWriteError, match="LINE_ITEM_DESCRIPTION"):
            ledes.dumps([invoice])


# ------------------------------------------------------------------ write(parse(f)) == f for files


def test_a_canonical_file_is_reproduced_byte_for_byte():
    # The LOC sample is canonical except that it lacks the final line break.
    text = GOOD.read_text(encoding="utf-8") + "\n"
    invoices, diagnostics = read_text(text)
    assert diagnostics == []
    assert ledes.dumps(invoices) == text


def test_the_canonical_fixture_is_reproduced_byte_for_byte(tmp_path):
    data = MULTI_MATTER.read_bytes()
    invoices = ledes.load(MULTI_MATTER)
    assert len(invoices) == 3 and len(invoices[0].matters) == 2
    assert ledes.dumps(invoices).encode("utf-8") == data
    ledes.convert(MULTI_MATTER, tmp_path / "out.txt")
    assert (tmp_path / "out.txt").read_bytes() == data


@pytest.mark.parametrize("source", sorted(FIXTURES.rglob("*.txt")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixtures_read_without_loss_are_written_back_record_for_record(source):
    invoices, diagnostics = read_bytes(source.read_bytes())
    if source.parent.name == "valid":
        assert diagnostics == []
    if not {d.rule for d in diagnostics} & LOSSY_RULES:
        assert ledes.dumps(invoices).split("\n")[2:] == canonical(source.read_bytes()).split("\n")[2:]


def canonical(data: bytes) -> str:
    """A file's text as the writer would lay it out: LF line ends, no trailing blank lines, a final LF."""
    text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line for line in text.rstrip().split("\n")) + "\n"


@pytest.mark.parametrize(
    "name",
    [
        "lexitree_ledes1998b_good.txt",
        "travisbashor_tests_ledes_98B_sample_file.txt",
        "crlf_single_fee_legacy_pt.txt",  # CRLF and a trailing " \r\n" line
    ],
)
def test_valid_sample_files_are_written_back_in_canonical_form(name, tmp_path):
    source = FIXTURES / "valid" / name
    invoices = ledes.load(source)
    assert ledes.dumps(invoices) == canonical(source.read_bytes())
    ledes.convert(source, tmp_path / "out.txt")
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == canonical(source.read_bytes())


# The 1998B sample files under fixtures/1998b (folder/name), by whether reading them loses a value.
LOSSLESS_SAMPLES = [
    "valid/lexitree_ledes1998b_good.txt",
    "valid/travisbashor_tests_ledes_98B_sample_file.txt",
    "valid/crlf_single_fee_legacy_pt.txt",
    "valid/multi_matter.txt",
    "invalid/lexitree_ledes1998b_eager_bad.txt",  # an E line without unit cost: reported, nothing lost
    "invalid/lexitree_ledes1998b_greedy_bad.txt",  # bad marker and header, nearly every value invalid
]
LOSSY_SAMPLES = {
    "invalid/crlf_two_matters_invoice_total_differs.txt": {"invoice.consistent-fields", "invoice.consistent-description"},
    "invalid/crlf_format_line_ledes1998z.txt": {"invoice.consistent-fields", "invoice.consistent-description"},
    "invalid/crlf_header_invalid_headers.txt": {"invoice.consistent-fields", "invoice.consistent-description"},
    "invalid/travisbashor_notebook_ledes_98B.txt": {"invoice.consistent-description"},
    "invalid/travisbashor_tests-data_ledes_98B.txt": {"invoice.consistent-fields"},
}


def test_the_sample_lists_cover_every_1998b_sample():
    names = {f"{p.parent.name}/{p.name}" for p in FIXTURES.glob("*/*.txt")}
    assert names == set(LOSSLESS_SAMPLES) | set(LOSSY_SAMPLES)


@pytest.mark.parametrize("name", LOSSLESS_SAMPLES)
def test_every_record_of_a_losslessly_read_file_is_written_back_unchanged(name):
    """Even invalid values (kept as ``Unparsed``) come back as they were, when nothing was lost."""
    source = FIXTURES / name
    invoices, diagnostics = read_bytes(source.read_bytes())
    assert not {d.rule for d in diagnostics} & LOSSY_RULES
    data_lines = canonical(source.read_bytes()).split("\n")[2:]
    assert ledes.dumps(invoices).split("\n")[2:] == data_lines


@pytest.mark.parametrize("name", sorted(LOSSY_SAMPLES))
def test_reading_reports_what_writing_would_lose(name):
    """Where a repeated value disagrees, only the first is kept: reading must say so."""
    _, diagnostics = read_bytes((FIXTURES / name).read_bytes())
    assert {d.rule for d in diagnostics} & LOSSY_RULES == LOSSY_SAMPLES[name]


# ------------------------------------------------------------------------------------- spellings


def test_source_spellings_of_valid_amounts_are_reproduced():
    invoices, _ = read_text(GOOD.read_text(encoding="utf-8"))
    items = [item for invoice in invoices for item in invoice.line_items]
    assert items[0].adjustment == Decimal(-70) and items[0].spellings is None  # "-70" is canonical
    assert items[0].units == Decimal("2.00") and items[0].spellings is None  # so is "2.00"
    assert items[2].units == Decimal("0.2") and items[2].spellings is None  # Decimal("0.200") keeps its zeros
    assert items[5].adjustment == Decimal(1250) and items[5].spellings == {"adjustment": "1250."}
    text = ledes.dumps(invoices)
    assert "|F|0.200|0|40|" in text
    assert "|IF|1|1250.|1250|" in text


def test_invoice_level_spellings_are_reproduced():
    changes = {"INVOICE_TOTAL": "700.", "LINE_ITEM_TOTAL": "0700.00", "LINE_ITEM_NUMBER_OF_UNITS": ".5", "LINE_ITEM_ADJUSTMENT_AMOUNT": "-0"}
    text = ledes_file(fee_row("7", changes=changes))
    (invoice,), diagnostics = read_text(text)
    assert diagnostics == []
    assert invoice.spellings == {"total": "700."}
    assert next(invoice.line_items).spellings == {"total": "0700.00", "units": ".5"}  # "-0" is canonical
    assert ledes.dumps([invoice]) == text


def test_spellings_do_not_affect_equality():
    (invoice,), _ = read_text(ledes_file(fee_row("7", changes={"INVOICE_TOTAL": "700."})))
    assert invoice == attrs.evolve(invoice, spellings=None)


def test_a_spelling_is_dropped_once_the_value_changes():
    invoices, _ = read_text(GOOD.read_text(encoding="utf-8"))
    retainer = invoices[1]
    item = next(retainer.line_items)
    changed = attrs.evolve(item, adjustment=Decimal("1300"))
    matter = attrs.evolve(retainer.matters[0], line_items=(changed,))
    text = ledes.dumps([attrs.evolve(retainer, matters=(matter,))])
    assert "|IF|1|1300|1250|" in text
    # A spelling given with a model built by hand is used too, while it spells the value.
    kept = attrs.evolve(item, units=Decimal("0.5"), spellings={"units": "0.50", "total": "999"})
    matter = attrs.evolve(retainer.matters[0], line_items=(kept,))
    text = ledes.dumps([attrs.evolve(retainer, matters=(matter,))])
    assert "|IF|0.50|1250|1250|" in text  # units respelled; the stale total spelling ignored


# ---------------------------------------------------------------------------------- ledes.write


def _one_invoice(number: str = "A-1", description: str | None = None) -> Invoice:
    item = LineItem("1", LineItemType.EXPENSE, date(2024, 1, 2), Decimal(1), Decimal(1), None, Decimal(1),
                    expense_code="E101", description=description)
    return Invoice(number, date(2024, 1, 31), ledes.Client("C"), ledes.LawFirm("L"), Decimal(1),
                   date(2024, 1, 1), date(2024, 1, 31), None, (Matter("M", None, (item,)),))


def test_write_is_atomic_when_the_invoices_fail_mid_write(tmp_path):
    target = tmp_path / "out.txt"
    target.write_bytes(b"previous contents\n")

    def failing():
        yield _one_invoice("A-1")
        yield _one_invoice("A-2")
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError, match="the source broke"):
        ledes.write(failing(), target)
    assert target.read_bytes() == b"previous contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_write_is_atomic_when_a_value_cannot_be_written(tmp_path):
    target = tmp_path / "out.txt"
    target.write_bytes(b"previous contents\n")
    with pytest.raises(ledes.LedesWriteError, match=r"A-2.*'\|'"):
        ledes.write([_one_invoice("A-1"), _one_invoice("A-2", "a|b")], target)
    assert target.read_bytes() == b"previous contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
    # A new file is not created at all.
    with pytest.raises(ledes.LedesWriteError):
        ledes.write([_one_invoice("A-2", "a|b")], tmp_path / "new.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


@pytest.mark.parametrize("failing_call", ["fsync", "replace"])
def test_write_reports_a_failing_disk_as_a_write_error(tmp_path, monkeypatch, failing_call):
    """A full disk or a refused rename is a LedesWriteError (the CLI's exit 2), never a raw OSError."""
    target = tmp_path / "out.txt"
    target.write_bytes(b"previous contents\n")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing_call, fail)
    with pytest.raises(ledes.LedesWriteError, match="No space left on device"):
        ledes.write([_one_invoice()], target)
    monkeypatch.undo()
    assert target.read_bytes() == b"previous contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


FULL_DISK_SCRIPT = """
import os, resource, signal, sys
import ledes
sys.path.insert(0, sys.argv[2])
from test_ledes1998b_roundtrip import _one_invoice
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
invoices = [_one_invoice(f"A-{n}", "x" * 500) for n in range(200)]  # about 130 KB
try:
    ledes.write(invoices, sys.argv[1])
except ledes.LedesWriteError as error:
    print("LedesWriteError:", error)
"""


def test_write_reports_a_full_disk_in_the_middle_of_writing(tmp_path):
    """A write that fails part way (here: the file-size limit, as a full disk would) leaves no trace."""
    import subprocess
    import sys

    target = tmp_path / "out.txt"
    target.write_bytes(b"previous contents\n")
    here = os.path.dirname(__file__)
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK_SCRIPT, str(target), here],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([here, os.path.dirname(here)])},
    )
    assert result.stderr == ""
    assert result.stdout.startswith("LedesWriteError: cannot write"), result.stdout
    assert target.read_bytes() == b"previous contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_write_replaces_the_target_with_the_usual_permissions(tmp_path):
    target = tmp_path / "out.txt"
    target.write_bytes(b"previous contents\n")
    old = os.umask(0o022)
    try:
        ledes.write([_one_invoice()], target)
    finally:
        os.umask(old)
    assert target.read_text(encoding="utf-8") == ledes.dumps([_one_invoice()])
    assert target.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_write_to_a_missing_directory_is_a_write_error(tmp_path):
    with pytest.raises(ledes.LedesWriteError, match="cannot write"):
        ledes.write([_one_invoice()], tmp_path / "no" / "such" / "out.txt")


# -------------------------------------------------------------------------------- ledes.convert


def test_convert_refuses_to_overwrite_its_input(tmp_path):
    source = tmp_path / "in.txt"
    data = GOOD.read_bytes()
    source.write_bytes(data)
    with pytest.raises(ledes.LedesWriteError, match="overwrite the input"):
        ledes.convert(source, source)
    # The same file under another name is still the input.
    os.link(source, tmp_path / "hard.txt")
    (tmp_path / "soft.txt").symlink_to(source)
    for other in ("hard.txt", "soft.txt", "./in.txt"):
        with pytest.raises(ledes.LedesWriteError, match="overwrite the input"):
            ledes.convert(source, tmp_path / other)
    assert source.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard.txt", "in.txt", "soft.txt"]


LOSSY_FILES = {
    # INVOICE_TOTAL differs between the rows of an invoice: only the first row's value is kept.
    "invoice.consistent-fields": ledes_file(fee_row("1", "1"), fee_row("1", "2", {"INVOICE_TOTAL": "1250"})).encode(),
    # A '|' in a description gives a record 25 fields: it is skipped.
    "structure.field-count": ledes_file(
        fee_row("1", "1"), fee_row("1", "2", {"LINE_ITEM_DESCRIPTION": "Research|Smith"})
    ).encode(),
    # Only the description differs (a warning by default): still not written back.
    "invoice.consistent-description": ledes_file(
        fee_row("1", "1"), fee_row("1", "2", {"INVOICE_DESCRIPTION": "Other"})
    ).encode(),
}


@pytest.mark.parametrize("rule", sorted(LOSSY_FILES))
def test_convert_refuses_lossy_input_unless_allowed(tmp_path, rule):
    source = tmp_path / "in.txt"
    source.write_bytes(LOSSY_FILES[rule])
    target = tmp_path / "out.txt"
    target.write_bytes(b"previous contents\n")
    with pytest.raises(ledes.LedesDataLossError) as raised:
        ledes.convert(source, target)
    assert rule in {d.rule for d in raised.value.losses}
    assert all(d.rule in LOSSY_RULES for d in raised.value.losses)
    assert target.read_bytes() == b"previous contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "out.txt"]

    result = ledes.convert(source, target, allow_loss=True)
    assert rule in {d.rule for d in result.losses}
    assert result.invoices >= 1
    assert target.read_bytes() != b"previous contents\n"
    assert ledes.dumps(ledes.iter_invoices(source)) == target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "out.txt"]


def test_convert_stops_cleanly_at_a_value_1998b_cannot_hold(tmp_path):
    """A narrative with a line break is read (the record spans lines) but cannot be written back.

    Converting fails with a LedesWriteError naming the invoice, line item and field, and
    writes nothing: the break is never silently removed.
    """
    source = tmp_path / "in.txt"
    source.write_text(ledes_file(fee_row("1", "1", {"LINE_ITEM_DESCRIPTION": "two\nlines"})), encoding="utf-8")
    assert [d.rule for d in ledes.validate_file(source).diagnostics] == ["structure.line-break"]
    with pytest.raises(ledes.LedesWriteError, match="invoice 1, line item 1: LINE_ITEM_DESCRIPTION contains a line break"):
        ledes.convert(source, tmp_path / "out.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt"]


def test_convert_counts_what_it_wrote(tmp_path):
    result = ledes.convert(GOOD, tmp_path / "out.txt")
    assert (result.invoices, result.line_items, result.losses) == (2, 6, ())
    assert result.diagnostics == ()


def test_convert_reports_but_carries_over_invalid_values(tmp_path):
    """Invalid values are not a loss: they are kept as text and written back as they were."""
    source = FIXTURES / "invalid" / "lexitree_ledes1998b_greedy_bad.txt"
    result = ledes.convert(source, tmp_path / "out.txt")
    assert result.losses == ()
    assert {"field.date", "field.number", "field.length"} <= {d.rule for d in result.diagnostics}
    written = (tmp_path / "out.txt").read_text(encoding="utf-8").split("\n")[2:]
    assert written == canonical(source.read_bytes()).split("\n")[2:]
