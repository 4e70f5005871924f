"""Entering paper batches (a count, rows by hand), invalidating and restoring them: the rows,
the counters by source, the audit log, and the public page and API."""

from __future__ import annotations

import json

from sqlalchemy import select

from campaign_app.extensions import db
from campaign_app.moderation.criteria import Criteria
from campaign_app.moderation.service.invalidating import count_active
from campaign_app.paper.models import BatchKind, PaperBatch, PaperBatchState
from campaign_app.petitions.models import Signature, SignatureSource, SignatureState
from tests.factories import make_signature
from tests.support.organise import audit_events, page_token
from tests.support.paper import BATCH, counts_agree, setup, signed_in, source_rows
from tests.support.web import post_form, text_of


def enter_counts(client, s, signatures="120", country="DE"):
    return post_form(
        client, f"{s.base}/counts", BATCH | {"country": country, "signatures": signatures}
    )


def test_a_counts_batch_adds_that_many_nameless_confirmed_rows(app, client):
    s = setup()
    make_signature(s.petition, country="NL")
    signed_in(client, s)

    response = enter_counts(client, s)

    assert response.status_code == 302
    batch = db.session.scalars(select(PaperBatch)).one()
    assert (batch.kind, batch.signatures, batch.country) == (BatchKind.COUNTS, 120, "DE")
    assert batch.event == "Solidarity day stall" and batch.sheet_serials == "p-0001 to p-0004"
    rows = db.session.scalars(select(Signature).where(Signature.paper_batch_id == batch.id)).all()
    assert len(rows) == 120
    row = rows[0]
    assert (row.state, row.source, row.country) == (
        SignatureState.CONFIRMED,
        SignatureSource.PAPER,
        "DE",
    )
    assert row.email is None or row.email == ""
    assert row.email_hash.startswith("paper:") and row.mail_due_at is None
    assert row.confirmed_at is not None and row.first_name == ""
    counts = counts_agree(s.petition)
    assert counts.by_source == {"online": 1, "paper": 120}
    assert (counts.total, counts.online, counts.on_paper) == (121, 1, 120)
    # The hourly counters hold online signatures only.
    assert sum(counts_by_hour(s).values()) == 1
    page = client.get(response.headers["Location"])
    assert "Batch entered: 120 signatures." in text_of(page)
    [event] = audit_events("paper.batch_entered")
    assert event.rows == 120 and event.details["kind"] == "counts"


def counts_by_hour(s):
    from campaign_app.petitions import counting

    return counting.read_hourly(db.session, s.petition.id)


def test_a_counts_batch_needs_a_country_and_a_positive_number(app, client):
    s = setup()
    signed_in(client, s)

    response = enter_counts(client, s, signatures="0", country="")

    assert response.status_code == 400
    text = text_of(response)
    assert "At least one signature." in text
    assert "Please choose a country from the list." in text
    assert db.session.scalars(select(PaperBatch)).all() == []


def rows_data(n, **extra):
    data = BATCH | {"country": "NL"} | extra
    for i in range(n):
        data |= {
            f"rows-{i}-first_name": f"Anna{i}",
            f"rows-{i}-last_name": f"Ivanova{i}",
            f"rows-{i}-city": "Амстэрдам" if i % 2 else "Berlin",
            f"rows-{i}-country": "" if i % 2 else "de",
        }
    return data


def test_forty_rows_by_hand_with_more_rows_added(app, client):
    s = setup()
    signed_in(client, s)
    url = f"{s.base}/rows"
    page = client.get(url).get_data(as_text=True)
    assert page.count('name="rows-') == 20 * 4  # 20 empty rows without JavaScript
    assert "paper_rows.js" in page

    # "Add more rows" keeps what was typed and shows 20 more.
    more = post_form(client, url, rows_data(20, more="1"))
    assert more.status_code == 200
    html = more.get_data(as_text=True)
    assert html.count('name="rows-') == 40 * 4
    assert 'value="Anna19"' in html
    assert db.session.scalars(select(PaperBatch)).all() == []

    response = post_form(client, url, rows_data(40, save="1"))

    assert response.status_code == 302, text_of(response)[:2000]
    batch = db.session.scalars(select(PaperBatch)).one()
    assert (batch.kind, batch.signatures) == (BatchKind.ROWS, 40)
    signatures = db.session.scalars(
        select(Signature).where(Signature.paper_batch_id == batch.id).order_by(Signature.id)
    ).all()
    assert [(x.first_name, x.last_name, x.city, x.country) for x in signatures[:2]] == [
        ("Anna0", "Ivanova0", "Berlin", "DE"),
        ("Anna1", "Ivanova1", "Амстэрдам", "NL"),  # blank country: the batch's
    ]
    counts = counts_agree(s.petition)
    assert counts.by_source == {"paper": 40}
    assert counts.by_country == {"DE": 20, "NL": 20}


def test_a_bad_row_is_marked_next_to_its_cell_and_nothing_is_stored(app, client):
    s = setup()
    signed_in(client, s)
    data = rows_data(3, save="1") | {
        "rows-1-country": "XX",
        "rows-2-first_name": "",
        "rows-2-last_name": "",
        "country": "",
    }

    response = post_form(client, f"{s.base}/rows", data)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="rows-1-country-error">Not a country code (two letters, e.g. DE).' in html
    assert 'id="rows-2-first_name-error">A name is needed.' in html
    assert "2 rows have a problem." in text_of(response)
    assert 'value="Anna0"' in html  # what was typed stays
    assert db.session.scalars(select(PaperBatch)).all() == []
    assert source_rows(s.petition, SignatureSource.PAPER) == 0


def test_invalidate_and_restore_a_batch_moves_the_counts_both_ways(app, client):
    s = setup()
    make_signature(s.petition, country="DE")
    signed_in(client, s)
    enter_counts(client, s, signatures="30")
    batch = db.session.scalars(select(PaperBatch)).one()
    url = f"{s.base}/batches/{batch.id}"
    assert counts_agree(s.petition).total == 31

    response = post_form(client, f"{url}/invalidate", {"reason": "sheets unreadable"}, url)

    assert response.status_code == 302
    db.session.expire_all()
    assert batch.state is PaperBatchState.INVALIDATED
    counts = counts_agree(s.petition)
    assert (counts.total, counts.on_paper, counts.by_country) == (1, 0, {"DE": 1})
    assert "30 signatures invalidated" in text_of(client.get(url))
    # Twice: refused with a message, nothing changes.
    post_form(client, f"{url}/invalidate", {"reason": ""}, url)
    assert counts_agree(s.petition).total == 1

    response = post_form(client, f"{url}/restore", {}, url)

    assert response.status_code == 302
    db.session.expire_all()
    assert batch.state is PaperBatchState.ACTIVE and batch.restored_at is not None
    counts = counts_agree(s.petition)
    assert (counts.total, counts.on_paper, counts.by_country) == (31, 30, {"DE": 31})
    actions = [e.action for e in audit_events("paper.batch_invalidated")] + [
        e.action for e in audit_events("paper.batch_restored")
    ]
    assert actions == ["paper.batch_invalidated", "paper.batch_restored"]


def test_the_page_and_the_api_show_counts_by_source(app, client):
    s = setup(slug="by-source")
    for _ in range(3):
        make_signature(s.petition, country="NL")
    signed_in(client, s)
    enter_counts(client, s, signatures="12")

    page = client.get("/petitions/by-source")
    api = client.get("/api/v1/petitions/by-source")

    assert "15 confirmed signatures" in text_of(page)
    assert "3 online + 12 on paper" in text_of(page)
    body = json.loads(api.data)
    assert body["signature_count"] == 15
    assert body["counts_by_source"] == {"online": 3, "paper": 12, "import": 0}
    assert body["counts_by_country"] == {"DE": 12, "NL": 3}


def test_moderation_windows_never_take_paper_rows(app, client):
    s = setup()
    make_signature(s.petition, country="DE")
    signed_in(client, s)
    enter_counts(client, s, signatures="50")

    # The last day's signing: the one online signature, not the batch typed in just now.
    from datetime import timedelta

    from campaign_app.db import utcnow

    since = Criteria(signed_from=utcnow() - timedelta(days=1))
    assert count_active(s.petition, since) == 1
    assert count_active(s.petition, Criteria(country="DE")) == 1


def test_an_outsider_cannot_see_or_enter_batches(app, client):
    from campaign_app.accounts.models import Role
    from tests.factories import make_user
    from tests.support.web import log_in

    s = setup()
    log_in(client, make_user(Role.ORGANISER))

    assert client.get(s.base).status_code == 403
    token = page_token(client)
    response = client.post(
        f"{s.base}/counts", data=BATCH | {"country": "DE", "signatures": 5, "csrf_token": token}
    )
    assert response.status_code == 403
    assert db.session.scalars(select(PaperBatch)).all() == []


def test_statistics_keep_paper_out_of_the_hours_and_the_rate(app, client):
    s = setup()
    make_signature(s.petition, country="NL")
    make_signature(s.petition, country="NL", state=SignatureState.PENDING)
    signed_in(client, s)
    enter_counts(client, s, signatures="40")

    page = client.get(f"/organise/petitions/{s.petition.id}/statistics")

    text = text_of(page)
    assert "Confirmed signatures 41" in text
    assert "of them signed on paper (not in the hours below, nor in the rate) 40" in text
    assert "Confirmation rate confirmed ÷ (confirmed + waiting) 50.0%" in text


def test_more_than_five_hundred_rows_in_one_form_are_refused(app, client):
    s = setup()
    signed_in(client, s)

    response = post_form(client, f"{s.base}/rows", rows_data(501, save="1"))

    assert response.status_code == 400
    assert "At most 500 rows in one form: enter the rest as another batch." in text_of(response)
    assert db.session.scalars(select(PaperBatch)).all() == []
