"""ledes.check: the findings told to a listener as files are read, the same as ledes.validate collects, in order."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import ledes
from ledes import Config

ROOT = Path(__file__).resolve().parents[1]
LOC_SAMPLE = ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"


def _loc_file(folder: Path, name: str, number: str, hours: str) -> Path:
    """The LOC sample with 22547's second line on 19990115 at ``hours`` and its own invoice number."""
    total = Decimal(hours) * 350
    text = LOC_SAMPLE.read_text(encoding="utf-8").replace("|2.00|0|700|", f"|{hours}|0|{total}|")
    path = folder / name
    path.write_text(text.replace("1684.45", str(Decimal("984.45") + total)).replace("|96542|", f"|{number}|"))
    return path


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def file_started(self, path: str, format: str | None) -> None:
        self.events.append(("started", path, format))

    def finding(self, diagnostic: ledes.Diagnostic, currency: str | None) -> None:
        self.events.append(("finding", diagnostic, currency))

    def file_finished(self, file: ledes.FileChecked) -> None:
        self.events.append(("finished", file.path, file.invoices, file.line_items))


def test_check_tells_what_validate_collects_with_the_run_wide_findings_in_their_file(tmp_path):
    """Two files, one run: the second's daily-hours finding (known only after both) is told in line order in its file."""
    first = _loc_file(tmp_path, "january.txt", "96542", "4.00")
    second = _loc_file(tmp_path, "copy.txt", "96550", "4.00")
    config = Config(guidelines=True, levels={"narrative": "off"})
    told = Recorder()
    ledes.check([first, second], told, config)
    report = ledes.validate([first, second], config)
    assert [e[0] for e in told.events if e[0] != "finding"] == ["started", "finished", "started", "finished"]
    second_start = next(i for i, e in enumerate(told.events) if e[:2] == ("started", str(second)))
    findings = [e[1] for e in told.events[second_start:] if e[0] == "finding"]
    assert tuple(findings) == report.files[1].diagnostics
    assert [d.line for d in findings] == sorted(d.line or 0 for d in findings)
    assert {d.rule for d in findings} == {"duplicate.line-item", "duplicate.expense", "invoice.duplicate-number",
                                             "time.daily-hours"}
    assert told.events[-1] == ("finished", str(second), 2, 6)


def test_check_without_a_run_wide_rule_tells_each_file_as_it_is_read(tmp_path):
    """Without guidelines nothing waits: a file's findings come before the next file starts."""
    invalid = ROOT / "fixtures" / "1998b" / "invalid" / "travisbashor_tests-data_ledes_98B.txt"
    told = Recorder()
    ledes.check([invalid, LOC_SAMPLE], told)
    kinds = [e[0] for e in told.events]
    assert kinds == ["started", "finding", "finding", "finding", "finished", "started", "finished"]
    assert [e[2] for e in told.events if e[0] == "finding"] == [None, None, None]  # 1998B states no currency
