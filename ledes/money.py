"""Money arithmetic shared by the formats, rules, imports and reports: rounding to the currency's minor unit, half up.

An invoice that states its currency (LEDES 1998BI, XML) is rounded to that currency's ISO
4217 minor unit: the yen (JPY, 0 decimals), the fils (KWD, 3 decimals), the cent (GBP,
USD, 2 decimals); one that states none (LEDES 1998B) to the cent.

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


# ISO 4217 minor units: how many decimals each currency's amounts have, from the ISO 4217
# standard's List One as SIX Financial Information publishes it (table published 2026-01-01),
# plus withdrawn codes that invoices from before a change still carry (ANG, BGN, CUC, HRK,
# SLL, ZWL: 2, as List Three gives them). ``ledes.formats.currencies.ISO_4217`` is these
# codes and ``NO_MINOR_UNIT``'s. The list gives no minor unit ("N.A.") for gold, silver,
# platinum, palladium, the bond-market units, the SDR and the testing codes: an amount in
# one of those, or in a code the list does not know, is computed to the cent, as an invoice
# without a currency is.
MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(
        ("AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BMD",
         "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CNY",
         "COP", "COU", "CRC", "CUC", "CUP", "CVE", "CZK", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD",
         "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GTQ", "GYD", "HKD", "HNL", "HRK", "HTG", "HUF", "IDR", "ILS",
         "INR", "IRR", "JMD", "KES", "KGS", "KHR", "KPW", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "MAD",
         "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD",
         "NGN", "NIO", "NOK", "NPR", "NZD", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB",
         "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP",
         "SZL", "THB", "TJS", "TMT", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "USD", "USN", "UYU", "UZS", "VED",
         "VES", "WST", "XCD", "XCG", "YER", "ZAR", "ZMW", "ZWG", "ZWL"),
        2,
    ),
    **dict.fromkeys(
        ("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV",
         "XAF", "XOF", "XPF"),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}
NO_MINOR_UNIT = frozenset(
    ["XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"]
)
CENT_DECIMALS = 2


def decimals_of(currency: str | None) -> int:
    """How many decimals amounts in ``currency`` have (ISO 4217 minor units); 2 with no currency or an unknown one."""
    if currency is None:
        return CENT_DECIMALS
    return MINOR_UNITS.get(currency, CENT_DECIMALS)


def minor_unit(currency: str | None) -> Decimal:
    """The smallest amount of ``currency``: ``1`` for JPY, ``0.001`` for KWD, ``0.01`` for GBP and with no currency."""
    return _UNITS[decimals_of(currency)]


_UNITS = {places: Decimal(1).scaleb(-places) for places in range(5)}


def to_minor(value: Decimal, currency: str | None) -> Decimal:
    """Round half up to ``currency``'s minor unit (the cent when None); an amount wider than the decimal context is returned as it is."""
    try:
        return value.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return value


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
