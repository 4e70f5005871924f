"""The appeal composer for a campaign of a registry's size (more prisoners than one list can
offer): the prisoner comes from their page, and the composer leads to the registry."""

from __future__ import annotations

import re

import pytest

from campaign_app.appeals.models import AppealLanguage, AppealTemplate
from campaign_app.appeals.service import PRISONER_CHOICES_MAX
from campaign_app.campaigns.models import CampaignState
from campaign_app.extensions import db
from tests.factories import make_appeal_target, make_campaign, make_prisoner
from tests.support.pdf import flat, page_text
from tests.support.web import csrf_token, text_of


@pytest.fixture
def target(app):
    """An official of a campaign for 45 prisoners (past PRISONER_CHOICES_MAX), with a
    Russian appeal that names the prisoner; and a prisoner of another campaign."""
    campaign = make_campaign(state=CampaignState.OPEN)
    for n in range(1, 46):
        make_prisoner(
            slug=f"held-{n}",
            given_name_latin="Piotr",
            surname_latin=f"Held{n:02d}",
            given_name_ru="Пётр",
            surname_ru=f"Задержанный{n}",
            full_name_dative_ru=f"Задержанному{n} Петру",
            campaign=campaign,
        )
    make_prisoner(slug="elsewhere", campaign=make_campaign(state=CampaignState.OPEN))
    official = make_appeal_target(slug="prosecutor", campaign=campaign)
    assert PRISONER_CHOICES_MAX < 45
    return official


PAGE = "/appeals/prosecutor"


def compose(client, **fields):
    form = {
        "csrf_token": csrf_token(client, PAGE),
        "prisoner": "held-7",
        "language": "ru",
        "name": "Анна Петрова",
        "city": "Амстердам",
        "action": "preview",
        "envelope_size": "DL",
    }
    form.update(fields)
    return client.post(PAGE, data=form)


def test_with_none_chosen_the_composer_leads_to_the_registry(target, client):
    response = client.get(PAGE)
    html = response.get_data(as_text=True)
    page = text_of(response)

    assert response.status_code == 200
    assert '<select id="prisoner"' not in html and "Held07" not in page
    assert "The appeal is about Nobody in particular" in page
    assert (
        "This appeal names a prisoner: find them in the registry, then choose"
        " “Write to the officials about …” on their page." in page
    )
    assert 'href="/prisoners/">Find a prisoner in the registry</a>' in html
    assert '<input type="hidden" name="prisoner" value="">' in html
    assert len(html) < 25_000


def test_the_prisoner_from_their_page_is_shown_with_a_way_to_change(target, client):
    # The prisoner's page leads here ...
    prisoner_page = client.get("/prisoners/held-7").get_data(as_text=True)
    assert 'href="/appeals/prosecutor?prisoner=held-7"' in prisoner_page

    response = client.get(f"{PAGE}?prisoner=held-7")
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert response.status_code == 200
    assert "The appeal is about Piotr Held07 Choose another prisoner" in page
    assert '<input type="hidden" name="prisoner" value="held-7">' in html
    assert 'href="/prisoners/">Choose another prisoner</a>' in html
    assert "Held08" not in page
    assert "Write a card to Piotr Held07 too" in page
    russian = text_of(client.get(f"{PAGE}?prisoner=held-7&lang=ru"))
    assert "Обращение касается Пётр Задержанный7 Выбрать другого заключённого" in russian


def test_the_appeal_names_the_prisoner_in_the_preview_and_the_pdf(target, client):
    preview = compose(client)
    assert preview.status_code == 200
    assert "Прошу вернуть свободу Задержанному7 Петру." in text_of(preview)
    assert '<input type="hidden" name="prisoner" value="held-7">' in preview.get_data(as_text=True)

    letter = compose(client, action="letter")
    assert letter.status_code == 200
    assert letter.headers["Content-Type"] == "application/pdf"
    text = flat(page_text(letter.data, 0))
    assert "Прошу вернуть свободу Задержанному7 Петру." in text
    assert "Анна Петрова" in text


@pytest.mark.parametrize(
    ("prisoner", "message"),
    [
        ("nobody", "This prisoner is not one this appeal can be about."),
        ("elsewhere", "This prisoner is not one this appeal can be about."),
        ("", "This appeal is about a prisoner: please choose whom."),
    ],
)
def test_a_prisoner_not_of_the_campaign_is_refused_with_a_way_on(target, client, prisoner, message):
    for action in ("preview", "letter"):
        response = compose(client, prisoner=prisoner, action=action)
        assert response.status_code == 400
        assert "text/html" in response.headers["Content-Type"]
        page = text_of(response)
        assert message in page
        assert "Find a prisoner in the registry" in page
        assert "Задержанному" not in page


def test_a_link_to_a_prisoner_of_another_campaign_says_so(target, client):
    for slug in ("elsewhere", "nobody"):
        response = client.get(f"{PAGE}?prisoner={slug}")
        assert response.status_code == 400
        page = text_of(response)
        assert "This link names no prisoner this appeal can be about." in page
        assert "The appeal is about Nobody in particular" in page


def test_an_appeal_that_names_nobody_offers_to_write_about_no_one(target, client):
    target.templates[0].body = "Прошу соблюдать права заключённых.\n\nС уважением,"
    target.templates.append(
        AppealTemplate(language=AppealLanguage.ENGLISH, subject="Appeal", body="Respect rights.")
    )
    db.session.flush()

    page = text_of(client.get(PAGE))
    assert "To write about one prisoner, find them in the registry" in page
    chosen = client.get(f"{PAGE}?prisoner=held-3").get_data(as_text=True)
    assert re.search(r'<a href="/appeals/prosecutor">Nobody in particular</a>', chosen)
    preview = compose(client, prisoner="")
    assert preview.status_code == 200
    assert "Прошу соблюдать права заключённых." in text_of(preview)


def test_forty_prisoners_are_still_offered_in_a_list(app, client):
    campaign = make_campaign(state=CampaignState.OPEN)
    for n in range(PRISONER_CHOICES_MAX):
        make_prisoner(slug=f"few-{n}", campaign=campaign)
    make_appeal_target(slug="prosecutor", campaign=campaign)
    html = client.get(PAGE).get_data(as_text=True)
    assert '<select id="prisoner" name="prisoner">' in html
    select = re.search(r'<select id="prisoner" name="prisoner">(.*?)</select>', html, re.S)
    assert select and select.group(1).count("<option") == PRISONER_CHOICES_MAX + 1  # + nobody

    make_prisoner(slug="one-more", campaign=campaign)
    html = client.get(PAGE).get_data(as_text=True)
    assert '<select id="prisoner"' not in html
