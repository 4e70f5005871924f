"""Running the app's background work in the test, as the worker would."""

from __future__ import annotations

from flask import Flask


def run_queue(app: Flask) -> int:
    """Run the jobs waiting in the app's queue, then send the outbox's due e-mail, in this
    thread, as `flask queue work` and its mail dispatcher would; how many jobs ran and
    e-mails were handled.

    Each job runs in its own app context, so with its own session, as in the worker; inside
    a rolled-back test that session joins the test's transaction like every other.
    """
    queue = app.extensions["campaign_queue"]
    with app.app_context():
        done: int = queue.run_pending()
    return done + app.extensions["campaign_outbox"].drain().claimed
