"""Importing CSV and Excel exports of time entries and expenses into LEDES invoices (``ledes import``)."""

from ledes.importing.checking import Finding
from ledes.importing.entries import Rounding, RowError
from ledes.importing.mapping import ImportMapping, load_mapping
from ledes.importing.run import ImportResult, InvoiceSummary, import_file

__all__ = [
    "Finding",
    "ImportMapping",
    "ImportResult",
    "InvoiceSummary",
    "Rounding",
    "RowError",
    "import_file",
    "load_mapping",
]
