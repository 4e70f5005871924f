"""content in every language: translations of campaigns, prisoners, addresses, occasions and
postal routes; the target of a petition's translation; the language of an erasure request

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

TRANSLATED_TABLES = ('campaign', 'prisoner', 'prisoner_address', 'occasion', 'postal_route')


def upgrade():
    for table in TRANSLATED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('translations', sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
            )
    with op.batch_alter_table('petition_translation', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('target', sa.String(length=200), server_default='', nullable=False)
        )
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('locale', sa.String(length=10), server_default='en', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.drop_column('locale')
    with op.batch_alter_table('petition_translation', schema=None) as batch_op:
        batch_op.drop_column('target')
    for table in reversed(TRANSLATED_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('translations')
