"""export files in the database: export_file_chunk, and the store each job's file went to

Files of exports built in the browser can be kept as rows of 1 MiB (campaign_app.exports.storage),
so that every node downloads what any node's worker built. Existing jobs keep their files in
the folder (stored_in = 'folder').

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 17:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('stored_in', sa.String(length=10), server_default='folder', nullable=False)
        )
    op.create_table('export_file_chunk',
    sa.Column('export_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['export_id'], ['export_job.id'], name=op.f('fk_export_file_chunk_export_id_export_job'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('export_id', 'seq', name=op.f('pk_export_file_chunk'))
    )


def downgrade():
    # Files kept in the database cannot be downloaded any more: their jobs count as expired.
    op.execute(
        "UPDATE export_job SET state = 'expired', file_name = '' "
        "WHERE stored_in = 'database' AND state = 'done'"
    )
    op.drop_table('export_file_chunk')
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.drop_column('stored_in')
