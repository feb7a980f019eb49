"""time.travel: what makes travel local, and approved rates in another currency than the invoice's."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from ledes.rules.base import Context
from ledes.rules.travel import is_local
from ledes.utbms import code_sets
from tests.rules.test_guideline_rules import APPROVED, fee, invoice, run

D = Decimal

LOCAL = [
    "Local travel to the county courthouse for hearing",
    "Non-working local travel to deposition",
    "Draft brief; local travel to court",
    "Local round trip to courthouse", "local round-trip travel to court", "Local roundtrip",
    "Local mileage to court", "local drive to hearing", "Local commute to courthouse",
    "Travel locally to client office",
    "Travel to local courthouse", "Travel to the local courthouse for hearing", "Drive to local court",
    "Travel to and from local court for hearing", "Travelled to the local office of the client",
    "Travel within the local area to client sites",
]
NOT_LOCAL = [
    "Travel to Chicago to meet with local counsel re trial strategy",
    "Travel from New York to Dallas for hearing under local rules",
    "Travel to local counsel's office in Chicago",
    "Travel to Denver for hearing at 9 am local time",
    "Travel to Austin to research local law on permits",
    "Travel to Dallas; confer with local counsel regarding local practice",
    "Non-local travel to Dallas", "Non local travel to Dallas",
    "Travel to Chicago for deposition",
]


@pytest.mark.parametrize("text", LOCAL)
def test_local_travel_is_travel_the_narrative_calls_local(text: str):
    assert is_local(text)


@pytest.mark.parametrize("text", NOT_LOCAL)
def test_local_naming_something_at_the_far_end_is_not_local_travel(text: str):
    assert not is_local(text)


def test_long_distance_travel_at_half_rate_passes_whatever_local_thing_it_names():
    work = fee("2.0", "300", line=3, text="Draft motion to compel discovery responses")
    counsel = fee("4.0", "150", line=1, text="Travel to Chicago to meet with local counsel re trial strategy")
    rules = fee("3.0", "150", line=2, text="Travel from New York to Dallas for hearing under local rules")
    assert run("time.travel", invoice(counsel, rules, work)) == []
    courthouse = fee("2.0", "150", line=1, text="Travel to the local courthouse for status conference")
    (finding,) = run("time.travel", invoice(courthouse, work))
    assert finding.message.startswith("local travel") and finding.amount == D("300.00")


def test_an_approved_rate_in_another_currency_is_not_the_full_rate():
    usd = Context(APPROVED, code_sets(), currency="USD")  # 22547 approved at 350 (dollars)
    trip = fee("3.0", "200", line=1, text="Travel to Manchester for deposition of witness")
    work = fee("2.0", "200", line=2, text="Draft motion to compel discovery responses")
    pounds = attrs.evolve(invoice(trip, work), currency="GBP")
    (finding,) = run("time.travel", pounds, context=usd)
    # the invoice's own rate, 200 GBP: 600 − 3 h × 200 × 50 %
    assert finding.amount == D("300.00") and "at 200 is 300.00" in finding.message
    assert run("time.travel", attrs.evolve(invoice(trip), currency="GBP"), context=usd) == []  # no GBP rate to use
    # in the guidelines' currency, the approved rate is the full rate: 600 − 3 h × 350 × 50 %
    (same,) = run("time.travel", attrs.evolve(pounds, currency="USD"), context=usd)
    assert same.amount == D("75.00")
