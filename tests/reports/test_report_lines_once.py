"""The report adds each counted line to its tallies exactly as the plain per-line form does, for every grouping.

``_Builder.add_invoice`` looks up a matter's tallies once when every key is the matter's or the
invoice's, and a month's tally once per day; ``PerLine`` below is the plain form (every key and
every tally found again for every line). Both give the same report, to the last digit and exponent.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_support import FIXTURES

from ledes.model import Client, Invoice, LawFirm, LineItem, LineItemType, Matter, Timekeeper, Unparsed
from ledes.reports import build as report_build
from ledes.reports.keys import CodeIndex
from ledes.reports.period import month_of
from ledes.reports.totals import Tally
from ledes.utbms import code_sets

GROUPINGS = [("matter",), ("client",), ("client", "matter"), ("timekeeper",), ("matter", "task"), ("month", "client")]


class PerLine(report_build._Builder):
    """The builder with every line's keys and tallies found line by line."""

    def add_invoice(self, index: int, path: str, invoice: Invoice) -> None:
        self.matter_wide = False
        self.by_day.clear()
        super().add_invoice(index, path, invoice)

    def month_tally(self, currency: str | None, day: date) -> Tally:
        return self.months.setdefault((currency, (month_of(day),)), Tally())


@pytest.mark.parametrize("by", GROUPINGS, ids="+".join)
def test_the_report_equals_the_per_line_report(monkeypatch, by):
    fast = report_build.build_report(FIXTURES, by)
    monkeypatch.setattr(report_build, "_Builder", PerLine)
    plain = report_build.build_report(FIXTURES, by)
    assert repr(fast) == repr(plain)
    assert fast.groups and fast.months


# A matter whose lines all count with numbers and a date is added a column at a time (``add_matter``);
# generated invoices, with every line type, empty and present units and taxes, several months in one
# matter and lines that are counted otherwise, give the per-line report to the last digit and exponent.
_numbers = st.one_of(
    st.decimals(min_value=-10_000, max_value=10_000, allow_nan=False, places=2),
    st.sampled_from([Decimal("0"), Decimal("-0.0"), Decimal("1.50"), Decimal("0.1234")]),
)
_odd = st.sampled_from([None, Unparsed("abc"), Unparsed("+100.00", Decimal("100.00"))])
_days = st.sampled_from([date(2024, 1, 31), date(2024, 2, 1), date(2024, 2, 29), date(2023, 12, 1)])


@st.composite
def _line_items(draw: st.DrawFn, odd: bool) -> LineItem:
    return LineItem(
        number="1",
        type=draw(st.sampled_from([*LineItemType, Unparsed("X")] if odd else list(LineItemType))),
        date=draw(st.one_of(_days, st.just(None)) if odd else _days),
        units=draw(st.one_of(st.none(), _numbers, _odd) if odd else st.one_of(st.none(), _numbers)),
        total=draw(st.one_of(_numbers, _odd) if odd else _numbers),
        tax_total=draw(st.one_of(st.none(), _numbers)),
        timekeeper=Timekeeper("T1"),
    )


@st.composite
def _invoices(draw: st.DrawFn) -> list[Invoice]:
    return [
        Invoice(
            str(number), date(2024, 3, 1), Client(draw(st.sampled_from(["C1", "C2"]))), LawFirm("L"),
            currency=draw(st.sampled_from([None, "USD", "EUR"])),
            matters=tuple(
                Matter(draw(st.sampled_from(["M1", "M2", "M3"])),
                       line_items=tuple(draw(st.lists(_line_items(draw(st.booleans())), max_size=8))))
                for _ in range(draw(st.integers(1, 3)))
            ),
        )
        for number in range(draw(st.integers(1, 3)))
    ]


@pytest.mark.parametrize("by", [("matter",), ("client",), ("client", "matter")], ids="+".join)
@given(invoices=_invoices())
def test_matters_added_a_column_at_a_time_report_as_line_by_line(by, invoices):
    reports = []
    for builder_class in (report_build._Builder, PerLine):
        builder = builder_class(by, None, CodeIndex(code_sets()), indexed=False)
        for invoice in invoices:
            builder.add_invoice(0, "generated.txt", invoice)
        reports.append(repr(builder.report((), None)))
    assert reports[0] == reports[1]


@pytest.mark.parametrize("by", [*GROUPINGS, ("phase", "expense")], ids="+".join)
def test_a_report_without_charts_keeps_no_chart_tallies_and_the_same_tables(by):
    # Only the HTML page's charts show ``leading`` and ``months``: the other formats' report keeps neither.
    whole = report_build.build_report(FIXTURES, by)
    tables = report_build.build_report(FIXTURES, by, charts=False)
    assert whole.leading and whole.months
    assert not tables.leading and not tables.months
    for field in ("by", "period", "files", "groups", "totals", "invoices", "uncounted", "findings"):
        assert repr(getattr(tables, field)) == repr(getattr(whole, field)), field
