""" "I sent it": a supporter reports posted cards; the prisoner page shows the totals."""

from __future__ import annotations

from sqlalchemy import select

from campaign_app.demo.data import load_demo
from campaign_app.extensions import db
from campaign_app.letters.models import CardSent
from tests.factories import make_prisoner
from tests.support.web import csrf_token, text_of

PAGE = "/prisoners/ales-bialiatski"
SENT = "/letters/sent/ales-bialiatski"


def report(client, **fields):
    form = {"csrf_token": csrf_token(client, PAGE), "occasion": "birthday", "count": "1"}
    form.update(fields)
    return client.post(SENT, data=form)


def test_i_sent_it_increments_the_counts_shown(app, client):
    load_demo()
    assert "0 cards and letters reported sent" in text_of(client.get(PAGE))

    response = report(client, count="3", country="NL")
    assert response.status_code == 303
    page = text_of(client.get(response.headers["Location"]))
    assert "Thank you: 3 cards are now counted." in page
    assert "3 cards and letters reported sent" in page

    report(client, occasion="new-year", count="1")
    report(client, occasion="", count="2")
    page = text_of(client.get(PAGE))
    assert "6 cards and letters reported sent" in page
    assert "Birthday 3" in page
    assert "New Year 1" in page
    assert "Other occasions 2" in page

    rows = db.session.scalars(select(CardSent).order_by(CardSent.id)).all()
    assert [(row.count, row.sender_country) for row in rows] == [(3, "NL"), (1, None), (2, None)]


def test_one_card_reads_in_the_singular(app, client):
    load_demo()
    page = text_of(client.get(report(client).headers["Location"]))
    assert "Thank you: 1 card is now counted." in page
    assert "1 card or letter reported sent" in page


def test_count_out_of_range_is_refused_with_a_clear_message(app, client):
    load_demo()
    for count in ("0", "51", "-3"):
        response = report(client, count=count)
        assert response.status_code == 400
        assert "Please enter a number from 1 to 50." in text_of(response)
    response = report(client, count="many")
    assert response.status_code == 400
    assert db.session.scalar(select(CardSent.id)) is None


def test_unknown_occasion_or_country_is_refused(app, client):
    load_demo()
    assert report(client, occasion="no-such-occasion").status_code == 400
    response = report(client, country="XX")
    assert response.status_code == 400
    assert "Please choose a country from the list." in text_of(response)
    assert db.session.scalar(select(CardSent.id)) is None


def test_i_sent_it_needs_the_csrf_token(app, client):
    load_demo()
    assert report(client, csrf_token="forged").status_code == 400
    assert db.session.scalar(select(CardSent.id)) is None


def test_no_report_for_a_released_prisoner(app, client):
    from campaign_app.prisoners.models import PrisonerStatus

    load_demo()
    token = csrf_token(client, PAGE)  # the token is per session, not per page
    prisoner = make_prisoner(status=PrisonerStatus.RELEASED)
    response = client.post(f"/letters/sent/{prisoner.slug}", data={"csrf_token": token})
    assert response.status_code == 409
    assert "I sent it" not in text_of(client.get(f"/prisoners/{prisoner.slug}"))


def test_reports_are_rate_limited_per_ip(make_app):
    app = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        CARD_SENT_RATE_LIMIT_PER_IP="2/minute",
    )
    with app.app_context():
        load_demo()
        client = app.test_client()
        codes = [report(client).status_code for _ in range(3)]
        assert codes == [303, 303, 429]
        assert "2 cards and letters reported sent" in text_of(client.get(PAGE))
