"""cards: prisoner.card_languages, phrase.season, three more front designs

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 10:00:00

- prisoner.card_languages: "ru", "be" or "both" (then the sender chooses). Existing prisoners
  keep what they had: cards in the language their address is printed in.
- phrase.season: "any" or a season; seasonal phrases only go on cards for any time.
- occasion.artwork may also be "cake", "fir" or "ornament" (the enum's CHECK constraint).
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

OLD_ARTWORKS = ('balloons', 'snowflake', 'candle', 'flowers', 'blank')
NEW_ARTWORKS = ('balloons', 'cake', 'snowflake', 'fir', 'candle', 'flowers', 'ornament', 'blank')
SEASONS = ('any', 'spring', 'summer', 'autumn', 'winter')


def _artwork(values):
    return sa.Enum(
        *values, name='artwork', native_enum=False, create_constraint=True, length=20
    )


def upgrade():
    with op.batch_alter_table('prisoner', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'card_languages',
                sa.Enum('ru', 'be', 'both', name='cardlanguages', native_enum=False, create_constraint=True, length=5),
                nullable=False,
                server_default='both',
            )
        )
    op.execute("UPDATE prisoner SET card_languages = address_language")

    with op.batch_alter_table('phrase', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'season',
                sa.Enum(*SEASONS, name='season', native_enum=False, create_constraint=True, length=20),
                nullable=False,
                server_default='any',
            )
        )

    with op.batch_alter_table('occasion', schema=None) as batch_op:
        batch_op.alter_column(
            'artwork',
            existing_type=_artwork(OLD_ARTWORKS),
            type_=_artwork(NEW_ARTWORKS),
            existing_nullable=False,
        )


def downgrade():
    op.execute(
        "UPDATE occasion SET artwork = 'flowers' WHERE artwork IN ('cake', 'fir', 'ornament')"
    )
    with op.batch_alter_table('occasion', schema=None) as batch_op:
        batch_op.alter_column(
            'artwork',
            existing_type=_artwork(NEW_ARTWORKS),
            type_=_artwork(OLD_ARTWORKS),
            existing_nullable=False,
        )
    with op.batch_alter_table('phrase', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_phrase_season'), type_='check')
        batch_op.drop_column('season')
    with op.batch_alter_table('prisoner', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_prisoner_cardlanguages'), type_='check')
        batch_op.drop_column('card_languages')
