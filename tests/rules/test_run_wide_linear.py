"""The run-wide guideline rules are linear: one timekeeper over 5,000 invoices costs twice what 2,500 cost.

Work is counted, not timed: the Python lines the rules execute (a trace on ``ledes/rules``
only), over the same generated run at two sizes. A rule that rescans what it kept for each
new line (``rates.increase`` once compared every earlier date) doubles its count per line
as the run doubles, and the ratio goes towards 4.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import ledes
from ledes.formats.ledes1998b import table

RULES_FOLDER = str(Path(ledes.__file__).parent / "rules")


def write_run(path: Path, invoices: int) -> Path:
    """One timekeeper over ``invoices`` one-day invoices on one matter, the rate rising now and then."""
    lines = [table.FORMAT_LINE, table.HEADER]
    start = date(2020, 1, 1)
    for number in range(invoices):
        when = start + timedelta(days=number)
        rate = 300 + number // 500 * 5
        units = "1.5"
        total = f"{rate * 3 / 2:.2f}"
        lines.append("|".join([
            f"{when:%Y%m%d}", f"INV-{number:05d}", "00711", "0528", total, f"{when:%Y%m%d}", f"{when:%Y%m%d}",
            "For services rendered", "1", "F", units, "0", total, f"{when:%Y%m%d}", "L110", "", "A101", "22547",
            f"Draft the motion to compel production, part {number}", "24-6437381", str(rate), "Arnsley, Robert",
            "PARTNR", "CM-0528",
        ]) + "[]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rule_lines(path: Path) -> int:
    """The lines of ledes/rules/ executed validating ``path`` with every guideline rule on, as a run."""
    counted = 0

    def local(frame, event, argument):
        nonlocal counted
        if event == "line":
            counted += 1
        return local

    def on_call(frame, event, argument):
        return local if frame.f_code.co_filename.startswith(RULES_FOLDER) else None

    config = ledes.Config(guidelines=True)
    sys.settrace(on_call)
    try:
        report = ledes.validate([path], config)
    finally:
        sys.settrace(None)
    assert report.files[0].invoices == path.read_text(encoding="utf-8").count("\n") - 2
    return counted


def test_run_wide_rules_do_twice_the_work_for_twice_the_invoices(tmp_path: Path):
    small = rule_lines(write_run(tmp_path / "small.txt", 2_500))
    large = rule_lines(write_run(tmp_path / "large.txt", 5_000))
    assert 1.8 < large / small < 2.2, (small, large)


def test_the_run_raises_rates_increase_findings(tmp_path: Path):
    """The stress run is a real one: each rise in the rate is reported once, at its first line."""
    path = write_run(tmp_path / "run.txt", 2_500)
    (report,) = ledes.validate([path], ledes.Config(guidelines=True)).files
    raised = [d for d in report.diagnostics if d.rule == "rates.increase"]
    assert [d.invoice for d in raised] == [f"INV-{n:05d}" for n in range(500, 2_500, 500)]


def test_the_reader_builds_one_timekeeper_per_distinct_timekeeper(tmp_path: Path):
    """Rows of one timekeeper share one Timekeeper object, within a batch of records as across batches."""
    items = [item for invoice in ledes.iter_invoices(write_run(tmp_path / "run.txt", 3_000)) for item in
             invoice.line_items]
    assert len(items) == 3_000
    assert len({id(item.timekeeper) for item in items}) == 1
