"""Where the ledger is: ``--db``, else the ``LEDES_DB`` environment variable, else ``ledger = …`` in ``ledes.toml``.

``ledes.toml`` is looked for in the working directory and then in each parent; a relative
``ledger`` path is relative to the ``ledes.toml`` that names it.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from ledes.errors import LedesConfigError

ENVIRONMENT = "LEDES_DB"
PROJECT_FILE = "ledes.toml"


def is_url(location: str) -> bool:
    """True for a database URL (``postgresql://…``, ``sqlite:///…``), False for a file path."""
    return "://" in location


def resolve(given: str | None, start: str | os.PathLike[str] | None = None) -> str:
    """The ledger's location, from the option, the environment or ``ledes.toml``; LedesConfigError when none is set."""
    if given:
        return given
    from_environment = os.environ.get(ENVIRONMENT, "").strip()
    if from_environment:
        return from_environment
    found = _from_project_file(Path(start or Path.cwd()).resolve())
    if found:
        return found
    raise LedesConfigError(
        f"no ledger given: use --db PATH (or a postgresql:// URL), set {ENVIRONMENT},"
        f" or write ledger = \"PATH\" in {PROJECT_FILE}"
    )


def _from_project_file(folder: Path) -> str | None:
    for directory in (folder, *folder.parents):
        candidate = directory / PROJECT_FILE
        if not candidate.is_file():
            continue
        try:
            document = tomllib.loads(candidate.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise LedesConfigError(f"{candidate}: cannot read it: {error}") from None
        value = document.get("ledger")
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise LedesConfigError(f"{candidate}: ledger: expected a file path or a database URL, found {value!r}")
        return value if is_url(value) else str(directory / value)
    return None
