"""Money arithmetic on amounts of any width: rounding, remainders, and the widest number computed with."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ledes.money import MAX_DIGITS, exact, remainder, to_cents, too_wide

amounts = st.builds(lambda whole, places: Decimal(f"{whole}E-{places}"), st.integers(-(10**60), 10**60), st.integers(0, 8))


@given(amounts, st.sampled_from([Decimal("0.1"), Decimal("0.25"), Decimal("1"), Decimal("0.001")]))
@example(Decimal("9" * 33), Decimal("0.1"))  # 34 digits of quotient: the % operator raises
@example(Decimal("9" * 33 + ".25"), Decimal("0.1"))
@example(Decimal("-" + "9" * MAX_DIGITS), Decimal("0.25"))
@example(Decimal("0." + "0" * 40 + "1"), Decimal("0.1"))
def test_remainder_is_exact_at_any_width(value, step):
    """value = a whole number of steps + the remainder, exactly; the remainder smaller than a step, of value's sign."""
    left = remainder(value, step)
    assert abs(left) < step
    assert left == 0 or (left > 0) == (value > 0)
    assert ((Fraction(value) - Fraction(left)) / Fraction(step)).denominator == 1


def test_remainder_examples():
    assert remainder(Decimal("9" * 33), Decimal("0.1")) == 0
    assert remainder(Decimal("9" * 33 + ".25"), Decimal("0.1")) == Decimal("0.05")
    assert remainder(Decimal("-2.25"), Decimal("0.1")) == Decimal("-0.05")


def test_to_cents_leaves_an_amount_wider_than_the_context_as_it_is():
    assert to_cents(Decimal("1.005")) == Decimal("1.01")
    wide = Decimal("9" * 33 + ".5")
    assert to_cents(wide) is wide


@pytest.mark.parametrize(("text", "wide"), [
    ("9" * MAX_DIGITS, False),
    ("-" + "9" * MAX_DIGITS, False),
    ("9" * (MAX_DIGITS - 1) + ".9", False),
    ("9" * MAX_DIGITS + ".9", True),
    ("0." + "0" * MAX_DIGITS, True),
    ("9" * 1_000_001, True),
])
def test_too_wide_counts_the_digits(text, wide):
    problem = too_wide(text)
    assert (problem is not None) == wide
    if wide:
        assert f"has {sum(c.isdigit() for c in text)} digits" in problem and len(problem) < 200


def test_exact_arithmetic_keeps_every_digit_of_amounts_read_from_a_file():
    wide, rate = Decimal("9" * MAX_DIGITS), Decimal("0." + "9" * (MAX_DIGITS - 2))
    assert wide + Decimal("0.01") == wide + Decimal("0.02")  # the default context's 28 digits round both alike
    with exact():
        assert wide + Decimal("0.01") != wide + Decimal("0.02")
        assert Fraction(wide * rate) == Fraction(wide) * Fraction(rate)
        assert to_cents(Decimal("9" * 33 + ".005")) == Decimal("9" * 33 + ".01")


def test_a_year_before_1000_is_written_with_four_digits_in_messages():
    """strftime writes the year 1 as '1': a period.* message once showed INVOICE_DATE 00010101 as 10101."""
    from datetime import date

    from ledes.figures import iso_day, ledes_day

    assert (ledes_day(date(1, 1, 1)), iso_day(date(1, 1, 1))) == ("00010101", "0001-01-01")
    assert (ledes_day(date(2024, 3, 5)), iso_day(date(2024, 3, 5))) == ("20240305", "2024-03-05")
