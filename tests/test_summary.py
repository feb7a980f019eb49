"""``ledes.summary.summarize`` (what ``ledes show`` prints) adds every line exactly as the plain per-line form does.

``summarize`` adds a line's figures inline, for speed; ``reference_summary`` below is the
plain form it replaced (``Tally.add``, ``MatterSummary.add`` for every line). On every
LEDES fixture, and on files with malformed, empty and unknown values, both give the same
summary, to the last digit and the last exponent.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from formats.formats_support import fee_row, ledes_file

import ledes
from ledes.model import Invoice, LineItemType
from ledes.summary import (
    FileSummary,
    InvoiceSummary,
    MatterSummary,
    Tally,
    TimekeeperSummary,
    _number,
    summarize,
    type_label,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def reference_summary(invoices: Iterable[Invoice]) -> FileSummary:
    """``summarize`` as it was first written: every line through ``Tally.add`` and ``MatterSummary.add``."""
    summary = FileSummary()
    for invoice in invoices:
        entry = InvoiceSummary(
            number=invoice.number,
            date=invoice.date,
            client_id=invoice.client.id,
            law_firm_id=invoice.law_firm.id,
            billing_start=invoice.billing_start,
            billing_end=invoice.billing_end,
            stated_total=invoice.total,
            currency=invoice.currency,
            tax_total=invoice.tax_total,
        )
        for matter in invoice.matters:
            matter_entry = MatterSummary(matter.law_firm_matter_id, matter.client_matter_id)
            for item in matter.line_items:
                label = type_label(item.type)
                matter_entry.add(item)
                entry.by_type.setdefault(label, Tally()).add(item.units, item.total)
                summary.by_type.setdefault(label, Tally()).add(item.units, item.total)
                entry.line_total += _number(item.total)
                keeper = item.timekeeper
                if keeper is not None and item.type is LineItemType.FEE:
                    key = keeper.id or keeper.name or "?"
                    person = entry.timekeepers.get(key)
                    if person is None:
                        person = entry.timekeepers[key] = TimekeeperSummary(
                            keeper.id, keeper.name, keeper.classification
                        )
                    person.fees.add(item.units, item.total)
            entry.matters.append(matter_entry)
            summary.line_items += matter_entry.lines.lines
        summary.total += entry.line_total
        summary.invoices.append(entry)
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
