"""The format-neutral invoice model: frozen attrs records that every LEDES reader and writer share.

Addresses, contacts and stated figures are imported when first used (PEP 562): a run on a
LEDES 1998B file has none, and building their classes was a part of every run's start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledes.lazynames import lazy_names
from ledes.model.invoice import (
    FEES_AND_EXPENSES,
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
    "FEES_AND_EXPENSES",
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


__getattr__, __dir__ = lazy_names(__name__, _HOMES, __all__, globals())
