"""A file read in two halves at once (ledes.halves) finds and shows the same, in the same order, as one process."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ledes
from ledes import api, engine, halves, reports, workers
from ledes.formats.pipe import reader
from ledes.reports import spill

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"

pytestmark = pytest.mark.skipif(not workers.can_fork(), reason="the second half is read by a forked child: Linux only")

HEADER = (
    "LEDES1998B[]\n"
    "INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|BILLING_END_DATE|"
    "INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|LINE_ITEM_ADJUSTMENT_AMOUNT|"
    "LINE_ITEM_TOTAL|LINE_ITEM_DATE|LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|LINE_ITEM_ACTIVITY_CODE|TIMEKEEPER_ID|"
    "LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]\n"
)
# What a row may carry: nothing wrong, or one of the problems the reader and the invoice rules report.
DEFECTS = ("", "", "", "date", "total", "fields", "latin1", "break", "blank", "invoice-total")


def _row(number: str, item: int, defect: str) -> bytes:
    date = "19990231" if defect == "date" else "19990203"
    total = "999.00" if defect == "total" else "350.00"
    description = "Review caf\xe9 notes" if defect == "latin1" else "Review and analyze complaint"
    if defect == "break":
        description = "Review and\nanalyze complaint"
    invoice_total = "1.00" if defect == "invoice-total" else "700.00"
    fields = [
        "19990331", number, "00711", "0528", invoice_total, "19990201", "19990228", "For services rendered",
        str(item), "F", "1.00", "0.00", total, date, "L120", "", "A104", "22547", description, "24-6437381",
        "350.00", "Arnsley, Robert", "PARTNR", "423-987",
    ]
    if defect == "fields":
        fields = fields[:20]
    text = "|".join(fields) + "[]\n"
    if defect == "blank":
        text += "\n"
    return text.encode("cp1252" if defect == "latin1" else "utf-8")


def _write(path: Path, invoices: list[tuple[str, list[str]]], line_end: bytes = b"\n") -> Path:
    """A 1998B file of the invoices given as (number, each row's defect)."""
    parts = [HEADER.encode()]
    for number, defects in invoices:
        parts.extend(_row(number, item, defect) for item, defect in enumerate(defects, 1))
    path.write_bytes(b"".join(parts).replace(b"\n", line_end))
    return path


# Random files: invoices (numbers that may repeat) of rows with random defects.
RANDOM_INVOICES = st.lists(
    st.tuples(st.integers(1000, 1012).map(str), st.lists(st.sampled_from(DEFECTS), min_size=1, max_size=5)),
    min_size=2,
    max_size=30,
)


def _regular(count: int, rows: int = 6) -> list[tuple[str, list[str]]]:
    return [(str(1000 + index), [""] * rows) for index in range(count)]


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of a few rows, so that the parent's reader reaches the split in a small file; merges counted."""
    monkeypatch.setattr(reader, "_BATCH_ROWS", 3)
    merges: list[int] = []
    merge = halves.Halves._merge

    def counted(self, *arguments):
        merged = merge(self, *arguments)
        merges.append(merged is not None)
        return merged

    monkeypatch.setattr(halves.Halves, "_merge", counted)
    return merges


def _same(paths: list[Path], config: ledes.Config | None = None) -> ledes.Report:
    alone = ledes.validate(paths, config, jobs=1)
    assert ledes.validate(paths, config, jobs=2) == alone
    return alone


def test_an_invoice_number_in_both_halves_is_found_non_contiguous(tmp_path: Path, small_batches: list[int]):
    invoices = _regular(40)
    invoices[35] = ("1003", [""] * 6)  # the number of an invoice of the first half
    invoices[36] = ("1030", [""] * 6)  # and of one of the second half, read by the child before
    report = _same([_write(tmp_path / "repeated.txt", invoices)])
    assert [d.rule for d in report.files[0].diagnostics].count("invoice.non-contiguous") == 2
    assert small_batches == [True]


def test_non_contiguous_rows_across_the_midpoint(tmp_path: Path, small_batches: list[int]):
    invoices = _regular(41)
    invoices[20:21] = [("1020", [""] * 3), ("1019", [""] * 2), ("1020", [""] * 3)]
    for cut in range(5, 95, 3):  # the split at many places, the interleaved rows among them
        path = _write(tmp_path / "interleaved.txt", invoices)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(halves, "middle", lambda size, cut=cut: size * cut // 100)
            report = _same([path])
        assert "invoice.non-contiguous" in {d.rule for d in report.files[0].diagnostics}
    assert any(small_batches)


@pytest.mark.parametrize("defect", [d for d in DEFECTS if d])
def test_a_broken_record_right_at_the_midpoint(tmp_path: Path, small_batches: list[int], defect: str):
    invoices = _regular(40)
    invoices[19] = ("1019", ["", "", "", "", "", defect])  # the last row before the middle
    invoices[20] = ("1020", [defect, "", "", "", "", ""])  # the first row after it
    path = _write(tmp_path / "broken.txt", invoices)
    for cut in range(40, 60):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(halves, "middle", lambda size, cut=cut: size * cut // 100)
            _same([path])
    assert any(small_batches)


def test_the_encoding_warning_is_told_once_whichever_half_finds_it(tmp_path: Path, small_batches: list[int]):
    for first, second in ((3, 30), (None, 30), (3, None)):
        invoices = _regular(40)
        for index in (first, second):
            if index is not None:
                invoices[index] = (invoices[index][0], ["", "latin1", "", "", "", "latin1"])
        report = _same([_write(tmp_path / "latin1.txt", invoices)])
        assert [d.rule for d in report.files[0].diagnostics].count("structure.encoding") == 1
    assert small_batches == [True, True, True]


@pytest.mark.parametrize("line_end", [b"\r\n", b"\r"])
def test_other_line_ends(tmp_path: Path, small_batches: list[int], line_end: bytes):
    invoices = _regular(40)
    invoices[30] = ("1030", ["date", "", "total", "", "", ""])
    _same([_write(tmp_path / "ends.txt", invoices, line_end)])
    assert small_batches == ([True] if line_end == b"\r\n" else [])  # CR alone: no line to split at


def test_findings_told_in_windows_are_read_in_one_process(tmp_path: Path, small_batches: list[int], monkeypatch):
    monkeypatch.setattr(engine, "HALVES_WINDOW", 20)
    invoices = [(str(1000 + index), ["date"] * 6) for index in range(40)]
    report = _same([_write(tmp_path / "many.txt", invoices)])
    assert len(report.files[0].diagnostics) > 20
    assert True not in small_batches  # the parent read on alone


def test_many_invoices_in_the_second_half_are_still_read_by_the_child(tmp_path: Path, small_batches: list[int],
                                                                       monkeypatch):
    # Each invoice of the second half is an unsure number until the parent decides: not a finding that counts.
    monkeypatch.setattr(engine, "HALVES_WINDOW", 10)
    invoices = _regular(120, rows=2)
    invoices[100] = ("1003", [""] * 2)  # a number of the first half, used again far into the second
    report = _same([_write(tmp_path / "small-invoices.txt", invoices)])
    assert [d.rule for d in report.files[0].diagnostics] == ["invoice.non-contiguous"]
    assert small_batches == [True]


def test_every_fixture_as_one_run(small_batches: list[int]):
    paths = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".xml") and p.is_file())
    for cut in (30, 50, 70):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(halves, "middle", lambda size, cut=cut: size * cut // 100)
            for path in paths:
                assert ledes.validate([path], jobs=2) == ledes.validate([path], jobs=1), path


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    invoices=RANDOM_INVOICES,
    cut=st.integers(0, 99),
)
def test_any_split_point_finds_the_same(tmp_path: Path, small_batches: list[int], invoices, cut: int):
    path = _write(tmp_path / "random.txt", invoices)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(halves, "middle", lambda size: size * cut // 100)
        _same([path])


def _big_file(path: Path) -> Path:
    """A file large enough to be split by default (``workers.MIN_BYTES``), with findings in both halves."""
    count = workers.MIN_BYTES // (len(_row("1000", 1, "")) * 6) + 50
    invoices = _regular(count)
    invoices[10] = ("1010", ["", "date", "", "", "", ""])
    invoices[count - 10] = ("1010", ["total", "", "", "", "", ""])
    return _write(path, invoices)


CHILD_TIME = (
    "import resource, sys; from ledes_cli.main import run; sys.argv = ['ledes', *sys.argv[1:]]\n"
    "try:\n    run()\nexcept SystemExit as end:\n    code = end.code\n"
    "used = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "sys.stderr.write(f'children {used.ru_utime + used.ru_stime > 0}\\n'); sys.exit(code)\n"
)


@pytest.mark.skipif(workers.processors() < 2, reason="a file is split on two processors or more")
@pytest.mark.parametrize(("command", "output", "code"), [
    ("validate", "text", 1), ("validate", "json", 1), ("show", "text", 0), ("show", "json", 0), ("report", "html", 0)])
def test_a_real_process_reads_the_second_half_in_a_child(tmp_path: Path, command: str, output: str, code: int):
    path = _big_file(tmp_path / "big.txt")
    runs = {}
    for switch in ("", "1"):
        environment = {**os.environ, halves.ONE_READER: switch}
        runs[switch] = subprocess.run(
            [sys.executable, "-c", CHILD_TIME, command, str(path), "--format", output],
            capture_output=True, env=environment, check=False,
        )
    split, alone = runs[""], runs["1"]
    assert split.returncode == alone.returncode == code
    assert split.stdout == alone.stdout
    assert b"children True" in split.stderr
    assert b"children False" in alone.stderr



@pytest.fixture
def show_splits(monkeypatch, small_batches: list[int]) -> list[int]:
    """``ledes show``'s overview splits any file (``MIN_BYTES`` 0, two processors); merges counted."""
    monkeypatch.setattr(engine, "MIN_BYTES", 0)
    monkeypatch.setattr(halves, "MIN_BYTES", 0)
    monkeypatch.setattr(halves, "processors", lambda: 2)
    return small_batches


def _same_report(paths: list[Path], monkeypatch, **options) -> None:
    """``ledes report`` of the files in every output format, and its files' problems, read in two halves and in one
    process: the same."""
    def rendered() -> list[object]:
        report = reports.build_report(paths, **options)
        return [report.files, *(reports.render(report, output) for output in reports.RENDERERS)]

    split = rendered()
    with monkeypatch.context() as patch:
        patch.setenv(halves.ONE_READER, "1")
        assert split == rendered()


def _same_overview(path: Path, monkeypatch) -> api.Overview:
    """The overview ``ledes show`` prints, read in two halves and in one process: the same to the last digit."""
    split = api.overview(path)
    with monkeypatch.context() as patch:
        patch.setenv(halves.ONE_READER, "1")
        alone = api.overview(path)
    assert repr(split) == repr(alone)
    return alone


def test_show_of_every_fixture_as_one_process(show_splits: list[int], monkeypatch):
    paths = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".xml") and p.is_file())
    for cut in (35, 65):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(halves, "middle", lambda size, cut=cut: size * cut // 100)
            for path in paths:
                _same_overview(path, monkeypatch)
    assert any(show_splits)


def _wide_file(path: Path) -> Path:
    """240 lines of 350.00, but for 30 digits in the first half and less them and 0.01 in the second."""
    _write(path, _regular(40))
    wide = b"123456789012345678901234567890.67"
    lines = path.read_bytes().split(b"\n")
    for index, total in ((5, wide), (200, b"-" + wide), (201, b"0.01")):
        fields = lines[index].split(b"|")
        fields[12] = total
        lines[index] = b"|".join(fields)
    path.write_bytes(b"\n".join(lines))
    return path


def test_show_adds_wide_amounts_of_both_halves_exactly(tmp_path: Path, show_splits: list[int], monkeypatch):
    """30 digits in the first half, less them and 0.01 in the second: added exactly, as one process adds them."""
    path = _wide_file(tmp_path / "wide.txt")
    overview = _same_overview(path, monkeypatch)
    assert show_splits == [True]
    assert overview.summary.by_type["F fee"].amount == overview.summary.total == 237 * Decimal(350) + Decimal("0.01")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    invoices=RANDOM_INVOICES,
    cut=st.integers(0, 99),
    line_end=st.sampled_from([b"\n", b"\r\n"]),
)
def test_show_at_any_split_point_is_that_of_one_process(tmp_path: Path, show_splits: list[int], monkeypatch,
                                                         invoices, cut: int, line_end: bytes):
    path = _write(tmp_path / "random.txt", invoices, line_end)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(halves, "middle", lambda size: size * cut // 100)
        _same_overview(path, monkeypatch)


REPORT_KEYS = [("matter",), ("timekeeper", "task"), ("client", "activity", "expense")]


@pytest.mark.parametrize(("by", "period"), [(REPORT_KEYS[0], None), (REPORT_KEYS[1], "1999"), (REPORT_KEYS[2], None)])
def test_report_of_every_fixture_as_one_process(show_splits: list[int], monkeypatch, by: tuple[str, ...],
                                                period: str | None):
    paths = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".xml") and p.is_file())
    for cut in (35, 65):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(halves, "middle", lambda size, cut=cut: size * cut // 100)
            _same_report(paths, monkeypatch, by=by, period=reports.parse_period(period) if period else None)
    assert any(show_splits)


def test_report_adds_wide_amounts_of_both_halves_exactly(tmp_path: Path, show_splits: list[int], monkeypatch):
    path = _wide_file(tmp_path / "wide.txt")
    _same_report([path], monkeypatch, by=("matter",))
    assert show_splits == [True]
    totals = reports.build_report([path]).totals
    assert [group.totals.total for group in totals] == [237 * Decimal(350) + Decimal("0.01")]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    invoices=RANDOM_INVOICES,
    cut=st.integers(0, 99),
    by=st.sampled_from(REPORT_KEYS),
    held=st.sampled_from([1, 2, 1024]),
    line_end=st.sampled_from([b"\n", b"\r\n"]),
)
def test_report_at_any_split_point_is_that_of_one_process(tmp_path: Path, show_splits: list[int], monkeypatch,
                                                           invoices, cut: int, by: tuple[str, ...], held: int,
                                                           line_end: bytes):
    """Also when the groups spill to disk (``held`` groups in memory), in the parent or in an invoice's part."""
    path = _write(tmp_path / "random.txt", invoices, line_end)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(halves, "middle", lambda size: size * cut // 100)
        patch.setattr(spill, "GROUPS_HELD", held)
        _same_report([path], monkeypatch, by=by)
