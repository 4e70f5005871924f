"""The registry's pages and API answers are kept per registry version: every edit an organiser
can make, and every card report, shows on the next request (the micro-cache is off in the
tests), and a page asked for again costs one query."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event

from campaign_app.campaigns.models import CampaignState
from campaign_app.campaigns.service import change_campaign_state
from campaign_app.extensions import db
from campaign_app.institutions.inputs import InstitutionInput
from campaign_app.institutions.models import Institution, InstitutionKind, MailRule, Region
from campaign_app.institutions.service import create_institution, update_institution
from campaign_app.prisoners.imports.service import commit_import
from campaign_app.prisoners.models import Prisoner, PrisonerStatus
from campaign_app.prisoners.organise.inputs import AddressInput, PrisonerInput
from campaign_app.prisoners.organise.service import add_address, update_prisoner
from campaign_app.prisoners.organise.transfers import TransferInput, transfer_prisoner
from campaign_app.prisoners.tallies import recount_cards_sent
from tests.factories import make_campaign, make_card_sent, make_prisoner
from tests.support.prisoner_lists import institutions, prisoners, write_csv
from tests.support.web import text_of


def _page(client: Any, **query: str) -> str:
    response = client.get("/prisoners/", query_string=query)
    assert response.status_code == 200
    return text_of(response)


def _api(client: Any, **query: str) -> dict[str, Any]:
    response = client.get("/api/v1/prisoners", query_string=query)
    assert response.status_code == 200
    return response.json


def _edited(prisoner: Prisoner, **changes: Any) -> None:
    """Save a prisoner's form with ``changes``, as the organiser's edit page does."""
    values = {
        item.name: getattr(prisoner, item.name)
        for item in fields(PrisonerInput)
        if item.name != "translations"
    }
    assert update_prisoner(prisoner, PrisonerInput(**(values | changes), translations={}))


def _institution(code: str = "ИК-5", **overrides: Any) -> InstitutionInput:
    values: dict[str, Any] = {
        "code": code,
        "kind": InstitutionKind.COLONY,
        "name_ru": "Исправительная колония № 5",
        "name_be": "Папраўчая калонія № 5",
        "name_latin": "Penal colony No. 5",
        "region": Region.MOGILEV,
        "lines_ru": "ИК-5\nул. Сикорского, 1\n213807, г. Бобруйск",
        "lines_be": "",
        "lines_latin": "",
        "postcode": "213807",
        "country_line": "REPUBLIC OF BELARUS",
        "address_as_of": date(2025, 1, 10),
        "address_source": "Viasna",
        "mail_rule": MailRule.UNKNOWN,
        "is_ru_be_only": True,
        "mail_notes": "",
        "rules_as_of": None,
        "rules_source": "",
        "notes": "",
    }
    return InstitutionInput(**(values | overrides))


def _institution_edited(institution: Institution, **changes: Any) -> None:
    values = {item.name: getattr(institution, item.name) for item in fields(InstitutionInput)}
    assert update_institution(institution, InstitutionInput(**(values | changes)))


@pytest.fixture
def ales(app: Any) -> Prisoner:
    return make_prisoner(
        slug="ales-example",
        given_name_latin="Ales",
        surname_latin="Example",
        campaign=make_campaign(state=CampaignState.OPEN),
    )


def test_a_prisoners_edits_and_release_show_at_once(client, ales):
    assert "Ales Example" in _page(client)
    _edited(ales, given_name_latin="Alesia")
    page = _page(client)
    assert "Alesia Example" in page and "Ales Example" not in page
    assert "Alesia" in _page(client, q="Alesia")
    assert _api(client, q="Alesia")["prisoners"][0]["name"] == "Alesia Example"
    _edited(ales, is_mail_getting_through=False, mail_note_as_of=date(2025, 5, 1))
    assert "Mail is not getting through" in _page(client)
    assert "Alesia Example" not in _page(client, mail="yes")
    _edited(ales, status=PrisonerStatus.RELEASED)
    page = _page(client)
    assert "Released" in page and "Write a card" not in page
    assert _api(client)["prisoners"][0]["status"] == "released"


def test_a_new_address_shows_at_once(client, ales):
    ales.addresses[0].lines_ru = ""  # an address without lines: no card can be posted
    db.session.flush()
    db.session.expire(ales, ["addresses"])
    assert "Write a card" not in _page(client)
    add_address(
        ales,
        AddressInput(
            lines_ru="ИК-4\n246035, г. Гомель",
            lines_be="",
            lines_latin="",
            country_line="REPUBLIC OF BELARUS",
            as_of=date(2024, 1, 1),
            source="Letter from the family",
        ),
    )
    assert "Write a card" in _page(client)


def test_transfers_and_institution_edits_show_at_once(client, ales):
    institution = create_institution(_institution())
    assert "Held in" not in _page(client)
    assert "ИК-5" not in _page(client)  # the filter offers only institutions holding someone
    transfer_prisoner(
        ales,
        TransferInput(
            institution_id=institution.id,
            transferred_on=date(2025, 2, 1),
            unit_ru="отряд 3",
            unit_be="",
            unit_latin="",
            source="Viasna",
        ),
    )
    assert "Held in: ИК-5 · Penal colony No. 5" in _page(client)
    assert "Ales Example" in _page(client, institution="ИК-5")
    assert _api(client)["prisoners"][0]["institution"]["code"] == "ИК-5"
    _institution_edited(institution, name_latin="Penal colony No. 5 in Babruisk")
    assert "Held in: ИК-5 · Penal colony No. 5 in Babruisk" in _page(client)
    _institution_edited(institution, region=Region.GRODNO)
    assert "Ales Example" in _page(client, region="grodno")
    assert "Ales Example" not in _page(client, region="mogilev")
    assert _api(client)["prisoners"][0]["institution"]["region"] == "grodno"
    assert "Write a card" in _page(client)
    _institution_edited(institution, lines_ru="")  # no address to print any more
    assert "Write a card" not in _page(client)


def test_card_reports_and_recounts_show_at_once(client, ales):
    other = make_prisoner(slug="maria-other", given_name_latin="Maria", surname_latin="Other")
    assert "0 cards and letters reported sent" in _page(client)
    make_card_sent(ales, count=3)
    page = _page(client)
    assert "3 cards and letters reported sent" in page
    assert _api(client, q="Ales Example")["prisoners"][0]["cards_sent"] == 3
    make_card_sent(other, count=5)
    first = _page(client, sort="fewest-cards").index
    assert first("Ales Example") < first("Maria Other")
    # A tally gone wrong around the ORM (a bulk load) and put right by the recount.
    db.session.execute(db.update(Prisoner).where(Prisoner.id == ales.id).values(cards_sent=9))
    db.session.expire_all()  # as the next request's session would load it
    assert "9 cards and letters reported sent" in _page(client, q="Ales Example")
    assert recount_cards_sent(db.session) == 1
    db.session.expire_all()
    assert "3 cards and letters reported sent" in _page(client, q="Ales Example")


def test_an_import_shows_at_once(client, ales):
    places = institutions(2)
    listed = prisoners(3, [places[0]["code"]])
    before = _api(client)["total"]
    commit_import(ales.campaign, write_csv(places + listed), "Viasna", file_name="list.csv")
    assert _api(client)["total"] == before + 3
    html = client.get("/prisoners/").get_data(as_text=True)
    for row in listed:
        assert f'href="/prisoners/{row["slug"]}"' in html
    assert f"{places[0]['code']} · " in html  # the institution holds someone now: offered


def test_campaign_changes_show_at_once(client, ales):
    campaign = ales.campaign
    assert "Example data" not in _page(client)
    campaign.is_example = True
    db.session.flush()
    assert "Example data" in _page(client)
    change_campaign_state(campaign, "archive")
    assert "Ales Example" not in _page(client)
    assert _api(client)["total"] == 0


def test_a_prisoner_deleted_by_hand_is_gone_at_once(client, ales):
    """Organisers cannot delete a prisoner; an administrator with the database can."""
    older = make_prisoner(slug="older-one", given_name_latin="Older", surname_latin="One")
    older.addresses.clear()  # (so that only the prisoner goes)
    older.updated_at = ales.updated_at.replace(year=2020)  # not the newest edit
    db.session.flush()
    assert "Older One" in _page(client)
    db.session.delete(older)
    db.session.flush()
    assert "Older One" not in _page(client)


def _statements(client: Any, url: str) -> int:
    count = 0

    def counter(*_: Any) -> None:
        nonlocal count
        count += 1

    engine = db.engines[None]
    event.listen(engine, "before_cursor_execute", counter)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return count


@pytest.mark.parametrize(
    "url", ["/prisoners/", "/prisoners/?q=Ales&mail=yes", "/api/v1/prisoners?q=Example&page=1"]
)
def test_a_page_asked_for_again_costs_one_query(client, ales, url):
    assert _statements(client, url) > 1
    assert _statements(client, url) == 1  # the registry's version: nothing changed
    _edited(ales, surname_latin="Example-Other")
    assert _statements(client, url) > 1


def test_kept_pages_are_kept_apart_by_language_and_query(client, ales):
    assert "Ales Example" in _page(client, q="Ales")
    assert "Ales Example" not in _page(client, q="Maria")
    ru = client.get("/prisoners/", headers={"Accept-Language": "ru"})
    assert "Алесь Пример" in text_of(ru)
    assert "Ales Example" in _page(client)  # English again, not the Russian page kept


# Commits: each request gets its own session on the engine, as in production (on PostgreSQL
# the registry then reads without a transaction), and an edit by another request shows.
@pytest.mark.commits
def test_the_registry_on_committed_data_follows_edits(make_app):
    app = make_app(MICROCACHE_SECONDS=0)
    with app.app_context():
        prisoner = make_prisoner(
            given_name_latin="Ales",
            surname_latin="Committed",
            campaign=make_campaign(state=CampaignState.OPEN),
        )
        prisoner_id = prisoner.id
        db.session.commit()
    client = app.test_client()
    assert "Ales Committed" in _page(client)
    assert "Ales Committed" in _page(client)
    with app.app_context():
        found = db.session.get(Prisoner, prisoner_id)
        assert found is not None
        found.given_name_latin = "Alesia"
        make_card_sent(found, count=2)
        db.session.commit()
    page = _page(client)
    assert "Alesia Committed" in page and "2 cards and letters reported sent" in page
    with app.app_context():
        make_card_sent(db.session.get(Prisoner, prisoner_id), count=1)
        db.session.commit()
    assert "3 cards and letters reported sent" in _page(client)
