"""The demo's invented history: a few thousand signatures of 2011-2013 and some hundreds of
cards, made through the models and counters, the same on every installation, marked as
example data, and loaded once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import func, select

from campaign_app.accounts.models import Role
from campaign_app.db import as_utc
from campaign_app.demo import history
from campaign_app.demo.data import PETITION_SLUG, PRISONER_SLUG, load_demo
from campaign_app.extensions import db
from campaign_app.letters.models import CardSent
from campaign_app.petitions import counting
from campaign_app.petitions.models import Petition, Signature, SignatureState
from campaign_app.prisoners.models import Prisoner
from tests.factories import make_petition, make_prisoner, make_signature, make_user
from tests.support.web import log_in, text_of

EXAMPLE_NOTE = "Example data. This page shows the campaign as it was in 2011-2013"


def demo_rows() -> tuple[Petition, Prisoner]:
    load_demo()
    petition = db.session.scalar(select(Petition).where(Petition.slug == PETITION_SLUG))
    prisoner = db.session.scalar(select(Prisoner).where(Prisoner.slug == PRISONER_SLUG))
    assert petition is not None and prisoner is not None
    return petition, prisoner


def signature_rows(petition_id: int) -> list[Signature]:
    return list(
        db.session.scalars(
            select(Signature).where(Signature.petition_id == petition_id).order_by(Signature.id)
        )
    )


def test_the_command_loads_the_history_once(app, runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "Example history added: 3,412 confirmed signatures (2011-2013)" in first.output
    db.session.remove()
    counted = db.session.scalar(select(func.count()).select_from(Signature))
    cards = db.session.scalar(select(func.sum(CardSent.count)))

    second = runner.invoke(args=["demo", "load"])

    assert second.exit_code == 0, second.output
    assert "nothing changed" in second.output and "history" not in second.output
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Signature)) == counted == 3_412
    assert db.session.scalar(select(func.sum(CardSent.count))) == cards


def test_without_history_the_demo_has_no_signatures(app, runner):
    result = runner.invoke(args=["demo", "load", "--no-history"])
    assert result.exit_code == 0, result.output
    assert "history" not in result.output
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0
    assert db.session.scalar(select(func.count()).select_from(CardSent)) == 0


def test_counts_equal_the_rows_by_country_and_by_hour(app):
    petition, prisoner = demo_rows()

    added = history.load_history(petition, prisoner)

    assert added.signatures == history.SIGNATURES
    counted = counting.read_counts(db.session, petition.id)
    assert counted == counting.count_rows(db.session, petition.id)
    assert counted.total == history.SIGNATURES
    assert len(counted.by_country) >= 20  # from many countries, Belarus first
    assert max(counted.by_country, key=counted.by_country.__getitem__) == "BY"
    assert counting.read_hourly(db.session, petition.id) == counting.hourly_from_rows(
        db.session, petition.id
    )


def test_signatures_are_confirmed_invented_and_within_2011_to_2013(app):
    petition, prisoner = demo_rows()
    history.load_history(petition, prisoner)

    rows = signature_rows(petition.id)

    assert {row.state for row in rows} == {SignatureState.CONFIRMED}
    assert all(row.email.endswith("@example.org") for row in rows)
    assert len({row.email_hash for row in rows}) == len(rows)
    opened = as_utc(petition.opens_at)
    moments = [as_utc(row.confirmed_at) for row in rows if row.confirmed_at]
    assert len(moments) == len(rows)
    assert min(moments) >= opened
    assert max(moments) <= datetime(2013, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert all(as_utc(row.created_at) <= as_utc(row.confirmed_at) for row in rows)
    # Surges where the campaign had them: the sentence, 4 August and the birthday week.
    per_month = Counter(moment.strftime("%Y-%m") for moment in moments)
    quiet = per_month["2012-04"]
    assert per_month["2011-11"] > 5 * quiet
    assert per_month["2012-08"] > 5 * quiet
    assert per_month["2012-09"] > 5 * quiet


def test_the_history_is_the_same_on_every_installation(app):
    petition, prisoner = demo_rows()
    twin = make_petition(opens_at=petition.opens_at, campaign=petition.campaign)
    twin_prisoner = make_prisoner(campaign=prisoner.campaign)

    history.load_history(petition, prisoner)
    history.load_history(twin, twin_prisoner)

    def shape(rows: list[Signature]) -> list[tuple[object, ...]]:
        return [(r.first_name, r.country, as_utc(r.confirmed_at)) for r in rows]

    assert shape(signature_rows(petition.id)) == shape(signature_rows(twin.id))

    def cards(prisoner_id: int) -> list[tuple[int, str | None, datetime]]:
        reports = db.session.scalars(
            select(CardSent).where(CardSent.prisoner_id == prisoner_id).order_by(CardSent.id)
        )
        return [(r.count, r.sender_country, as_utc(r.created_at)) for r in reports]

    assert cards(prisoner.id) == cards(twin_prisoner.id)


def test_cards_are_hundreds_from_2011_to_2013_with_occasions(app):
    petition, prisoner = demo_rows()

    added = history.load_history(petition, prisoner)

    reports = list(db.session.scalars(select(CardSent).where(CardSent.prisoner_id == prisoner.id)))
    assert 300 <= added.cards == sum(r.count for r in reports) <= 1_000
    assert all(2011 <= as_utc(r.created_at).year <= 2013 for r in reports)
    assert all(r.occasion_id is not None for r in reports)  # the demo's occasions exist
    assert max(r.count for r in reports) == 43  # the children's painted postcards


def test_real_rows_are_never_mixed_with_invented_ones(app):
    petition, prisoner = demo_rows()
    make_signature(petition, country="LT")

    added = history.load_history(petition, prisoner)

    assert added.signatures == 0
    assert counting.read_counts(db.session, petition.id).total == 1


def test_pages_show_the_history_as_example_data(app, client):
    petition, prisoner = demo_rows()
    history.load_history(petition, prisoner)

    petition_page = text_of(client.get(f"/petitions/{PETITION_SLUG}"))
    prisoner_page = text_of(client.get(f"/prisoners/{PRISONER_SLUG}"))
    home = text_of(client.get("/"))

    assert EXAMPLE_NOTE in petition_page and "3,412 confirmed signatures" in petition_page
    assert "3,412 of 10,000" in petition_page
    assert EXAMPLE_NOTE in prisoner_page
    cards = db.session.scalar(select(func.sum(CardSent.count)))
    assert f"{cards} cards and letters reported sent" in prisoner_page
    assert "Example data" in home and "3,412 confirmed signatures" in home


def test_organiser_pages_mark_the_demo_as_example_data(app, client):
    petition, prisoner = demo_rows()
    history.load_history(petition, prisoner)
    log_in(client, make_user(Role.ADMIN))

    for path in (
        f"/organise/petitions/{petition.id}",
        f"/organise/petitions/{petition.id}/statistics",
        f"/organise/campaigns/{petition.campaign_id}/statistics",
    ):
        assert EXAMPLE_NOTE in text_of(client.get(path)), path
    assert "Example data" in text_of(client.get("/organise/"))
