"""Hours written as hours:minutes (``02:30``), as one generator writes a fee's units: read the same by reader and rules."""

from __future__ import annotations

import re
from decimal import Decimal

_HOURS_MINUTES = re.compile(r"([0-9]+):([0-9]{2})")


def hours_minutes(text: str) -> tuple[str, int] | None:
    """The hours (their digits, as written) and the minutes of an ``HH:MM`` text; None for any other text."""
    found = _HOURS_MINUTES.fullmatch(text.strip())
    return (found.group(1), int(found.group(2))) if found is not None else None


def as_hours(whole: str, minutes: int) -> Decimal:
    """Hours plus minutes ÷ 60, at the context's precision (``02:20`` is 2.333…)."""
    return Decimal(whole) + Decimal(minutes) / 60
