"""Reporting periods, a year, a quarter or a month (``2024``, ``2024-Q1``, ``2024-03``), and the period of a date."""

from __future__ import annotations

import calendar
import re
from datetime import date

import attrs

_PERIOD = re.compile(r"(\d{4})(?:-(?:[Qq]([1-4])|(0[1-9]|1[0-2])))?")


@attrs.frozen
class Period:
    """The dates from ``start`` to ``end``, both included; ``name`` is how it was written (``2024-Q1``)."""

    name: str
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def parse_period(text: str) -> Period:
    """The period ``text`` names: a year (``2024``), quarter (``2024-Q1``) or month (``2024-03``); else ValueError."""
    found = _PERIOD.fullmatch(text.strip())
    if found is None:
        raise ValueError(f"expected a year (2024), a quarter (2024-Q1) or a month (2024-03), found '{text}'")
    year = int(found.group(1))
    if found.group(2):
        quarter = int(found.group(2))
        return Period(f"{year:04d}-Q{quarter}", date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter))
    if found.group(3):
        month = int(found.group(3))
        return Period(f"{year:04d}-{month:02d}", date(year, month, 1), _month_end(year, month))
    return Period(f"{year:04d}", date(year, 1, 1), date(year, 12, 31))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_of(day: date) -> str:
    """``2024-03``; a year before 1000 has four digits too (``0999-01``), so periods sort as text."""
    return f"{day.year:04d}-{day.month:02d}"


def quarter_of(day: date) -> str:
    """``2024-Q1``."""
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def year_of(day: date) -> str:
    """``2024``."""
    return f"{day.year:04d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (both ``YYYY-MM``), in order."""
    year, month = (int(part) for part in first.split("-"))
    end = tuple(int(part) for part in last.split("-"))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
