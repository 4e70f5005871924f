"""signature: names, e-mail and city encrypted at rest; blind indexes of the address and domain

Existing rows are encrypted in batches of 1,000 under the first key of
CAMPAIGN_SIGNER_DATA_KEYS, and their normalised addresses replaced by keyed hashes under
CAMPAIGN_SIGNER_INDEX_KEY (set both before upgrading). The plain columns are then dropped, and
the space they held is rewritten (SQLite: VACUUM; PostgreSQL: VACUUM FULL of the two tables),
so the database files keep no copy of them. Backups taken before the upgrade still hold them.

The downgrade decrypts into plain columns again (the normalised address is computed anew
from the address as typed); pending erasure requests are deleted, since a hash cannot be
turned back into an address (a signer asks again).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 10:00:00

"""
import logging

from alembic import op
import sqlalchemy as sa
from flask import current_app

from campaign_app.crypto import keyring


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

BATCH = 1_000
log = logging.getLogger('alembic.runtime.migration')

# The purposes the app uses (campaign_app.petitions.models and .blind_index): a value
# encrypted or hashed here must read back there.
ENCRYPTED = ('first_name', 'last_name', 'email', 'city')
EMAIL_INDEX = 'signature.email'
DOMAIN_INDEX = 'signature.email_domain'
ERASED = 'erased:'


def _signature_table(*extra):
    columns = [sa.column('id', sa.Integer)]
    columns += [sa.column(name, sa.String) for name in (*ENCRYPTED, 'email_normalized')]
    columns += [sa.column(f'{name}_sealed', sa.LargeBinary) for name in ENCRYPTED]
    columns += [sa.column('email_hash', sa.String), sa.column('email_domain_hash', sa.String)]
    return sa.table('signature', *columns, *extra)


def _batches(bind, table, columns):
    """The rows of ``table`` in id order, BATCH at a time (keyset: each batch one query)."""
    last = 0
    while True:
        rows = bind.execute(
            sa.select(table.c.id, *(table.c[name] for name in columns))
            .where(table.c.id > last)
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        yield rows
        last = rows[-1].id


def upgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        for name in ENCRYPTED:
            batch_op.add_column(sa.Column(f'{name}_sealed', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('email_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('email_domain_hash', sa.String(length=64), nullable=True))
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_hash', sa.String(length=64), nullable=True))

    _encrypt_signatures(op.get_bind())
    _hash_erasure_requests(op.get_bind())

    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_constraint('uq_signature_petition_email', type_='unique')
        for name in (*ENCRYPTED, 'email_normalized'):
            batch_op.drop_column(name)
        for name in ENCRYPTED:
            batch_op.alter_column(f'{name}_sealed', new_column_name=name)
        batch_op.alter_column('email_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(
            'uq_signature_petition_email', ['petition_id', 'email_hash']
        )
        batch_op.create_index(
            'ix_signature_petition_domain', ['petition_id', 'email_domain_hash'], unique=False
        )
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.drop_column('email_normalized')
        batch_op.alter_column('email_hash', existing_type=sa.String(length=64), nullable=False)

    _rewrite_free_space()


def _encrypt_signatures(bind):
    ring = keyring()
    table = _signature_table()
    update = table.update().where(table.c.id == sa.bindparam('row_id'))
    update = update.values(
        {f'{name}_sealed': sa.bindparam(f'new_{name}') for name in ENCRYPTED}
        | {
            'email_hash': sa.bindparam('new_email_hash'),
            'email_domain_hash': sa.bindparam('new_domain_hash'),
        }
    )
    done = 0
    for rows in _batches(bind, table, (*ENCRYPTED, 'email_normalized')):
        changes = []
        for row in rows:
            values = {'row_id': row.id}
            for name in ENCRYPTED:
                text = getattr(row, name)
                # "" is stored as NULL, as the model's EncryptedText type does.
                purpose = f'signature.{name}'.encode()
                values[f'new_{name}'] = ring.encrypt(text, purpose) if text else None
            normalized = row.email_normalized
            if normalized.startswith(ERASED):  # an erased row keeps its marker
                values['new_email_hash'] = normalized
                values['new_domain_hash'] = None
            else:
                values['new_email_hash'] = ring.blind_index(normalized, EMAIL_INDEX)
                domain = normalized.rpartition('@')[2]
                values['new_domain_hash'] = ring.blind_index(domain, DOMAIN_INDEX)
            changes.append(values)
        bind.execute(update, changes)
        done += len(rows)
        if done % 100_000 < BATCH:
            log.info('Encrypted %s signatures so far', done)
    log.info('Encrypted %s signatures', done)


def _hash_erasure_requests(bind):
    ring = keyring()
    table = sa.table(
        'erasure_request',
        sa.column('id', sa.Integer),
        sa.column('email_normalized', sa.String),
        sa.column('email_hash', sa.String),
    )
    update = table.update().where(table.c.id == sa.bindparam('row_id'))
    update = update.values(email_hash=sa.bindparam('new_hash'))
    for rows in _batches(bind, table, ('email_normalized',)):
        bind.execute(
            update,
            [
                {'row_id': row.id, 'new_hash': ring.blind_index(row.email_normalized, EMAIL_INDEX)}
                for row in rows
            ],
        )


def _rewrite_free_space():
    """Rewrite the tables so that no page of the database files keeps the plain values.

    Runs outside the migration's transaction (VACUUM cannot run inside one): the changes so
    far are committed first.
    """
    context = op.get_context()
    with context.autocommit_block():
        if context.dialect.name == 'sqlite':
            op.execute('VACUUM')
            op.execute('PRAGMA wal_checkpoint(TRUNCATE)')
        elif context.dialect.name == 'postgresql':
            op.execute('VACUUM FULL signature')
            op.execute('VACUUM FULL erasure_request')


def downgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_index('ix_signature_petition_domain')
        batch_op.drop_constraint('uq_signature_petition_email', type_='unique')
        for name in ENCRYPTED:
            batch_op.alter_column(name, new_column_name=f'{name}_sealed')
    with op.batch_alter_table('signature', schema=None) as batch_op:
        for name, length in (('first_name', 80), ('last_name', 80), ('email', 254),
                             ('city', 80), ('email_normalized', 254)):
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))

    _decrypt_signatures(op.get_bind())
    op.execute('DELETE FROM erasure_request')

    with op.batch_alter_table('signature', schema=None) as batch_op:
        for name in (*ENCRYPTED, 'email_normalized'):
            batch_op.alter_column(name, existing_type=sa.String(), nullable=False)
        for name in ENCRYPTED:
            batch_op.drop_column(f'{name}_sealed')
        batch_op.drop_column('email_hash')
        batch_op.drop_column('email_domain_hash')
        batch_op.create_unique_constraint(
            'uq_signature_petition_email', ['petition_id', 'email_normalized']
        )
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('email_normalized', sa.String(length=254), nullable=False, server_default='')
        )
        batch_op.drop_column('email_hash')
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.alter_column('email_normalized', existing_type=sa.String(length=254),
                              server_default=None)


def _decrypt_signatures(bind):
    from campaign_app.petitions.normalize import InvalidEmail, normalize_email

    ring = keyring()
    domains = str(current_app.config['DOT_INSENSITIVE_EMAIL_DOMAINS']).split(',')
    table = _signature_table()
    update = table.update().where(table.c.id == sa.bindparam('row_id'))
    update = update.values(
        {name: sa.bindparam(f'new_{name}') for name in ENCRYPTED}
        | {'email_normalized': sa.bindparam('new_normalized')}
    )
    sealed = [f'{name}_sealed' for name in ENCRYPTED] + ['email_hash']
    for rows in _batches(bind, table, sealed):
        changes = []
        for row in rows:
            values = {'row_id': row.id}
            for name in ENCRYPTED:
                stored = getattr(row, f'{name}_sealed')
                purpose = f'signature.{name}'.encode()
                values[f'new_{name}'] = ring.decrypt(bytes(stored), purpose) if stored else ''
            if row.email_hash.startswith(ERASED) or not values['new_email']:
                values['new_normalized'] = row.email_hash
            else:
                try:
                    values['new_normalized'] = normalize_email(values['new_email'], domains)[1]
                except InvalidEmail:
                    values['new_normalized'] = values['new_email'].lower()
            changes.append(values)
        bind.execute(update, changes)
