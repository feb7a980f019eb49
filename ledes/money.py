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

import re
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
    """How many decimals amounts in ``currency`` have (ISO 4217 minor units; ``jpy`` as JPY); 2 with no currency or an
    unknown one."""
    if currency is None:
        return CENT_DECIMALS
    found = MINOR_UNITS.get(currency)
    return found if found is not None else MINOR_UNITS.get(currency.strip().upper(), CENT_DECIMALS)


def minor_unit(currency: str | None) -> Decimal:
    """The smallest amount of ``currency``: ``1`` for JPY, ``0.001`` for KWD, ``0.01`` for GBP and with no currency."""
    return _UNITS[decimals_of(currency)]


_UNITS = {places: Decimal(1).scaleb(-places) for places in range(5)}


def to_minor(value: Decimal, currency: str | None, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round half up (or as ``rounding`` says) to ``currency``'s minor unit (the cent when None); an amount wider than
    the decimal context is returned as it is."""
    try:
        return value.quantize(minor_unit(currency), rounding=rounding)
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


def tidy_in(value: Decimal, currency: str | None) -> Decimal:
    """``tidy`` in ``currency``'s minor unit: 3750.00 yen is written 3750, 100.00 dinars 100.000; a value with more
    decimals than the currency has is returned as it is."""
    try:
        minor = value.quantize(minor_unit(currency))
    except InvalidOperation:
        return value
    return minor if minor == value else value


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


# How billing systems and spreadsheets write a number that LEDES would write plainly. A currency
# sign, a '+', spaces around it, accounting parentheses or a trailing '-' for a negative amount, and
# digit grouping all leave one reading; a lone ',' before three digits does not (1,250 is 1250 to an
# American and 1.25 to a German), and neither does anything else.
_SIGNS = "$€£¥"
_GROUP = "[1-9][0-9]{0,2}"  # a first group of digits: grouping never starts with 0
# The patterns are compiled when a malformed amount first needs them (re keeps them compiled), not
# when ledes is imported: compiling them cost every run's start-up, and most files have none.
_GROUPED_POINT = rf"{_GROUP}(?:(?P<sep>[, '\u00a0\u202f])[0-9]{{3}})(?:(?P=sep)[0-9]{{3}})*(?:\.[0-9]*)?"
_GROUPED_COMMA = rf"{_GROUP}(?:(?P<sep>[. '\u00a0\u202f])[0-9]{{3}})(?:(?P=sep)[0-9]{{3}})*,[0-9]+"
_POINTS_ONLY = rf"{_GROUP}(?:\.[0-9]{{3}}){{2,}}"
_DECIMAL_COMMA = r"[0-9]+,(?:[0-9]{1,2}|[0-9]{4,})|0,[0-9]+"
_AMBIGUOUS_COMMA = r"[1-9][0-9]{0,2},[0-9]{3}"  # 1,250: a thousands separator, or a decimal comma?
_PLAIN = r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+"


def evident_amount(text: str) -> Decimal | None:
    """The one number a malformed amount plainly stands for, or None when it has none (or more than one).

    ``+100.00`` is 100.00, ``1,250.00`` and ``1 250,00`` are 1250.00, ``$5`` is 5,
    ``(70.00)`` and ``70.00-`` are -70.00, `` 5`` is 5, ``12,50`` is 12.50; ``1,250`` (1250
    or 1.25?), ``N/A``, ``(-5)`` and ``1.2.3`` have none. The rules compute with it where a
    file holds such text (``Unparsed.evident``), and the text itself is kept for the writer.
    """
    core = text.strip()
    negative = False
    if len(core) > 2 and core[0] == "(" and core[-1] == ")":
        core, negative = core[1:-1].strip(), True
    elif len(core) > 1 and core[-1] == "-":
        core, negative = core[:-1].rstrip(), True
    found = re.fullmatch(_DECORATED, core)
    if found is None:
        return None
    sign = found.group("before_sign") or found.group("after_sign")
    if (found.group("before_sign") and found.group("after_sign")) or (sign and negative):
        return None  # --5, (-5), 5-- : more than one sign
    if found.group("before_currency") and found.group("after_currency"):
        return None
    digits = _digits(found.group("number"))
    if digits is None or too_wide(digits) is not None:
        return None
    value = Decimal(digits)
    return -value if negative or sign == "-" else value


_DECORATED = (
    rf"(?P<before_sign>[+-]?) ?(?P<before_currency>[{_SIGNS}]?) ?(?P<after_sign>[+-]?)"
    rf"(?P<number>[0-9.](?:[0-9.,' \u00a0\u202f]*[0-9.])?)(?: ?(?P<after_currency>[{_SIGNS}]))?"
)


def _digits(core: str) -> str | None:
    """The number ``core`` (no sign, no currency) writes, as plain digits and a point, or None."""
    if re.fullmatch(_PLAIN, core):
        return core
    if re.fullmatch(_AMBIGUOUS_COMMA, core):
        return None
    found = re.fullmatch(_GROUPED_POINT, core)
    if found:
        return core.replace(found.group("sep"), "")
    found = re.fullmatch(_GROUPED_COMMA, core)
    if found:
        return core.replace(found.group("sep"), "").replace(",", ".")
    if re.fullmatch(_POINTS_ONLY, core):
        return core.replace(".", "")
    if re.fullmatch(_DECIMAL_COMMA, core):
        return core.replace(",", ".")
    return None
