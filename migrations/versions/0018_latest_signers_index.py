"""the petition page's latest signers: a partial index of the rows it may list

The page lists the newest confirmed signers who chose to be shown. Through
ix_signature_petition_state_confirmed it walked past every anonymous row on the way (a paper
import of 20,000 rows meant 20,000 rows read per page view); this index holds only the rows
the page may show, newest last.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 20:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = "0017"
branch_labels = None
depends_on = None

_SHOWN = "state = 'confirmed' AND display = 'first_name_country' AND erased_at IS NULL"


def upgrade():
    op.create_index(
        'ix_signature_public_latest',
        'signature',
        ['petition_id', 'confirmed_at'],
        unique=False,
        sqlite_where=sa.text(_SHOWN),
        postgresql_where=sa.text(_SHOWN),
    )


def downgrade():
    op.drop_index('ix_signature_public_latest', table_name='signature')
