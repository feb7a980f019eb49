"""The format-neutral invoice model: frozen attrs records that every LEDES reader and writer share."""

from ledes.model.invoice import (
    Address,
    Client,
    Contact,
    Invoice,
    LawFirm,
    LineItem,
    LineItemType,
    Location,
    Matter,
    Stated,
    StatedTax,
    StatedTimekeeper,
    StatedTotals,
    Timekeeper,
    Unparsed,
    amount,
)

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
