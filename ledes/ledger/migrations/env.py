"""Alembic's environment for the ledger: migrates the connection ledes.ledger.store hands over, inside its transaction."""

from __future__ import annotations

from alembic import context

from ledes.ledger.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
