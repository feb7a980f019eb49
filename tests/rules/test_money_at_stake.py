"""Money at stake of the guideline rules over a limit: never more than what the line bills over it, never negative."""

from __future__ import annotations

from decimal import Decimal

from ledes.rules.base import ApprovedTimekeeper, RatePeriod
from tests.rules.test_guideline_rules import expense, fee, invoice, run

APPROVED = {"45875": ApprovedTimekeeper("45875", None, "ASSOC", (RatePeriod(Decimal("150")),))}


def test_a_line_written_down_to_nothing_has_nothing_at_stake():
    """12 h at 200 with an adjustment of −2,400 bills 0: over 8 h a line, 10 h a day, it puts nothing at stake."""
    free = fee("12.0", "200", adjustment="-2400")
    assert [f.amount for f in run("time.long-entry", invoice(free))] == [Decimal("0.00")]
    assert [f.amount for f in run("time.daily-hours", invoice(free))] == [Decimal("0.00")]
    increments = run("time.increment", invoice(fee("0.25", "200", adjustment="-10"), fee("0.25", "200", adjustment="-50")))
    assert [f.amount for f in increments] == [Decimal("0.00"), Decimal("0.00")]


def test_an_adjustment_takes_off_its_part_of_the_hours_over_the_limit():
    """9.5 h at 200 less 100 bills 1,800: 200.00 above 8 h (1,600), not the 300.00 of 1.5 h."""
    assert [f.amount for f in run("time.long-entry", invoice(fee("9.5", "200", adjustment="-100")))] == [Decimal("200.00")]
    assert [f.amount for f in run("time.increment", invoice(fee("1.25", "400", adjustment="-5")))] == [Decimal("15.00")]
    day = run("time.daily-hours", invoice(fee("6.0", "350", line=1), fee("6.0", "350", adjustment="-500", line=2)))
    assert [f.amount for f in day] == [Decimal("200.00")]  # 2 h over at 350 is 700, less the 500 written off


def test_a_credit_at_a_rate_above_the_limit_is_not_reported():
    """A credit (negative hours or units) above the approved rate or the cap gives the client more back."""
    credit = fee("-2.25", "200", keeper="45875", classification="ASSOC")
    assert run("rates.cap", invoice(credit), timekeepers=APPROVED) == []
    assert run("rates.cap", invoice(credit), caps={"ASSOC": Decimal("150")}) == []
    assert run("expense.unit-cost-cap", invoice(expense("-100", "0.20", "E101"))) == []
    over = run("rates.cap", invoice(fee("2.25", "200", keeper="45875", classification="ASSOC")), timekeepers=APPROVED)
    assert [f.amount for f in over] == [Decimal("112.50")]


def test_a_credit_off_the_increment_is_reported_with_nothing_at_stake():
    (finding,) = run("time.increment", invoice(fee("-2.25", "200")))
    assert finding.amount == Decimal("0.00")


def test_a_day_is_reported_only_when_its_net_hours_are_over_the_limit():
    """7 + 5 − 2.5 = 9.5 h is within 10 h, wherever in the run the credit comes; 7 + 5 − 2.5 + 4 = 13.5 h is not."""
    seven, five = fee("7.0", "200", line=1), fee("5.0", "200", line=2)
    credit, four = fee("-2.5", "200", line=3), fee("4.0", "200", line=4)
    assert run("time.daily-hours", invoice(seven, five, credit)) == []
    assert run("time.daily-hours", invoice(seven, five), invoice(credit, number="INV-2")) == []
    assert run("time.daily-hours", invoice(credit, seven, five)) == []
    (finding,) = run("time.daily-hours", invoice(seven, five, credit, four))
    assert finding.record.number == "2" and finding.amount == Decimal("700.00")  # 3.5 h over at 200
    assert "13.50 hours" in finding.message
    later = run("time.daily-hours", invoice(seven, fee("6.0", "200", line=2)),
                invoice(fee("-0.5", "200", line=1), number="INV-2"))
    assert [(f.record.number, f.amount) for f in later] == [("2", Decimal("500.00"))]  # 12.5 h net: 2.5 h over
