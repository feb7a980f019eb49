"""The run's own findings (``finish``) come back per file in line order, the same whether held or spilled to disk."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ledes
from ledes import latefindings
from ledes.diagnostics import Diagnostic, Severity
from ledes.formats.ledes1998b import table
from ledes.latefindings import LateFindings
from ledes.model import Location

PATHS = ("a.txt", "b.txt", "")


def finding(path: str, line: int | None, order: int) -> Diagnostic:
    location = Location(path, line) if path else None
    return Diagnostic("time.daily-hours", Severity.WARNING, f"finding {order}", location)


@given(st.lists(st.tuples(st.sampled_from(PATHS), st.none() | st.integers(1, 6)), max_size=40))
def test_each_files_findings_come_back_by_line_then_as_reported(reported: list[tuple[str, int | None]]):
    found = [finding(path, line if path else None, order) for order, (path, line) in enumerate(reported)]
    original = latefindings.BATCH
    latefindings.BATCH = 3  # several batches written out, and some held
    try:
        with LateFindings() as late:
            for diagnostic in found:
                late.add(diagnostic)
            for path in PATHS:
                expected = sorted(
                    (d for d in found if (d.location.path if d.location else "") == path),
                    key=lambda d: d.location.line or 0 if d.location else 0,
                )
                assert list(late.of(path)) == expected
                assert list(late.of(path)) == expected  # a file named twice in a run reads them again
    finally:
        latefindings.BATCH = original


def write_long_days(path: Path, days: int, first: date) -> Path:
    """One timekeeper billing 11 h (over the 10 h a day allowed) on each of ``days`` days, one invoice a day."""
    lines = [table.FORMAT_LINE, table.HEADER]
    for number in range(days):
        when = first + timedelta(days=number)
        lines.append("|".join([
            f"{when:%Y%m%d}", f"{path.stem}-{number:04d}", "00711", "0528", "3850.00", f"{when:%Y%m%d}",
            f"{when:%Y%m%d}", "For services rendered", "1", "F", "11.0", "0", "3850.00", f"{when:%Y%m%d}", "L110", "",
            "A101", "22547", f"Draft the motion to compel production, part {number}", "24-6437381", "350",
            "Arnsley, Robert", "PARTNR", "CM-0528",
        ]) + "[]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("batch", [1, 7])
def test_a_run_reports_the_same_findings_when_they_spill(tmp_path: Path, batch: int, monkeypatch: pytest.MonkeyPatch):
    files = [write_long_days(tmp_path / "march.txt", 30, date(2024, 3, 1)),
             write_long_days(tmp_path / "april.txt", 30, date(2024, 4, 1))]
    config = ledes.Config(guidelines=True)
    held = ledes.validate(files, config)
    monkeypatch.setattr(latefindings, "BATCH", batch)
    spilled = ledes.validate(files, config)
    assert [f.diagnostics for f in spilled.files] == [f.diagnostics for f in held.files]
    daily = [d for f in held.files for d in f.diagnostics if d.rule == "time.daily-hours"]
    assert len(daily) == 60  # one a day, at the line of each file that crossed it
    assert {d.location.path for d in daily} == {str(path) for path in files}


def test_the_json_document_of_a_spilled_run_is_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The findings come back from the temporary files in small pieces, into one document as json.dumps writes it."""
    from click.testing import CliRunner

    from ledes_cli import json_output
    from ledes_cli.main import main

    files = [str(write_long_days(tmp_path / "march.txt", 25, date(2024, 3, 1))),
             str(write_long_days(tmp_path / "april.txt", 25, date(2024, 4, 1)))]
    monkeypatch.setattr(latefindings, "BATCH", 4)
    monkeypatch.setattr(json_output, "_CHUNK", 7)
    result = CliRunner().invoke(main, ["validate", "--format", "json", "--guidelines", "default", *files])
    document = json.loads(result.output)
    assert result.output == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    daily = [d for f in document["files"] for d in f["diagnostics"] if d["rule"] == "time.daily-hours"]
    assert len(daily) == 50
    assert [f["path"] for f in document["files"]] == files
