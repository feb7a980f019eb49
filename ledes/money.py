"""Money arithmetic shared by the formats, rules, imports and reports: rounding to the cent, half up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal(0)


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
