"""Money at stake of the guideline rules over a limit: never more than what the line bills over it, never negative."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import ledes
from ledes import guidelines
from ledes.rules.base import ApprovedTimekeeper, RatePeriod
from tests.rules.test_guideline_rules import expense, fee, invoice, run

APPROVED = {"45875": ApprovedTimekeeper("45875", None, "ASSOC", (RatePeriod(Decimal("150")),))}


def test_a_line_written_down_to_nothing_has_nothing_at_stake():
    """12 h at 200 with an adjustment of −2,400 bills 0: over 8 h a line, 10 h a day, it puts nothing at stake."""
    free = fee("12.0", "200", adjustment="-2400")
    assert run("time.long-entry", invoice(free)) == []  # a no-charge entry is not reported: it bills no hours
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
    (finding,) = run("time.daily-hours", invoice(seven, five, credit, four))  # the credit took back line 2's 2 h over
    assert finding.record.number == "4" and finding.amount == Decimal("700.00")  # 3.5 h over at 200
    assert "13.50 hours" in finding.message and "this line crosses the limit" in finding.message
    later = run("time.daily-hours", invoice(seven, fee("6.0", "200", line=2)),
                invoice(fee("-0.5", "200", line=1), number="INV-2"))
    # 12.5 h net: over; the first invoice's line is at stake as billed (3 h over), the later credit is the second's
    assert [(f.record.number, f.amount) for f in later] == [("2", Decimal("600.00"))]


def test_each_invoice_has_at_stake_its_own_lines_past_the_daily_limit_in_its_own_currency():
    """6 h and 4.5 h at 100 USD in one invoice, then 2 h at 30,000 JPY the same day in another: the first has the
    0.5 h over at 100 at stake (50.00 USD), the second its own 2 h (60,000 JPY): never one sum of both."""
    import attrs

    dollars = attrs.evolve(invoice(fee("6.0", "100", line=1), fee("4.5", "100", line=2)), currency="USD")
    yen = attrs.evolve(invoice(fee("2.0", "30000", line=1), number="INV-2"), currency="JPY")
    found = run("time.daily-hours", dollars, yen)
    assert [(f.invoice, f.record.number, f.amount) for f in found] == [("INV-1", "2", Decimal("50.00")),
                                                                     ("INV-2", "1", Decimal("60000"))]
    assert "crosses the limit" in found[0].message and "is past the limit" in found[1].message


def test_staffing_puts_its_timekeepers_lines_at_stake_beside_other_rules_findings(tmp_path: Path):
    """With ``max`` 2, the paralegal past the cap puts their 100.00 at stake on their own line; a rate over a 90 cap on
    another line adds its 20.00: the invoice's money at risk is 120.00, not the larger finding alone. A timekeeper on a
    no-charge line only is not counted."""
    header = ("INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|"
              "BILLING_END_DATE|INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|"
              "LINE_ITEM_ADJUSTMENT_AMOUNT|LINE_ITEM_TOTAL|LINE_ITEM_DATE|LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|"
              "LINE_ITEM_ACTIVITY_CODE|TIMEKEEPER_ID|LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|"
              "TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]")
    rows = [("1", "2.00", "200.00", "22547", "100", "PARTNR", "Analyze complaint allegations for coverage defenses"),
            ("2", "2.00", "200.00", "45875", "100", "ASSOC", "Draft answer to complaint and affirmative defenses"),
            ("3", "1.00", "100.00", "31337", "100", "PARALG", "Cite-check answer to complaint before filing"),
            ("4", "4.00", "0.00", "50001", "0", "PARALG", "Organize deposition exhibits for the trial team")]
    lines = [f"19990305|S2|00711|0528|500.00|19990201|19990228|For services rendered|{number}|F|{hours}|0.00|"
             f"{total}|1999020{number}|L120||A104|{keeper}|{text}|24-6437381|{rate}|Doe, Jane|{level}|423-987[]"
             for number, hours, total, keeper, rate, level, text in rows]
    invoice_file = tmp_path / "invoice.txt"
    invoice_file.write_text("\n".join(["LEDES1998B[]", header, *lines]) + "\n", encoding="utf-8")
    client = tmp_path / "client.toml"
    client.write_text('extends = "default"\n[rules."staffing.max-timekeepers"]\nmax = 2\n'
                      '[rules."rates.cap"]\ncaps = { PARTNR = 90 }\n', encoding="utf-8")
    checked = ledes.validate([invoice_file], guidelines.load(client)).files[0]
    staffing = [(d.line, d.amount) for d in checked.diagnostics if d.rule == "staffing.max-timekeepers"]
    assert staffing == [(5, Decimal("100.00"))]  # 31337, not the no-charge 50001, is the one past the cap
    assert checked.at_risk == {"S2": Decimal("120.00")}
