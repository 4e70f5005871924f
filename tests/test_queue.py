"""The task queue: only campaign_app jobs run, and `flask queue status` tells what waits."""

from __future__ import annotations

import pytest

from tests.factories import make_petition
from tests.support.petitions import sign


def test_status_shows_waiting_jobs_and_mail(app, client, runner):
    from campaign_app.privacy.jobs import send_erasure_link  # any job will do

    petition = make_petition()
    assert "jobs pending: 0" in runner.invoke(args=["queue", "status"]).output
    app.extensions["campaign_queue"].enqueue(send_erasure_link, 1)
    sign(client, petition.slug, email="queued@example.org")
    output = runner.invoke(args=["queue", "status"]).output
    assert "jobs pending: 1" in output
    assert "Confirmation e-mails to signers: 1 waiting, 0 being sent, oldest due since" in output


def test_only_campaign_app_functions_can_be_queued(app):
    queue = app.extensions["campaign_queue"]
    with pytest.raises(ValueError, match="not a campaign_app job"):
        queue.enqueue(print, "hello")
    assert queue.huey.pending_count() == 0
