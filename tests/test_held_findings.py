"""A file's findings wait on disk past a bound: told in the same order, with no more than the bound held in memory."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ledes import engine
from ledes.config import Config
from ledes.diagnostics import Diagnostic, DiagnosticSink, Location, Severity
from ledes.formats.pipe import reader
from ledes.heldfindings import HeldFindings

LINES = st.one_of(st.none(), st.integers(1, 30))


def finding(line: int | None, order: int) -> tuple[Diagnostic, str | None]:
    return (Diagnostic("field.date", Severity.ERROR, f"finding {order}", Location("f.txt", line), "1", None),
            "USD" if order % 3 else None)


@given(st.lists(st.lists(LINES, max_size=12), max_size=8), st.lists(LINES, max_size=12))
def test_told_as_one_stable_sort_of_the_whole(batches: list[list[int | None]], rest: list[int | None]):
    """Batches spilled in turn, then those still in memory: the order of one stable sort by line of all of them."""
    order = 0
    made: list[list[tuple[Diagnostic, str | None]]] = []
    for lines in [*batches, rest]:
        made.append([finding(line, order + index) for index, line in enumerate(lines)])
        order += len(lines)
    whole = [told for batch in made for told in batch]
    with HeldFindings() as waiting:
        for batch in made[:-1]:
            waiting.spill(batch)
        assert len(waiting) == len(whole) - len(rest)
        told = list(waiting.told(made[-1]))
        assert len(waiting) == 0
        assert list(waiting.told([])) == []  # emptied: the next window starts afresh
    assert told == sorted(whole, key=lambda found: found[0].line or 0)


def _bad_dates(path: Path, invoices: int) -> Path:
    """A 1998B file whose every line has an invalid date: a finding a line, 3 lines an invoice."""
    header = ("INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|"
              "BILLING_END_DATE|INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|"
              "LINE_ITEM_ADJUSTMENT_AMOUNT|LINE_ITEM_TOTAL|LINE_ITEM_DATE|LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|"
              "LINE_ITEM_ACTIVITY_CODE|TIMEKEEPER_ID|LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|"
              "TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]")
    rows = ["LEDES1998B[]", header]
    for number in range(invoices):
        for line in range(1, 4):
            rows.append(f"20250131|{1000 + number}|C1|M1|300.00|20250101|20250131|Work|{line}|F|1.00|0.00|100.00|"
                        f"2025013X|L110||A101|TK1|Draft the motion|F1|100.00|Doe, Jane|PT|CM1[]")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_file_with_many_findings_holds_a_bounded_number(tmp_path: Path, monkeypatch):
    """Past HELD findings, those of invoices read to their end wait on disk; the report is the same."""
    source = _bad_dates(tmp_path / "bad-dates.txt", 600)
    whole = engine.validate_file(source).diagnostics
    held: list[int] = []
    spill = HeldFindings.spill

    def counted(self: HeldFindings, findings: list[tuple[Diagnostic, str | None]]) -> None:
        held.append(len(findings))
        spill(self, findings)

    monkeypatch.setattr(HeldFindings, "spill", counted)
    emit = DiagnosticSink.emit
    most = [0]

    def watched(self: DiagnosticSink, *args, **kwargs) -> None:
        emit(self, *args, **kwargs)
        most[0] = max(most[0], len(self.diagnostics))

    monkeypatch.setattr(DiagnosticSink, "emit", watched)
    monkeypatch.setattr(engine, "HELD", 10)
    spilled = engine.validate_file(source, Config()).diagnostics
    assert len(whole) >= 1800 and spilled == whole
    # The bound, past it what the reader reports on one batch of rows (a finding a row here), and one invoice's.
    assert len(held) >= 10 and most[0] <= 10 + reader._BATCH_ROWS + 3 < len(whole) // 2
