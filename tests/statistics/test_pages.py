"""The statistics pages: who may see them, and that they show the right numbers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from campaign_app.accounts.models import Role
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions.models import Signature, SignatureState
from tests.factories import (
    make_campaign,
    make_card_sent,
    make_occasion,
    make_petition,
    make_prisoner,
    make_signature,
    make_user,
)
from tests.support.petitions import confirmation_path, sign
from tests.support.queue import run_queue
from tests.support.statistics import cell, svg_texts, svgs, table_rows
from tests.support.web import log_in, text_of


def stats_url(petition_id: int, day: str | None = None) -> str:
    url = f"/organise/petitions/{petition_id}/statistics"
    return url + (f"?day={day}" if day is not None else "")


# Roles -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["petition", "campaign"])
def test_anonymous_visitors_are_sent_to_the_login_page(app, client, kind):
    petition = make_petition()
    url = (
        stats_url(petition.id)
        if kind == "petition"
        else f"/organise/campaigns/{petition.campaign_id}/statistics"
    )
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


@pytest.mark.parametrize("kind", ["petition", "campaign"])
def test_organisers_see_only_their_own_campaigns(app, client, kind):
    petition = make_petition()
    make_signature(petition, country="DE")
    url = (
        stats_url(petition.id)
        if kind == "petition"
        else f"/organise/campaigns/{petition.campaign_id}/statistics"
    )

    outsider = make_user(Role.ORGANISER, campaigns=(make_campaign(),))
    log_in(client, outsider)
    forbidden = client.get(url)
    assert forbidden.status_code == 403
    assert petition.title not in forbidden.get_data(as_text=True)
    # A petition or campaign that does not exist looks the same: nothing leaks.
    missing = "/organise/petitions/999999/statistics"
    assert (
        client.get(
            missing if kind == "petition" else "/organise/campaigns/999999/statistics"
        ).status_code
        == 403
    )

    organiser_client = app.test_client()
    log_in(organiser_client, make_user(Role.ORGANISER, campaigns=(petition.campaign,)))
    assert organiser_client.get(url).status_code == 200

    admin_client = app.test_client()
    log_in(admin_client, make_user(Role.ADMIN))
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Statistics" in text_of(page)


def test_the_petition_hub_links_to_the_statistics(app, client):
    petition = make_petition()
    log_in(client, make_user(Role.ADMIN))
    hub = client.get(f"/organise/petitions/{petition.id}").get_data(as_text=True)
    assert f'href="{stats_url(petition.id)}"' in hub


# The numbers -----------------------------------------------------------------------------


def test_the_organiser_sees_the_statistics_move(app, client, mailbox):
    """Sign and confirm through the real forms and e-mail; the page follows each step."""
    petition = make_petition(title="Free Ales Bialiatski")
    organiser = app.test_client()
    log_in(organiser, make_user(Role.ORGANISER, campaigns=(petition.campaign,)))

    empty = organiser.get(stats_url(petition.id))
    assert empty.status_code == 200
    assert cell(empty, "confirmed") == "0"
    assert cell(empty, "rate") == "none yet"
    assert "No signatures yet." in text_of(empty)
    assert "per-day" not in svgs(empty)  # a message, not an empty chart

    assert sign(client, petition.slug, email="one@example.org", country="BE").status_code == 302
    assert sign(client, petition.slug, email="two@example.org", country="BE").status_code == 302
    signed = organiser.get(stats_url(petition.id))
    assert (cell(signed, "confirmed"), cell(signed, "pending")) == ("0", "2")
    assert cell(signed, "rate") == "0.0%"

    run_queue(app)
    assert client.get(confirmation_path(mailbox.to("one@example.org")[0])).status_code == 200
    moved = organiser.get(stats_url(petition.id))
    assert (cell(moved, "confirmed"), cell(moved, "pending")) == ("1", "1")
    assert cell(moved, "rate") == "50.0%"
    assert table_rows(moved, "by-country-table") == [["Belgium", "1", "100.0%"]]
    today = utcnow().date().isoformat()
    assert [today, "1"] in table_rows(moved, "per-day-table")
    hour = utcnow().strftime("%Y-%m-%d %H:00")
    assert [hour, "1"] in table_rows(moved, "per-hour-table")
    charts = svgs(moved)
    assert set(charts) == {"per-day", "per-hour", "by-country"}
    assert "Belgium" in svg_texts(charts["by-country"])
    assert "1" in svg_texts(charts["by-country"])


def test_by_country_is_sorted_by_count_with_thousands_separated(app, client):
    petition = make_petition()
    for country, n in (("NL", 1), ("DE", 3), ("FR", 2)):
        for _ in range(n):
            make_signature(petition, country=country)
    # A huge value straight into the counter, as a million confirmations would leave it.
    from campaign_app.petitions import counting

    counting.add_many(db.session, petition.id, {"BY": 1_234_567}, {utcnow(): 1_234_567})
    db.session.commit()
    make_signature(petition, state=SignatureState.PENDING, confirmed_at=None)
    make_signature(petition, state=SignatureState.INVALIDATED, confirmed_at=None)

    log_in(client, make_user(Role.ADMIN))
    page = client.get(stats_url(petition.id))
    rows = table_rows(page, "by-country-table")
    assert [row[:2] for row in rows] == [
        ["Belarus", "1,234,567"],
        ["Germany", "3"],
        ["France", "2"],
        ["Netherlands", "1"],
    ]
    assert cell(page, "confirmed") == "1,234,573"
    assert cell(page, "pending") == "1"
    assert cell(page, "invalidated") == "1"
    texts = svg_texts(svgs(page)["by-country"])
    assert texts[:2] == ["Belarus", "1,234,567"]
    assert "Germany" in texts and "3" in texts


def test_hours_are_bucketed_right_across_a_day_boundary(app, client):
    petition = make_petition(opens_at=utcnow() - timedelta(days=10))
    day = (utcnow() - timedelta(days=5)).date()
    before_midnight = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC)
    for moment in (
        before_midnight - timedelta(minutes=30),  # 23:29:59
        before_midnight,  # 23:59:59
        before_midnight + timedelta(seconds=1),  # 00:00:00 the next day
        before_midnight + timedelta(minutes=61),  # 01:00:59 the next day
    ):
        make_signature(petition, confirmed_at=moment)

    log_in(client, make_user(Role.ADMIN))
    first = client.get(stats_url(petition.id, day.isoformat()))
    assert first.status_code == 200
    hours = table_rows(first, "per-hour-table")
    assert len(hours) == 24
    assert hours[0][0] == f"{day.isoformat()} 00:00"
    assert hours[-1] == [f"{day.isoformat()} 23:00", "2"]
    assert sum(int(n) for _, n in hours) == 2

    next_day = day + timedelta(days=1)
    second = client.get(stats_url(petition.id, next_day.isoformat()))
    hours = table_rows(second, "per-hour-table")
    assert hours[0] == [f"{next_day.isoformat()} 00:00", "1"]
    assert hours[1] == [f"{next_day.isoformat()} 01:00", "1"]
    assert sum(int(n) for _, n in hours) == 2

    days = dict(map(tuple, table_rows(first, "per-day-table")))
    assert days[day.isoformat()] == "2"
    assert days[next_day.isoformat()] == "2"
    assert days[(day - timedelta(days=1)).isoformat()] == "0"
    # Each column of the 24-hour chart is labelled with its value.
    assert svg_texts(svgs(first)["per-hour"]).count("2") >= 1


@pytest.mark.parametrize(
    "bad", ["yesterday", "2026-13-01", "2026-02-30", "1999-01-01", "9999-12-31"]
)
def test_a_bad_day_gets_a_message_next_to_the_field(app, client, bad):
    petition = make_petition()
    make_signature(petition)
    log_in(client, make_user(Role.ADMIN))
    page = client.get(stats_url(petition.id, bad))
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert 'aria-describedby="day-hint day-error"' in html
    assert f'value="{bad}"' in html  # what was typed stays in the field
    assert "Enter a day as YYYY-MM-DD" in text_of(page)
    # The rest of the page still works, with the last 72 hours.
    assert cell(page, "confirmed") == "1"
    assert len(table_rows(page, "per-hour-table")) == 72


def test_the_last_72_hours_by_default(app, client):
    petition = make_petition(opens_at=utcnow() - timedelta(days=30))
    make_signature(petition, confirmed_at=utcnow() - timedelta(hours=80))  # outside
    make_signature(petition, confirmed_at=utcnow() - timedelta(hours=2))
    log_in(client, make_user(Role.ADMIN))
    page = client.get(stats_url(petition.id))
    hours = table_rows(page, "per-hour-table")
    assert len(hours) == 72
    assert hours[-1][0] == utcnow().strftime("%Y-%m-%d %H:00")
    assert sum(int(n) for _, n in hours) == 1
    assert len(table_rows(page, "per-day-table")) == 31


def test_signatures_never_grouped_from_the_signature_table(app, client):
    """The counters decide: a confirmed row the counters do not know about is not shown."""
    petition = make_petition()
    make_signature(petition, country="NL")
    db.session.add(
        Signature(
            petition_id=petition.id,
            first_name="Uncounted",
            last_name="Row",
            email="uncounted@example.org",
            email_hash="uncounted",
            country="DE",
            state=SignatureState.CONFIRMED,
            confirmed_at=utcnow(),
        )
    )
    db.session.commit()
    log_in(client, make_user(Role.ADMIN))
    page = client.get(stats_url(petition.id))
    assert cell(page, "confirmed") == "1"
    assert [row[0] for row in table_rows(page, "by-country-table")] == ["Netherlands"]


# Campaign --------------------------------------------------------------------------------


def test_campaign_page_shows_petitions_and_cards_sent(app, client):
    campaign = make_campaign(name="Free them all")
    first = make_petition(campaign=campaign, title="First petition")
    second = make_petition(campaign=campaign, title="Second petition")
    for _ in range(3):
        make_signature(first)
    make_signature(second)
    ales = make_prisoner(campaign=campaign, given_name_latin="Ales", surname_latin="Bialiatski")
    maria = make_prisoner(campaign=campaign, given_name_latin="Maria", surname_latin="Kalesnikava")
    elsewhere = make_prisoner()  # another campaign's prisoner: not counted here
    birthday = make_occasion(name_en="Birthday")
    new_year = make_occasion(name_en="New Year")
    make_card_sent(ales, 40, occasion_id=birthday.id)
    make_card_sent(ales, 2, occasion_id=new_year.id)
    make_card_sent(ales, 1)
    make_card_sent(maria, 1_000, occasion_id=new_year.id)  # at most 1,000 a report
    make_card_sent(maria, 500, occasion_id=new_year.id)
    make_card_sent(elsewhere, 999, occasion_id=birthday.id)

    log_in(client, make_user(Role.ORGANISER, campaigns=(campaign,)))
    page = client.get(f"/organise/campaigns/{campaign.id}/statistics")
    assert page.status_code == 200
    assert [[r[0], r[2]] for r in table_rows(page, "petitions-table")] == [
        ["First petition", "3"],
        ["Second petition", "1"],
    ]
    assert table_rows(page, "prisoners-table") == [
        ["Maria Kalesnikava", "1,500"],
        ["Ales Bialiatski", "43"],
    ]
    assert table_rows(page, "occasions-table") == [
        ["New Year", "1,502"],
        ["Birthday", "40"],
        ["No occasion given", "1"],
    ]
    assert table_rows(page, "cross-table") == [
        ["Maria Kalesnikava", "1,500", "0", "0"],
        ["Ales Bialiatski", "2", "40", "1"],
    ]
    assert "1,543 cards in all" in text_of(page)
    charts = svgs(page)
    assert set(charts) == {"petitions", "cards-per-prisoner", "cards-per-occasion"}
    texts = svg_texts(charts["cards-per-prisoner"])
    assert texts == ["Maria Kalesnikava", "1,500", "Ales Bialiatski", "43"]


def test_campaign_without_cards_says_so(app, client):
    campaign = make_campaign()
    make_prisoner(campaign=campaign)
    log_in(client, make_user(Role.ADMIN))
    page = client.get(f"/organise/campaigns/{campaign.id}/statistics")
    assert page.status_code == 200
    assert "No cards reported sent yet." in text_of(page)
    assert "cards-per-prisoner" not in svgs(page)


def test_charts_are_inline_and_the_page_passes_its_own_csp(app, client):
    petition = make_petition()
    make_signature(petition, country="BY")
    log_in(client, make_user(Role.ADMIN))
    page = client.get(stats_url(petition.id))
    csp = page.headers["Content-Security-Policy"]
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp
    html = page.get_data(as_text=True)
    assert "style=" not in html and "<style" not in html
    assert "<script" not in html or all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert len(svgs(page)) == 3  # inline <svg>, not <img> or <object>


def test_a_petition_open_for_years_shows_recent_days_and_every_month(app, client):
    """The page stays light: 92 days in the per-day chart, the whole life per month."""
    from campaign_app.statistics import service as statistics

    petition = make_petition(opens_at=datetime(2011, 8, 4, tzinfo=UTC))
    make_signature(petition, confirmed_at=datetime(2012, 9, 25, 10, tzinfo=UTC))
    stats = statistics.petition_statistics(petition, now=datetime(2026, 12, 1, tzinfo=UTC))
    assert len(stats.per_day) == statistics.DAYS_SHOWN
    assert stats.per_day[-1][0].isoformat() == "2026-12-01"
    assert stats.per_month[0][0].isoformat() == "2011-08-01"
    assert stats.per_month[-1][0].isoformat() == "2026-12-01"
    assert dict(stats.per_month)[datetime(2012, 9, 1).date()] == 1
    assert sum(n for _, n in stats.per_month) == 1


def test_a_campaign_of_many_prisoners_shows_the_most_written_to_and_links_to_the_rest(app, client):
    campaign = make_campaign()
    prisoners = [make_prisoner(campaign=campaign, surname_latin=f"Name{n:02d}") for n in range(25)]
    for n, prisoner in enumerate(prisoners[:21]):
        make_card_sent(prisoner, n + 1)
    log_in(client, make_user(Role.ORGANISER, campaigns=(campaign,)))
    page = client.get(f"/organise/campaigns/{campaign.id}/statistics")
    rows = table_rows(page, "prisoners-table")
    assert len(rows) == 20 and rows[0] == ["Ales Name20", "21"] and rows[-1][1] == "2"
    assert len(table_rows(page, "cross-table")) == 20
    assert len(svg_texts(svgs(page)["cards-per-prisoner"])) == 40  # 20 names, 20 figures
    text = text_of(page)
    assert "The 20 prisoners with the most cards of 25." in text
    assert "4 prisoners have had no card reported yet." in text
    assert "231 cards in all" in text  # every prisoner counts in the total
    html = page.get_data(as_text=True)
    assert f'href="/organise/campaigns/{campaign.id}/prisoners?sort=fewest-cards"' in html
