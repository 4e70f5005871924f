"""Counts: sharded counter rows, `flask petitions recount`, and drift repair."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions.models import SignatureCount, SignatureHourly, SignatureState
from tests.factories import make_petition, make_signature
from tests.support.web import text_of


def api_count(client, petition) -> dict:
    return client.get(f"/api/v1/petitions/{petition.slug}").json


def test_counts_by_country_follow_confirmations(app, client):
    petition = make_petition()
    for country in ["NL", "NL", "BY", "FR"]:
        make_signature(petition, country=country)
    make_signature(petition, country="DE", state=SignatureState.PENDING)
    make_signature(petition, country="DE", state=SignatureState.INVALIDATED)
    data = api_count(client, petition)
    assert data["signature_count"] == 4
    assert data["counts_by_country"] == {"BY": 1, "FR": 1, "NL": 2}
    page = text_of(client.get(f"/petitions/{petition.slug}"))
    assert "Netherlands 2" in page and "Belarus 1" in page
    assert "Goal: 1,000 signatures (<1%)" in page


# Commits: `flask petitions recount` picks its isolation level when its transaction begins.
@pytest.mark.commits
def test_recount_reports_and_repairs_drift(app, client, runner):
    petition = make_petition(slug="drifting")
    for country in ["NL", "NL", "NL", "BY"]:
        make_signature(petition, country=country)
    # Simulate drift: a lost increment for NL and a phantom one for FR.
    db.session.execute(delete(SignatureCount).where(SignatureCount.country == "NL"))
    db.session.add(SignatureCount(petition_id=petition.id, country="NL", shard=3, count=2))
    db.session.add(SignatureCount(petition_id=petition.id, country="FR", shard=0, count=2))
    db.session.commit()
    assert api_count(client, petition)["signature_count"] == 5  # 2 NL + 1 BY + 2 FR: wrong

    check = runner.invoke(args=["petitions", "recount", "drifting", "--check"])
    assert check.exit_code == 0, check.output
    assert "drifting: drift -1 found (FR -2, NL +1)." in check.output
    assert api_count(client, petition)["counts_by_country"]["FR"] == 2  # --check changes nothing

    fixed = runner.invoke(args=["petitions", "recount", "drifting"])
    assert "drift -1 fixed" in fixed.output
    data = api_count(client, petition)
    assert data["signature_count"] == 4
    assert data["counts_by_country"] == {"BY": 1, "NL": 3}

    again = runner.invoke(args=["petitions", "recount", "drifting", "--json"])
    assert json.loads(again.stdout) == {"drift": {"drifting": {}}, "fixed": True}


def test_recount_of_unknown_petition_is_an_error(app, runner):
    result = runner.invoke(args=["petitions", "recount", "nope"])
    assert result.exit_code != 0
    assert "No petition with slug 'nope'" in result.output


def test_surge_spreads_over_shards(app):
    """Many confirmations in one country land on several counter rows, not one hot row."""
    from campaign_app.petitions import counting

    petition = make_petition()
    for _ in range(200):
        counting.add_to_count(db.session, petition.id, "NL", shards=16, confirmed_at=utcnow())
    db.session.commit()
    rows = db.session.scalar(select(func.count()).where(SignatureCount.petition_id == petition.id))
    total = db.session.scalar(
        select(func.sum(SignatureCount.count)).where(SignatureCount.petition_id == petition.id)
    )
    assert total == 200
    assert 8 <= rows <= 16


def counter_rows(petition) -> list[tuple[str, str, int]]:
    rows = db.session.execute(
        select(SignatureCount.source, SignatureCount.country, SignatureCount.shard).where(
            SignatureCount.petition_id == petition.id
        )
    )
    return sorted((source.value, country, shard) for source, country, shard in rows)


# Commits: the fold takes an advisory lock on a connection of its own (PostgreSQL).
@pytest.mark.commits
def test_folding_the_shards_keeps_every_count(app, client, runner):
    """A surge leaves a counter on many shards; the worker's fold leaves one row per counter
    (and per past hour), and every figure a reader sees stays the same."""
    from campaign_app.petitions import counting
    from campaign_app.petitions.models import SignatureSource

    petition = make_petition(slug="folded")
    an_hour_ago = utcnow() - timedelta(hours=1)
    for n in range(120):
        confirmed_at = an_hour_ago if n % 3 else utcnow()
        counting.add_to_count(
            db.session, petition.id, "NL" if n % 4 else "BY", 16, confirmed_at=confirmed_at
        )
    counting.add_many(db.session, petition.id, {"NL": 7}, {}, SignatureSource.PAPER)
    db.session.commit()
    before = api_count(client, petition)
    hourly_before = counting.read_hourly(db.session, petition.id)
    assert before["signature_count"] == 127
    assert len(counter_rows(petition)) > 10

    result = runner.invoke(args=["petitions", "fold-counters"])

    assert result.exit_code == 0, result.output
    assert result.output.startswith("Folded ") and "counter shards" in result.output
    db.session.expire_all()
    assert counter_rows(petition) == [("online", "BY", 0), ("online", "NL", 0), ("paper", "NL", 0)]
    assert api_count(client, petition) == before
    assert counting.read_hourly(db.session, petition.id) == hourly_before
    hours = db.session.execute(
        select(SignatureHourly.hour, func.count())
        .where(SignatureHourly.petition_id == petition.id)
        .group_by(SignatureHourly.hour)
    ).all()
    shards_by_hour = {counting.hour_of(hour): n for hour, n in hours}
    # The past hour is one row; the current one keeps its shards (confirmations add to it).
    assert shards_by_hour[counting.hour_of(an_hour_ago)] == 1
    assert shards_by_hour[counting.hour_of(utcnow())] > 1
    # Invalidating after the fold takes from the folded row.
    counting.subtract_many(db.session, petition.id, {"NL": 80}, {an_hour_ago: 50})
    db.session.commit()
    assert api_count(client, petition)["counts_by_country"] == {"BY": 30, "NL": 17}
    assert runner.invoke(args=["petitions", "fold-counters"]).exit_code == 0
    assert api_count(client, petition)["signature_count"] == 47


@pytest.mark.commits
def test_the_worker_folds_the_counters_every_minute(app, client):
    from datetime import datetime

    from campaign_app.petitions import counting
    from campaign_app.queue import get_queue

    petition = make_petition()
    for _ in range(60):
        counting.add_to_count(db.session, petition.id, "LT", 16, confirmed_at=utcnow())
    db.session.commit()
    huey = get_queue().huey
    due = [task for task in huey.read_periodic(datetime.now()) if "fold_counters" in task.name]
    assert len(due) == 1, [task.name for task in huey.read_periodic(datetime.now())]

    huey.execute(due[0])

    db.session.expire_all()
    assert counter_rows(petition) == [("online", "LT", 0)]
    assert api_count(client, petition)["signature_count"] == 60
