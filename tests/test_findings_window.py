"""A file's findings are held in a window of WINDOW at most: memory is flat however many findings a run has."""

from __future__ import annotations

from pathlib import Path

from ledes import engine
from ledes.diagnostics import DiagnosticSink
from ledes.formats.pipe import reader

HEADER = ("INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|"
          "BILLING_END_DATE|INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|"
          "LINE_ITEM_ADJUSTMENT_AMOUNT|LINE_ITEM_TOTAL|LINE_ITEM_DATE|LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|"
          "LINE_ITEM_ACTIVITY_CODE|TIMEKEEPER_ID|LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|"
          "TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]")


def _bad_dates(path: Path, invoices: int) -> Path:
    """A 1998B file whose every line has an invalid date: a finding a line, 3 lines an invoice."""
    rows = ["LEDES1998B[]", HEADER]
    for number in range(invoices):
        for line in range(1, 4):
            rows.append(f"20250131|{1000 + number}|C1|M1|300.00|20250101|20250131|Work|{line}|F|1.00|0.00|100.00|"
                        f"2025013X|L110||A101|TK1|Draft the motion|F1|100.00|Doe, Jane|PT|CM1[]")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_file_with_many_findings_holds_at_most_a_window(tmp_path: Path, monkeypatch):
    """3,600 findings, each told in line order, with never more than a window (and a reader's batch) held."""
    source = _bad_dates(tmp_path / "bad-dates.txt", 1_200)
    emit = DiagnosticSink.emit
    most = [0]

    def watched(self: DiagnosticSink, *args, **kwargs) -> None:
        emit(self, *args, **kwargs)
        most[0] = max(most[0], len(self.diagnostics))

    monkeypatch.setattr(DiagnosticSink, "emit", watched)
    found = engine.validate_file(source).diagnostics
    assert len(found) == 3_600 and [d.line for d in found] == sorted(d.line or 0 for d in found)
    # The window, past it what the reader reports on one batch of rows (a finding a row here), and one invoice's.
    assert most[0] <= engine.WINDOW + reader._BATCH_ROWS + 3 < len(found) // 2
