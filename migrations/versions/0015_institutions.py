"""institutions: institution, institution_address, prisoner_transfer, prisoner_import; a
prisoner's current institution, unit and release date

Existing hand-typed prisoner addresses are left as they are (no row is changed or removed):
prisoners without an institution keep printing their newest hand-typed address.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 19:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = "0014"
branch_labels = None
depends_on = None

KINDS = ('colony', 'remand', 'prison', 'other')
REGIONS = ('brest', 'vitebsk', 'gomel', 'grodno', 'minsk-region', 'mogilev', 'minsk-city')
RULES = ('accepts', 'listed-senders', 'none', 'unknown')


def upgrade():
    op.create_table('institution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.Enum(*KINDS, name='institutionkind', native_enum=False, length=20, create_constraint=True), nullable=False),
    sa.Column('name_ru', sa.String(length=200), nullable=False),
    sa.Column('name_be', sa.String(length=200), nullable=False),
    sa.Column('name_latin', sa.String(length=200), nullable=False),
    sa.Column('region', sa.Enum(*REGIONS, name='region', native_enum=False, length=20, create_constraint=True), nullable=False),
    sa.Column('lines_ru', sa.Text(), nullable=False),
    sa.Column('lines_be', sa.Text(), nullable=False),
    sa.Column('lines_latin', sa.Text(), nullable=False),
    sa.Column('postcode', sa.String(length=6), nullable=False),
    sa.Column('country_line', sa.String(length=80), nullable=False),
    sa.Column('address_as_of', sa.Date(), nullable=False),
    sa.Column('address_source', sa.Text(), nullable=False),
    sa.Column('mail_rule', sa.Enum(*RULES, name='mailrule', native_enum=False, length=20, create_constraint=True), nullable=False),
    sa.Column('is_ru_be_only', sa.Boolean(), nullable=False),
    sa.Column('mail_notes', sa.Text(), nullable=False),
    sa.Column('rules_as_of', sa.Date(), nullable=True),
    sa.Column('rules_source', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution')),
    sa.UniqueConstraint('code', name=op.f('uq_institution_code'))
    )
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_region'), ['region'], unique=False)

    op.create_table('institution_address',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('lines_ru', sa.Text(), nullable=False),
    sa.Column('lines_be', sa.Text(), nullable=False),
    sa.Column('lines_latin', sa.Text(), nullable=False),
    sa.Column('postcode', sa.String(length=6), nullable=False),
    sa.Column('country_line', sa.String(length=80), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_institution_address_institution_id_institution'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution_address'))
    )
    with op.batch_alter_table('institution_address', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_address_institution_id'), ['institution_id'], unique=False)

    with op.batch_alter_table('prisoner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('released_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('institution_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('unit_ru', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('unit_be', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('unit_latin', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('placed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('placement_source', sa.Text(), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_prisoner_institution_id'), ['institution_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_prisoner_institution_id_institution'), 'institution', ['institution_id'], ['id'])

    op.create_table('prisoner_transfer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prisoner_id', sa.Integer(), nullable=False),
    sa.Column('transferred_on', sa.Date(), nullable=False),
    sa.Column('from_institution_id', sa.Integer(), nullable=True),
    sa.Column('to_institution_id', sa.Integer(), nullable=False),
    sa.Column('unit_ru', sa.String(length=80), nullable=False),
    sa.Column('unit_be', sa.String(length=80), nullable=False),
    sa.Column('unit_latin', sa.String(length=80), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['from_institution_id'], ['institution.id'], name=op.f('fk_prisoner_transfer_from_institution_id_institution')),
    sa.ForeignKeyConstraint(['prisoner_id'], ['prisoner.id'], name=op.f('fk_prisoner_transfer_prisoner_id_prisoner'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_institution_id'], ['institution.id'], name=op.f('fk_prisoner_transfer_to_institution_id_institution')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prisoner_transfer'))
    )
    with op.batch_alter_table('prisoner_transfer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prisoner_transfer_prisoner_id'), ['prisoner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prisoner_transfer_to_institution_id'), ['to_institution_id'], unique=False)

    op.create_table('prisoner_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('committed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_prisoner_import_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_prisoner_import_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prisoner_import'))
    )
    with op.batch_alter_table('prisoner_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prisoner_import_campaign_id'), ['campaign_id'], unique=False)


def downgrade():
    # Prisoners held in an institution keep a hand-typed copy of the address they print now,
    # so that nobody loses an address by going back.
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT p.id, i.lines_ru, i.lines_be, i.lines_latin, i.country_line, p.unit_ru,"
        " p.unit_be, p.unit_latin, p.placed_on, i.address_as_of, p.placement_source,"
        " i.address_source FROM prisoner p JOIN institution i ON i.id = p.institution_id"
    )).fetchall()
    address = sa.table(
        'prisoner_address',
        sa.column('prisoner_id', sa.Integer()), sa.column('lines_ru', sa.Text()),
        sa.column('lines_be', sa.Text()), sa.column('lines_latin', sa.Text()),
        sa.column('country_line', sa.String()), sa.column('as_of', sa.Date()),
        sa.column('source', sa.Text()), sa.column('translations', sa.JSON()),
        sa.column('created_at', sa.DateTime(timezone=True)),
    )

    def joined(lines, unit):
        parts = [line.strip() for line in (lines or '').splitlines() if line.strip()]
        if parts and unit:
            parts[0] = f'{parts[0]}, {unit}'
        return '\n'.join(parts)

    import datetime

    now = datetime.datetime.now(datetime.timezone.utc)
    copies = []
    def day(value):
        # SQLite hands dates of a plain SELECT back as text.
        return datetime.date.fromisoformat(value) if isinstance(value, str) else value

    for row in rows:
        as_of = max(day(d) for d in (row.placed_on, row.address_as_of) if d is not None)
        copies.append({
            'prisoner_id': row.id,
            'lines_ru': joined(row.lines_ru, row.unit_ru),
            'lines_be': joined(row.lines_be, row.unit_be),
            'lines_latin': joined(row.lines_latin, row.unit_latin),
            'country_line': row.country_line,
            'as_of': as_of,
            'source': row.placement_source or row.address_source,
            'translations': {},
            'created_at': now,
        })
    if copies:
        op.bulk_insert(address, copies)

    op.drop_table('prisoner_import')
    op.drop_table('prisoner_transfer')
    with op.batch_alter_table('prisoner', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_prisoner_institution_id_institution'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_prisoner_institution_id'))
        batch_op.drop_column('placement_source')
        batch_op.drop_column('placed_on')
        batch_op.drop_column('unit_latin')
        batch_op.drop_column('unit_be')
        batch_op.drop_column('unit_ru')
        batch_op.drop_column('institution_id')
        batch_op.drop_column('released_on')
    op.drop_table('institution_address')
    op.drop_table('institution')
