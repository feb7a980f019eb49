"""The columns every output shares: key columns, the figures of a group, and how each is written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ledes.figures import money, plain_money, plain_quantity, quantity
from ledes.reports.keys import ALIASES, PERIOD_KEYS, Key
from ledes.reports.model import BillingReport
from ledes.reports.totals import Totals

FIGURES = ("lines", "hours", "fees", "expenses", "adjustments", "tax", "total")
UNSTATED = "(unstated)"


def figures(totals: Totals, currency: str | None) -> list[str]:
    """The figures of ``FIGURES`` in order, for people: ``1,752.00`` (money to ``currency``'s minor unit)."""
    amounts = (totals.fees, totals.expenses, totals.adjustments, totals.tax, totals.total)
    return [f"{totals.lines:,}", quantity(totals.hours), *(money(amount, currency) for amount in amounts)]


def plain_figures(totals: Totals, currency: str | None) -> list[str]:
    """The figures for CSV and JSON: ``1752.00``, the same digits without thousands separators."""
    amounts = (totals.fees, totals.expenses, totals.adjustments, totals.tax, totals.total)
    return [str(totals.lines), plain_quantity(totals.hours), *(plain_money(amount, currency) for amount in amounts)]


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


def alias_names(by: tuple[str, ...]) -> list[str]:
    """CSV columns added after the figures: a key's alias (``client_matter_id`` for ``matter``)."""
    return [ALIASES[key] for key in by if key in ALIASES]


def alias_cells(by: tuple[str, ...], keys: tuple[Key, ...]) -> list[str]:
    return [key.alias or "" for name, key in zip(by, keys, strict=True) if name in ALIASES]


def day_text(value: object) -> str:
    """A date as ``YYYY-MM-DD``; an unreadable one as it was written."""
    return value.isoformat() if isinstance(value, date) else str(value or "")


def stated(value: object, currency: str | None, plain: bool = False) -> str:
    """An invoice's stated total (``plain``: for CSV and JSON); an unreadable one as it was written."""
    if not isinstance(value, Decimal):
        return str(value or "")
    return plain_money(value, currency) if plain else money(value, currency)
