"""Schema version 3: an invoice version names its billing law firm (an invoice number is the firm's, not another's)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("law_firm", sa.String(255)))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("law_firm")
