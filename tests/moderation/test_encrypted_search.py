"""Moderation on encrypted signer data: a name is compared decrypted, at most
MODERATION_NAME_SCAN_LIMIT rows at once; a batch keeps its name condition encrypted while
it waits; addresses and domains are matched through their keyed hashes."""

from __future__ import annotations

import re

from sqlalchemy import select

from campaign_app.extensions import db
from campaign_app.moderation.models import InvalidationBatch
from campaign_app.petitions.models import Signature, SignatureState
from tests.factories import make_signature
from tests.support.moderation import (
    invalidate,
    preview,
    results,
    search,
    search_id,
    setup,
    signed_in,
)
from tests.support.queue import run_queue
from tests.support.web import text_of

OLDER_LINK = re.compile(r'href="([^"]*before=\d+[^"]*)"')


def test_a_name_search_reads_a_bounded_number_of_rows_per_page(make_app):
    app = make_app(MODERATION_NAME_SCAN_LIMIT=3)
    client = app.test_client()
    with app.app_context():
        s = setup()
        make_signature(s.petition, first_name="Oldest", last_name="Target")
        for n in range(5):
            make_signature(s.petition, first_name="Newer", last_name=f"Signer{n}")
        signed_in(client, s)

        first = results(client, s, name="target")
        page = text_of(first)
        assert "No signature matches." in page
        assert "this page stopped after 3 signatures" in page
        older = OLDER_LINK.search(first.get_data(as_text=True))
        assert older, "no link to search on"
        second = client.get(older.group(1).replace("&amp;", "&"))
        assert "this page stopped after 3 signatures" in text_of(second)
        assert "Oldest Target" in text_of(second)
        # Without a name condition nothing is read one by one: the ordinary page.
        assert "stopped after" not in text_of(results(client, s, country="NL"))


def test_a_name_condition_over_too_many_rows_asks_for_narrower_conditions(make_app):
    app = make_app(MODERATION_NAME_SCAN_LIMIT=3)
    client = app.test_client()
    with app.app_context():
        s = setup()
        for n in range(4):
            make_signature(s.petition, first_name="Bot", last_name=f"N{n}", country="NL")
        make_signature(s.petition, first_name="Bot", last_name="Elsewhere", country="BE")
        signed_in(client, s)

        token = search_id(search(client, s, name="bot"))
        refused = preview(client, s, token)
        assert refused.status_code == 302
        page = text_of(client.get(refused.headers["Location"]))
        assert "at most 3 signatures at once" in page and "select 5" in page

        token = search_id(search(client, s, name="bot", country="BE"))
        page = preview(client, s, token)
        assert page.status_code == 200
        assert "Invalidate 1 signature" in text_of(page)


def test_a_waiting_batch_keeps_the_name_encrypted_and_the_job_matches_it(app, client):
    s = setup()
    spam = [
        make_signature(s.petition, first_name="Spammy", last_name=f"McSpam{n}") for n in range(3)
    ]
    honest = make_signature(s.petition, first_name="Anna", last_name="Real")
    signed_in(client, s)
    token = search_id(search(client, s, name="mcspam"))
    assert "Invalidate 3 signatures" in text_of(preview(client, s, token))
    invalidate(client, s, token, 3)

    batch = db.session.scalars(select(InvalidationBatch)).one()
    assert "mcspam" not in str(batch.criteria).lower()
    assert batch.criteria["sealed_name"]
    shown = text_of(client.get(f"{s.base}/batches/{batch.id}"))
    assert "kept encrypted until the batch has run" in shown

    run_queue(app)
    db.session.expire_all()
    states = dict(db.session.execute(select(Signature.id, Signature.state)).all())
    assert {states[row.id] for row in spam} == {SignatureState.INVALIDATED}
    assert states[honest.id] is SignatureState.CONFIRMED
    batch = db.session.get(InvalidationBatch, batch.id)
    assert "sealed_name" not in batch.criteria and batch.criteria["given"] == ["name"]


def test_domains_and_addresses_are_matched_by_their_keyed_hashes(app, client):
    s = setup()
    make_signature(
        s.petition,
        first_name="Gmail",
        last_name="User",
        email="Some.One@GoogleMail.com",
        email_normalized="someone@gmail.com",
    )
    make_signature(s.petition, first_name="Other", last_name="Domain", email="x@gmail.com.example")
    signed_in(client, s)
    for domain in ("gmail.com", "GoogleMail.com", "@gmail.com"):
        page = text_of(results(client, s, domain=domain))
        assert "Gmail User" in page and "Other Domain" not in page
        assert "Some.One@GoogleMail.com" in page  # shown decrypted, as typed
    page = text_of(results(client, s, email="s.o.m.e.o.n.e+x@gmail.com"))
    assert "Gmail User" in page and "Other Domain" not in page
    # A part of a domain is not a domain: the hash matches whole domains only.
    assert "No signature matches." in text_of(results(client, s, domain="mail.com"))
