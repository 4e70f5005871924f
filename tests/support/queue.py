"""Running the app's queued jobs in the test, as the worker would."""

from __future__ import annotations

from flask import Flask


def run_queue(app: Flask) -> int:
    """Run the jobs waiting in the app's queue, in this thread; how many ran.

    Each job runs in its own app context, so with its own session, as in the worker; inside
    a rolled-back test that session joins the test's transaction like every other.
    """
    queue = app.extensions["campaign_queue"]
    with app.app_context():
        done: int = queue.run_pending()
    return done
