"""Journeys that lead on: petition, prisoner, composer and calendar link to each other, and the
pages after signing and confirming say what happens next and where to go from there."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from campaign_app.db import utcnow
from campaign_app.petitions.models import PetitionState, SignatureState
from campaign_app.petitions.tokens import make_confirmation_token
from campaign_app.prisoners.models import PrisonerStatus
from tests.factories import (
    make_campaign,
    make_occasion,
    make_petition,
    make_prisoner,
    make_signature,
)
from tests.support.web import text_of

RU_NAME = {"given_name_ru": "Алесь", "surname_ru": "Беляцкий"}
BE_NAME = {"given_name_be": "Алесь", "surname_be": "Бяляцкі"}


@pytest.fixture
def campaign(app):
    """A campaign with a petition, a prisoner who can receive cards, and the birthday occasion."""
    campaign = make_campaign(name="Freedom for Ales")
    make_petition(campaign=campaign, slug="free-ales", title="Free Ales", goal=10_000)
    make_prisoner(
        campaign=campaign,
        slug="ales",
        given_name_latin="Ales",
        surname_latin="Bialiatski",
        arrest_date=date(2011, 8, 4),
        **RU_NAME,
        **BE_NAME,
    )
    make_occasion(slug="birthday", name_en="Birthday")
    return campaign


def hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html)]


def confirm_path(petition) -> str:
    pending = make_signature(petition, state=SignatureState.PENDING)
    return f"/petitions/{petition.slug}/confirm/{make_confirmation_token(pending.id)}"


# The petition page ------------------------------------------------------------------------


def test_petition_page_leads_to_the_prisoner_and_the_composer(campaign, client):
    html = client.get("/petitions/free-ales?lang=ru").get_data(as_text=True)

    assert "/prisoners/ales" in hrefs(html)
    assert "/letters/write/ales" in hrefs(html)
    assert "Написать открытку: Алесь Беляцкий" in text_of(
        client.get("/petitions/free-ales?lang=ru")
    )


def test_petition_page_offers_sign_at_the_top_and_jumps_to_the_form(campaign, client):
    html = client.get("/petitions/free-ales").get_data(as_text=True)

    jump = re.search(r'<p class="sign-jump"><a class="button primary" href="#sign-heading">', html)
    assert jump, "no 'Sign the petition' link near the top"
    assert html.index("sign-jump") < html.index('class="petition-text"')  # before the story
    assert 'id="sign-heading"' in html  # where it leads
    assert html.index("sign-jump") < html.index('id="sign-heading"')


def test_no_sign_link_on_a_closed_petition(app, client):
    make_petition(slug="closed-one", state=PetitionState.CLOSED)
    html = client.get("/petitions/closed-one").get_data(as_text=True)
    assert "sign-jump" not in html and 'id="sign-heading"' not in html


def test_progress_bar_reads_0_of_the_goal(campaign, client):
    html = client.get("/petitions/free-ales").get_data(as_text=True)

    bar = re.search(r"<progress[^>]*>", html)
    assert bar and 'max="10000"' in bar.group(0) and 'value="0"' in bar.group(0)
    assert 'aria-describedby="goal-progress-label"' in bar.group(0)
    label = re.search(r'<p class="progress-label" id="goal-progress-label">(.*?)</p>', html, re.S)
    assert label and re.sub(r"<[^>]+>", "", label.group(1)) == "0 of 10,000"


def test_progress_label_in_russian(campaign, client):
    petition = campaign.petitions[0]
    for _ in range(3):
        make_signature(petition)
    page = text_of(client.get("/petitions/free-ales?lang=ru"))
    assert "3 из 10 000" in page.replace("\xa0", " ")


def test_portrait_is_the_drawing_until_a_photo_is_on_the_site(campaign, client):
    html = client.get("/petitions/free-ales").get_data(as_text=True)
    assert '<img src="/static/img/portrait.svg" alt=""' in html

    prisoner = campaign.prisoners[0]
    prisoner.photo_url = "/static/img/prisoners/ales.jpg"
    from campaign_app.extensions import db

    db.session.commit()
    for path in ("/petitions/free-ales", "/prisoners/ales"):
        page = client.get(path).get_data(as_text=True)
        assert '<img src="/static/img/prisoners/ales.jpg" alt="Photo of Ales Bialiatski"' in page
        assert "portrait.svg" not in page


def test_the_drawn_portrait_and_the_icons_are_served(app, client):
    for path in ("/static/img/portrait.svg", "/static/img/favicon.svg"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.get_data().lstrip().startswith(b"<svg")
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.get_data()[:4] == b"\x00\x00\x01\x00"  # ICO
    touch = client.get("/static/img/apple-touch-icon.png")
    assert touch.status_code == 200 and touch.get_data()[:8] == b"\x89PNG\r\n\x1a\n"
    head = client.get("/").get_data(as_text=True).split("</head>")[0]
    assert 'rel="icon" href="/static/img/favicon.svg" type="image/svg+xml"' in head
    assert 'rel="icon" href="/static/favicon.ico"' in head


# The prisoner page ------------------------------------------------------------------------


def test_prisoner_page_leads_to_the_petition_the_composer_and_the_calendar(campaign, client):
    make_petition(campaign=make_campaign(), slug="someone-else")  # another campaign's
    make_petition(campaign=campaign, slug="a-draft", state=PetitionState.DRAFT)
    html = client.get("/prisoners/ales?lang=be").get_data(as_text=True)
    links = hrefs(html)

    assert "/petitions/free-ales#sign-heading" in links
    assert "/petitions/free-ales" in links
    assert "/letters/write/ales" in links
    assert "/letters/calendar" in links
    assert not any("someone-else" in h or "a-draft" in h for h in links)
    page = text_of(client.get("/prisoners/ales?lang=be"))
    assert "Напісаць паштоўку: Алесь Бяляцкі" in page
    assert "<h1>Алесь Бяляцкі</h1>" in html  # the name in the reader's script


def test_prisoner_page_shows_a_closed_petition_without_a_sign_button(campaign, client):
    campaign.petitions[0].state = PetitionState.CLOSED
    from campaign_app.extensions import db

    db.session.commit()
    html = client.get("/prisoners/ales").get_data(as_text=True)
    assert "/petitions/free-ales" in hrefs(html)
    assert "/petitions/free-ales#sign-heading" not in hrefs(html)
    assert "Closed" in text_of(client.get("/prisoners/ales"))


def test_prisoner_page_names_the_next_dates_to_post_by(campaign, client):
    page = text_of(client.get("/prisoners/ales"))
    birthday = date(utcnow().year, 9, 25)
    if birthday < utcnow().date():
        birthday = birthday.replace(year=birthday.year + 1)
    assert "Birthdays and anniversaries" in page
    assert f"September 25, {birthday.year}" in page
    assert "Post by " in page


def test_no_card_links_to_a_released_prisoner(app, client):
    campaign = make_campaign()
    make_petition(campaign=campaign, slug="free-him")
    make_prisoner(campaign=campaign, slug="freed", status=PrisonerStatus.RELEASED)

    for path in ("/petitions/free-him", "/petitions/free-him/check-email"):
        assert "/letters/write/freed" not in hrefs(client.get(path).get_data(as_text=True))


# After signing and after confirming -------------------------------------------------------


@pytest.mark.parametrize("page", ["check-email", "confirmed"])
def test_after_signing_every_page_leads_on(campaign, client, page):
    petition = campaign.petitions[0]
    path = "/petitions/free-ales/check-email" if page == "check-email" else confirm_path(petition)

    response = client.get(path + "?lang=ru")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(response)
    links = hrefs(html)
    assert "Что дальше" in text  # what happens next
    assert "Организаторы передадут подписи адресату: President of the Republic of Belarus." in text
    # Share buttons: through this site's redirects (in the reader's language), and by e-mail.
    assert "/share/telegram/free-ales?lang=ru" in links
    assert any(h.startswith("mailto:?subject=") for h in links)
    assert "http://campaign.test/petitions/free-ales" in html  # the link to copy
    # A card to the prisoner, named in the reader's language.
    assert "/letters/write/ales" in links
    assert "Написать открытку: Алесь Беляцкий" in text
    # The calendar, with the next date to post by.
    assert "/letters/calendar" in links
    assert "/letters/write/ales?occasion=arrest-anniversary" in links
    assert "/petitions/free-ales" in links


def test_confirmed_page_shows_the_count_against_the_goal(campaign, client):
    petition = campaign.petitions[0]
    make_signature(petition)
    text = text_of(client.get(confirm_path(petition)))
    assert "2 people have signed" in text
    assert "2 of 10,000" in text


# The composer and the calendar ------------------------------------------------------------


def test_composer_leads_to_the_petition_the_calendar_and_the_prisoner(campaign, client):
    html = client.get("/letters/write/ales?occasion=birthday&lang=ru").get_data(as_text=True)
    links = hrefs(html)
    assert "/petitions/free-ales#sign-heading" in links
    assert "/letters/calendar" in links
    assert "/prisoners/ales" in links


def test_calendar_cards_carry_the_post_by_date_and_both_links(campaign, client):
    html = client.get("/letters/calendar?lang=ru").get_data(as_text=True)

    cards = re.findall(r'<li class="card calendar-event[^"]*">(.*?)</li>', html, re.S)
    assert cards, "the calendar shows no card"
    for card in cards:
        assert '<p class="post-by">' in card and "<time datetime=" in card
        assert 'href="/prisoners/ales"' in card
        assert 'href="/letters/write/ales?occasion=' in card
        assert "Алесь Беляцкий" in card  # the name in the reader's script


def test_calendar_event_names_in_each_language():
    from campaign_app.letters.calendar import CalendarEvent, EventKind

    today = date(2026, 1, 1)
    event = CalendarEvent(
        prisoner_id=1,
        prisoner_slug="ales",
        prisoner_name="Ales Bialiatski",
        kind=EventKind.BIRTHDAY,
        on=today,
        years=64,
        post_by=today - timedelta(days=14),
        is_late=False,
        local_names={"ru": "Алесь Беляцкий", "be": "Алесь Бяляцкі"},
    )
    assert [event.name_in(code) for code in ("en", "ru", "be", "fr")] == [
        "Ales Bialiatski",
        "Алесь Беляцкий",
        "Алесь Бяляцкі",
        "Ales Bialiatski",
    ]


def test_prisoner_name_falls_back_to_the_other_cyrillic_form_then_latin(app):
    only_be = make_prisoner(given_name_ru="", surname_ru="", **BE_NAME)
    assert only_be.name_in("ru") == "Алесь Бяляцкі"
    none = make_prisoner(given_name_ru="", surname_ru="", given_name_be="", surname_be="")
    assert none.name_in("be") == none.name_latin
