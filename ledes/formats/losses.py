"""The two ways a format lists what an invoice would lose in it: by the fields it holds, or by reading it back."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ledes.conversion import reread_losses, unsupported
from ledes.diagnostics import Diagnostic
from ledes.formats.base import Format
from ledes.model import Invoice, LineItemType

LossFinder = Callable[[Invoice], list[Diagnostic]]


def by_held_fields(target: Format, source_names: Mapping[str, str], path: str | None) -> LossFinder:
    """A flat format (1998B, 1998BI) holds a value exactly when it has a field for it."""
    held = frozenset(target.field_names)
    return lambda invoice: unsupported(invoice, held, source_names, target.title, path)


def by_reading_back(target: Format, source_names: Mapping[str, str], path: str | None) -> LossFinder:
    """A format of another shape (LEDES XML) loses what its own reader would not give back as it was."""
    written = 0  # line items written so far: an XML reader numbers lines through the file

    def losses(invoice: Invoice) -> list[Diagnostic]:
        nonlocal written
        found = reread_losses(invoice, target.write, target.read, source_names, target.title, path, written)
        written += sum(isinstance(item.type, LineItemType) for item in invoice.line_items)
        return found

    return losses
