"""The receivables ledger: an append-only log of what was submitted, accepted, rejected, appealed, paid and written off.

The ledger is kept in SQLite (a file) or PostgreSQL (a URL), through SQLAlchemy Core, its
schema versioned by Alembic migrations that ship in the package; each invoice's status,
balance and history are derived from its events, never updated in place.
"""

from __future__ import annotations

from ledes.errors import LedesConfigError
from ledes.ledger.aging import BUCKETS, Aging, aging
from ledes.ledger.events import STATUSES, Event, InvoiceState, Kind, LedesLedgerError
from ledes.ledger.followup import FollowUp, follow_up
from ledes.ledger.location import resolve
from ledes.ledger.realization import Realization, realization
from ledes.ledger.recording import Added, Marked, add_files, mark
from ledes.ledger.statusimport import RowOutcome, StatusImport, import_status
from ledes.ledger.store import Store
from ledes.ledger.transfer import load, write_export
from ledes.ledger.views import history
from ledes.rules import RULES_BY_NAME


def open_ledger(location: str | None = None, *, must_exist: bool = False) -> Store:
    """The ledger at ``location`` (a path or a URL), else at LEDES_DB; LedesConfigError when neither is set.

    ``must_exist``: a SQLite file that does not exist is a LedesInputError, not a new, empty ledger.
    """
    found = resolve(location)
    if found is None:
        raise LedesConfigError("no ledger given: use --db PATH (or a postgresql:// URL), set LEDES_DB,"
                               " or write ledger = \"PATH\" in ledes.toml")
    return Store(found, must_exist=must_exist)


def rule_of(code: str | None) -> str | None:
    """The guideline rule a reduction code names, when the code is a rule's name (``rates.cap``); else None."""
    return code if code in RULES_BY_NAME else None


__all__ = [
    "BUCKETS",
    "STATUSES",
    "Added",
    "Aging",
    "Event",
    "FollowUp",
    "InvoiceState",
    "Kind",
    "LedesLedgerError",
    "Marked",
    "Realization",
    "RowOutcome",
    "StatusImport",
    "Store",
    "add_files",
    "aging",
    "follow_up",
    "history",
    "import_status",
    "load",
    "mark",
    "open_ledger",
    "realization",
    "rule_of",
    "write_export",
]
