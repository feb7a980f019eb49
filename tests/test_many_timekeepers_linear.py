"""A matter with thousands of timekeepers (or taxes) costs twice the work at twice the lines, wherever they are grouped.

Work is counted, never timed, at two sizes of the same generated file (one fee line per
timekeeper, as the audit's ``gen_many_timekeepers.py`` made them): what ``ledes show``
adds a column at a time (the items its bulk passes go over), the lines of a rule's code
executed (a trace on that module alone), and the string comparisons a sort made with
``list.index`` (ids of a ``str`` subclass that counts its ``==``). Before, each
timekeeper took a pass over all the matter's lines, and the counts went up four-fold:
``ledes show`` of 20,000 such lines took 16.6 s, validating a LEDES 2000 file with
4,000 ``tk_sum`` 16.6 s, converting 8,000 lines to LEDES 2000 72 s.
"""

from __future__ import annotations

import builtins
import itertools
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from formats.formats_support import fee_row, fee_row_1998bi, ledes1998bi_file, ledes_file

import ledes
import ledes.summary
from ledes.ledger.keys import allocate
from ledes.model import Client, Invoice, LawFirm, LineItem, LineItemType, Location, Matter, Timekeeper
from ledes.rules import RULES_BY_NAME
from ledes.rules.base import ApprovedTimekeeper, Context, RatePeriod
from ledes.summary import summarize

SMALL, LARGE = 300, 600


def many_timekeepers(path: Path, count: int) -> Path:
    """One 1998B invoice, one matter, ``count`` fee lines (2 h × 350), each of its own timekeeper."""
    rows = [
        fee_row("96544", str(number + 1), {
            "TIMEKEEPER_ID": str(100_000 + number), "TIMEKEEPER_NAME": f"Keeper{number}, A",
            "INVOICE_TOTAL": str(700 * count),
        })
        for number in range(count)
    ]
    path.write_text(ledes_file(*rows), encoding="utf-8")
    return path


# ----------------------------------------------------------------------------------- ledes show
class _Counter:
    """The items the summary's bulk passes (``map``, ``zip``, ``sum``, ``itertools.compress``) go over."""

    def __init__(self) -> None:
        self.items = 0

    def passed(self, items: Iterable[Any]) -> Iterator[Any]:
        for item in items:
            self.items += 1
            yield item

    def map(self, *arguments: Any) -> Iterator[Any]:
        return self.passed(builtins.map(*arguments))

    def zip(self, *arguments: Any, strict: bool = False) -> Iterator[Any]:
        return self.passed(builtins.zip(*arguments, strict=strict))

    def sum(self, items: Iterable[Any], start: Any = 0) -> Any:
        return builtins.sum(list(self.passed(items)), start)

    def compress(self, data: Iterable[Any], selectors: Iterable[Any]) -> Iterator[Any]:
        return itertools.compress(data, self.passed(selectors))


def summary_work(monkeypatch: pytest.MonkeyPatch, path: Path) -> int:
    """The items the summary of ``path`` passed over, its timekeepers checked."""
    counter = _Counter()
    counting_itertools = types.SimpleNamespace(**{**vars(itertools), "compress": counter.compress})
    with monkeypatch.context() as patch:
        for name in ("map", "zip", "sum"):
            patch.setattr(ledes.summary, name, getattr(counter, name), raising=False)
        patch.setattr(ledes.summary, "itertools", counting_itertools)
        summary = summarize(ledes.iter_invoices(path))
    (invoice,) = summary.invoices
    assert [(key, person.fees.lines, person.fees.units) for key, person in invoice.timekeepers.items()] == [
        (str(100_000 + number), 1, Decimal(2)) for number in range(len(invoice.timekeepers))
    ]
    return counter.items


def test_the_summary_of_twice_the_timekeepers_is_twice_the_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    small = summary_work(monkeypatch, many_timekeepers(tmp_path / "small.txt", SMALL))
    large = summary_work(monkeypatch, many_timekeepers(tmp_path / "large.txt", LARGE))
    assert 1.8 < large / small < 2.2, (small, large)


# ----------------------------------------------------------------------- rules, traced by line
def traced_lines(module: object, action: Callable[[], object]) -> int:
    """The lines of ``module``'s code executed while ``action`` runs."""
    filename = module.__file__  # type: ignore[attr-defined]
    counted = 0

    def local(frame: Any, event: str, argument: object) -> Any:
        nonlocal counted
        if event == "line":
            counted += 1
        return local

    def on_call(frame: Any, event: str, argument: object) -> Any:
        return local if frame.f_code.co_filename == filename else None

    sys.settrace(on_call)
    try:
        action()
    finally:
        sys.settrace(None)
    return counted


def test_checking_twice_the_tk_sum_is_twice_the_work(tmp_path: Path):
    """arithmetic.matter-totals reads a matter's fees once for all its ``tk_sum``, not once for each."""
    from ledes.rules import matterfigures

    def work(count: int) -> int:
        source = many_timekeepers(tmp_path / f"source{count}.txt", count)
        target = tmp_path / f"ledes{count}.xml"
        ledes.convert(source, target, to="xml2000", law_firm_name="Dewey & Cheatham", allow_loss=True)
        assert target.read_text(encoding="utf-8").count("<tk_sum>") == count
        found: list[ledes.FileReport] = []
        counted = traced_lines(matterfigures, lambda: found.append(ledes.validate_file(target)))
        assert not [d for d in found[0].diagnostics if d.rule == "arithmetic.matter-totals"]
        return counted

    small, large = work(SMALL), work(LARGE)
    assert 1.8 < large / small < 2.2, (small, large)


def test_a_wrong_tk_sum_among_many_is_still_reported(tmp_path: Path):
    """Each ``tk_sum`` is checked against its own timekeeper's fees, whatever the others state."""
    source = many_timekeepers(tmp_path / "source.txt", 50)
    target = tmp_path / "ledes.xml"
    ledes.convert(source, target, to="xml2000", law_firm_name="Dewey & Cheatham", allow_loss=True)
    text = target.read_text(encoding="utf-8")
    hours = text.index("<tk_hours>", text.index("<tk_id>100031</tk_id>"))  # one timekeeper's, in the middle
    target.write_text(text[:hours] + "<tk_hours>3.00" + text[text.index("</tk_hours>", hours):], encoding="utf-8")
    found = [d for d in ledes.validate_file(target).diagnostics if d.rule == "arithmetic.matter-totals"]
    assert [d.message for d in found] == ["tk_hours is 3.00 but the timekeeper's fees give 2.00"]


def many_taxes(path: Path, count: int, taxes: int) -> Path:
    """A LEDES XML 2.1 invoice of ``count`` fee lines (2 × 350 + VAT 140) under ``taxes`` taxes, with their summaries.

    With one tax, its ``tax_summary`` is repeated ``count`` times (summaries of one tax, each checked).
    """
    rows = [
        fee_row_1998bi("96544", str(number + 1), {
            "LINE_ITEM_TAX_TYPE": f"VAT{number % taxes}", "INVOICE_TOTAL": str(840 * count),
            "INVOICE_TAX_TOTAL": str(140 * count), "INVOICE_NET_TOTAL": str(700 * count),
            "INVOICE_REPORTED_TAX_TOTAL": str(140 * count),
        })
        for number in range(count)
    ]
    source = path.with_suffix(".txt")
    source.write_text(ledes1998bi_file(*rows), encoding="utf-8")
    ledes.convert(source, path, to="xml2.1", allow_loss=True)
    text = path.read_text(encoding="utf-8")
    if taxes == 1:
        start = text.index("          <tax_summary>")
        end = text.index("</tax_summary>\n", start) + len("</tax_summary>\n")
        text = text[:start] + text[start:end] * count + text[end:]
        path.write_text(text, encoding="utf-8")
    assert text.count("<tax_summary>") == count
    return path


@pytest.mark.parametrize("taxes", ["one per line", "one for all"])
def test_twice_the_tax_summaries_are_twice_the_work(tmp_path: Path, taxes: str):
    """A matter's lines are sorted by tax once (``ledesxml.taxes``), and a tax's figures added once (matter-totals)."""
    from ledes import totals
    from ledes.formats.ledesxml import taxes as tax_reading
    from ledes.rules import matterfigures

    def work(count: int) -> int:
        path = many_taxes(tmp_path / f"taxes{count}.xml", count, count if taxes == "one per line" else 1)
        found: list[ledes.FileReport] = []
        counted = traced_lines(tax_reading, lambda: found.append(ledes.validate_file(path)))
        counted += traced_lines(matterfigures, lambda: ledes.validate_file(path))
        counted += traced_lines(totals, lambda: ledes.validate_file(path))  # a tax worked out on its total, once
        assert not [d for d in found[0].diagnostics if d.rule == "arithmetic.matter-totals"]
        return counted

    small, large = work(SMALL), work(LARGE)
    assert 1.8 < large / small < 2.2, (small, large)


DAY = date(2024, 3, 4)


def one_matter(keepers: Iterable[Timekeeper]) -> Invoice:
    """An invoice of one matter: a fee line (2 h × 350) for each of ``keepers``."""
    items = tuple(
        LineItem(number=str(number), type=LineItemType.FEE, date=DAY, units=Decimal(2), unit_cost=Decimal(350),
                 total=Decimal(700), timekeeper=keeper, location=Location("test.txt", number))
        for number, keeper in enumerate(keepers, start=1)
    )
    return Invoice(number="INV-1", date=DAY, client=Client("C-1"), law_firm=LawFirm("12-3456789"),
                   total=Decimal(700 * len(items)), billing_start=date(2024, 3, 1), billing_end=date(2024, 3, 31),
                   matters=(Matter("M-1", line_items=items),), location=Location("test.txt", 1))


def run_rule(name: str, invoice: Invoice, approved: dict[str, ApprovedTimekeeper]) -> list[str]:
    """The messages of one guideline rule over ``invoice``, with ``approved`` as the client's list."""
    rule = RULES_BY_NAME[name]
    messages: list[str] = []

    def report(message: str, **where: object) -> None:
        messages.append(message)

    rule.check(invoice, report, dict(rule.options), Context(approved))
    return messages


def approved(ids: Iterable[str], classification: str | None = None) -> dict[str, ApprovedTimekeeper]:
    return {keeper: ApprovedTimekeeper(keeper, None, classification, (RatePeriod(Decimal(350)),)) for keeper in ids}


def test_unapproved_timekeepers_against_a_long_list_are_twice_the_work_for_twice_the_lines():
    """timekeeper.not-approved looks up a near miss (``a7`` for ``A7``) once per id, not through the whole list per line."""
    from ledes.rules import timekeeper

    def work(count: int) -> int:
        invoice = one_matter(Timekeeper(f"A{number}") for number in range(count))
        found: list[list[str]] = []
        counted = traced_lines(timekeeper, lambda: found.append(
            run_rule("timekeeper.not-approved", invoice, approved(f"a{number}" for number in range(count)))))
        assert len(found[0]) == count
        return counted

    small, large = work(SMALL), work(LARGE)
    assert 1.8 < large / small < 2.2, (small, large)
    hinted = run_rule("timekeeper.not-approved", one_matter([Timekeeper("A7"), Timekeeper("B1")]),
                      approved(["x", " a7 ", "a7"]))
    assert hinted == ["timekeeper A7 is not on the client's approved list", "timekeeper B1 is not on the client's approved list"]


def test_classifications_of_twice_the_timekeepers_are_twice_the_work():
    """timekeeper.classification counts the invoice's lines by timekeeper and level once, not once per finding."""
    from ledes.rules import timekeeper

    def work(count: int) -> int:
        invoice = one_matter(Timekeeper(f"K{number}", None, "PARTNR") for number in range(count))
        found: list[list[str]] = []
        ids = [f"K{number}" for number in range(count)]
        counted = traced_lines(timekeeper, lambda: found.append(
            run_rule("timekeeper.classification", invoice, approved(ids, "ASSOC"))))
        assert found[0][:1] == ["timekeeper K0 bills as PARTNR but the client approved them as ASSOC (1 line)"]
        assert len(found[0]) == count
        return counted

    small, large = work(SMALL), work(LARGE)
    assert 1.8 < large / small < 2.2, (small, large)


# ------------------------------------------------------------------- sorts, by comparisons
class CountedId(str):
    """A timekeeper id that counts how often it is compared with ``==`` (``list.index`` does, a dict look-up does not)."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        CountedId.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def comparisons(action: Callable[[], object]) -> int:
    CountedId.compared = 0
    action()
    return CountedId.compared


def test_the_fewest_hours_of_many_timekeepers_are_found_without_list_index():
    """staffing.max-timekeepers ranks a matter's timekeepers by position, not by ``list.index`` of each."""

    def work(count: int) -> int:
        invoice = one_matter(Timekeeper(CountedId(f"K{number}")) for number in range(count))
        found: list[list[str]] = []
        counted = comparisons(lambda: found.append(run_rule("staffing.max-timekeepers", invoice, {})))
        assert len(found[0]) == count - 5  # a finding on each line of a timekeeper past the cap: one each here
        assert found[0][0].startswith(f"{count} timekeepers bill fees on matter M-1, more than the 5 allowed; K5 is past"
                                      f" the cap (fewest hours: K5 (2 h), K6 (2 h)")
        return counted

    assert work(LARGE) <= 2 * work(SMALL) + 10


def test_an_amount_split_among_many_timekeepers_is_split_without_list_index():
    """The ledger's ``allocate`` (``ledes ledger aging --by timekeeper``) breaks ties by position, looked up."""

    def work(count: int) -> int:
        weights = {CountedId(f"K{number}"): Decimal(1) for number in range(count)}
        parts: list[dict[str, Decimal]] = []
        counted = comparisons(lambda: parts.append(allocate(Decimal("1.00"), weights, "USD")))
        assert sum(parts[0].values()) == Decimal("1.00")
        assert [part for part in parts[0].values() if part] == [Decimal("0.01")] * 100  # the first 100, ties in order
        assert all(parts[0][f"K{number}"] for number in range(100))
        return counted

    assert work(LARGE) <= 2 * work(SMALL) + 10
