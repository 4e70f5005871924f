"""The calendar page and its ICS feed: upcoming dates, post-by dates, RFC 5545 shape."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign_app.demo.data import load_demo
from campaign_app.extensions import db
from campaign_app.letters import calendar
from campaign_app.prisoners.models import Prisoner, PrisonerStatus
from tests.factories import make_postal_route, make_prisoner


def today() -> date:
    return datetime.now(UTC).date()


def next_on(month: int, day: int) -> date:
    """The next (month, day) on or after today, worked out independently of the app."""
    now = today()
    year = now.year if (now.month, now.day) <= (month, day) else now.year + 1
    return date(year, month, day)


def unfold(body: str) -> list[str]:
    """Content lines with RFC 5545 folding undone."""
    return body.replace("\r\n ", "").split("\r\n")


def events(body: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in unfold(body):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            found.append(current)
            current = None
        elif current is not None and ":" in line:
            name, value = line.split(":", 1)
            current[name] = value
    return found


@pytest.fixture
def demo(app: Any) -> None:
    load_demo()


def test_page_lists_ales_birthday_with_the_post_by_date_from_nl(
    demo: None, client: FlaskClient
) -> None:
    birthday = next_on(9, 25)
    post_by = birthday - timedelta(days=10)  # the demo route NL: 10 days

    page = client.get("/letters/calendar?from=NL").get_data(as_text=True)

    assert "Ales Bialiatski" in page
    assert f'<time datetime="{birthday.isoformat()}">25 September {birthday.year}</time>' in page
    assert f'<time datetime="{post_by.isoformat()}">15 September {post_by.year}</time>' in page
    assert "10 days in transit from Netherlands" in page
    assert "/letters/print?prisoner=ales-bialiatski&amp;occasion=birthday" in page
    assert f"Birthday ({birthday.year - 1962})" in page
    assert "/letters/calendar.ics?lang=en&amp;from=NL" in page  # the feed keeps the language


def test_unknown_country_uses_the_default_transit_time(demo: None, client: FlaskClient) -> None:
    birthday = next_on(9, 25)
    post_by = birthday - timedelta(days=calendar.DEFAULT_TRANSIT_DAYS)

    page = client.get("/letters/calendar?from=ZZ").get_data(as_text=True)

    assert f'<time datetime="{post_by.isoformat()}">' in page
    assert "14 days in transit (an estimate" in page


def test_suspended_route_is_flagged(app: Any, client: FlaskClient) -> None:
    make_prisoner()
    make_postal_route("GB", 14, is_suspended=True)

    page = client.get("/letters/calendar?from=GB").get_data(as_text=True)

    assert "reported suspended" in page


def test_released_prisoners_are_not_listed(app: Any, client: FlaskClient) -> None:
    make_prisoner(surname_latin="Held")
    make_prisoner(surname_latin="Freed", status=PrisonerStatus.RELEASED)

    page = client.get("/letters/calendar").get_data(as_text=True)

    assert "Ales Held" in page and "Ales Freed" not in page


def test_ics_feed_is_rfc_5545(demo: None, client: FlaskClient) -> None:
    response = client.get("/letters/calendar.ics?from=NL")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.get_data()
    body = raw.decode("utf-8")
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")  # every line ends in CRLF
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75
    assert "\r\n " in body  # the long descriptions are folded

    ales = db.session.scalar(select(Prisoner).where(Prisoner.slug == "ales-bialiatski"))
    assert ales is not None
    birthday = next_on(9, 25)
    arrest = next_on(8, 4)
    by_uid = {event["UID"]: event for event in events(body)}
    main = by_uid[f"birthday-{ales.id}-{birthday.year}@campaign.test"]
    assert main["DTSTART;VALUE=DATE"] == birthday.strftime("%Y%m%d")
    assert main["DTEND;VALUE=DATE"] == (birthday + timedelta(days=1)).strftime("%Y%m%d")
    assert main["SUMMARY"] == f"Ales Bialiatski: birthday ({birthday.year - 1962})"
    post_by = by_uid[f"birthday-{ales.id}-{birthday.year}-post-by@campaign.test"]
    assert post_by["DTSTART;VALUE=DATE"] == (birthday - timedelta(days=10)).strftime("%Y%m%d")
    assert "DTSTAMP" in post_by and post_by["DTSTAMP"].endswith("Z")
    assert post_by["URL"] == (
        "http://campaign.test/letters/write/ales-bialiatski?occasion=birthday"
    )
    anniversary = by_uid[f"arrest-anniversary-{ales.id}-{arrest.year}@campaign.test"]
    assert anniversary["DTSTART;VALUE=DATE"] == arrest.strftime("%Y%m%d")


def test_ics_uids_are_stable_between_requests(demo: None, client: FlaskClient) -> None:
    first = [e["UID"] for e in events(client.get("/letters/calendar.ics").get_data(as_text=True))]
    second = [e["UID"] for e in events(client.get("/letters/calendar.ics").get_data(as_text=True))]

    assert first == second and len(set(first)) == len(first) == 4


def test_ics_escapes_commas_semicolons_and_backslashes(app: Any, client: FlaskClient) -> None:
    make_prisoner(given_name_latin="Ann, Jr;", surname_latin="Back\\slash")

    body = client.get("/letters/calendar.ics").get_data(as_text=True)

    summaries = [event["SUMMARY"] for event in events(body)]
    assert any(s.startswith("Ann\\, Jr\\; Back\\\\slash: birthday") for s in summaries)


def test_fold_never_splits_a_cyrillic_character() -> None:
    line = "DESCRIPTION:" + "Жадаем вам моцнага здароўя. " * 10

    folded = calendar.fold(line)

    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line


def test_next_anniversary_of_29_february_in_a_common_year() -> None:
    assert calendar.next_anniversary(date(1992, 2, 29), date(2027, 1, 10)) == date(2027, 2, 28)
    assert calendar.next_anniversary(date(1992, 2, 29), date(2028, 1, 10)) == date(2028, 2, 29)
    assert calendar.next_anniversary(date(1962, 9, 25), date(2026, 9, 25)) == date(2026, 9, 25)
    assert calendar.next_anniversary(date(1962, 9, 25), date(2026, 9, 26)) == date(2027, 9, 25)


def test_prisoners_of_hidden_campaigns_are_left_out(app, client):
    """A draft or archived campaign's prisoners are in no public list: calendar, print stacks."""
    from campaign_app.campaigns.models import CampaignState
    from campaign_app.letters import printing
    from tests.factories import make_campaign

    today = date(2026, 9, 1)
    shown = make_prisoner(slug="shown", birth_date=date(1970, 9, 10))
    hidden = make_prisoner(
        slug="hidden",
        birth_date=date(1970, 9, 10),
        campaign=make_campaign(state=CampaignState.ARCHIVED),
    )
    slugs = {event.prisoner_slug for event in calendar.upcoming_events(today).events}
    assert shown.slug in slugs
    assert hidden.slug not in slugs
    printable = {prisoner.slug for prisoner in printing.list_printable_prisoners()}
    assert hidden.slug not in printable


def born_in(days_ahead: int) -> date:
    """A birth date (1975) whose next birthday is ``days_ahead`` days from today."""
    upcoming = today() + timedelta(days=days_ahead)
    return upcoming.replace(year=1976 if (upcoming.month, upcoming.day) == (2, 29) else 1975)


@pytest.fixture
def registry(app: Any) -> list[Prisoner]:
    """More prisoners than fit on one page: one with a birthday 3 weeks ahead, one in about
    5 months, the rest born on other days."""
    soon = make_prisoner(
        slug="soon", surname_latin="Soon", birth_date=born_in(21), arrest_date=None
    )
    later = make_prisoner(slug="later", surname_latin="Later", birth_date=born_in(150))
    others = [
        make_prisoner(slug=f"p{n}", surname_latin=f"Other{n}", birth_date=born_in(60 + n))
        for n in range(calendar.WHOLE_YEAR_MAX_PRISONERS)
    ]
    return [soon, later, *others]


def test_a_large_registry_shows_six_weeks_then_a_month_at_a_time(registry, client):
    page = client.get("/letters/calendar").get_data(as_text=True)
    assert '<h2 id="calendar-period">The next six weeks</h2>' in page
    assert "Ales Soon" in page and "Ales Later" not in page
    assert "Ales Other0" not in page  # 60 days ahead: on its month's page

    later = today() + timedelta(days=150)
    month = later.strftime("%Y-%m")
    assert f'href="/letters/calendar?month={month}"' in page
    month_page = client.get(f"/letters/calendar?month={month}&from=NL").get_data(as_text=True)
    assert "Ales Later" in month_page and "Ales Soon" not in month_page
    # The month's link keeps the sender's country; the country form keeps the month.
    assert f'href="/letters/calendar?month={month}&amp;from=NL"' in month_page
    assert f'<input type="hidden" name="month" value="{month}">' in month_page


@pytest.mark.parametrize("month", ["2001-01", "banana", "2099-13"])
def test_a_month_outside_the_coming_year_is_a_400_with_the_next_weeks(registry, client, month):
    response = client.get(f"/letters/calendar?month={month}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The calendar covers this month and the next twelve" in page
    assert "Ales Soon" in page


def test_a_few_prisoners_see_their_whole_year_at_once(app, client):
    make_prisoner(slug="later", surname_latin="Later", birth_date=born_in(150))
    page = client.get("/letters/calendar").get_data(as_text=True)
    assert '<h2 id="calendar-period">The coming year</h2>' in page
    assert "Ales Later" in page
