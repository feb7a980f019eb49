"""ledes: read, write and validate LEDES legal e-billing invoices.

Each public name is imported when first used (PEP 562), so that ``ledes --version`` and a
run on one small file do not import what they never use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledes.lazynames import lazy_names

if TYPE_CHECKING:
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
    from ledes.engine import FileChecked, FileReport, Listener, Report, check, validate, validate_file
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

# Where each public name lives.
_HOMES = {
    "Conversion": "ledes.api",
    "LedesDataLossError": "ledes.api",
    "LedesInvalidFileError": "ledes.api",
    "LedesNoInvoiceError": "ledes.api",
    "convert": "ledes.api",
    "dumps": "ledes.api",
    "iter_invoices": "ledes.api",
    "load": "ledes.api",
    "overview": "ledes.api",
    "write": "ledes.api",
    "Config": "ledes.config",
    "LedesMissingValueError": "ledes.conversion",
    "Diagnostic": "ledes.diagnostics",
    "Severity": "ledes.diagnostics",
    "FileChecked": "ledes.engine",
    "FileReport": "ledes.engine",
    "Listener": "ledes.engine",
    "check": "ledes.engine",
    "Report": "ledes.engine",
    "validate": "ledes.engine",
    "validate_file": "ledes.engine",
    "LedesConfigError": "ledes.errors",
    "LedesError": "ledes.errors",
    "LedesInputError": "ledes.errors",
    "LedesWriteError": "ledes.errors",
    "Address": "ledes.model",
    "Client": "ledes.model",
    "Contact": "ledes.model",
    "Invoice": "ledes.model",
    "LawFirm": "ledes.model",
    "LineItem": "ledes.model",
    "LineItemType": "ledes.model",
    "Location": "ledes.model",
    "Matter": "ledes.model",
    "Timekeeper": "ledes.model",
    "Unparsed": "ledes.model",
    "ALL_RULES": "ledes.rules",
    "Rule": "ledes.rules",
    "summarize": "ledes.summary",
    "__version__": "ledes.version",
}

__all__ = [
    "ALL_RULES",
    "Address",
    "Client",
    "Config",
    "Contact",
    "Conversion",
    "Diagnostic",
    "FileChecked",
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
    "Listener",
    "Location",
    "Matter",
    "Report",
    "Rule",
    "Severity",
    "Timekeeper",
    "Unparsed",
    "__version__",
    "check",
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


__getattr__, __dir__ = lazy_names(__name__, _HOMES, __all__, globals())
