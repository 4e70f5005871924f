"""hand-ins: delivery (a petition's signatures handed in) and delivery_photo (its photos)

The photos are kept re-encoded in the database (no metadata), so that every node serves them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 19:30:00

"""
from alembic import op
import sqlalchemy as sa

import campaign_app.db


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('recipient', sa.String(length=300), nullable=False),
    sa.Column('outcome', sa.Enum('received', 'refused', 'left_in_mailbox', 'sent_by_post', name='deliveryoutcome', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('signatures_online', sa.Integer(), nullable=False),
    sa.Column('signatures_on_paper', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('published_at', campaign_app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', campaign_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', campaign_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('signatures_online >= 0', name=op.f('ck_delivery_online_not_negative')),
    sa.CheckConstraint('signatures_on_paper >= 0', name=op.f('ck_delivery_paper_not_negative')),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], name=op.f('fk_delivery_petition_id_petition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery'))
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_petition_id'), ['petition_id'], unique=False)

    op.create_table('delivery_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('alt_text', sa.String(length=300), nullable=False),
    sa.Column('caption', sa.String(length=500), nullable=False),
    sa.Column('created_at', campaign_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], name=op.f('fk_delivery_photo_delivery_id_delivery'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_photo')),
    sa.UniqueConstraint('delivery_id', 'slot', name=op.f('uq_delivery_photo_delivery_id_slot'))
    )
    with op.batch_alter_table('delivery_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_photo_delivery_id'), ['delivery_id'], unique=False)


def downgrade():
    with op.batch_alter_table('delivery_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_photo_delivery_id'))
    op.drop_table('delivery_photo')
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_petition_id'))
    op.drop_table('delivery')
