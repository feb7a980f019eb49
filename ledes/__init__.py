"""ledes: read, write and validate LEDES legal e-billing invoices."""

from ledes.api import (
    Conversion,
    LedesDataLossError,
    LedesInvalidFileError,
    LedesNoInvoiceError,
    convert,
    dumps,
    iter_invoices,
    load,
    overview,
    write,
)
from ledes.config import Config
from ledes.conversion import LedesMissingValueError
from ledes.diagnostics import Diagnostic, Severity
from ledes.engine import FileReport, Report, validate, validate_file
from ledes.errors import LedesConfigError, LedesError, LedesInputError, LedesWriteError
from ledes.model import (
    Address,
    Client,
    Contact,
    Invoice,
    LawFirm,
    LineItem,
    LineItemType,
    Location,
    Matter,
    Timekeeper,
    Unparsed,
)
from ledes.rules import ALL_RULES, Rule
from ledes.summary import summarize
from ledes.version import __version__

__all__ = [
    "ALL_RULES",
    "Address",
    "Client",
    "Config",
    "Contact",
    "Conversion",
    "Diagnostic",
    "FileReport",
    "Invoice",
    "LawFirm",
    "LedesConfigError",
    "LedesDataLossError",
    "LedesError",
    "LedesInputError",
    "LedesInvalidFileError",
    "LedesMissingValueError",
    "LedesNoInvoiceError",
    "LedesWriteError",
    "LineItem",
    "LineItemType",
    "Location",
    "Matter",
    "Report",
    "Rule",
    "Severity",
    "Timekeeper",
    "Unparsed",
    "__version__",
    "convert",
    "dumps",
    "iter_invoices",
    "load",
    "overview",
    "summarize",
    "validate",
    "validate_file",
    "write",
]
