"""appeals and replies: appeal_target, appeal_template, appeal_sent, reply_report

Officials a campaign writes to, their letter templates per language, appeals reported sent,
and supporters' anonymous "I got a reply" reports (no content, no name).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 19:10:00

"""
from alembic import op
import sqlalchemy as sa

import campaign_app.db


revision = '0017'
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('appeal_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('office', sa.String(length=300), nullable=False),
    sa.Column('address_lines', sa.Text(), nullable=False),
    sa.Column('country_line', sa.String(length=80), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('language', sa.Enum('ru', 'be', 'en', 'fr', name='appeallanguage', native_enum=False, create_constraint=True, length=5), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', campaign_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', campaign_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('translations', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_appeal_target_campaign_id_campaign')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal_target')),
    sa.UniqueConstraint('slug', name=op.f('uq_appeal_target_slug'))
    )
    with op.batch_alter_table('appeal_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeal_target_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('appeal_sent',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('sent_by', sa.Enum('post', 'email', name='sentby', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('sender_country', sa.String(length=2), nullable=True),
    sa.Column('created_at', campaign_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('count BETWEEN 1 AND 1000', name=op.f('ck_appeal_sent_count_in_range')),
    sa.ForeignKeyConstraint(['target_id'], ['appeal_target.id'], name=op.f('fk_appeal_sent_target_id_appeal_target')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal_sent'))
    )
    with op.batch_alter_table('appeal_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeal_sent_target_id'), ['target_id'], unique=False)

    op.create_table('appeal_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.Enum('ru', 'be', 'en', 'fr', name='appeallanguage', native_enum=False, create_constraint=True, length=5), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', campaign_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', campaign_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['target_id'], ['appeal_target.id'], name=op.f('fk_appeal_template_target_id_appeal_target')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal_template')),
    sa.UniqueConstraint('target_id', 'language', name=op.f('uq_appeal_template_target_id_language'))
    )
    with op.batch_alter_table('appeal_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeal_template_target_id'), ['target_id'], unique=False)

    op.create_table('reply_report',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('prisoner_id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('sender_country', sa.String(length=2), nullable=True),
    sa.Column('created_at', campaign_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['prisoner_id'], ['prisoner.id'], name=op.f('fk_reply_report_prisoner_id_prisoner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_report'))
    )
    with op.batch_alter_table('reply_report', schema=None) as batch_op:
        batch_op.create_index('ix_reply_report_prisoner_received', ['prisoner_id', 'received_on'], unique=False)



def downgrade():
    with op.batch_alter_table('reply_report', schema=None) as batch_op:
        batch_op.drop_index('ix_reply_report_prisoner_received')

    op.drop_table('reply_report')
    with op.batch_alter_table('appeal_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeal_template_target_id'))

    op.drop_table('appeal_template')
    with op.batch_alter_table('appeal_sent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeal_sent_target_id'))

    op.drop_table('appeal_sent')
    with op.batch_alter_table('appeal_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeal_target_campaign_id'))

    op.drop_table('appeal_target')
