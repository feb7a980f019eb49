"""LEDES 2000 round trips (hypothesis): 1998B -> 2000 -> 1998B and XML 2.1 -> 2000 -> XML 2.1 reproduce the model."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strategies as S
from hypothesis import example, given, settings
from roundtrips import round_trip, with_split_names

from ledes.conversion import complete_for_xml
from ledes.model import Client, Invoice, LawFirm, LineItem, LineItemType, Matter

FIRM = "Law Offices of John Smith"
MODELS = settings(max_examples=max(16, settings().max_examples // 6))

# Found by a long random run: units × rate has 28 digits, so a fee's adjustment (its total less
# units × rate; 2000 has no adjustment element) keeps every digit, as the reader computes it.
_DAY = date(2000, 1, 1)
WIDE_BASE = [Invoice("0", _DAY, Client("0"), LawFirm("0"), total=Decimal("0"), billing_start=_DAY, billing_end=_DAY,
                     matters=(Matter("0", line_items=(LineItem(
                         "1", LineItemType.FEE, _DAY, units=Decimal("9999999999.0002"),
                         unit_cost=Decimal("9999999999.9999"), adjustment=Decimal("-100000000000000999999.99999998"),
                         total=Decimal("-9999999999.9999")),)),))]


@MODELS
@given(S.invoice_lists_as_2000_holds())
@example(WIDE_BASE)
def test_1998b_to_2000_and_back_reproduces_the_model(invoices):
    """parse_1998b(write_1998b(parse_2000(write_2000(x)))) == the 1998B model of x.

    x is drawn in the shape 2000 holds (tests/strategies.py ``invoice_lists_as_2000_holds``)
    with the firm's name filled in (LEDES 2000 needs one); 2000 gives x back with each
    timekeeper's last and first names split from "Last, First".
    """
    completed = [complete_for_xml(invoice, FIRM, "LEDES 2000") for invoice in invoices]
    via_2000 = round_trip("xml2000", completed)
    assert via_2000 == [with_split_names(invoice) for invoice in completed]
    as_1998b = round_trip("1998b", completed)
    assert round_trip("1998b", via_2000) == as_1998b


@MODELS
@given(S.invoice_lists_as_2000_holds())
def test_xml21_to_2000_and_back_reproduces_the_model(invoices):
    """parse_21(write_21(parse_2000(write_2000(y)))) == y, where y = parse_21(write_21(x)) for x in 2000's shape."""
    completed = [complete_for_xml(invoice, FIRM, "LEDES 2000") for invoice in invoices]
    as_21 = round_trip("xml2.1", completed)
    assert round_trip("xml2.1", round_trip("xml2000", as_21)) == as_21
    assert round_trip("xml2000", as_21) == as_21
