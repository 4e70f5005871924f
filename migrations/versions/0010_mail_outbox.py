"""signature mail outbox: mail_due_at, mail_lease_until, mail_attempts, mail_sent_at

The confirmation e-mail is now recorded as due in the signing transaction itself and sent
by the mail dispatcher (campaign_app.outbox), which claims rows with a lease. Pending
signatures whose e-mail had not been sent (the old sweep's rows) become due at once.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 16:50:00

"""
from alembic import op
import sqlalchemy as sa

import campaign_app.db


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('mail_due_at', campaign_app.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column('mail_lease_until', campaign_app.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column('mail_attempts', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.add_column(
            sa.Column('mail_sent_at', campaign_app.db.UTCDateTime(timezone=True), nullable=True)
        )
    # Only the rows with mail to send are in the index: it stays small at a million rows.
    op.create_index(
        'ix_signature_mail_due',
        'signature',
        ['mail_due_at'],
        unique=False,
        sqlite_where=sa.text('mail_due_at IS NOT NULL'),
        postgresql_where=sa.text('mail_due_at IS NOT NULL'),
    )
    op.create_index('ix_signature_mail_sent', 'signature', ['mail_sent_at'], unique=False)
    # The old sweep's work: pending signatures whose e-mail never reached the queue.
    op.execute(
        "UPDATE signature SET mail_due_at = created_at "
        "WHERE state = 'pending' AND confirmation_sent_at IS NULL "
        "AND mail_refused_at IS NULL AND erased_at IS NULL"
    )


def downgrade():
    op.drop_index('ix_signature_mail_sent', table_name='signature')
    op.drop_index('ix_signature_mail_due', table_name='signature')
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_column('mail_sent_at')
        batch_op.drop_column('mail_attempts')
        batch_op.drop_column('mail_lease_until')
        batch_op.drop_column('mail_due_at')
