"""hand-ins in every language: translations of a hand-in's place, recipient and note, and of
its photos' alt texts and captions

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 23:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

TRANSLATED_TABLES = ("delivery", "delivery_photo")


def upgrade():
    for table in TRANSLATED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("translations", sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
            )


def downgrade():
    for table in reversed(TRANSLATED_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("translations")
