"""The report adds each counted line to its tallies exactly as the plain per-line form does, for every grouping.

``_Builder.add_invoice`` looks up a matter's tallies once when every key is the matter's or the
invoice's, and a month's tally once per day; ``PerLine`` below is the plain form (every key and
every tally found again for every line). Both give the same report, to the last digit and exponent.
"""

from __future__ import annotations

from datetime import date

import pytest
from report_support import FIXTURES

from ledes.model import Invoice
from ledes.reports import build as report_build
from ledes.reports.keys import Line
from ledes.reports.period import month_of
from ledes.reports.totals import Tally

GROUPINGS = [("matter",), ("client",), ("client", "matter"), ("timekeeper",), ("matter", "task"), ("month", "client")]


class PerLine(report_build._Builder):
    """The builder with every line's keys and tallies found line by line."""

    def add_invoice(self, index: int, path: str, invoice: Invoice) -> None:
        self.matter_wide = False
        self.by_day.clear()
        super().add_invoice(index, path, invoice)

    def month_tally(self, currency: str | None, day: date) -> Tally:
        return self.months.setdefault((currency, (month_of(day),)), Tally())

    def tallies(self, line: Line) -> list[Tally]:
        currency = line.invoice.currency
        values = tuple(self.value(name, key(line, self.codes)) for name, key in zip(self.by, self.keys, strict=True))
        return [
            self.groups.setdefault((currency, values), Tally()),
            self.leading.setdefault((currency, values[:1]), Tally()),
            self.totals.setdefault(currency, Tally()),
        ]


@pytest.mark.parametrize("by", GROUPINGS, ids="+".join)
def test_the_report_equals_the_per_line_report(monkeypatch, by):
    fast = report_build.build_report(FIXTURES, by)
    monkeypatch.setattr(report_build, "_Builder", PerLine)
    plain = report_build.build_report(FIXTURES, by)
    assert repr(fast) == repr(plain)
    assert fast.groups and fast.months
