"""Money arithmetic shared by the formats, rules, imports and reports: rounding to the cent, half up.

Numbers in a LEDES file have no digit limit a reader can rely on (xs:decimal has none; a
1998B line may hold a million digits), but the decimal context has: 28 digits of
precision, exponents up to 999999. Here a rounding or remainder on an amount wider than
the precision does not raise, and a number too wide to compute with at all
(``MAX_DIGITS``) is for the readers to keep as text and report. The XML readers and
writers and the rules compute in ``exact()``, where a sum or product of amounts read from
a file keeps every digit (a 33-digit tax rate gives a line total to the cent, not 6.3E+34).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)

CENT = Decimal("0.01")
ZERO = Decimal(0)

# The most digits a number read from a file may have and still be computed with. Far wider
# than any amount, hours or rate; a product or quotient of such numbers stays far from the
# context's exponent limit (a million-digit value overflows it, and raises).
MAX_DIGITS = 1000

# Arithmetic in which a sum or product of amounts read from a file (each of at most MAX_DIGITS
# digits) keeps every digit: the default context's 28 digits would round a 33-digit amount.
EXACT = Context(prec=4 * MAX_DIGITS, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation, DivisionByZero, Overflow])


def exact() -> AbstractContextManager[Context]:
    """Compute in EXACT: ``with exact(): total = pre_tax + tax``."""
    return localcontext(EXACT)


def to_cents(value: Decimal) -> Decimal:
    """Round half up to the cent, as invoices are rounded; an amount wider than the decimal context is returned as it is."""
    try:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # xs:decimal has no digit limit: '99999999999999999999999999999999.9' is valid
        return value


def tidy(value: Decimal) -> Decimal:
    """A computed amount to the cent when that loses nothing (2.00 × 350.00 is written 700.00, not 700.0000)."""
    try:
        cents = value.quantize(CENT)
    except InvalidOperation:
        return value
    return cents if cents == value else value


def remainder(value: Decimal, step: Decimal) -> Decimal:
    """``value % step`` (the sign of ``value``), exact however many digits ``value`` has.

    The ``%`` operator raises (DivisionImpossible) once the whole quotient has more digits
    than the context's precision: 33 digits of hours over a 0.1 h increment.
    """
    low = min(value.as_tuple().exponent, step.as_tuple().exponent)
    assert isinstance(low, int), "finite values only"
    with localcontext() as context:
        # Both the quotient and the remainder have at most this many digits.
        context.prec = max(context.prec, max(value.adjusted(), step.adjusted()) - low + 2)
        return value % step


def too_wide(text: str) -> str | None:
    """Why a number's text (digits, one point, a sign) has too many digits to compute with; None when it has not."""
    if len(text) <= MAX_DIGITS:
        return None
    digits = len(text) - text.count(".") - text.count("-") - text.count("+")
    if digits <= MAX_DIGITS:
        return None
    return f"'{text[:12]}…' has {digits} digits; ledes computes with numbers of at most {MAX_DIGITS} digits, and keeps this one as text"
