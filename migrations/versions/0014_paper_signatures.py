"""paper signatures: signature.source and paper_batch_id, paper_batch, paper_import, and the
source in signature_count's key

Every existing signature and counter row is online (the server default).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 19:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = "0013"
branch_labels = None
depends_on = None

SOURCE = sa.Enum('online', 'paper', 'import', name='signaturesource', native_enum=False,
                 create_constraint=True, length=10)


def upgrade():
    op.create_table('paper_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('counts', 'rows', 'import', name='batchkind', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('event', sa.String(length=200), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('sheet_serials', sa.Text(), nullable=False),
    sa.Column('signatures', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('active', 'invalidated', name='paperbatchstate', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('invalidated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('invalidated_by_id', sa.Integer(), nullable=True),
    sa.Column('invalidation_reason', sa.String(length=300), nullable=False),
    sa.Column('restored_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('restored_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('signatures >= 0', name=op.f('ck_paper_batch_signatures_not_negative')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'], name=op.f('fk_paper_batch_entered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invalidated_by_id'], ['user_account.id'], name=op.f('fk_paper_batch_invalidated_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], name=op.f('fk_paper_batch_petition_id_petition')),
    sa.ForeignKeyConstraint(['restored_by_id'], ['user_account.id'], name=op.f('fk_paper_batch_restored_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_batch'))
    )
    with op.batch_alter_table('paper_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_batch_petition_id'), ['petition_id'], unique=False)

    op.create_table('paper_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('encoding', sa.String(length=20), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('event', sa.String(length=200), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('sheet_serials', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_paper_import_created_by_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], name=op.f('fk_paper_import_petition_id_petition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_import'))
    )
    with op.batch_alter_table('paper_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_import_created_by_id'), ['created_by_id'], unique=False)

    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', SOURCE, server_default='online', nullable=False))
        batch_op.add_column(sa.Column('paper_batch_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_signature_paper_batch_id'), ['paper_batch_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_signature_paper_batch_id_paper_batch'), 'paper_batch', ['paper_batch_id'], ['id'])

    with op.batch_alter_table('signature_count', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', SOURCE, server_default='online', nullable=False))
        batch_op.drop_constraint('pk_signature_count', type_='primary')
        batch_op.create_primary_key('pk_signature_count', ['petition_id', 'source', 'country', 'shard'])


def downgrade():
    # Paper and imported signatures have no place in the older schema: they go, with their
    # counters (the totals then count online signatures only).
    op.execute("DELETE FROM signature_count WHERE source <> 'online'")
    op.execute("DELETE FROM signature WHERE source <> 'online'")
    with op.batch_alter_table('signature_count', schema=None) as batch_op:
        batch_op.drop_constraint('pk_signature_count', type_='primary')
        batch_op.create_primary_key('pk_signature_count', ['petition_id', 'country', 'shard'])
        # The enum's CHECK first: SQLite's rebuilt table would keep it and miss the column.
        batch_op.drop_constraint(batch_op.f('ck_signature_count_signaturesource'), type_='check')
        batch_op.drop_column('source')
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_signature_paper_batch_id_paper_batch'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_signature_paper_batch_id'))
        batch_op.drop_column('paper_batch_id')
        batch_op.drop_constraint(batch_op.f('ck_signature_signaturesource'), type_='check')
        batch_op.drop_column('source')
    with op.batch_alter_table('paper_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_import_created_by_id'))
    op.drop_table('paper_import')
    with op.batch_alter_table('paper_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_batch_petition_id'))
    op.drop_table('paper_batch')
