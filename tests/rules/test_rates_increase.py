"""rates.increase: travel lines are no rate, and a freeze holds every line dated in it to the frozen rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledes import LedesConfigError
from ledes.model import Invoice, LineItem
from tests.rules.test_guideline_rules import fee, invoice, run

D = Decimal


def month(number: str, on: date, *items: LineItem) -> Invoice:
    return invoice(*items, number=number, on=on, end=on)


def work(rate: str, on: date, *, line: int = 1, hours: str = "2.0") -> LineItem:
    return fee(hours, rate, on=on, line=line, text="Draft motion to compel")


# ----------------------------------------------------------------- travel lines
def test_a_half_rate_travel_line_is_not_the_rate_a_later_invoice_is_compared_with():
    trip = fee("3.0", "175", on=date(2024, 1, 15), text="Travel to Chicago for deposition of plant manager")
    coded = fee("3.0", "175", on=date(2024, 1, 15), text="Return", activity="A112")  # a travel code, no travel word
    for travel in (trip, coded):
        january = month("1", date(2024, 1, 31), travel)
        february = month("2", date(2024, 2, 29), work("350", date(2024, 2, 16)))
        assert run("rates.increase", january, february) == []
        assert run("rates.increase", january, february, freeze_until="2024-12-31") == []


def test_a_half_rate_travel_line_is_not_a_baseline_within_an_invoice_during_a_freeze():
    bill = month("1", date(2024, 1, 31), fee("3.0", "175", on=date(2024, 1, 15), line=1, text="Travel to Chicago"),
                 work("350", date(2024, 1, 16), line=2))
    assert run("rates.increase", bill, freeze_until="2024-12-31") == []


def test_a_travel_line_is_never_reported_as_an_increase():
    january = month("1", date(2024, 1, 31), work("350", date(2024, 1, 15)))
    full_rate_trip = fee("3.0", "375", on=date(2024, 2, 15), text="Flight to Chicago for hearing")  # time.travel's
    assert run("rates.increase", january, month("2", date(2024, 2, 29), full_rate_trip)) == []
    # work about travel is work: "Review the travel insurance exclusion" is compared
    about = fee("2.0", "375", on=date(2024, 2, 15), text="Review the travel insurance exclusion")
    assert [f.amount for f in run("rates.increase", january, month("2", date(2024, 2, 29), about))] == [D("50.00")]


# ----------------------------------------------------------------- the freeze
def test_a_raised_rate_billed_in_a_freeze_never_becomes_the_frozen_rate():
    january = month("910", date(1999, 2, 5), work("300", date(1999, 1, 15)))
    february = month("911", date(1999, 3, 5), work("325", date(1999, 2, 15)))
    march = month("912", date(1999, 3, 20), work("325", date(1999, 3, 10)))
    found = run("rates.increase", january, february, march, freeze_until="1999-03-31")
    assert [f.amount for f in found] == [D("50.00"), D("50.00")]
    assert all("up from 300, the rate frozen until 1999-03-31: the first rate billed in the freeze"
               " (on 1999-01-15, in an earlier invoice)" in f.message for f in found)
    # without a freeze, 325 billed before is not an increase in March
    assert [f.amount for f in run("rates.increase", january, february, march)] == [D("50.00")]


def test_a_line_dated_in_the_freeze_is_frozen_whatever_the_invoice_date():
    january = month("1", date(2024, 1, 31), work("350", date(2024, 1, 15)))
    late = month("2", date(2024, 7, 31), work("375", date(2024, 6, 28), line=1), work("375", date(2024, 7, 2), line=2))
    found = run("rates.increase", january, late, freeze_until="2024-06-30")
    assert [(f.record.number, f.amount) for f in found] == [("1", D("50.00")), ("2", D("50.00"))]
    assert "on 2024-06-28" in found[0].message and "frozen" in found[0].message
    assert "frozen" not in found[1].message  # after the freeze: an increase over the earlier invoice, no more


def test_the_first_rate_of_the_freeze_is_the_earliest_dated_one_read_so_far():
    late_work = month("2", date(2024, 3, 31), work("300", date(2024, 1, 20), line=1),
                      work("325", date(2024, 3, 5), line=2))
    february = month("1", date(2024, 2, 29), work("325", date(2024, 2, 15)))
    # February, read after March's invoice (which holds January's work at 300), is held to 300 too
    found = run("rates.increase", late_work, february, freeze_until="2024-12-31")
    assert [(f.record.number, f.amount) for f in found] == [("2", D("50.00")), ("1", D("50.00"))]
    assert "earlier in this invoice" in found[0].message and "in an earlier invoice" in found[1].message


def test_freeze_from_holds_the_freeze_to_the_rate_billed_before_it():
    december = month("1", date(2023, 12, 31), work("300", date(2023, 12, 5)))
    raised_before = month("2", date(2024, 1, 31), work("325", date(2023, 12, 20), line=1),
                          work("325", date(2024, 1, 10), line=2), work("325", date(2024, 1, 11), line=3))
    found = run("rates.increase", december, raised_before, freeze_from="2024-01-01", freeze_until="2024-06-30")
    # 325 on 12-20 raises December's 300 before the freeze: an increase over the earlier invoice, not a frozen line;
    # it is then the rate billed before the freeze, which January's lines are held to
    (finding,) = found
    assert (finding.record.number, finding.amount) == ("1", D("50.00")) and "frozen" not in finding.message
    # ... the last rate billed before the freeze, which is 325, not the earlier 300
    found = run("rates.increase", month("1", date(2024, 1, 31), work("300", date(2023, 12, 5), line=1),
                                        work("325", date(2023, 12, 20), line=2), work("325", date(2024, 1, 10), line=3),
                                        work("350", date(2024, 1, 11), line=4)),
                freeze_from="2024-01-01", freeze_until="2024-06-30")
    assert [(f.record.number, f.amount) for f in found] == [("4", D("50.00"))]
    assert ("up from 325, the rate frozen from 2024-01-01 until 2024-06-30: the last rate billed before the freeze"
            " (on 2023-12-20, earlier in this invoice)") in found[0].message


def test_freeze_from_without_a_rate_before_it_takes_the_first_rate_in_it():
    january = month("1", date(2024, 1, 31), work("300", date(2024, 1, 15)))
    february = month("2", date(2024, 2, 29), work("325", date(2024, 2, 15)))
    (finding,) = run("rates.increase", january, february, freeze_from="2024-01-01", freeze_until="2024-06-30")
    assert "the first rate billed in the freeze" in finding.message


@pytest.mark.parametrize(
    ("options", "message"),
    [({"freeze_from": "2024-01-01"}, "rates.increase.freeze_from: needs freeze_until"),
     ({"freeze_from": "2024-07-01", "freeze_until": "2024-06-30"},
      "rates.increase.freeze_from: is after freeze_until")],
)
def test_freeze_from_is_refused_without_or_after_the_freeze_end(options, message):
    with pytest.raises(LedesConfigError, match=message):
        run("rates.increase", invoice(fee("1.0", "350")), **options)
