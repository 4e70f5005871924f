"""`flask petitions recount` with paper rows: counters by source agree with the rows after
batches, invalidation and restoring, and drift in a paper counter is found and repaired."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete

from campaign_app.extensions import db
from campaign_app.paper.service import batches, entering
from campaign_app.paper.service.rows import PaperSigner
from campaign_app.petitions import counting
from campaign_app.petitions.models import SignatureCount, SignatureSource
from tests.factories import make_signature
from tests.support.paper import setup

WHERE = entering.BatchInput("Solidarity day", "Amsterdam", "NL", "p-0001")


def api(client, slug):
    return client.get(f"/api/v1/petitions/{slug}").json


# Commits: the recount picks its isolation level when its transaction begins.
@pytest.mark.commits
def test_recount_agrees_with_paper_batches_and_repairs_their_drift(app, client, runner):
    s = setup(slug="paper-recount")
    for country in ("NL", "BY"):
        make_signature(s.petition, country=country)
    db.session.commit()
    counted = entering.enter_counts(s.petition, WHERE, 10, s.organiser)
    signers = [PaperSigner("Anna", f"N{n}", "Berlin", "DE") for n in range(4)]
    typed = entering.enter_rows(s.petition, WHERE, signers, s.organiser)
    batches.invalidate_batch(s.petition, counted, "", s.organiser)
    batches.restore_batch(s.petition, counted, s.organiser)
    batches.invalidate_batch(s.petition, typed, "", s.organiser)

    check = runner.invoke(args=["petitions", "recount", "paper-recount", "--check", "--json"])

    assert json.loads(check.stdout) == {"drift": {"paper-recount": {}}, "fixed": False}
    data = api(client, "paper-recount")
    assert data["signature_count"] == 12
    assert data["counts_by_source"] == {"online": 2, "paper": 10, "import": 0}
    # The hourly counters hold the two online signatures only.
    assert sum(counting.read_hourly(db.session, s.petition.id).values()) == 2

    # Drift in the paper counter: lost, and a phantom online one for DE.
    db.session.execute(
        delete(SignatureCount).where(
            SignatureCount.petition_id == s.petition.id,
            SignatureCount.source == SignatureSource.PAPER,
        )
    )
    db.session.add(
        SignatureCount(petition_id=s.petition.id, source="online", country="DE", shard=0, count=1)
    )
    db.session.commit()

    found = runner.invoke(args=["petitions", "recount", "paper-recount", "--check"])
    assert "paper-recount: drift +9 found (DE -1, paper:NL +10)." in found.output
    fixed = runner.invoke(args=["petitions", "recount", "paper-recount"])
    assert "drift +9 fixed" in fixed.output
    data = api(client, "paper-recount")
    assert data["counts_by_source"] == {"online": 2, "paper": 10, "import": 0}
    assert data["counts_by_country"] == {"BY": 1, "NL": 11}
