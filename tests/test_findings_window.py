"""A file's findings are held in a window of WINDOW at most, and told while the reader reads on without an invoice's
end: memory is flat however many findings a run has."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ledes import engine
from ledes.config import Config
from ledes.diagnostics import DiagnosticSink
from ledes.findingwindow import READING_HELD, FindingWindow
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


class Told:
    """A listener that keeps what it is told, and the most findings the sink held at any time."""

    def __init__(self) -> None:
        self.findings: list = []
        self.most_held = 0

    def finding(self, diagnostic, currency) -> None:
        self.findings.append((diagnostic, currency))


def test_findings_of_no_invoice_are_told_while_reading_and_never_all_held():
    """A file of records the reader skips (no invoice ever ends) held every finding until its end: 715 MB."""
    sink = DiagnosticSink("f.txt", Config().level_of)
    told = Told()
    window = FindingWindow(sink, told, {}, 1_000)
    for line in range(1, 50_001):
        sink.emit("structure.field-count", "skipped", line=line)
        told.most_held = max(told.most_held, len(sink.diagnostics))
    window.pass_on()
    assert told.most_held < 1_000 + READING_HELD
    assert [d.line for d, _ in told.findings] == list(range(1, 50_001))


def test_findings_of_an_invoice_not_read_to_its_end_wait_on_disk_for_its_currency():
    sink = DiagnosticSink("f.txt", Config().level_of)
    told = Told()
    currencies: dict[str, str | None] = {}
    window = FindingWindow(sink, told, currencies, 1_000)
    for line in range(3, 30_003):
        sink.emit("field.date", "bad date", line=line, invoice="INV-1")
        told.most_held = max(told.most_held, len(sink.diagnostics))
    assert told.findings == [] and window.waiting is not None and told.most_held < 1_000 + READING_HELD
    currencies["INV-1"] = "EUR"
    window.pass_on()
    assert [(d.line, currency) for d, currency in told.findings] == [(line, "EUR") for line in range(3, 30_003)]
    assert window.waiting is None


@settings(max_examples=25)
@given(st.lists(st.tuples(st.integers(1, 400), st.sampled_from([None, "A", "B"])), max_size=300))
def test_what_is_told_is_what_one_sort_tells(found):
    """However the windows fall, every finding is told once, with its invoice's currency; within a window by line."""
    sink = DiagnosticSink("f.txt", Config().level_of)
    told = Told()
    currencies: dict[str, str | None] = {"A": "USD"}
    window = FindingWindow(sink, told, currencies, 7)
    for line, invoice in found:
        sink.emit("field.date", "bad date", line=line, invoice=invoice)
        if window.full():
            window.pass_on(window=True)
    currencies["B"] = "GBP"
    window.pass_on()
    expected = sorted(((line, invoice) for line, invoice in found), key=lambda pair: pair[0])
    got = sorted(((d.line, d.invoice) for d, _ in told.findings), key=lambda pair: pair[0])
    assert got == expected
    assert all(currency == currencies.get(d.invoice or "") for d, currency in told.findings)
