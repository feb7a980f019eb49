"""The format-neutral invoice model: frozen attrs records that every LEDES reader and writer share.

Addresses, contacts and stated figures are imported when first used (PEP 562): a run on a
LEDES 1998B file has none, and building their classes was a part of every run's start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ledes.model.invoice import (
    Client,
    Invoice,
    LawFirm,
    LineItem,
    LineItemType,
    Location,
    Matter,
    Timekeeper,
    Unparsed,
    amount,
)

if TYPE_CHECKING:
    from ledes.model.contacts import Address, Contact
    from ledes.model.stated import Stated, StatedTax, StatedTimekeeper, StatedTotals

# Where each name imported when first used lives.
_HOMES = {
    "Address": "ledes.model.contacts",
    "Contact": "ledes.model.contacts",
    "Stated": "ledes.model.stated",
    "StatedTax": "ledes.model.stated",
    "StatedTimekeeper": "ledes.model.stated",
    "StatedTotals": "ledes.model.stated",
}

__all__ = [
    "Address",
    "Client",
    "Contact",
    "Invoice",
    "LawFirm",
    "LineItem",
    "LineItemType",
    "Location",
    "Matter",
    "Stated",
    "StatedTax",
    "StatedTimekeeper",
    "StatedTotals",
    "Timekeeper",
    "Unparsed",
    "amount",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
