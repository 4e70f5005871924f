"""Migration 0015 on an installation with prisoners' hand-typed addresses: no address is lost
or changed, cards print the same; the downgrade keeps, as a hand-typed copy, the address of a
prisoner held in an institution. On SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade

from campaign_app.extensions import db
from campaign_app.institutions.inputs import InstitutionInput
from campaign_app.institutions.models import InstitutionKind, MailRule, Region
from campaign_app.institutions.service import apply_institution
from campaign_app.letters.service import current_address
from campaign_app.prisoners.models import AddressLanguage, Prisoner
from campaign_app.prisoners.organise.transfers import TransferInput, transfer_prisoner
from tests.support.scratch_database import KINDS, dispose, migrate, scratch_app, scratch_database

# Each test migrates and writes a database of its own, for real (commits).
pytestmark = pytest.mark.commits

AT = datetime(2012, 9, 25, 10, 0, tzinfo=UTC)
OLD = "ИК-2, отряд 14\nул. Сикорского, 1\n213807, г. Бобруйск\nМогилёвская обл."
NEWER = "ИК-2, отряд 9\nул. Сикорского, 1\n213807, г. Бобруйск\nМогилёвская обл."


def install_0011(app: Flask) -> None:
    """A database at revision 0011 with two prisoners and three hand-typed addresses."""
    migrate(app, "0011")
    with app.app_context():
        connection = db.session.connection()
        connection.execute(
            sa.text(
                "INSERT INTO campaign (id, slug, name, organisation, description, is_example,"
                " created_at, state) VALUES (1, 'old', 'Old campaign', '', '', false, :at, 'open')"
            ),
            {"at": AT},
        )
        for n in (1, 2):
            connection.execute(
                sa.text(
                    "INSERT INTO prisoner (id, campaign_id, slug, given_name_latin, surname_latin,"
                    " given_name_ru, patronymic_ru, surname_ru, full_name_dative_ru, given_name_be,"
                    " patronymic_be, surname_be, full_name_dative_be, status, address_language,"
                    " bio, interests, mail_note, created_at, updated_at) VALUES (:n, 1, :slug,"
                    " 'Ales', 'Old', 'Алесь', '', 'Старый', 'Старому Алесю', '', '', '', '',"
                    " 'imprisoned', 'ru', '', '', '', :at, :at)"
                ),
                {"n": n, "slug": f"old-{n}", "at": AT},
            )
        for prisoner_id, lines, as_of in (
            (1, OLD, date(2012, 9, 1)),
            (1, NEWER, date(2013, 1, 5)),
            (2, OLD, date(2012, 9, 1)),
        ):
            connection.execute(
                sa.text(
                    "INSERT INTO prisoner_address (prisoner_id, lines_ru, lines_be, lines_latin,"
                    " country_line, as_of, source, created_at) VALUES (:p, :lines, '', '',"
                    " 'REPUBLIC OF BELARUS', :as_of, 'Viasna', :at)"
                ),
                {"p": prisoner_id, "lines": lines, "as_of": as_of, "at": AT},
            )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def addresses(app: Flask) -> list[tuple[object, ...]]:
    with app.app_context():
        rows = db.session.execute(
            sa.text(
                "SELECT prisoner_id, lines_ru, as_of, source FROM prisoner_address"
                " ORDER BY prisoner_id, as_of"
            )
        ).all()
        db.session.remove()
        return [(r[0], r[1], str(r[2]), r[3]) for r in rows]


@pytest.mark.parametrize("kind", KINDS)
def test_no_address_is_lost_up_or_down(kind, tmp_path, monkeypatch):
    monkeypatch.setenv("CAMPAIGN_INSTANCE_PATH", str(tmp_path / "instance"))
    with scratch_database(kind, tmp_path) as url:
        app = scratch_app(url)
        install_0011(app)
        before = addresses(app)
        assert len(before) == 3

        migrate(app)

        assert addresses(app) == before
        with app.app_context():
            first = db.session.get(Prisoner, 1)
            printed = current_address(first)
            assert printed is not None
            assert printed.lines(AddressLanguage.RUSSIAN)[0] == "ИК-2, отряд 9"
            # The second prisoner moves into an institution from now on.
            institution, _changed = apply_institution(
                None,
                InstitutionInput(
                    code="ИК-15", kind=InstitutionKind.COLONY, name_ru="Колония № 15",
                    name_be="", name_latin="", region=Region.MINSK_REGION,
                    lines_ru="ИК-15\nул. Ленина, 2\n222160, г. Жодино\nМинская обл.",
                    lines_be="", lines_latin="", postcode="222160",
                    country_line="REPUBLIC OF BELARUS", address_as_of=date(2024, 5, 1),
                    address_source="Viasna", mail_rule=MailRule.UNKNOWN, is_ru_be_only=True,
                    mail_notes="", rules_as_of=None, rules_source="", notes="",
                ),
            )  # fmt: skip
            db.session.commit()
            transfer_prisoner(
                db.session.get(Prisoner, 2),
                TransferInput(institution.id, date(2024, 6, 1), "отряд 3", "", "", "Viasna"),
            )
            db.session.remove()
            db.engine.dispose()

        with app.app_context():
            downgrade(revision="0011")
            db.engine.dispose()

        after = addresses(app)
        assert set(before) <= set(after)
        copy = [row for row in after if row not in before]
        assert copy == [
            (
                2,
                "ИК-15, отряд 3\nул. Ленина, 2\n222160, г. Жодино\nМинская обл.",
                "2024-06-01",
                "Viasna",
            )
        ]
        dispose(app)
