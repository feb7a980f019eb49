"""Opening a ledger (SQLite file or PostgreSQL URL), bringing its schema up to date, and serialized write transactions.

SQLite runs in WAL mode with a busy timeout, and every write transaction starts with
``BEGIN IMMEDIATE``, so writers in several processes queue instead of failing; on
PostgreSQL each write transaction first takes one transaction-level advisory lock. Either
way two writers never interleave, and a transaction that is interrupted leaves nothing.
"""

from __future__ import annotations

import contextlib
import functools
import stat
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from ledes.errors import LedesConfigError, LedesInputError
from ledes.ledger.location import is_url

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest schema version in migrations/versions (a test keeps it equal to Alembic's head):
# opening a ledger at this version reads one row, and imports no Alembic.
HEAD = "0003"
BUSY_TIMEOUT_MS = 120_000
_WRITE_LOCK = 151_515  # the PostgreSQL advisory lock every write transaction holds
_WRITING = "ledes_write"


_SQLITE_HEADER = b"SQLite format 3\x00"


def _url(location: str) -> sa.URL:
    if "\0" in location:
        raise LedesConfigError(f"cannot open the ledger {location!r}: it holds a NUL character, which no path or URL"
                               " holds")
    if not is_url(location):
        path = Path(location)
        if path.is_dir():
            raise LedesInputError(f"cannot open the ledger '{location}': it is a directory")
        _check_file(path, location)
        return sa.URL.create("sqlite", database=str(path.resolve()))
    try:
        url = sa.make_url(location)
        url.port  # noqa: B018 (read: a port that is no number, or a broken IPv6 host, raises here, not in the driver)
    except sa.exc.ArgumentError:
        raise LedesConfigError(f"not a database URL: '{location}'") from None
    except ValueError:
        raise LedesConfigError(f"not a database URL: '{location}': its host and port do not read (a port is a number,"
                               " an IPv6 host is written in brackets: [::1])") from None
    if url.get_backend_name() == "postgresql" and url.get_driver_name() in ("", "psycopg2", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise LedesConfigError(f"the ledger is kept in SQLite or PostgreSQL, not {url.get_backend_name()}: '{location}'")
    return url


def _check_file(path: Path, location: str) -> None:
    """A ledger file is a regular file that SQLite wrote (or none yet, or an empty one): ``/dev/null``, a FIFO or a
    LEDES invoice given as ``--db`` is refused before SQLite touches it."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return
    except OSError as error:
        raise LedesInputError(f"cannot open the ledger '{location}': {error.strerror or error}") from None
    if not stat.S_ISREG(status.st_mode):
        raise LedesInputError(f"cannot open the ledger '{location}': it is not a regular file")
    if status.st_size:
        try:
            with path.open("rb") as file:
                head = file.read(len(_SQLITE_HEADER))
        except OSError as error:
            raise LedesInputError(f"cannot open the ledger '{location}': {error.strerror or error}") from None
        if head != _SQLITE_HEADER:
            raise LedesInputError(f"cannot open the ledger '{location}': it is not a SQLite database (a ledger is a"
                                  " file ledes created, or a postgresql:// URL)")


def create_engine(location: str) -> Engine:
    """An engine for the ledger at ``location``; raises LedesConfigError for a URL ledes cannot use."""
    url = _url(location)
    if url.get_backend_name() == "postgresql":
        try:
            import psycopg  # noqa: F401  (the optional driver: pip install 'ledes[postgres]')
        except ImportError:
            raise LedesConfigError("a PostgreSQL ledger needs the driver: pip install 'ledes[postgres]'") from None
        engine = sa.create_engine(url, poolclass=NullPool)
        sa.event.listen(engine, "begin", _lock_postgresql)
        return engine
    engine = sa.create_engine(url, poolclass=NullPool, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    sa.event.listen(engine, "connect", _configure_sqlite)
    sa.event.listen(engine, "begin", _begin_sqlite)
    return engine


def _configure_sqlite(connection, _record) -> None:
    connection.isolation_level = None  # the driver leaves BEGIN to us (see _begin_sqlite)
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _write_ahead_log(cursor)
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _write_ahead_log(cursor) -> None:
    """Put the database in WAL mode. Switching needs a lock SQLite does not wait for (its busy timeout does not
    apply), so when another process holds it, as two first opens of a new ledger at once do, try again shortly."""
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if ("locked" not in str(error) and "busy" not in str(error)) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _begin_sqlite(connection: Connection) -> None:
    writing = connection.get_execution_options().get(_WRITING, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def _lock_postgresql(connection: Connection) -> None:
    if connection.get_execution_options().get(_WRITING, False):
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_WRITE_LOCK})")


@functools.cache
def _alembic_config():
    from alembic.config import Config as AlembicConfig  # only to migrate: opening an up-to-date ledger does without

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    """The newest schema version the package ships, as Alembic reads it from the migrations."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The schema version of the database on ``connection`` (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _stamped(connection: Connection) -> str | None:
    """The version Alembic stamped the database with, read directly (None when it has no stamp, or several)."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    found = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    return found[0] if len(found) == 1 else None


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Migrate the database on ``connection`` to ``revision``, inside its transaction."""
    from alembic import command

    config = _alembic_config()
    config.attributes["connection"] = connection
    try:
        command.upgrade(config, revision)
    finally:
        config.attributes.pop("connection", None)


class Store:
    """An open ledger database: serialized write transactions, read transactions, its schema kept at the newest version."""

    def __init__(self, location: str, *, must_exist: bool = False) -> None:
        """``must_exist``: refuse a SQLite file that does not exist (a report on a mistyped path would create an
        empty ledger and say nothing is owed) instead of creating it."""
        self.location = location
        self.engine = create_engine(location)
        self._migrated = False
        if must_exist:
            self._check_exists()

    def _check_exists(self) -> None:
        url = self.engine.url
        database = url.database or ""
        if url.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
            return
        if not Path(database).exists():
            raise LedesInputError(f"no ledger at '{self.location}': it does not exist (a mistyped --db or LEDES_DB?"
                                  " `ledes ledger add` creates one)")

    @contextlib.contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction, alone among the ledger's writers; committed when the block ends, rolled back on error."""
        self._ensure_schema()
        with self._failing_plainly(), self._connect(write=True) as connection, connection.begin():
            yield connection

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        """One read transaction: a consistent view of the ledger."""
        self._ensure_schema()
        with self._failing_plainly(), self._connect(write=False) as connection, connection.begin():
            yield connection

    def files(self) -> tuple[str, ...]:
        """The files of a SQLite ledger (its database, journal and write-ahead log), which no output may replace;
        none for PostgreSQL."""
        database = self.engine.url.database if self.engine.url.get_backend_name() == "sqlite" else None
        if not database:
            return ()
        return (database, *(database + suffix for suffix in ("-wal", "-shm", "-journal")))

    @contextlib.contextmanager
    def _failing_plainly(self) -> Iterator[None]:
        """A database that refuses (read-only, a disk error, a table a newer ledes changed) is one line, not a trace."""
        try:
            yield
        except sa.exc.IntegrityError:
            raise
        except (sa.exc.OperationalError, sa.exc.DatabaseError) as error:
            raise LedesInputError(f"the ledger '{self.location}': {error.orig}") from None

    @contextlib.contextmanager
    def _connect(self, write: bool) -> Iterator[Connection]:
        try:
            connection = self.engine.connect().execution_options(**{_WRITING: write})
        except sa.exc.OperationalError as error:
            raise LedesInputError(f"cannot open the ledger '{self.location}': {error.orig}") from None
        with connection:
            yield connection

    def _ensure_schema(self) -> None:
        if self._migrated:
            return
        with self._failing_plainly():
            with self._connect(write=False) as connection, connection.begin():
                current = _stamped(connection)
                tables = sa.inspect(connection).get_table_names() if current is None else []
            if current != HEAD:
                self._check_upgradable(current, tables)
                with self._connect(write=True) as connection, connection.begin():
                    if current_revision(connection) != head_revision():  # another process may have just done it
                        upgrade(connection)
        self._migrated = True

    def _check_upgradable(self, current: str | None, tables: list[str]) -> None:
        """A schema version this ledes does not know (a newer ledes wrote the ledger), or a database of tables but no
        version, is refused in a line: migrating it would fail midway or do harm."""
        from alembic.script import ScriptDirectory

        known = {script.revision for script in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}
        if current is not None and current not in known:
            raise LedesInputError(f"the ledger '{self.location}' has schema version {current!r}, which this ledes does"
                                  f" not know (it knows {', '.join(sorted(known))}): a newer ledes wrote it, or it"
                                  " was changed by hand")
        if current is None and tables:
            raise LedesInputError(f"the ledger '{self.location}' holds tables ({', '.join(sorted(tables)[:5])}) but no"
                                  " schema version: it is not a ledger ledes wrote, or its version was removed")

    def close(self) -> None:
        self.engine.dispose()
