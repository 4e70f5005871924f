"""signature.mail_refused_at: a confirmation e-mail the server refused for good

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 14:10:00

"""
from alembic import op
import sqlalchemy as sa

import campaign_app.db


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('mail_refused_at', campaign_app.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_column('mail_refused_at')
