"""The ledger's tests run against SQLite and PostgreSQL: ``ledger_url`` is a fresh, empty database on each.

The PostgreSQL half needs a server: ``LEDES_TEST_POSTGRES_URL`` names one (``.ci/run``
starts one with ``.ci/postgres``); without it those tests are skipped, saying so.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

POSTGRES_URL = os.environ.get("LEDES_TEST_POSTGRES_URL", "")
NO_POSTGRES = ("no PostgreSQL server for the ledger tests: set LEDES_TEST_POSTGRES_URL"
               " (.ci/run starts one with .ci/postgres)")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    import sqlalchemy as sa

    name = f"ledes_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(sa.make_url(POSTGRES_URL).set(drivername="postgresql+psycopg"),
                             isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield str(sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request, tmp_path: Path) -> str:
    """An empty ledger: a SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.sqlite")
    return request.getfixturevalue("postgres_url")
