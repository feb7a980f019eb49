"""The columns every output shares: key columns, the figures of a group, and how each is written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from ledes.reports.keys import PERIOD_KEYS, Key
from ledes.reports.model import BillingReport
from ledes.reports.totals import Totals, hours, money, plain_money

FIGURES = ("lines", "hours", "fees", "expenses", "adjustments", "tax", "total")
UNSTATED = "(unstated)"


def figures(totals: Totals, amount: Callable[[Decimal], str] = money) -> list[str]:
    """The figures of ``FIGURES`` in order, money written by ``amount``."""
    return [
        str(totals.lines), hours(totals.hours), amount(totals.fees), amount(totals.expenses),
        amount(totals.adjustments), amount(totals.tax), amount(totals.total),
    ]


def plain_figures(totals: Totals) -> list[str]:
    """The figures for programs: ``1752.00``, no thousands separators."""
    return figures(totals, plain_money)


def currency_label(currency: str | None) -> str:
    return UNSTATED if currency is None else currency


def several_currencies(report: BillingReport) -> bool:
    """True when the invoices are in more than one currency (an invoice that states none is one of its own)."""
    return len(report.totals) > 1


def key_names(by: tuple[str, ...]) -> list[str]:
    """CSV key columns: each key's value, and beside it its name (``matter``, ``matter_name``); periods have no name."""
    names = []
    for key in by:
        names.append(key)
        if key not in PERIOD_KEYS:
            names.append(f"{key}_name")
    return names


def key_cells(by: tuple[str, ...], keys: tuple[Key, ...]) -> list[str]:
    cells = []
    for name, key in zip(by, keys, strict=True):
        cells.append(key.value or "")
        if name not in PERIOD_KEYS:
            cells.append(key.name or "")
    return cells


def day_text(value: object) -> str:
    """A date as ``YYYY-MM-DD``; an unreadable one as it was written."""
    return value.isoformat() if isinstance(value, date) else str(value or "")


def stated(value: object, amount: Callable[[Decimal], str] = money) -> str:
    """An invoice's stated total; an unreadable one as it was written."""
    return amount(value) if isinstance(value, Decimal) else str(value or "")
