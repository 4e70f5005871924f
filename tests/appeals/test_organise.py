"""Organisers keep their campaign's officials and appeal texts: checked, audited, scoped."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from campaign_app.accounts.models import Role
from campaign_app.appeals.models import AppealTarget, AppealTemplate
from campaign_app.db import utcnow
from campaign_app.extensions import db
from tests.factories import make_appeal_target, make_campaign, make_prisoner, make_user
from tests.support.organise import audit_events
from tests.support.web import log_in, post_form, text_of

TARGET = {
    "slug": "prosecutor-general",
    "name": "Prosecutor General of the Republic of Belarus",
    "office": "Генеральному прокурору Республики Беларусь",
    "address_lines": "ул. Интернациональная, 22\r\n220030, г. Минск",
    "country_line": "Republic of Belarus",
    "email": "office@example.org",
    "language": "ru",
    "as_of": "2026-01-15",
    "source": "The office's website",
    "is_active": "y",
}
TEXT = {
    "language": "ru",
    "subject": "Обращение",
    "body": "Уважаемый Генеральный прокурор!\r\n\r\nПрошу вернуть свободу {prisoner_dative}.",
}


def signed_in(client, campaign):
    owner = make_user(Role.ORGANISER, campaigns=(campaign,))
    log_in(client, owner)
    return owner


def test_an_organiser_adds_a_target_and_its_text_and_supporters_can_write(app, client):
    campaign = make_campaign()
    make_prisoner(campaign=campaign, slug="some-prisoner")
    signed_in(client, campaign)
    new = f"/organise/campaigns/{campaign.id}/appeals/new"
    response = post_form(client, new, TARGET)
    assert response.status_code == 302, text_of(response)[:2000]
    target = db.session.scalar(
        select(AppealTarget).where(AppealTarget.slug == "prosecutor-general")
    )
    assert target.country_line == "REPUBLIC OF BELARUS"
    assert target.lines() == ["ул. Интернациональная, 22", "220030, г. Минск"]
    assert client.get("/appeals/prosecutor-general").status_code == 404  # no text yet

    response = post_form(client, response.headers["Location"], TEXT)
    assert response.status_code == 302, text_of(response)[:2000]
    assert [t.language.value for t in target.templates] == ["ru"]
    assert "Прошу вернуть свободу" in target.templates[0].body
    page = text_of(client.get("/appeals/prosecutor-general"))
    assert "Генеральному прокурору Республики Беларусь" in page
    listing = text_of(client.get(f"/organise/campaigns/{campaign.id}/appeals"))
    assert "Prosecutor General of the Republic of Belarus Русский" in listing

    assert [e.details["appeal_target_id"] for e in audit_events("appeal_target.created")] == [
        target.id
    ]
    created = audit_events("appeal_template.created")
    assert [(e.campaign_id, e.details["language"]) for e in created] == [(campaign.id, "ru")]

    edit = f"/organise/appeal-targets/{target.id}/edit"
    russian_name = {"translations-ru-name": "Генеральный прокурор Республики Беларусь"}
    response = post_form(client, edit, TARGET | {"email": ""} | russian_name)
    assert response.status_code == 302
    assert [e.details["fields"] for e in audit_events("appeal_target.updated")] == [
        ["email", "translations"]
    ]
    page = text_of(client.get("/appeals/prosecutor-general", headers={"Accept-Language": "ru"}))
    assert "Обращение: Генеральный прокурор Республики Беларусь" in page
    template_edit = f"/organise/appeal-templates/{target.templates[0].id}/edit"
    response = post_form(client, template_edit, TEXT | {"subject": "Открытое письмо"})
    assert response.status_code == 302
    assert [e.details["fields"] for e in audit_events("appeal_template.updated")] == [["subject"]]


def test_bad_targets_are_refused_next_to_the_field(app, client):
    campaign = make_campaign()
    make_appeal_target(campaign=campaign, slug="taken")
    signed_in(client, campaign)
    new = f"/organise/campaigns/{campaign.id}/appeals/new"
    future = (utcnow().date() + timedelta(days=2)).isoformat()
    for fields, message in (
        ({"slug": "taken"}, "Another target has this short name already."),
        ({"slug": "Not A Slug"}, "Use lower-case letters, digits and hyphens"),
        ({"country_line": "БЕЛАРУСЬ"}, "The country line is written in Latin capitals"),
        ({"email": "not an address"}, "Please give an e-mail address like office@example.org"),
        ({"as_of": future}, "As of cannot be in the future."),
        ({"office": "Прокурору 🙂"}, "these characters cannot be printed on a card: 🙂"),
        ({"name": "x" * 10_000}, "Field cannot be longer than 200 characters."),
        ({"name": "Prosecutor\x07General"}, "Please remove special or invisible characters."),
        ({"address_lines": ""}, "Please give the postal address, one line per line."),
    ):
        response = post_form(client, new, TARGET | fields)
        assert response.status_code == 400, fields
        assert message in text_of(response), fields
    assert db.session.scalar(select(AppealTarget.id).where(AppealTarget.slug != "taken")) is None


def test_a_country_line_with_accented_latin_letters_is_accepted(app, client):
    """The rule of a prisoner's address: Latin letters, accents included (the French and
    Ivorian embassies write CÔTE D'IVOIRE)."""
    campaign = make_campaign()
    signed_in(client, campaign)
    new = f"/organise/campaigns/{campaign.id}/appeals/new"
    response = post_form(client, new, TARGET | {"country_line": "Côte d'Ivoire"})
    assert response.status_code == 302, text_of(response)[:2000]
    target = db.session.scalar(
        select(AppealTarget).where(AppealTarget.slug == "prosecutor-general")
    )
    assert target.country_line == "CÔTE D'IVOIRE"


def test_bad_texts_are_refused_next_to_the_field(app, client):
    campaign = make_campaign()
    target = make_appeal_target(campaign=campaign)  # has a Russian text already
    signed_in(client, campaign)
    new = f"/organise/appeal-targets/{target.id}/templates/new"
    for fields, message in (
        ({"language": "ru"}, "This target has a text in this language already"),
        ({"language": "en", "body": "Free {prisoner_genitive} now"}, "{prisoner_genitive}"),
        (
            {"language": "en", "body": "Free {prisoner now"},
            "unknown placeholders or stray braces: {",
        ),
        ({"language": "en", "body": "Free them. " * 500}, "does not fit on one printed page"),
        ({"language": "en", "subject": "Appeal 🙂"}, "cannot be printed on a card: 🙂"),
    ):
        response = post_form(client, new, TEXT | fields)
        assert response.status_code == 400, fields
        assert message in text_of(response), fields
    assert db.session.scalars(select(AppealTemplate.language)).all() == [
        target.templates[0].language
    ]


def test_another_campaigns_organiser_cannot_see_or_change_a_target(app, client):
    target = make_appeal_target()
    log_in(client, make_user(Role.ORGANISER, campaigns=(make_campaign(),)))
    for url in (
        f"/organise/appeal-targets/{target.id}/edit",
        f"/organise/appeal-targets/{target.id}/templates/new",
        f"/organise/appeal-templates/{target.templates[0].id}/edit",
        f"/organise/campaigns/{target.campaign_id}/appeals",
        "/organise/appeal-targets/999999/edit",
    ):
        assert client.get(url).status_code == 403, url
    response = post_form(
        client, f"/organise/appeal-targets/{target.id}/edit", TARGET, page_url="/account/"
    )
    assert response.status_code == 403
    assert target.slug != "prosecutor-general"
    assert audit_events("appeal_target.updated") == []


def test_a_target_of_a_draft_campaign_or_switched_off_is_not_public(app, client):
    from campaign_app.campaigns.models import CampaignState

    hidden = make_appeal_target(campaign=make_campaign(state=CampaignState.DRAFT))
    off = make_appeal_target(is_active=False)
    for target in (hidden, off):
        assert client.get(f"/appeals/{target.slug}").status_code == 404
        assert target.name not in text_of(client.get("/appeals/"))
