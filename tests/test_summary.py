"""``ledes.summary.summarize`` (what ``ledes show`` prints) adds every line exactly as the plain per-line form does.

``summarize`` reads a line's figures once, for speed; ``reference_summary`` below is the
plain form it replaced (every value read through ``_number`` where it is added). On every
LEDES fixture, and on files with malformed, empty and unknown values, both give the same
summary, to the last digit and the last exponent. ``summarize_each`` (what ``ledes show`` runs:
no invoice kept) gives the same figures as ``summarize``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import pytest
from formats.formats_support import fee_row, ledes_file
from hypothesis import given
from hypothesis import strategies as st

import ledes
from ledes.distinct import DistinctCount
from ledes.model import Client, Invoice, LawFirm, LineItem, LineItemType, Matter, Timekeeper, Unparsed
from ledes.summary import (
    ZERO,
    CurrencyFigures,
    FileSummary,
    InvoiceSummary,
    MatterSummary,
    Tally,
    TimekeeperSummary,
    _number,
    summarize,
    summarize_each,
    type_label,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def reference_summary(invoices: Iterable[Invoice]) -> FileSummary:
    """``summarize`` as it was first written: every value read through ``_number`` as it is added, by currency."""
    summary = FileSummary()
    per_currency: dict[str | None, CurrencyFigures] = {}
    for invoice in invoices:
        entry = InvoiceSummary.of(invoice)
        sums = per_currency.setdefault(invoice.currency, CurrencyFigures(invoice.currency))
        for matter in invoice.matters:
            matter_entry = MatterSummary(matter.law_firm_matter_id, matter.client_matter_id)
            for item in matter.line_items:
                label = type_label(item.type)
                units, total = _number(item.units), _number(item.total)
                # The matter's units are its fee hours; an expense's quantity is counted apart.
                matter_entry.lines.add(units if item.type is LineItemType.FEE else ZERO, total)
                if item.type is LineItemType.EXPENSE:
                    matter_entry.expense_units += units
                entry.by_type.setdefault(label, Tally()).add(units, total)
                sums.by_type.setdefault(label, Tally()).add(units, total)
                entry.line_total += total
                keeper = item.timekeeper
                if keeper is not None and item.type is LineItemType.FEE:
                    key = keeper.id or keeper.name or "?"
                    person = entry.timekeepers.get(key)
                    if person is None:
                        person = entry.timekeepers[key] = TimekeeperSummary(
                            keeper.id, keeper.name, keeper.classification
                        )
                    person.fees.add(units, total)
            entry.matters.append(matter_entry)
            summary.line_items += matter_entry.lines.lines
            sums.line_items += matter_entry.lines.lines
        sums.invoices += 1
        sums.total += entry.line_total
        summary.invoices.append(entry)
    summary.by_currency = list(per_currency.values())
    if len(per_currency) == 1:  # one currency: the file's sums are its sums
        summary.by_type, summary.total = summary.by_currency[0].by_type, summary.by_currency[0].total
    elif per_currency:  # never added across currencies
        summary.by_type, summary.total = {}, None
    return summary


def exactly(summary: FileSummary) -> str:
    """The summary with every Decimal's exact form (``1.50`` and ``1.5`` differ)."""
    return repr(summary)


@pytest.mark.parametrize("path", sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".xml") and p.is_file()),
                         ids=str)
def test_the_summary_of_every_fixture_is_the_plain_one(path: Path):
    invoices = list(ledes.iter_invoices(path, diagnostics=[]))
    assert exactly(summarize(invoices)) == exactly(reference_summary(invoices))


def test_malformed_empty_and_unknown_values_are_summed_as_before(tmp_path: Path):
    rows = [
        fee_row("1", "1"),
        fee_row("1", "2", {"LINE_ITEM_NUMBER_OF_UNITS": "1.50", "LINE_ITEM_TOTAL": "525.0"}),
        fee_row("1", "3", {"LINE_ITEM_NUMBER_OF_UNITS": "", "LINE_ITEM_TOTAL": "+100.00"}),
        fee_row("1", "4", {"EXP/FEE/INV_ADJ_TYPE": "E", "LINE_ITEM_NUMBER_OF_UNITS": "3", "TIMEKEEPER_ID": ""}),
        fee_row("1", "5", {"EXP/FEE/INV_ADJ_TYPE": "X", "LINE_ITEM_TOTAL": "abc"}),
        fee_row("2", "1", {"EXP/FEE/INV_ADJ_TYPE": "IF", "LINE_ITEM_TOTAL": "-70", "TIMEKEEPER_NAME": ""}),
        fee_row("2", "2", {"LAW_FIRM_MATTER_ID": "0529", "TIMEKEEPER_ID": "", "TIMEKEEPER_NAME": ""}),
    ]
    path = tmp_path / "mixed.txt"
    path.write_text(ledes_file(*rows), encoding="utf-8")
    invoices = list(ledes.iter_invoices(path, diagnostics=[]))
    assert len(invoices) == 2
    assert exactly(summarize(invoices)) == exactly(reference_summary(invoices))


@given(st.lists(st.one_of(st.none(), st.text(max_size=3)), max_size=60), st.integers(min_value=1, max_value=8))
def test_a_distinct_count_that_spills_counts_as_a_set_does(values: list[str | None], capacity: int):
    """``DistinctCount`` holds ``capacity`` values and writes the rest to disk, and still counts each value once."""
    distinct = DistinctCount(capacity)
    for value in values:
        distinct.add(value)
    assert distinct.count() == len(set(values))
    assert len(distinct.held) <= capacity
    distinct.close()


@pytest.mark.parametrize("path", sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".xml") and p.is_file()),
                         ids=str)
def test_the_running_figures_of_every_fixture_are_those_of_the_whole_summary(path: Path):
    """``summarize_each`` keeps no invoice, yet its counts and sums are those ``FileSummary`` takes from every invoice."""
    invoices = list(ledes.iter_invoices(path, diagnostics=[]))
    whole = summarize(invoices)
    handed: list[InvoiceSummary] = []
    figures = summarize_each(invoices, handed.append)
    assert repr(handed) == repr(whole.invoices)
    assert (figures.invoices, figures.matters.count(), figures.timekeepers.count(), figures.line_items,
            repr(figures.total), repr(figures.by_type)) == (
        len(whole.invoices), whole.matters, whole.timekeepers, whole.line_items, repr(whole.total),
        repr(whole.by_type))
    currencies = {invoice.currency for invoice in whole.invoices}
    assert figures.currency == (currencies.pop() if len(currencies) == 1 else None)


# ``summarize`` adds a matter whose line types are all known a column at a time: generated matters with every
# line type, empty, malformed and signed-zero numbers, no timekeeper, and timekeepers that share a key (the same
# id twice, no id but a name, neither) give the plain summary, to the last digit and exponent.
_numbers = st.one_of(
    st.none(),
    st.decimals(min_value=-10_000, max_value=10_000, allow_nan=False, places=2),
    st.sampled_from([Decimal("0"), Decimal("-0.0"), Decimal("1.50"), Decimal("1E+2"), Unparsed("abc"),
                     Unparsed("+100.00", Decimal("100.00"))]),
)
_keepers = st.sampled_from([None, Timekeeper("T1", "One, A"), Timekeeper("T1", "Other, B"), Timekeeper("T2"),
                            Timekeeper(None, "Named, C"), Timekeeper("", "Named, C"), Timekeeper(None)])


@st.composite
def _generated_invoices(draw: st.DrawFn) -> list[Invoice]:
    line_types = [*LineItemType, Unparsed("X")] if draw(st.booleans()) else list(LineItemType)

    def item() -> LineItem:
        return LineItem(number="1", type=draw(st.sampled_from(line_types)), date=None, units=draw(_numbers),
                        total=draw(_numbers), timekeeper=draw(_keepers))

    return [
        Invoice(str(number), None, Client("C"), LawFirm("L"), matters=tuple(
            Matter(draw(st.sampled_from(["M1", "M2"])), line_items=tuple(item() for _ in range(draw(st.integers(0, 9)))))
            for _ in range(draw(st.integers(1, 3)))
        ))
        for number in range(draw(st.integers(1, 3)))
    ]


@given(_generated_invoices())
def test_matters_summed_a_column_at_a_time_are_summed_as_line_by_line(invoices: list[Invoice]):
    assert exactly(summarize(invoices)) == exactly(reference_summary(invoices))


def test_amounts_wider_than_the_decimal_context_are_added_exactly(tmp_path: Path):
    """Lines of ±30 digits and one of 0.01 sum to 0.01, as the rules add them: 28 digits of precision rounded to 9.33."""
    wide = "123456789012345678901234567890.67"
    rows = [fee_row("1", str(number), {"LINE_ITEM_TOTAL": total}) for number, total in
            enumerate((wide, "0.01", "-" + wide), start=1)]
    path = tmp_path / "wide.txt"
    path.write_text(ledes_file(*rows), encoding="utf-8")
    handed: list[InvoiceSummary] = []
    figures = summarize_each(ledes.iter_invoices(path, diagnostics=[]), handed.append)
    assert figures.total == handed[0].line_total == figures.by_type["F fee"].amount == Decimal("0.01")
    assert handed[0].timekeepers["22547"].fees.amount == handed[0].matters[0].lines.amount == Decimal("0.01")
