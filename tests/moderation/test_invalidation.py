"""Invalidating in bulk (preview, job, progress), one by one, restoring; counts and audit follow."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from campaign_app.audit.models import AuditEvent
from campaign_app.extensions import db
from campaign_app.moderation import changes, jobs
from campaign_app.moderation.models import BatchState, InvalidationBatch
from campaign_app.petitions import counting
from campaign_app.petitions.models import Signature, SignatureState
from tests.factories import make_signature
from tests.support.moderation import invalidate, preview, search, search_id, setup, signed_in
from tests.support.queue import run_queue
from tests.support.web import post_form, text_of

HOUR_1 = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
HOUR_2 = datetime(2026, 11, 30, 14, 40, tzinfo=UTC)


def attack(s):
    """Three honest signers and a wave from one domain: confirmed in two hours, and pending."""
    honest = [
        make_signature(s.petition, country="NL", confirmed_at=HOUR_1),
        make_signature(s.petition, country="BY", confirmed_at=HOUR_2),
        make_signature(s.petition, country="FR", state=SignatureState.PENDING),
    ]
    wave = []
    for n, (country, hour) in enumerate(
        [("NL", HOUR_1), ("NL", HOUR_2), ("DE", HOUR_2), ("DE", HOUR_2), ("NL", HOUR_1)]
    ):
        wave.append(
            make_signature(
                s.petition,
                email=f"bot{n}@flood.example",
                email_normalized=f"bot{n}@flood.example",
                country=country,
                confirmed_at=hour,
                ip_hash="c" * 32,
            )
        )
    for n in range(2):
        wave.append(
            make_signature(
                s.petition,
                email=f"late{n}@flood.example",
                email_normalized=f"late{n}@flood.example",
                country="DE",
                state=SignatureState.PENDING,
            )
        )
    # Already invalidated rows are not counted by the preview and not touched by the job.
    make_signature(
        s.petition,
        email_normalized="old@flood.example",
        email="old@flood.example",
        state=SignatureState.INVALIDATED,
    )
    return honest, wave


def states(ids) -> dict[int, SignatureState]:
    db.session.expire_all()
    rows = db.session.execute(select(Signature.id, Signature.state).where(Signature.id.in_(ids)))
    return dict(rows.all())


def counts(s):
    db.session.expire_all()
    return counting.read_counts(db.session, s.petition.id), counting.read_hourly(
        db.session, s.petition.id
    )


def no_drift(runner, s) -> None:
    result = runner.invoke(args=["petitions", "recount", s.petition.slug, "--check"])
    assert result.exit_code == 0, result.output
    assert f"{s.petition.slug}: counts match the rows." in result.output
    assert counting.hourly_from_rows(db.session, s.petition.id) == counting.read_hourly(
        db.session, s.petition.id
    )


def start_bulk(client, s, **conditions):
    token = search_id(search(client, s, **conditions))
    page = preview(client, s, token)
    assert page.status_code == 200
    shown = int(re.search(r"Invalidate (\d+) signatures?\b", text_of(page)).group(1))
    return token, shown


# Commits: no_drift runs `flask petitions recount`, which picks its isolation level.
@pytest.mark.commits
def test_preview_count_is_what_the_job_invalidates_and_counts_follow(app, client, runner):
    s = setup()
    honest, wave = attack(s)
    signed_in(client, s)
    before_counts, before_hours = counts(s)
    assert before_counts.total == 7 and before_counts.by_country == {"NL": 4, "BY": 1, "DE": 2}

    token, shown = start_bulk(client, s, domain="flood.example")
    assert shown == 7  # 5 confirmed + 2 pending; the invalidated one is not counted
    response = invalidate(client, s, token, shown, reason="Scripted flood")
    assert response.status_code == 302
    batch = db.session.scalars(select(InvalidationBatch)).one()
    assert response.headers["Location"].endswith(f"/moderation/batches/{batch.id}")
    assert (batch.state, batch.expected, batch.reason) == (BatchState.QUEUED, 7, "Scripted flood")
    assert counts(s)[0].total == 7  # nothing changes before the worker runs

    run_queue(app)
    db.session.expire_all()
    assert (batch.state, batch.invalidated, batch.done) == (BatchState.DONE, 7, 7)
    assert set(states([sig.id for sig in wave]).values()) == {SignatureState.INVALIDATED}
    assert {
        sig.invalidation_batch_id
        for sig in db.session.scalars(
            select(Signature).where(Signature.id.in_([w.id for w in wave]))
        )
    } == {batch.id}
    assert states([h.id for h in honest]) == {
        honest[0].id: SignatureState.CONFIRMED,
        honest[1].id: SignatureState.CONFIRMED,
        honest[2].id: SignatureState.PENDING,
    }
    after, hours = counts(s)
    assert after.total == 2 and after.by_country == {"NL": 1, "BY": 1}
    assert hours == {HOUR_1.replace(minute=0): 1, HOUR_2.replace(minute=0): 1}
    assert before_hours[HOUR_2.replace(minute=0)] == 4
    assert client.get(f"/api/v1/petitions/{s.petition.slug}").json["signature_count"] == 2
    no_drift(runner, s)

    page = text_of(client.get(f"{s.base}/batches/{batch.id}"))
    assert "Finished: 7 signatures invalidated." in page
    assert "Restore 7 signatures" in page


# Commits: no_drift runs `flask petitions recount`, which picks its isolation level.
@pytest.mark.commits
def test_restore_gives_states_and_counts_back(app, client, runner):
    s = setup()
    _honest, wave = attack(s)
    signed_in(client, s)
    before = counts(s)
    original = states([sig.id for sig in wave])
    token, shown = start_bulk(client, s, domain="flood.example")
    invalidate(client, s, token, shown)
    run_queue(app)
    batch = db.session.scalars(select(InvalidationBatch)).one()

    url = f"{s.base}/batches/{batch.id}"
    response = post_form(client, f"{url}/restore", {}, page_url=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert batch.state is BatchState.RESTORING
    assert "restored" in client.get(f"{url}/status").json["text"]
    run_queue(app)
    db.session.expire_all()
    assert batch.state is BatchState.RESTORED and batch.restored_at is not None
    assert states([sig.id for sig in wave]) == original  # confirmed and pending as before
    assert counts(s) == before
    no_drift(runner, s)
    assert "Restored: 7 signatures count as before." in text_of(client.get(url))
    # Restoring twice is refused, and changes nothing.
    again = post_form(client, f"{url}/restore", {}, page_url=s.base)
    assert "cannot be restored now" in text_of(client.get(again.headers["Location"]))
    assert counts(s) == before


def test_audit_rows_hold_filters_and_counts_but_no_email(app, client):
    s = setup()
    attack(s)
    signed_in(client, s)
    token, shown = start_bulk(client, s, email="BOT1@flood.example", country="NL")
    assert shown == 1
    invalidate(client, s, token, shown, reason="Reported by the signer's employer")
    run_queue(app)
    batch = db.session.scalars(select(InvalidationBatch)).one()
    assert "bot1" not in str(batch.criteria)  # the address became the signature's id
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "signatures.invalidated")
    ).one()
    assert event.rows == 1 and event.petition_id == s.petition.id
    assert event.actor_id == s.organiser.id
    assert event.details["given"] == "email"
    assert event.details["country"] == "NL"
    assert event.details["batch"] == batch.id
    assert "flood" not in str(event.details) and "bot1" not in str(event.details)

    url = f"{s.base}/batches/{batch.id}"
    post_form(client, f"{url}/restore", {}, page_url=url)
    run_queue(app)
    restored = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "signatures.restored")
    ).one()
    assert restored.rows == 1 and restored.actor_id == s.organiser.id
    audit_page = text_of(client.get("/organise/audit/"))
    assert "signatures.invalidated" in audit_page and "signatures.restored" in audit_page
    assert "bot1@" not in audit_page


def test_a_name_condition_is_dropped_from_the_batch_when_done(app, client):
    s = setup()
    make_signature(s.petition, first_name="Spammy", last_name="McSpam")
    make_signature(s.petition, first_name="Anna", last_name="Real")
    signed_in(client, s)
    token, shown = start_bulk(client, s, name="mcspam")
    assert shown == 1
    invalidate(client, s, token, shown)
    run_queue(app)
    batch = db.session.scalars(select(InvalidationBatch)).one()
    assert "name" not in batch.criteria and batch.criteria["given"] == ["name"]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("signatures.%")))
    assert all("mcspam" not in str(e.details).lower() for e in event)
    assert "(given; not kept)" in text_of(client.get(f"{s.base}/batches/{batch.id}"))


def test_a_filter_matching_nothing_is_refused(app, client):
    s = setup()
    attack(s)
    signed_in(client, s)
    token = search_id(search(client, s, domain="nobody.example"))
    page = preview(client, s, token)
    assert "there is nothing to invalidate" in text_of(page)
    assert "Invalidate 0" not in text_of(page)
    # Even a hand-made post is refused, and no batch is made.
    response = invalidate(client, s, token, 3)
    assert response.status_code == 400
    assert "nothing was invalidated" in text_of(response)
    # Only invalidated rows match: refused as well.
    token = search_id(search(client, s, domain="flood.example", state="invalidated"))
    assert invalidate(client, s, token, 1).status_code == 400
    assert db.session.scalars(select(InvalidationBatch)).all() == []


def test_bulk_invalidation_needs_a_condition(app, client):
    s = setup()
    attack(s)
    signed_in(client, s)
    token = search_id(search(client, s))
    response = preview(client, s, token)
    assert response.status_code == 302
    assert "Choose at least one condition" in text_of(client.get(response.headers["Location"]))
    invalidate(client, s, token, 10)
    # The state alone is no condition: "all confirmed" would be the whole petition.
    token = search_id(search(client, s, state="confirmed"))
    response = preview(client, s, token)
    assert "besides the state" in text_of(client.get(response.headers["Location"]))
    assert invalidate(client, s, token, 7).status_code == 302
    assert db.session.scalars(select(InvalidationBatch)).all() == []


def test_a_changed_count_asks_to_confirm_again(app, client):
    s = setup()
    attack(s)
    signed_in(client, s)
    token, shown = start_bulk(client, s, domain="flood.example")
    make_signature(s.petition, email="new@flood.example", email_normalized="new@flood.example")
    response = invalidate(client, s, token, shown)
    assert response.status_code == 409
    assert "changed from 7 to 8" in text_of(response)
    assert "Invalidate 8 signatures" in text_of(response)
    assert db.session.scalars(select(InvalidationBatch)).all() == []


def test_the_reason_is_required(app, client):
    s = setup()
    attack(s)
    signed_in(client, s)
    token, shown = start_bulk(client, s, domain="flood.example")
    response = invalidate(client, s, token, shown, reason="")
    assert response.status_code == 400
    assert 'id="reason-error"' in response.get_data(as_text=True)
    assert db.session.scalars(select(InvalidationBatch)).all() == []


def test_signatures_arriving_after_the_preview_are_left_alone(app, client):
    s = setup()
    attack(s)
    signed_in(client, s)
    token, shown = start_bulk(client, s, domain="flood.example")
    invalidate(client, s, token, shown)
    late = make_signature(
        s.petition, email="later@flood.example", email_normalized="later@flood.example"
    )
    run_queue(app)
    batch = db.session.scalars(select(InvalidationBatch)).one()
    assert batch.invalidated == shown
    assert states([late.id]) == {late.id: SignatureState.CONFIRMED}


def test_job_progress_is_reported_chunk_by_chunk(app, client, monkeypatch):
    s = setup()
    for n in range(5):
        make_signature(
            s.petition, email=f"p{n}@wave.example", email_normalized=f"p{n}@wave.example"
        )
    signed_in(client, s)
    token, shown = start_bulk(client, s, domain="wave.example")
    invalidate(client, s, token, shown)
    batch = db.session.scalars(select(InvalidationBatch)).one()
    status_url = f"{s.base}/batches/{batch.id}/status"
    assert client.get(status_url).json == {
        "state": "queued",
        "done": 0,
        "total": 5,
        "finished": False,
        "text": "Waiting for the queue worker…",
    }
    page = client.get(f"{s.base}/batches/{batch.id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in page
    assert f'data-progress-url="{status_url}"' in page
    assert "js/progress.js" in page and "<progress" in page
    script = client.get("/static/js/progress.js")
    assert script.status_code == 200 and b"data-progress-url" in script.data

    seen = []
    next_ids = jobs._next_ids

    def watching(query, after):
        seen.append((client.get(status_url).json["state"], client.get(status_url).json["done"]))
        return next_ids(query, after)

    monkeypatch.setattr(jobs, "CHUNK", 2)
    monkeypatch.setattr(jobs, "_next_ids", watching)
    run_queue(app)
    assert seen == [("running", 0), ("running", 2), ("running", 4), ("running", 5)]
    db.session.expire_all()  # requests in tests share the test's session
    final = client.get(status_url).json
    assert final["finished"] is True and final["done"] == 5 and final["state"] == "done"
    page = client.get(f"{s.base}/batches/{batch.id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page and "data-progress-url" not in page


def test_a_failing_job_is_marked_and_finishes_on_retry(app, client, monkeypatch):
    s = setup()
    for n in range(3):
        make_signature(
            s.petition, email=f"f{n}@fail.example", email_normalized=f"f{n}@fail.example"
        )
    signed_in(client, s)
    token, shown = start_bulk(client, s, domain="fail.example")
    invalidate(client, s, token, shown)
    batch = db.session.scalars(select(InvalidationBatch)).one()
    calls = []
    real = changes.invalidate_ids

    def flaky(b, ids):
        calls.append(ids)
        if len(calls) == 2:
            raise RuntimeError("worker lost")
        return real(b, ids)

    monkeypatch.setattr(jobs, "CHUNK", 2)
    monkeypatch.setattr(changes, "invalidate_ids", flaky)
    with pytest.raises(RuntimeError):
        jobs.run_invalidation(batch.id)
    db.session.expire_all()
    assert (batch.state, batch.done) == (BatchState.FAILED, 2)
    assert "RuntimeError" in text_of(client.get(f"{s.base}/batches/{batch.id}"))
    jobs.run_invalidation(batch.id)  # what the queue's retry does
    db.session.expire_all()
    assert (batch.state, batch.invalidated) == (BatchState.DONE, 3)
    assert counting.read_counts(db.session, s.petition.id).total == 0


# Commits: no_drift runs `flask petitions recount`, which picks its isolation level.
@pytest.mark.commits
def test_one_signature_is_invalidated_at_once_and_restorable(app, client, runner):
    s = setup()
    keep = make_signature(s.petition, country="NL", confirmed_at=HOUR_1)
    target = make_signature(s.petition, country="BY", confirmed_at=HOUR_2)
    signed_in(client, s)
    url = f"/organise/petitions/{s.petition.id}/signatures/{target.id}/invalidate"
    page = client.get(url)
    assert page.status_code == 200 and target.email in text_of(page)
    missing = post_form(client, url, {"reason": ""})
    assert missing.status_code == 400 and 'id="reason-error"' in missing.get_data(as_text=True)
    response = post_form(client, url, {"reason": "Duplicate person"})
    assert response.status_code == 302
    assert states([target.id, keep.id]) == {
        target.id: SignatureState.INVALIDATED,
        keep.id: SignatureState.CONFIRMED,
    }
    assert counts(s)[0].by_country == {"NL": 1}
    assert counts(s)[1] == {HOUR_1.replace(minute=0): 1}
    no_drift(runner, s)
    batch_page = client.get(response.headers["Location"])
    assert f"Signature #{target.id} invalidated." in text_of(batch_page)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "signatures.invalidated")
    ).one()
    assert event.rows == 1 and event.details["signature_id"] == target.id
    # A second attempt says so instead of failing.
    again = client.get(url)
    assert "invalidated already" in text_of(again)
    batch = db.session.scalars(select(InvalidationBatch)).one()
    post_form(
        client, f"{s.base}/batches/{batch.id}/restore", {}, page_url=f"{s.base}/batches/{batch.id}"
    )
    run_queue(app)
    assert states([target.id]) == {target.id: SignatureState.CONFIRMED}
    assert counts(s)[0].by_country == {"NL": 1, "BY": 1}
    no_drift(runner, s)


def test_no_email_or_name_in_any_url_or_log_line(app, client, caplog):
    s = setup()
    make_signature(
        s.petition,
        first_name="Secretive",
        last_name="Person",
        email="secret.person@private.example",
        email_normalized="secret.person@private.example",
    )
    caplog.set_level(logging.DEBUG)
    signed_in(client, s)
    urls = []
    response = search(client, s, email="secret.person@private.example", name="Secretive")
    urls.append(response.headers["Location"])
    page = client.get(urls[-1])
    html = page.get_data(as_text=True)
    token = search_id(response)
    prev = preview(client, s, token)
    html += prev.get_data(as_text=True)
    done = invalidate(client, s, token, 1, reason="Asked by the organiser")
    urls.append(done.headers["Location"])
    run_queue(app)
    batch = db.session.scalars(select(InvalidationBatch)).one()
    url = f"{s.base}/batches/{batch.id}"
    html += client.get(url).get_data(as_text=True)
    restore = post_form(client, f"{url}/restore", {}, page_url=url)
    urls.append(restore.headers["Location"])
    run_queue(app)
    urls += re.findall(r'(?:href|action|data-progress-url)="([^"]*)"', html)
    for address in urls:
        assert "secret" not in address.lower() and "private" not in address, address
        assert "%40" not in address and "@" not in address, address
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged  # the flow did log (ids and counts)
    assert "secret" not in logged.lower() and "private.example" not in logged
    assert "Person" not in logged


# Commits: no_drift runs `flask petitions recount`, which picks its isolation level.
@pytest.mark.commits
def test_a_failing_restore_goes_on_where_it_stopped(app, client, runner, monkeypatch):
    s = setup()
    wave = [
        make_signature(
            s.petition, email=f"r{n}@undo.example", email_normalized=f"r{n}@undo.example"
        )
        for n in range(5)
    ]
    signed_in(client, s)
    token, shown = start_bulk(client, s, domain="undo.example")
    invalidate(client, s, token, shown)
    run_queue(app)
    batch = db.session.scalars(select(InvalidationBatch)).one()
    url = f"{s.base}/batches/{batch.id}"
    post_form(client, f"{url}/restore", {}, page_url=url)
    real = changes.restore_ids
    calls = []

    def flaky(b, ids):
        calls.append(ids)
        if len(calls) == 2:
            raise RuntimeError("worker lost")
        return real(b, ids)

    monkeypatch.setattr(jobs, "CHUNK", 2)
    monkeypatch.setattr(changes, "restore_ids", flaky)
    with pytest.raises(RuntimeError):
        jobs.run_restore(batch.id, s.organiser.id)
    db.session.rollback()
    db.session.expire_all()
    assert (batch.state, batch.done) == (BatchState.RESTORING, 2)
    jobs.run_restore(batch.id, s.organiser.id)  # the queue's retry
    db.session.expire_all()
    assert (batch.state, batch.done) == (BatchState.RESTORED, 5)
    assert set(states([w.id for w in wave]).values()) == {SignatureState.CONFIRMED}
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "signatures.restored")
    ).one()
    assert event.rows == 5
    no_drift(runner, s)


def test_a_batch_lost_by_the_queue_is_run_later(app, client):
    from datetime import timedelta

    from campaign_app.db import utcnow

    s = setup()
    _honest, wave = attack(s)
    signed_in(client, s)
    token, shown = start_bulk(client, s, domain="flood.example")
    invalidate(client, s, token, shown, reason="Scripted flood")
    app.extensions["campaign_queue"].huey.flush()  # the queue lost the job
    assert jobs.requeue_lost_batches() == 0  # not late yet
    batch = db.session.scalars(select(InvalidationBatch)).one()
    batch.created_at = utcnow() - timedelta(minutes=11)
    db.session.commit()
    assert jobs.requeue_lost_batches() == 1
    run_queue(app)
    db.session.expire_all()
    assert batch.state is BatchState.DONE
    assert set(states([sig.id for sig in wave]).values()) == {SignatureState.INVALIDATED}
    assert jobs.requeue_lost_batches() == 0


def test_bulk_invalidation_with_the_queue_down_waits_and_is_queued_again(make_app):
    from datetime import timedelta

    from campaign_app.db import utcnow
    from tests.support.mail import free_port

    broken = make_app(QUEUE_BACKEND="redis", REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    with broken.app_context():
        s = setup()
        _honest, wave = attack(s)
        wave_ids = [sig.id for sig in wave]
        client = signed_in(broken.test_client(), s)
        token, shown = start_bulk(client, s, domain="flood.example")
        response = invalidate(client, s, token, shown, reason="Scripted flood")
        assert response.status_code == 302  # the same answer as with the queue running
        page = text_of(client.get(response.headers["Location"]))
        assert "Invalidating 7 signatures." in page and "Waiting for the queue worker" in page

    working = make_app()
    with working.app_context():
        batch = db.session.scalars(select(InvalidationBatch)).one()
        assert batch.state is BatchState.QUEUED
        batch.created_at = utcnow() - timedelta(minutes=11)
        db.session.commit()
        assert jobs.requeue_lost_batches() == 1
        run_queue(working)
        db.session.expire_all()
        assert batch.state is BatchState.DONE
        assert set(states(wave_ids).values()) == {SignatureState.INVALIDATED}
