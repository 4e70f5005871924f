"""Retention: anonymising closed petitions, deleting unconfirmed signatures, clearing IP
hashes; `flask privacy purge`, its dry run and its audit row; the organiser's button."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from campaign_app.accounts.models import Role
from campaign_app.audit.models import AuditEvent
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition, PetitionState, Signature, SignatureState
from campaign_app.privacy import jobs, retention
from campaign_app.privacy.models import ErasureRequest
from tests.factories import make_campaign, make_petition, make_signature, make_user
from tests.support.privacy import counts_of, signature
from tests.support.queue import run_queue
from tests.support.web import log_in, post_form, text_of


def days_ago(days: int):
    return utcnow() - timedelta(days=days)


def set_petition(petition_id: int, **values) -> None:
    db.session.execute(update(Petition).where(Petition.id == petition_id).values(**values))
    db.session.commit()


def snapshot() -> list[tuple]:
    db.session.expire_all()
    return [
        tuple(row)
        for row in db.session.execute(
            select(
                Signature.id,
                Signature.first_name,
                Signature.email,
                Signature.ip_hash,
                Signature.erased_at,
                Signature.state,
            ).order_by(Signature.id)
        )
    ] + [tuple(row) for row in db.session.execute(select(Petition.id, Petition.anonymised_at))]


def scenario():
    """Petitions and signatures with dates set explicitly (no sleeping)."""
    old = make_petition(title="Closed long ago", opens_at=days_ago(400), closes_at=days_ago(200))
    by_hand = make_petition(state=PetitionState.CLOSED, opens_at=days_ago(400))
    set_petition(by_hand.id, updated_at=days_ago(190))
    recent = make_petition(opens_at=days_ago(100), closes_at=days_ago(10))
    live = make_petition(opens_at=days_ago(60))
    rows = {
        "old_confirmed": make_signature(
            old, country="BY", ip_hash="a" * 64, created_at=days_ago(300)
        ),
        "old_invalid": make_signature(old, country="DE", state=SignatureState.INVALIDATED),
        "old_pending": make_signature(old, state=SignatureState.PENDING, created_at=days_ago(201)),
        "hand_confirmed": make_signature(by_hand, country="LT"),
        "recent_confirmed": make_signature(
            recent, country="BY", ip_hash="b" * 64, created_at=days_ago(50)
        ),
        "live_old_ip": make_signature(live, ip_hash="c" * 64, created_at=days_ago(31)),
        "live_new_ip": make_signature(live, ip_hash="d" * 64, created_at=days_ago(29)),
        "live_old_pending": make_signature(
            live, state=SignatureState.PENDING, created_at=days_ago(31), ip_hash="e" * 64
        ),
        "live_new_pending": make_signature(
            live, state=SignatureState.PENDING, created_at=days_ago(29)
        ),
    }
    db.session.add(ErasureRequest(token_hash="f" * 64, email_hash="0" * 32, expires_at=days_ago(1)))
    db.session.commit()
    ids = {name: row.id for name, row in rows.items()}
    petitions = {"old": old.id, "by_hand": by_hand.id, "recent": recent.id, "live": live.id}
    return petitions, ids


EXPECTED = {
    "petitions_anonymised": 2,
    "signatures_anonymised": 3,  # old_confirmed, old_invalid, hand_confirmed
    "unconfirmed_deleted": 2,  # old_pending, live_old_pending
    "ip_hashes_cleared": 2,  # live_old_ip, recent_confirmed (live_new_ip is 29 days old)
    "erasure_requests_deleted": 1,
}


def test_dry_run_changes_nothing_and_predicts_the_run(app, runner):
    scenario()
    before = snapshot()
    result = runner.invoke(args=["privacy", "purge", "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {key: report[key] for key in EXPECTED} == EXPECTED
    assert report["dry_run"] is True
    assert snapshot() == before
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0

    human = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert "2 petition(s) would be anonymised" in human.stdout
    assert "Dry run: nothing was changed." in human.stdout
    assert snapshot() == before


# Commits: `flask petitions recount` picks its isolation level when its transaction begins.
@pytest.mark.commits
def test_purge_applies_the_rules_and_keeps_counts(app, runner):
    petitions, ids = scenario()
    counts_before = {name: counts_of(pid) for name, pid in petitions.items()}
    result = runner.invoke(args=["privacy", "purge", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {key: report[key] for key in EXPECTED} == EXPECTED
    assert sorted(report["petition_ids"]) == sorted([petitions["old"], petitions["by_hand"]])

    for name in ("old_confirmed", "old_invalid", "hand_confirmed"):
        row = signature(ids[name])
        assert row.erased_at is not None and row.first_name == "" and row.ip_hash is None
    assert signature(ids["old_invalid"]).state is SignatureState.INVALIDATED
    for name in ("old_pending", "live_old_pending"):
        assert db.session.get(Signature, ids[name]) is None
    assert signature(ids["live_new_pending"]).state is SignatureState.PENDING
    assert signature(ids["live_old_ip"]).ip_hash is None
    assert signature(ids["live_old_ip"]).first_name == "Anna"  # only the hash goes
    assert signature(ids["live_new_ip"]).ip_hash == "d" * 64
    assert signature(ids["recent_confirmed"]).erased_at is None
    assert signature(ids["recent_confirmed"]).ip_hash is None
    assert db.session.get(Petition, petitions["old"]).anonymised_at is not None
    assert db.session.get(Petition, petitions["recent"]).anonymised_at is None
    assert db.session.scalars(select(ErasureRequest)).all() == []
    assert {name: counts_of(pid) for name, pid in petitions.items()} == counts_before

    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "privacy.purge"))
    assert event.actor_label.startswith("command line")
    assert {key: event.details[key] for key in EXPECTED} == EXPECTED
    flat = json.dumps(event.details) + event.target
    assert "Anna" not in flat and "@" not in flat

    recount = runner.invoke(args=["petitions", "recount", "--check", "--json"])
    assert json.loads(recount.stdout)["drift"] == {
        slug: {} for slug in json.loads(recount.stdout)["drift"]
    }

    # Running again finds nothing left to do.
    again = json.loads(runner.invoke(args=["privacy", "purge", "--json"]).stdout)
    assert {key: again[key] for key in EXPECTED} == dict.fromkeys(EXPECTED, 0)


def test_anonymised_petition_public_page_keeps_counts(app, client):
    petition = make_petition(opens_at=days_ago(400), closes_at=days_ago(200))
    make_signature(petition, first_name="Olga", country="BY")
    make_signature(petition, first_name="Pavel", country="PL")
    before = text_of(client.get(f"/petitions/{petition.slug}"))
    assert "Olga" in before
    retention.purge(via="cli")
    after = text_of(client.get(f"/petitions/{petition.slug}"))
    assert "Olga" not in after and "Pavel" not in after
    assert counts_of(petition.id)[1] == {"BY": 1, "PL": 1}


def test_the_queue_runs_the_purge_once_a_day(app):
    periodic = [
        task.__name__ for task in app.extensions["campaign_queue"].huey._registry._periodic_tasks
    ]
    assert "periodic:campaign_app.privacy.jobs:purge_if_due" in periodic
    petitions, ids = scenario()
    jobs.purge_if_due()
    assert signature(ids["old_confirmed"]).erased_at is not None
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "privacy.purge"))
    assert event.actor_label == "scheduled job"
    make_signature(
        db.session.get(Petition, petitions["live"]),
        state=SignatureState.PENDING,
        created_at=days_ago(40),
    )
    jobs.purge_if_due()  # ran less than 24 hours ago: returns at once
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 1
    db.session.execute(update(AuditEvent).values(at=days_ago(2)))
    db.session.commit()
    jobs.purge_if_due()
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "privacy.purge")
        )
        == 2
    )


# The organiser's button ------------------------------------------------------------------


def anonymise_url(petition_id: int) -> str:
    return f"/organise/petitions/{petition_id}/anonymise"


def test_roles_on_the_anonymise_page(app, client):
    campaign = make_campaign()
    petition = make_petition(campaign=campaign, state=PetitionState.CLOSED)
    url = anonymise_url(petition.id)

    response = client.get(url)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    response = post_form(client, url, {}, page_url="/privacy/erase")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]

    stranger = make_user(campaigns=(make_campaign(),))
    log_in(client, stranger)
    assert client.get(url).status_code == 403
    assert post_form(client, url, {}, page_url="/account/").status_code == 403
    assert client.get(anonymise_url(999_999)).status_code == 403

    for user in (make_user(campaigns=(campaign,)), make_user(Role.ADMIN)):
        other = app.test_client()
        log_in(other, user)
        page = other.get(url)
        assert page.status_code == 200
        assert "Anonymise the signers now" in text_of(page)


def test_organiser_anonymises_a_closed_petition_as_a_job(app, client):
    campaign = make_campaign()
    petition = make_petition(campaign=campaign, state=PetitionState.CLOSED)
    signer = make_signature(petition, country="BY", first_name="Marta")
    pending = make_signature(petition, state=SignatureState.PENDING)
    signer_id, pending_id, petition_id = signer.id, pending.id, petition.id
    before = counts_of(petition_id)
    organiser = make_user(campaigns=(campaign,))
    log_in(client, organiser)

    response = post_form(client, anonymise_url(petition_id), {})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/organise/petitions/{petition_id}")
    assert signature(signer_id).erased_at is None  # queued, not run in the request
    run_queue(app)
    assert signature(signer_id).erased_at is not None
    assert db.session.get(Signature, pending_id) is None
    assert db.session.get(Petition, petition_id).anonymised_at is not None
    assert counts_of(petition_id) == before
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "petition.anonymised")
    )
    assert event.actor_id == organiser.id and event.petition_id == petition_id
    assert event.details == {"signatures_anonymised": 1, "unconfirmed_deleted": 1}
    page = client.get(anonymise_url(petition_id))
    assert "were anonymised on" in text_of(page)


def test_open_petition_cannot_be_anonymised(app, client):
    campaign = make_campaign()
    petition = make_petition(campaign=campaign)
    signer = make_signature(petition)
    log_in(client, make_user(campaigns=(campaign,)))
    page = client.get(anonymise_url(petition.id))
    assert page.status_code == 200
    assert "Only a closed petition" in text_of(page)
    response = post_form(client, anonymise_url(petition.id), {}, page_url="/account/")
    assert response.status_code == 409
    run_queue(app)
    assert signature(signer.id).erased_at is None


def test_the_purge_runs_on_one_node_only_while_another_holds_it(app, database_url):
    """Two workers check in the same minute: the one without the lock leaves the purge."""
    if not database_url.startswith("postgresql"):
        pytest.skip("one node on SQLite: its write lock serialises the purge")
    from campaign_app.queue import exclusive

    _petitions, ids = scenario()
    with exclusive("privacy.purge") as mine:  # another node's worker is purging now
        assert mine
        jobs.purge_if_due()
        assert signature(ids["old_confirmed"]).erased_at is None
    jobs.purge_if_due()  # the lock is free again
    assert signature(ids["old_confirmed"]).erased_at is not None
