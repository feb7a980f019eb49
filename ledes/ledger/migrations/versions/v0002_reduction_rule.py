"""Schema version 2: a reduction names the guideline rule it is attributed to (realization compares them)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("rule", sa.String(255)))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("rule")
