"""Reading a cell's text as a date or a Decimal in the formats the mapping names (decimal comma allowed)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from ledes.importing.mapping import SourceSettings

_CACHE_LIMIT = 1 << 16  # exports repeat their dates, hours and rates: parse each spelling once


class ValueReader:
    """Parses dates and numbers as the mapping says, remembering the spellings it has seen."""

    def __init__(self, mapping: SourceSettings, workbook: bool) -> None:
        formats = mapping.date_formats
        if workbook and "%Y-%m-%d" not in formats:
            formats = (*formats, "%Y-%m-%d")  # date cells come out of a workbook as ISO dates
        self.date_formats = formats
        self._number = _number_pattern(mapping.decimal, mapping.thousands)
        self._decimal = mapping.decimal
        self._thousands = mapping.thousands
        self._dates: dict[str, date | None] = {}
        self._numbers: dict[str, Decimal | None] = {}

    def date(self, text: str) -> date | None:
        """The date ``text`` spells in one of the formats, or None."""
        try:
            return self._dates[text]
        except KeyError:
            pass
        found = None
        for form in self.date_formats:
            try:
                found = datetime.strptime(text.strip(), form).date()
                break
            except ValueError:
                continue
        if len(self._dates) >= _CACHE_LIMIT:
            self._dates.clear()
        self._dates[text] = found
        return found

    def number(self, text: str) -> Decimal | None:
        """The number ``text`` spells (``-1.5``, ``1,250.00`` with a thousands comma, ``1,5`` with a decimal comma), or None."""
        try:
            return self._numbers[text]
        except KeyError:
            pass
        stripped = text.strip()
        found = None
        if self._number.fullmatch(stripped):
            if self._thousands:
                stripped = stripped.replace(self._thousands, "")
            found = Decimal(stripped.replace(self._decimal, ".") if self._decimal != "." else stripped)
        if len(self._numbers) >= _CACHE_LIMIT:
            self._numbers.clear()
        self._numbers[text] = found
        return found


def _number_pattern(decimal: str, thousands: str) -> re.Pattern[str]:
    """Digits with an optional sign, decimal mark and (when the mapping allows one) thousands groups."""
    mark = re.escape(decimal)
    whole = r"\d+"
    if thousands:
        whole = rf"(?:\d+|\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+)"
    return re.compile(rf"-?(?:{whole}(?:{mark}\d*)?|{mark}\d+)")
