"""prisoner registry: spelling-blind search keys and the cards-sent tally on each prisoner

``search_key`` holds every name form folded by campaign_app.prisoners.search_keys,
``search_plain`` the same words as typed (lower case, no accents); ``cards_sent`` the sum of
the prisoner's "I sent it" reports (campaign_app.prisoners.tallies keeps it from now on).
Both are filled here for the prisoners already stored.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 19:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = "0015"
branch_labels = None
depends_on = None

NAME_COLUMNS = (
    'given_name_latin', 'surname_latin', 'given_name_ru', 'patronymic_ru', 'surname_ru',
    'given_name_be', 'patronymic_be', 'surname_be',
)


def upgrade():
    # The pure folding module: the keys must be what the app computes when a name is saved.
    from campaign_app.prisoners.search_keys import name_key, plain_key

    with op.batch_alter_table('prisoner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_key', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('search_plain', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('cards_sent', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index('ix_prisoner_cards_sent', ['cards_sent'], unique=False)

    prisoner = sa.table(
        'prisoner',
        sa.column('id', sa.Integer()),
        sa.column('search_key', sa.Text()),
        sa.column('search_plain', sa.Text()),
        *(sa.column(name, sa.String()) for name in NAME_COLUMNS),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(prisoner.c.id, *(prisoner.c[name] for name in NAME_COLUMNS))
    ).all()
    for row in rows:
        names = [value or '' for value in row[1:]]
        connection.execute(
            prisoner.update()
            .where(prisoner.c.id == row[0])
            .values(search_key=name_key(names), search_plain=plain_key(names))
        )
    op.execute(
        'UPDATE prisoner SET cards_sent = (SELECT COALESCE(SUM(card_sent.count), 0) '
        'FROM card_sent WHERE card_sent.prisoner_id = prisoner.id)'
    )


def downgrade():
    with op.batch_alter_table('prisoner', schema=None) as batch_op:
        batch_op.drop_index('ix_prisoner_cards_sent')
        batch_op.drop_column('cards_sent')
        batch_op.drop_column('search_plain')
        batch_op.drop_column('search_key')
