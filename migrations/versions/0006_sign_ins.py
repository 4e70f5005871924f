"""sign_in: organiser sign-ins kept server-side (sign-out revokes; pending TOTP secret)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 14:30:00

"""
from alembic import op
import sqlalchemy as sa

import campaign_app.db


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', campaign_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', campaign_app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('pending_totp_secret', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_sign_in_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_sign_in_token_hash'))
    )
    with op.batch_alter_table('sign_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sign_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_user_id'))
    op.drop_table('sign_in')
