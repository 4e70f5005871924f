"""Prisoners in the browser: each campaign's organisers keep names, dates, mail and addresses."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from campaign_app.accounts.models import Role
from campaign_app.audit.models import AuditEvent
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.prisoners.models import (
    AddressLanguage,
    CardLanguages,
    Prisoner,
    PrisonerAddress,
    PrisonerStatus,
)
from tests.factories import make_campaign, make_occasion, make_prisoner, make_user
from tests.support.web import log_in, post_form, text_of

LINES_RU = "ИК-2, отряд 14\nул. Сикорского, 1\n213807, г. Бобруйск\nМогилёвская обл."
LINES_BE = "ПК-2, атрад 14\nвул. Сікорскага, 1\n213807, г. Бабруйск\nМагілёўская вобл."


def prisoner_form(**overrides: str) -> dict[str, str]:
    form = {
        "slug": "ales-bialiatski",
        "given_name_latin": "Ales",
        "surname_latin": "Bialiatski",
        "given_name_ru": "Алесь",
        "patronymic_ru": "Викторович",
        "surname_ru": "Беляцкий",
        "full_name_dative_ru": "Беляцкому Алесю Викторовичу",
        "given_name_be": "Алесь",
        "patronymic_be": "Віктаравіч",
        "surname_be": "Бяляцкі",
        "full_name_dative_be": "Бяляцкаму Алесю Віктаравічу",
        "birth_date": "1962-09-25",
        "arrest_date": "2011-08-04",
        "status": "imprisoned",
        "address_language": "ru",
        "bio": "Chairman of the Human Rights Center Viasna.",
        "interests": "Literature, history.",
        "is_mail_getting_through": "unknown",
        "mail_note": "",
        "mail_note_as_of": "",
        "photo_url": "",
    }
    return form | overrides


def address_form(**overrides: str) -> dict[str, str]:
    form = {
        "lines_ru": LINES_RU,
        "lines_be": LINES_BE,
        "lines_latin": "IK-2, otryad 14\nul. Sikorskogo, 1\n213807, Bobruisk",
        "country_line": "Republic of Belarus",
        "as_of": "2012-09-01",
        "source": "Viasna, birthday-week action page, September 2012",
    }
    return form | overrides


def prisoner_as_form(prisoner: Prisoner, **overrides: str) -> dict[str, str]:
    """The edit form as the page fills it for ``prisoner``, with ``overrides``."""
    form = prisoner_form(
        slug=prisoner.slug,
        given_name_latin=prisoner.given_name_latin,
        surname_latin=prisoner.surname_latin,
        given_name_ru=prisoner.given_name_ru,
        patronymic_ru=prisoner.patronymic_ru,
        surname_ru=prisoner.surname_ru,
        full_name_dative_ru=prisoner.full_name_dative_ru,
        given_name_be="",
        patronymic_be="",
        surname_be="",
        full_name_dative_be="",
        birth_date=prisoner.birth_date.isoformat() if prisoner.birth_date else "",
        arrest_date="",
        bio="",
        interests="",
    )
    return form | overrides


def audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def team(app):
    """A campaign with one prisoner, its organiser, and an organiser of another campaign."""
    campaign = make_campaign(name="Free Ales")
    prisoner = make_prisoner(campaign=campaign, slug="ales", surname_latin="Primer")
    return {
        "campaign": campaign,
        "prisoner": prisoner,
        "organiser": make_user(Role.ORGANISER, campaigns=(campaign,)),
        "stranger": make_user(Role.ORGANISER, campaigns=(make_campaign(),)),
    }


def paths(team) -> list[str]:
    campaign_id, prisoner_id = team["campaign"].id, team["prisoner"].id
    return [
        f"/organise/campaigns/{campaign_id}/prisoners",
        f"/organise/campaigns/{campaign_id}/prisoners/new",
        f"/organise/prisoners/{prisoner_id}/edit",
        f"/organise/prisoners/{prisoner_id}/addresses/new",
    ]


# Who may see what -----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(team, client):
    for path in paths(team):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/account/login"), path
    path = f"/organise/prisoners/{team['prisoner'].id}/edit"
    response = post_form(client, path, prisoner_form(bio="Changed"), "/account/login")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Prisoner, team["prisoner"].id).bio == ""


def test_organisers_of_another_campaign_get_403(team, client):
    log_in(client, team["stranger"])
    for path in paths(team):
        assert client.get(path).status_code == 403, path
    path = f"/organise/prisoners/{team['prisoner'].id}/addresses/new"
    response = post_form(client, path, address_form(as_of="2013-01-01"), "/account/")
    assert response.status_code == 403
    assert len(db.session.scalars(select(PrisonerAddress)).all()) == 1


def test_missing_objects_look_like_forbidden_ones(team, client):
    log_in(client, team["organiser"])
    assert client.get("/organise/campaigns/999/prisoners").status_code == 403
    assert client.get("/organise/prisoners/999/edit").status_code == 403
    assert client.get("/organise/prisoners/999/addresses/new").status_code == 403


def test_the_campaigns_organiser_and_admins_see_every_page(team, client):
    log_in(client, team["organiser"])
    for path in paths(team):
        assert client.get(path).status_code == 200, path
    admin_client = client.application.test_client()
    log_in(admin_client, make_user(Role.ADMIN))
    for path in paths(team):
        assert admin_client.get(path).status_code == 200, path


def test_list_shows_status_address_date_and_mail(team, client):
    log_in(client, team["organiser"])
    page = text_of(client.get(f"/organise/campaigns/{team['campaign'].id}/prisoners"))
    prisoner = team["prisoner"]
    assert f"{prisoner.name_latin} Sep 25, 1962 Imprisoned Sep 1, 2012 old not known" in page


def test_the_list_pages_fifty_at_a_time_and_finds_any_spelling_in_the_campaign(team, client):
    """At a registry's size: pages of 50 and the registry's search, drafts and the released
    included, other campaigns' prisoners never."""
    campaign = team["campaign"]
    for n in range(120):
        make_prisoner(campaign=campaign, slug=f"p-{n:03d}", surname_latin=f"Name{n:03d}")
    make_prisoner(
        campaign=campaign,
        slug="ales-bialiatski",
        surname_latin="Bialiatski",
        surname_ru="Беляцкий",
        surname_be="Бяляцкі",
        status=PrisonerStatus.RELEASED,
    )
    make_prisoner(campaign=make_campaign(), slug="elsewhere", surname_be="Бяляцкі")
    log_in(client, team["organiser"])
    url = f"/organise/campaigns/{campaign.id}/prisoners"

    first = text_of(client.get(url))
    assert "1 to 50 of 122 prisoners" in first
    assert "Next page" in first
    third = text_of(client.get(f"{url}?page=3"))
    assert "101 to 122 of 122 prisoners" in third

    found = client.get(url, query_string={"q": "Бяляцкі"})
    page = text_of(found)
    assert "1 prisoner" in page and "Released" in page
    assert "/prisoners/ales-bialiatski" in found.get_data(as_text=True)
    assert "/prisoners/elsewhere" not in found.get_data(as_text=True)
    assert "No prisoner matches." in text_of(client.get(url, query_string={"q": "Nobody"}))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"page": "0"}, "This page number does not exist."),
        ({"q": "x" * 10_000}, "Please shorten the name"),
        ({"q": "Bia\x07"}, "The request could not be understood"),
        ({"month": "13"}, "Please choose one of the listed options."),
    ],
)
def test_bad_list_parameters_are_a_400_with_a_message(team, client, query, message):
    log_in(client, team["organiser"])
    response = client.get(
        f"/organise/campaigns/{team['campaign'].id}/prisoners", query_string=query
    )
    assert response.status_code == 400
    assert message in text_of(response)


# Creating and editing -------------------------------------------------------------------


def test_new_prisoner_then_address_is_what_the_public_page_shows(team, client):
    campaign = team["campaign"]
    log_in(client, team["organiser"])
    response = post_form(
        client, f"/organise/campaigns/{campaign.id}/prisoners/new", prisoner_form()
    )
    assert response.status_code == 302
    prisoner = db.session.scalar(select(Prisoner).where(Prisoner.slug == "ales-bialiatski"))
    assert prisoner.campaign_id == campaign.id
    assert prisoner.full_name_dative_be == "Бяляцкаму Алесю Віктаравічу"
    assert response.headers["Location"] == f"/organise/prisoners/{prisoner.id}/addresses/new"
    public = text_of(client.get("/prisoners/ales-bialiatski"))
    assert "No cards or letters can be sent: there is no current address" in public

    response = post_form(client, response.headers["Location"], address_form())
    assert response.status_code == 302
    public = text_of(client.get("/prisoners/ales-bialiatski"))
    assert "Address as of September 1, 2012. Source: Viasna, birthday-week action page" in public
    assert "Беляцкому Алесю Викторовичу ИК-2, отряд 14" in public
    assert "REPUBLIC OF BELARUS" in public  # stored in capitals
    assert "Write a card" in public

    (created,) = audit("prisoner.created")
    assert created.campaign_id == campaign.id
    assert created.details == {"prisoner_id": prisoner.id}
    (added,) = audit("prisoner.address_added")
    address = db.session.scalar(
        select(PrisonerAddress).where(PrisonerAddress.prisoner_id == prisoner.id)
    )
    assert added.details == {
        "prisoner_id": prisoner.id,
        "address_id": address.id,
        "as_of": "2012-09-01",
        "is_current": True,
    }


def test_a_later_address_becomes_current_and_the_old_one_stays_as_history(team, client):
    prisoner = team["prisoner"]
    log_in(client, team["organiser"])
    new = f"/organise/prisoners/{prisoner.id}/addresses/new"
    later = address_form(
        lines_ru="ИК-9\nул. Примерная, 5\n220000, г. Минск",
        as_of="2013-05-01",
        source="Letter from his wife",
    )
    assert post_form(client, new, later).status_code == 302
    public = text_of(client.get("/prisoners/ales"))
    assert "Address as of May 1, 2013. Source: Letter from his wife." in public
    assert "ИК-9" in public and "ИК-2" not in public

    edit = text_of(client.get(f"/organise/prisoners/{prisoner.id}/edit"))
    assert "May 1, 2013 current" in edit
    assert "Sep 1, 2012 ИК-2, отряд 14" in edit  # history kept, not edited

    # An older address goes into the history; the newest date stays current.
    older = address_form(as_of="2011-09-01", source="Court papers")
    response = post_form(client, new, older)
    assert response.status_code == 302
    assert "older than the current address" in text_of(client.get(response.headers["Location"]))
    assert "ИК-9" in text_of(client.get("/prisoners/ales"))
    assert [e.details["is_current"] for e in audit("prisoner.address_added")] == [True, False]
    assert len(db.session.scalars(select(PrisonerAddress)).all()) == 3


def test_new_address_form_starts_from_the_current_address(team, client):
    log_in(client, team["organiser"])
    html = client.get(f"/organise/prisoners/{team['prisoner'].id}/addresses/new").get_data(
        as_text=True
    )
    assert "213807, г. Бобруйск" in html


def test_edit_mail_state_shows_on_the_public_page_and_is_audited(team, client):
    prisoner = team["prisoner"]
    log_in(client, team["organiser"])
    form = prisoner_as_form(
        prisoner,
        is_mail_getting_through="no",
        mail_note="Only letters from relatives are handed over.",
        mail_note_as_of="2024-02-01",
        status="transferred",
    )
    response = post_form(client, f"/organise/prisoners/{prisoner.id}/edit", form)
    assert response.status_code == 302
    public = text_of(client.get("/prisoners/ales"))
    assert "Mail is not getting through, as of February 1, 2024." in public
    assert "Only letters from relatives are handed over." in public
    assert "Transferred" in public
    (event,) = audit("prisoner.updated")
    assert event.campaign_id == team["campaign"].id
    assert set(event.details["fields"]) == {
        "is_mail_getting_through",
        "mail_note",
        "mail_note_as_of",
        "status",
    }


def test_saving_without_changes_records_nothing(team, client):
    prisoner = team["prisoner"]
    log_in(client, team["organiser"])
    form = prisoner_as_form(prisoner)
    response = post_form(client, f"/organise/prisoners/{prisoner.id}/edit", form)
    assert response.status_code == 302
    assert "Nothing changed." in text_of(client.get(response.headers["Location"]))
    assert audit("prisoner.updated") == []


def test_released_prisoner_cannot_be_written_to(team, client):
    prisoner = team["prisoner"]
    make_occasion(slug="birthday")
    log_in(client, team["organiser"])
    form = prisoner_as_form(prisoner, status="released")
    assert post_form(client, f"/organise/prisoners/{prisoner.id}/edit", form).status_code == 302
    assert client.get("/letters/write/ales?occasion=birthday").status_code == 409


def test_printed_language_switch_needs_an_address_in_that_language(team, client):
    prisoner = team["prisoner"]
    log_in(client, team["organiser"])
    edit = f"/organise/prisoners/{prisoner.id}/edit"
    form = prisoner_as_form(
        prisoner, address_language="be", full_name_dative_be="Прыкладу Алесю Віктаравічу"
    )
    response = post_form(client, edit, form)
    assert response.status_code == 400
    assert "The current address has no form in this language" in text_of(response)

    new = f"/organise/prisoners/{prisoner.id}/addresses/new"
    assert post_form(client, new, address_form(as_of="2013-01-10")).status_code == 302
    assert post_form(client, edit, form).status_code == 302
    db.session.expire_all()
    assert db.session.get(Prisoner, prisoner.id).address_language is AddressLanguage.BELARUSIAN
    public = text_of(client.get("/prisoners/ales"))
    assert "Прыкладу Алесю Віктаравічу ПК-2, атрад 14" in public


# Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"surname_ru": "Bialiatski"},
            "surname_ru",
            "Surname (Russian) must be typed in Cyrillic letters; these are not: B i a l t s k",
        ),
        (
            {"given_name_be": "Алесь1"},
            "given_name_be",
            "Given name (Belarusian) must be typed in Cyrillic letters; these are not: 1",
        ),
        (
            {"surname_ru": "Бяляцкі"},
            "surname_ru",
            "Surname (Russian): і is not a Russian letter (use и).",
        ),
        (
            {"full_name_dative_be": "Беляцкому Алесю Викторовичу"},
            "full_name_dative_be",
            "Full name, dative (Belarusian): и is not a Belarusian letter (use і).",
        ),
        (
            {"surname_latin": "Бяляцкі"},
            "surname_latin",
            "Surname (Latin) must be typed in Latin letters",
        ),
        (
            {"full_name_dative_ru": ""},
            "full_name_dative_ru",
            "Full name, dative (Russian) is needed",
        ),
        (
            {"arrest_date": "1960-01-01"},
            "arrest_date",
            "The date of arrest must be after the date of birth.",
        ),
        (
            {"birth_date": (utcnow().date() + timedelta(days=1)).isoformat()},
            "birth_date",
            "Date of birth cannot be in the future.",
        ),
        ({"birth_date": "25.09.1962"}, "birth_date", "Not a valid date value."),
        (
            {"is_mail_getting_through": "yes"},
            "mail_note_as_of",
            "Please say as of when this is known",
        ),
        (
            {"photo_url": "http://example.org/ales.jpg"},
            "photo_url",
            "The photo must be on this site",
        ),
        (
            {"photo_url": "https://tracker.example.com/ales.jpg"},
            "photo_url",
            "The photo must be on this site",
        ),
        ({"slug": "Ales Bialiatski"}, "slug", "Use lower-case letters, digits and hyphens"),
        ({"given_name_latin": ""}, "given_name_latin", "Please fill this in."),
    ],
)
def test_bad_prisoner_input_is_refused_next_to_the_field_and_kept(
    team, client, overrides, field, message
):
    campaign = team["campaign"]
    log_in(client, team["organiser"])
    form = prisoner_form(**overrides)
    response = post_form(client, f"/organise/campaigns/{campaign.id}/prisoners/new", form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    error = html.split(f'id="{field}-error">', 1)[1].split("</p>", 1)[0]
    assert message in error.replace("&#39;", "'")
    assert 'value="Беляцкому Алесю Викторовичу"' in html or field == "full_name_dative_ru"
    assert 'value="Бяляцкі"' in html or field == "surname_ru"
    assert db.session.scalar(select(Prisoner).where(Prisoner.slug == "ales-bialiatski")) is None
    assert audit("prisoner.created") == []


def test_a_taken_slug_is_refused(team, client):
    log_in(client, team["organiser"])
    form = prisoner_form(slug="ales")
    response = post_form(client, f"/organise/campaigns/{team['campaign'].id}/prisoners/new", form)
    assert response.status_code == 400
    assert "Another prisoner has this short name already." in text_of(response)


def test_a_refused_edit_changes_nothing(team, client):
    prisoner = team["prisoner"]
    log_in(client, team["organiser"])
    form = prisoner_as_form(prisoner, surname_ru="Primer", bio="A new biography")
    response = post_form(client, f"/organise/prisoners/{prisoner.id}/edit", form)
    assert response.status_code == 400
    assert 'value="Primer"' in response.get_data(as_text=True)
    assert "A new biography" in response.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Prisoner, prisoner.id)
    assert (stored.surname_ru, stored.bio) == ("Пример", "")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"lines_ru": ""}, "lines_ru", "Address (Russian) is needed"),
        (
            {"lines_ru": "IK-2, отряд 14\n213807, г. Бобруйск"},
            "lines_ru",
            "Address (Russian) must be in Cyrillic",
        ),
        (
            {"lines_be": "ПК-2\nг. Бабруйск"},
            "lines_be",
            "Address (Belarusian): no postcode found.",
        ),
        (
            {"lines_ru": "ИК-2\n21380, г. Бобруйск"},
            "lines_ru",
            "Address (Russian): no postcode found.",
        ),
        ({"country_line": "БЕЛАРУСЬ"}, "country_line", "written in Latin capitals"),
        ({"as_of": ""}, "as_of", "Please give the date this address was confirmed."),
        (
            {"as_of": (utcnow().date() + timedelta(days=3)).isoformat()},
            "as_of",
            "As of cannot be in the future.",
        ),
        ({"as_of": "2012-09-01"}, "as_of", "There is an address as of this date already"),
        ({"source": ""}, "source", "Please say where this address comes from."),
        (
            {"lines_ru": "ИК-2 中\n213807, г. Бобруйск"},
            "lines_ru",
            "cannot be printed on a card",
        ),
    ],
)
def test_bad_address_is_refused_next_to_the_field_and_kept(team, client, overrides, field, message):
    prisoner = team["prisoner"]
    log_in(client, team["organiser"])
    form = address_form(as_of="2013-02-02", source="Kept source") | overrides
    response = post_form(client, f"/organise/prisoners/{prisoner.id}/addresses/new", form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    error = html.split(f'id="{field}-error">', 1)[1].split("</p>", 1)[0]
    assert message in error
    if field != "source":
        assert "Kept source" in html
    assert "ул. Сикорского" in html
    assert len(db.session.scalars(select(PrisonerAddress)).all()) == 1
    assert audit("prisoner.address_added") == []


def test_existing_prisoner_page_shows_only_the_newest_address_after_edits(team, client):
    """The prisoner page never shows an older address once a newer one exists."""
    prisoner = team["prisoner"]
    db.session.add(
        PrisonerAddress(
            prisoner_id=prisoner.id,
            lines_ru="ИК-3\n211440, г. Новополоцк",
            country_line="REPUBLIC OF BELARUS",
            as_of=date(2020, 1, 1),
            source="test",
        )
    )
    db.session.commit()
    log_in(client, team["organiser"])
    edit = text_of(client.get(f"/organise/prisoners/{prisoner.id}/edit"))
    assert "Jan 1, 2020 current" in edit
    assert "ИК-3" in text_of(client.get("/prisoners/ales"))
    assert prisoner.status is PrisonerStatus.IMPRISONED


def test_the_languages_cards_are_printed_in(team, client):
    prisoner = team["prisoner"]
    log_in(client, team["organiser"])
    edit = f"/organise/prisoners/{prisoner.id}/edit"
    page = client.get(edit).get_data(as_text=True)
    both = '<input checked id="card_languages-0" name="card_languages" type="radio" value="both">'
    assert both in page
    form = prisoner_as_form(prisoner, card_languages="ru")
    assert post_form(client, edit, form).status_code == 302
    db.session.expire_all()
    assert db.session.get(Prisoner, prisoner.id).card_languages is CardLanguages.RUSSIAN
