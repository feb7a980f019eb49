"""The facts the guideline rules share: each line's as its fields say, one object per invoice, narratives memoised in bounded memory."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import ledes
from ledes.model import LineItemType
from ledes.rules.base import Context
from ledes.rules.facts import TextMemo, invoice_facts, text_memo
from ledes.rules.lineitems import code

ROOT = Path(__file__).resolve().parents[2]


def _invoices():
    for path in sorted([*(ROOT / "fixtures" / "1998b").rglob("*.txt"), *(ROOT / "fixtures" / "rules").rglob("*.txt")]):
        try:
            yield from ledes.load(path)
        except ledes.LedesError:
            continue


def test_each_line_fact_is_what_its_field_says():
    context = Context()
    checked = 0
    for invoice in _invoices():
        facts = invoice_facts(invoice, context)
        assert [line.item for line in facts.lines] == list(invoice.line_items)
        assert [line.item for line in facts.fees] == [item for item in invoice.line_items
                                                      if item.type is LineItemType.FEE]
        assert [(matter, [line.item for line in lines]) for matter, lines in facts.matters] == [
            (matter, list(matter.line_items)) for matter in invoice.matters]
        for line in facts.lines:
            item = line.item
            assert line.hours == (item.units if type(item.units) is Decimal else None)
            assert line.rate == (item.unit_cost if type(item.unit_cost) is Decimal else None)
            assert line.total == (item.total if type(item.total) is Decimal else None)
            assert line.day == (item.date if isinstance(item.date, date) else None)
            keeper = item.timekeeper.id if item.timekeeper is not None else None
            assert line.keeper == (keeper if isinstance(keeper, str) and keeper.strip() else None)
            assert (line.task, line.activity, line.expense_code) == (
                code(item.task_code), code(item.activity_code), code(item.expense_code))
            checked += 1
    assert checked > 50


def test_the_rules_on_one_invoice_share_its_facts_and_the_next_invoice_gets_its_own():
    context = Context()
    first, second = [invoice for invoice in _invoices() if any(True for _ in invoice.line_items)][:2]
    facts = invoice_facts(first, context)
    assert invoice_facts(first, context) is facts
    assert invoice_facts(second, context) is not facts
    assert invoice_facts(first, Context()) is not facts  # another run


def test_a_text_memo_gives_what_the_analysis_gives_and_forgets_the_oldest_when_full():
    calls: list[str] = []

    def analyse(text: str) -> str:
        calls.append(text)
        return text.upper()

    memo = TextMemo(analyse, capacity=8)
    texts = [f"entry {n // 3 % 13}" for n in range(200)]  # each text three times in a row
    assert [memo(text) for text in texts] == [text.upper() for text in texts]
    assert len(memo.known) <= 8
    assert len(calls) < len(texts)
    context = Context()
    assert text_memo(context, "key", analyse) is text_memo(context, "key", str.lower)  # one memo per key and run
    assert text_memo(context, "other", analyse) is not text_memo(context, "key", analyse)
