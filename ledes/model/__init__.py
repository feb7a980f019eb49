"""The format-neutral invoice model: frozen attrs records that every LEDES reader and writer share."""

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
)

__all__ = [
    "Client",
    "Invoice",
    "LawFirm",
    "LineItem",
    "LineItemType",
    "Location",
    "Matter",
    "Timekeeper",
    "Unparsed",
]
