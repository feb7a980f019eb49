"""Where the ledger is: the location given (``--db``), else the ``LEDES_DB`` environment variable.

The command line also looks in the repository's configuration (``ledger = …`` in
``ledes.toml`` or ``[tool.ledes]``, found as ``ledes validate`` finds it) before giving up.
"""

from __future__ import annotations

import os

ENVIRONMENT = "LEDES_DB"


def is_url(location: str) -> bool:
    """True for a database URL (``postgresql://…``, ``sqlite:///…``), False for a file path."""
    return "://" in location


def resolve(given: str | None) -> str | None:
    """The ledger's location from the argument, else from LEDES_DB; None when neither is set."""
    if given:
        return given
    return os.environ.get(ENVIRONMENT, "").strip() or None
