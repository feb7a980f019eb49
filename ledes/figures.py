"""How ledes writes numbers: one form for people (text, HTML), its plain twin for CSV and JSON, and counted nouns.

Every command writes money, hours and units through these functions, so one file's figures
read the same in ``ledes show``, ``ledes report`` (text, CSV, JSON, HTML) and ``ledes validate``:

- Money is rounded half up to its currency's ISO 4217 minor unit (``ledes.money.MINOR_UNITS``:
  ``1,370.00`` USD, ``1,370`` JPY, ``1,370.000`` KWD; the cent when no currency is stated), and
  never written ``-0.00``.
- Hours and other units keep every digit they have, with at least two decimals (``4.00``,
  ``0.20``, ``1.125``): a quantity is never rounded away.
- For people, the whole part is grouped by thousands with commas (``1,304,818.20``). The plain
  form, for CSV and JSON, is the same digits without the commas (``1304818.20``): a decimal
  string with an optional leading ``-``, no exponent, no ``+``.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ledes.money import exact, minor_unit

QUANTITY_DECIMALS = 2


def money(amount: Decimal, currency: str | None = None) -> str:
    """``1,752.00``: an amount for people, to ``currency``'s minor unit (the cent when None)."""
    return _grouped(plain_money(amount, currency))


def plain_money(amount: Decimal, currency: str | None = None) -> str:
    """``1752.00``: an amount for CSV and JSON, to ``currency``'s minor unit (the cent when None)."""
    if not amount.is_finite():
        return str(amount)
    try:
        with exact():
            rounded = amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # wider than even the exact context: written with every digit
        rounded = amount
    return format(rounded if rounded else abs(rounded), "f")


def quantity(value: Decimal) -> str:
    """``1,304,818.20``: hours or units for people, every digit kept, at least two decimals."""
    return _grouped(plain_quantity(value))


def plain_quantity(value: Decimal) -> str:
    """``1304818.20``: hours or units for CSV and JSON, every digit kept, at least two decimals."""
    if not value.is_finite():
        return str(value)
    text = format(value if value else abs(value), "f")
    whole, _, decimals = text.partition(".")
    decimals = decimals.rstrip("0").ljust(QUANTITY_DECIMALS, "0")
    return f"{whole}.{decimals}"


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``1 invoice``, ``2 invoices``, ``1,204 line items``."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def hours(value: Decimal) -> str:
    """``1 hour``, ``0.50 hours``, ``1,250.25 hours``: exactly one hour is singular, any other amount plural."""
    return "1 hour" if value == 1 else f"{quantity(value)} hours"


def _grouped(plain: str) -> str:
    """Commas between each three digits of the whole part: ``-1234567.50`` → ``-1,234,567.50``."""
    sign = "-" if plain.startswith("-") else ""
    whole, point, decimals = plain.removeprefix("-").partition(".")
    if not whole.isdigit():
        return plain
    head = len(whole) % 3 or 3
    groups = [whole[:head], *(whole[start:start + 3] for start in range(head, len(whole), 3))]
    return f"{sign}{','.join(groups)}{point}{decimals}"


def iso_day(day: object) -> str:
    """A date as ``YYYY-MM-DD``, its year in four digits whatever it is (strftime writes the year 1 as ``1``)."""
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}" if isinstance(day, date) else str(day)


def ledes_day(day: object) -> str:
    """A date as a LEDES 1998B file writes it, ``YYYYMMDD``, its year in four digits whatever it is."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}" if isinstance(day, date) else str(day)
