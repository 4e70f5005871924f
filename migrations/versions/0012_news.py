"""news to signers who asked for it: consent columns on signature, news_update,
news_update_text and news_delivery (the mail outbox's rows of updates)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 19:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.add_column(sa.Column('news_consent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('news_consent_version', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('news_withdrawn_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('news_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'sending', 'sent', name='updatestate', native_enum=False, length=20, create_constraint=True), nullable=False),
    sa.Column('is_subject_neutral', sa.Boolean(), nullable=False),
    sa.Column('written_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('test_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user_account.id'], name=op.f('fk_news_update_approved_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], name=op.f('fk_news_update_petition_id_petition')),
    sa.ForeignKeyConstraint(['written_by_id'], ['user_account.id'], name=op.f('fk_news_update_written_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news_update'))
    )
    with op.batch_alter_table('news_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_news_update_petition_id'), ['petition_id'], unique=False)

    op.create_table('news_update_text',
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('subject', sa.String(length=150), nullable=False),
    sa.Column('neutral_subject', sa.String(length=150), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['update_id'], ['news_update.id'], name=op.f('fk_news_update_text_update_id_news_update'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('update_id', 'locale', name=op.f('pk_news_update_text'))
    )
    op.create_table('news_delivery',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('signature_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refused_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['signature_id'], ['signature.id'], name=op.f('fk_news_delivery_signature_id_signature'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['update_id'], ['news_update.id'], name=op.f('fk_news_delivery_update_id_news_update'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news_delivery')),
    sa.UniqueConstraint('update_id', 'signature_id', name='uq_news_delivery_update_signature')
    )
    with op.batch_alter_table('news_delivery', schema=None) as batch_op:
        batch_op.create_index('ix_news_delivery_due', ['due_at'], unique=False, postgresql_where=sa.text('due_at IS NOT NULL'), sqlite_where=sa.text('due_at IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_news_delivery_signature_id'), ['signature_id'], unique=False)
        batch_op.create_index('ix_news_delivery_update_due', ['update_id', 'due_at'], unique=False)
        batch_op.create_index('ix_news_delivery_sent', ['sent_at'], unique=False)


def downgrade():
    op.drop_table('news_delivery')
    op.drop_table('news_update_text')
    op.drop_table('news_update')
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_column('news_withdrawn_at')
        batch_op.drop_column('news_consent_version')
        batch_op.drop_column('news_consent_at')
