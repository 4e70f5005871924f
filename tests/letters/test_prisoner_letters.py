"""The prisoner page for letter writers: mail status, cards sent, postage, "Write a card"."""

from __future__ import annotations

import re
from datetime import date

from campaign_app.demo.data import load_demo
from campaign_app.extensions import db
from campaign_app.letters.models import PostalRoute
from campaign_app.prisoners.models import PrisonerStatus
from tests.factories import make_prisoner
from tests.support.web import text_of

PAGE = "/prisoners/ales-bialiatski"


def test_mail_getting_through_as_of_date(app, client):
    through = make_prisoner(is_mail_getting_through=True, mail_note_as_of=date(2012, 9, 1))
    blocked = make_prisoner(is_mail_getting_through=False, mail_note_as_of=date(2024, 3, 5))
    unknown = make_prisoner()
    assert "Mail is getting through, as of September 1, 2012." in text_of(
        client.get(f"/prisoners/{through.slug}")
    )
    page = text_of(client.get(f"/prisoners/{blocked.slug}"))
    assert "Mail is not getting through, as of March 5, 2024." in page
    page = text_of(client.get(f"/prisoners/{unknown.slug}"))
    assert "Mail is getting through" not in page
    assert "Mail is not getting through" not in page


def test_write_a_card_link_leads_to_the_composer(app, client):
    load_demo()
    page = client.get(PAGE).get_data(as_text=True)
    assert 'href="/letters/write/ales-bialiatski"' in page
    assert "Write a card" in text_of(client.get(PAGE))
    assert client.get("/letters/write/ales-bialiatski").status_code == 200


def test_released_prisoner_offers_no_card_and_says_why(app, client):
    prisoner = make_prisoner(status=PrisonerStatus.RELEASED)
    page = text_of(client.get(f"/prisoners/{prisoner.slug}"))
    assert "Write a card" not in page
    assert "has been released" in page


def test_postage_and_transit_for_the_senders_country(app, client):
    load_demo()
    page = text_of(client.get(PAGE))
    assert "Postage and time in transit" in page
    assert "a card takes about" not in page  # no country chosen by default

    page = text_of(client.get(PAGE + "?country=NL"))
    assert "From Netherlands, a card takes about 10 days." in page
    assert "International postcard stamp" in page

    page = text_of(client.get(PAGE + "?country=JP"))
    assert "We have no postal information for Japan yet" in page


def test_suspended_route_shows_a_clear_warning(app, client):
    load_demo()
    db.session.add(
        PostalRoute(sender_country="CZ", transit_days=0, is_suspended=True, note="Since 2022.")
    )
    db.session.commit()
    page = text_of(client.get(PAGE + "?country=CZ"))
    assert "has suspended mail to this country: a card posted there will not arrive." in page
    assert "Since 2022." in page


def test_unknown_country_in_the_postage_form_is_ignored(app, client):
    load_demo()
    response = client.get(PAGE + "?country=ZZ")
    assert response.status_code == 200
    assert "a card takes about" not in text_of(response)


def test_unknown_prisoner_is_404(app, client):
    assert client.get("/prisoners/nobody").status_code == 404


def test_ids_on_the_page_are_unique(app, client):
    load_demo()
    page = client.get(PAGE).get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
