"""An admin erases one signer everywhere by e-mail; counts stay, exports and logs hold nothing."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from campaign_app.accounts.models import Role
from campaign_app.audit.models import AuditEvent
from campaign_app.extensions import db
from campaign_app.petitions.models import Signature, SignatureState
from tests.factories import make_campaign, make_petition, make_signature, make_user
from tests.support.privacy import counts_of, signature
from tests.support.web import log_in, post_form, text_of

URL = "/organise/privacy/erase"


def test_roles_on_the_erase_page(app, client):
    campaign = make_campaign()
    organiser = make_user(campaigns=(campaign,))
    admin = make_user(Role.ADMIN)

    response = client.get(URL)
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]
    anonymous_post = post_form(client, URL, {"email": "x@example.org"}, "/privacy/erase")
    assert anonymous_post.status_code == 302
    assert "/account/login" in anonymous_post.headers["Location"]

    log_in(client, organiser)
    assert client.get(URL).status_code == 403
    assert (
        post_form(client, URL, {"email": "a@example.org", "find": "Find"}, "/account/").status_code
        == 403
    )

    other = app.test_client()
    log_in(other, admin)
    page = other.get(URL)
    assert page.status_code == 200
    assert "Erase a signer" in text_of(page)


def test_find_then_erase_everywhere(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    admin = make_user(Role.ADMIN)
    first = make_petition(title="Free Ales")
    second = make_petition(title="Stop the death penalty")
    untouched = make_petition(title="Untouched")
    mine_1 = make_signature(
        first,
        email="Jane.Doe+x@gmail.com",
        email_normalized="janedoe@gmail.com",
        first_name="Jane",
        last_name="Secretname",
        city="Minsk",
        country="BY",
        ip_hash="a" * 64,
    )
    mine_2 = make_signature(
        second,
        email="janedoe@gmail.com",
        email_normalized="janedoe@gmail.com",
        first_name="Jane",
        last_name="Secretname",
        country="DE",
    )
    mine_pending = make_signature(
        untouched,
        email="jane.doe@gmail.com",
        email_normalized="janedoe@gmail.com",
        first_name="Jane",
        last_name="Secretname",
        state=SignatureState.PENDING,
    )
    other = make_signature(first, first_name="Other", country="BY")
    pending_id, other_id = mine_pending.id, other.id
    before = {p.id: counts_of(p.id) for p in (first, second, untouched)}

    log_in(client, admin)
    found = post_form(client, URL, {"email": "  JANE.DOE@gmail.com ", "find": "Find"})
    assert found.status_code == 200
    text = text_of(found)
    assert "Free Ales" in text and "Stop the death penalty" in text and "Untouched" in text
    assert "Secretname" not in text  # names never shown
    assert signature(mine_1.id).erased_at is None  # finding changes nothing

    erased = post_form(client, URL, {"email": "JANE.DOE@gmail.com", "erase": "Erase everywhere"})
    assert erased.status_code == 302
    assert "@" not in erased.headers["Location"]
    page = client.get(erased.headers["Location"])
    assert "Erased 3 signatures on 3 petitions. Counts are unchanged." in text_of(page)

    for row_id in (mine_1.id, mine_2.id):
        row = signature(row_id)
        assert (row.first_name, row.last_name, row.email, row.city, row.ip_hash) == (
            "",
            "",
            "",
            "",
            None,
        )
        assert row.email_hash == f"erased:{row_id}"
        assert row.email_domain_hash is None
        assert row.erased_at is not None
        assert row.state is SignatureState.CONFIRMED  # still counted
    assert db.session.get(Signature, pending_id) is None  # never counted: deleted
    assert signature(other_id).first_name == "Other"
    assert {p.id: counts_of(p.id) for p in (first, second, untouched)} == before

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "signer.erased")
    ).all()
    assert sum(event.rows or 0 for event in events) == 3
    assert sorted(pid for e in events for pid in e.details["petition_ids"]) == sorted(
        [first.id, second.id, untouched.id]
    )
    for event in events:
        dumped = f"{event.target} {event.details} {event.actor_label}"
        assert "jane" not in dumped.lower() and "Secretname" not in dumped
    assert "jane" not in "\n".join(r.getMessage() for r in caplog.records).lower()

    # The same person may sign again later: the unique index is free for the address.
    again = make_signature(first, email="janedoe@gmail.com", email_normalized="janedoe@gmail.com")
    assert again.id


# Commits: `flask petitions recount` picks its isolation level when its transaction begins.
@pytest.mark.commits
def test_recount_finds_no_drift_after_erasure(app, client, runner):
    admin = make_user(Role.ADMIN)
    petition = make_petition()
    for country in ("BY", "BY", "DE"):
        make_signature(petition, country=country)
    make_signature(
        petition, email="gone@example.org", email_normalized="gone@example.org", country="BY"
    )
    log_in(client, admin)
    post_form(client, URL, {"email": "gone@example.org", "erase": "Erase everywhere"})
    result = runner.invoke(args=["petitions", "recount", "--check"])
    assert result.exit_code == 0, result.output
    assert "counts match the rows" in result.output
    assert counts_of(petition.id)[1] == {"BY": 3, "DE": 1}


def test_bad_address_is_refused_next_to_the_field(app, client):
    admin = make_user(Role.ADMIN)
    petition = make_petition()
    kept = make_signature(petition)
    log_in(client, admin)
    response = post_form(client, URL, {"email": "not-an-address", "erase": "Erase everywhere"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="email-error"' in html
    assert 'value="not-an-address"' in html
    assert signature(kept.id).erased_at is None


def test_unknown_address_finds_nothing(app, client):
    admin = make_user(Role.ADMIN)
    make_signature(make_petition())
    log_in(client, admin)
    response = post_form(client, URL, {"email": "nobody@example.org", "find": "Find"})
    assert response.status_code == 200
    assert "No signatures are held under this address" in text_of(response)
