"""the registry's content version: an index on prisoner.updated_at

The public registry keeps its rendered pages under a content version read on every request;
its newest prisoner edit (max(updated_at)) was a scan of every prisoner row. With the index
it is one look at the index's end.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 22:30:00

"""

from alembic import op


revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_prisoner_updated_at", "prisoner", ["updated_at"], unique=False)


def downgrade():
    op.drop_index("ix_prisoner_updated_at", table_name="prisoner")
