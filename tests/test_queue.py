"""The task queue: only campaign_app jobs run, and `flask queue status` tells what waits."""

from __future__ import annotations

import pytest

from tests.factories import make_petition
from tests.support.petitions import sign


def test_status_shows_waiting_jobs(app, client, runner):
    petition = make_petition()
    assert "pending: 0" in runner.invoke(args=["queue", "status"]).output
    sign(client, petition.slug, email="queued@example.org")
    assert "pending: 1" in runner.invoke(args=["queue", "status"]).output


def test_only_campaign_app_functions_can_be_queued(app):
    queue = app.extensions["campaign_queue"]
    with pytest.raises(ValueError, match="not a campaign_app job"):
        queue.enqueue(print, "hello")
    assert queue.huey.pending_count() == 0
