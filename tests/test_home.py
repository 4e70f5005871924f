"""The home page: open petitions with their counts, and birthdays coming up."""

from __future__ import annotations

from datetime import date, timedelta

from campaign_app.db import utcnow
from campaign_app.letters.models import OccasionKind
from campaign_app.petitions.models import PetitionState
from tests.factories import (
    make_appeal_target,
    make_occasion,
    make_petition,
    make_prisoner,
    make_signature,
)
from tests.support.web import text_of


def _born(days_ahead: int) -> date:
    """A birth date whose next anniversary is ``days_ahead`` days from today."""
    upcoming = utcnow().date() + timedelta(days=days_ahead)
    return upcoming.replace(year=1972)  # a leap year: 29 February exists


def test_open_petitions_with_their_counts(app, client):
    open_petition = make_petition(title="Release the prisoners")
    for _ in range(3):
        make_signature(open_petition)
    make_petition(title="An old closed one", state=PetitionState.CLOSED)
    page = text_of(client.get("/"))
    assert "Release the prisoners" in page
    assert "3 confirmed signatures" in page
    assert "An old closed one" not in page


def test_birthdays_in_the_next_two_months_with_a_card_link(app, client):
    make_occasion(slug="birthday", kind=OccasionKind.BIRTHDAY)
    soon = make_prisoner(given_name_latin="Maria", surname_latin="Soon", birth_date=_born(10))
    make_prisoner(given_name_latin="Pavel", surname_latin="Later", birth_date=_born(200))
    response = client.get("/")
    page = text_of(response)
    birthdays = page.split("Upcoming birthdays")[1].split("Prisoners")[0]
    assert "Maria Soon" in birthdays
    assert "Pavel Later" not in birthdays
    assert f"/letters/write/{soon.slug}?occasion=birthday" in response.get_data(as_text=True)


def test_no_open_petition_and_no_birthday(app, client):
    page = text_of(client.get("/"))
    assert "No petition is open at the moment." in page
    assert "No birthday in the next two months." in page


def test_appeals_to_officials_apart_from_the_cards(app, client):
    """The officials to write to, in their own band, each leading to the appeal composer."""
    page = text_of(client.get("/"))
    assert "Write to the officials" not in page  # nothing to show without a target

    target = make_appeal_target(name="Prosecutor General of the Republic of Belarus")
    response = client.get("/")
    page = text_of(response)
    appeals = page.split("Write to the officials")[1].split("Upcoming birthdays")[0]
    assert "Appeal to: Prosecutor General of the Republic of Belarus" in appeals
    html = response.get_data(as_text=True)
    assert f'href="/appeals/{target.slug}"' in html
    assert 'href="/appeals/"' in html


def test_the_home_page_is_kept_a_few_seconds_per_language(make_app):
    """Every visitor in a language sees the same home page: the micro-cache keeps it (a
    petition opened meanwhile shows once it expires), each language apart."""
    app = make_app(MICROCACHE_SECONDS=60)
    with app.app_context():
        make_petition(title="First petition")
        client = app.test_client()
        assert "First petition" in text_of(client.get("/"))
        make_petition(title="Second petition")
        assert "Second petition" not in text_of(client.get("/"))  # kept
        russian = text_of(client.get("/?lang=ru"))
        assert "Second petition" in russian and "Открытые петиции" in russian
        app.extensions["campaign_microcache"].clear()
        assert "Second petition" in text_of(client.get("/?lang=en"))
