""" "I got a reply": a supporter reports a reply; the public page counts it by month only,
organisers see cards reported against replies next to "mail is getting through"."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from campaign_app.accounts.models import Role
from campaign_app.db import utcnow
from campaign_app.demo.data import load_demo
from campaign_app.extensions import db
from campaign_app.prisoners.models import Prisoner
from campaign_app.replies.models import ReplyReport
from campaign_app.replies.service import mail_summaries
from tests.factories import make_card_sent, make_prisoner, make_user
from tests.support.web import csrf_token, log_in, text_of

PAGE = "/prisoners/ales-bialiatski"
REPLY = "/replies/ales-bialiatski"


def report(client, **fields):
    form = {"csrf_token": csrf_token(client, PAGE), "received_on": "2012-10-03", "country": "NL"}
    form.update(fields)
    return client.post(REPLY, data=form)


def demo_prisoner() -> Prisoner:
    load_demo()
    prisoner = db.session.scalar(select(Prisoner).where(Prisoner.slug == "ales-bialiatski"))
    assert prisoner is not None
    return prisoner


def test_a_reply_is_stored_without_personal_data_and_counted_by_month(app, client):
    prisoner = demo_prisoner()
    assert "No reply reported yet." in text_of(client.get(PAGE))

    response = report(client)
    assert response.status_code == 303
    # The prisoner page opens at its top, where the thanks is (not further down at the box).
    assert "#" not in response.headers["Location"]
    page = text_of(client.get(response.headers["Location"]))
    assert "Thank you: the reply is counted." in page
    assert "1 supporter reported a reply · the last in October 2012" in page
    assert "3 Oct" not in page and "2012-10-03" not in page  # month only, never the day

    report(client, received_on="2013-01-15", country="")
    assert "2 supporters reported a reply · the last in January 2013" in text_of(client.get(PAGE))
    rows = db.session.scalars(select(ReplyReport).order_by(ReplyReport.id)).all()
    assert [(r.prisoner_id, r.received_on, r.sender_country) for r in rows] == [
        (prisoner.id, date(2012, 10, 3), "NL"),
        (prisoner.id, date(2013, 1, 15), None),
    ]
    assert {c.name for c in ReplyReport.__table__.columns} == {
        "id",
        "prisoner_id",
        "received_on",
        "sender_country",
        "created_at",
    }


def test_a_future_date_or_one_before_the_arrest_is_refused_with_a_clear_message(app, client):
    demo_prisoner()
    tomorrow = (utcnow().date() + timedelta(days=1)).isoformat()
    response = report(client, received_on=tomorrow)
    assert response.status_code == 400
    assert "The date of the reply cannot be in the future." in text_of(response)
    response = report(client, received_on="2011-08-03")
    assert response.status_code == 400
    assert "The date of the reply cannot be before the arrest (2011-08-04)." in text_of(response)
    for bad in ("", "yesterday", "2012-13-40", "\x00", "9" * 10_000):
        response = report(client, received_on=bad)
        assert response.status_code == 400, bad
    response = report(client, country="XX")
    assert response.status_code == 400
    assert "Please choose a country from the list." in text_of(response)
    assert report(client, csrf_token="forged").status_code == 400
    assert db.session.scalar(select(ReplyReport.id)) is None


def test_unknown_prisoner_is_404(app, client):
    load_demo()
    token = csrf_token(client, PAGE)
    response = client.post("/replies/nobody", data={"csrf_token": token})
    assert response.status_code == 404


def test_summaries_count_cards_and_replies_per_prisoner(app):
    quiet = make_prisoner()
    busy = make_prisoner()
    make_card_sent(busy, count=5)
    make_card_sent(busy, count=2)
    for day in (date(2012, 3, 1), date(2012, 5, 9)):
        db.session.add(ReplyReport(prisoner_id=busy.id, received_on=day))
    db.session.flush()
    summaries = mail_summaries([quiet.id, busy.id])
    assert summaries[quiet.id].cards_reported == 0
    assert summaries[quiet.id].replies == 0
    assert summaries[quiet.id].last_reply_on is None
    assert summaries[busy.id].cards_reported == 7
    assert summaries[busy.id].replies == 2
    assert summaries[busy.id].last_reply_on == date(2012, 5, 9)


def test_organisers_see_cards_against_replies_and_a_review_hint(app, client):
    prisoner = demo_prisoner()  # mail getting through: yes, as of 1 September 2012
    make_card_sent(prisoner, count=25)
    owner = make_user(Role.ORGANISER, campaigns=(prisoner.campaign,))
    log_in(client, owner)
    listing = f"/organise/campaigns/{prisoner.campaign_id}/prisoners"
    page = text_of(client.get(listing))
    assert "25 cards reported · 0 replies" in page
    assert "review: many cards, no reply since the flag's date" in page

    db.session.add(ReplyReport(prisoner_id=prisoner.id, received_on=date(2012, 10, 3)))
    db.session.flush()
    page = text_of(client.get(f"/organise/prisoners/{prisoner.id}/edit"))
    assert "25 cards reported · 1 reply · last reply Oct 3, 2012" in page
    assert "review:" not in page

    prisoner.is_mail_getting_through = False
    db.session.flush()
    page = text_of(client.get(listing))
    assert "review: a reply arrived after the flag's date" in page


def test_reply_reports_are_rate_limited_per_ip(make_app):
    app = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        REPLY_RATE_LIMIT_PER_IP="2/minute",
    )
    with app.app_context():
        load_demo()
        client = app.test_client()
        codes = [report(client).status_code for _ in range(3)]
        assert codes == [303, 303, 429]
        assert "2 supporters reported a reply" in text_of(client.get(PAGE))
