"""The ledger's two tables, in SQLAlchemy Core: invoice versions (insert-only) and the append-only event log.

Money is stored as decimal text (``"1250.50"``), never as a float: SQLite has no exact
decimal type, and text reads back as the same ``Decimal`` on every backend.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# The largest whole number an INTEGER column holds: SQLite's and PostgreSQL's BIGINT are signed 64-bit.
LARGEST_INTEGER = 2**63 - 1

# One row per distinct content of an invoice (its version), keyed by that content's hash.
documents = sa.Table(
    "documents",
    metadata,
    sa.Column("content_hash", sa.String(64), primary_key=True),
    sa.Column("number", sa.String(255), nullable=False, index=True),
    sa.Column("client", sa.String(255), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("invoice_date", sa.String(10)),
    sa.Column("total", sa.String(64), nullable=False),
    # [[line, type, matter, timekeeper, task, total], ...] as JSON
    sa.Column("lines", sa.Text, nullable=False),
    # {rule: amount at risk} as ledes validate predicted it with the client's guidelines, as JSON
    sa.Column("at_risk", sa.Text, nullable=False),
    # added by migration 0003: the billing law firm's id (NULL in a version recorded before it)
    sa.Column("law_firm", sa.String(255)),
)

# Every fact about an invoice, in the order it was recorded; nothing is updated or deleted.
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("number", sa.String(255), nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("on_date", sa.String(10), nullable=False),
    sa.Column("recorded_at", sa.String(32), nullable=False),
    sa.Column("actor", sa.String(255), nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("file_hash", sa.String(64)),
    sa.Column("amount", sa.String(64)),
    sa.Column("line", sa.Integer),
    sa.Column("reason", sa.Text),
    sa.Column("code", sa.String(255)),
    sa.Column("portal", sa.String(255)),
    # added by migration 0002: the guideline rule a reduction is attributed to
    sa.Column("rule", sa.String(255)),
    # JSON: a resubmission's changes, the payment terms recorded with a submission, the file's path
    sa.Column("details", sa.Text, nullable=False),
)
