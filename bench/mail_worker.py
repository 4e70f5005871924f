"""The app's side of the mail bench, run in its own process with the bench's environment.

    python -m bench.mail_worker seed COUNT   # migrate; a petition, COUNT pending signatures
    python -m bench.mail_worker reset        # every signature's e-mail due again
    python -m bench.mail_worker drain        # one dispatcher sends what is due; times it
    python -m bench.mail_worker drain-ready  # the same, after "ready" and a line on stdin
    python -m bench.mail_worker verify       # how many were marked sent, how many still due

Each prints one JSON object. Only ``drain`` is timed, from the first claim to the last mark:
the app's start is not the dispatcher's work (the CLI start is measured by startup_bench).
``drain-ready`` lets the bench start several dispatcher processes, wait until each has
started, and set them all going at once (as several ``flask queue dispatch`` processes run);
each reports the wall-clock moments it started and finished, and its CPU time.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import timedelta

from sqlalchemy import func, select, update

from campaign_app import create_app
from campaign_app.db import utcnow
from campaign_app.extensions import db

SLUG = "mail-bench"
LOCALES = ("en", "ru", "be")


def seed(count: int) -> dict[str, int]:
    from campaign_app.campaigns.models import Campaign, CampaignState
    from campaign_app.petitions import service
    from campaign_app.petitions.models import Petition, PetitionState, PublicDisplay
    from campaign_app.petitions.normalize import parse_email

    campaign = Campaign(slug="mail-bench", name="Mail bench", state=CampaignState.OPEN)
    petition = Petition(
        campaign=campaign,
        slug=SLUG,
        title="Free Ales Bialiatski",
        target="President of the Republic of Belarus",
        state=PetitionState.OPEN,
        opens_at=utcnow() - timedelta(days=1),
    )
    db.session.add_all([campaign, petition])
    db.session.commit()
    window = service.get_signing_window(SLUG)
    assert window is not None
    for number in range(count):
        service.sign(
            window,
            service.SignatureInput(
                first_name="Алесь",
                last_name="Бяляцкі",
                email=parse_email(f"signer-{number}@example.org"),
                country="NL",
                city="",
                display=PublicDisplay.FIRST_NAME_AND_COUNTRY,
                locale=LOCALES[number % len(LOCALES)],
            ),
            service.Client(ip_hash=None),
        )
    return {"seeded": count}


def reset() -> dict[str, int]:
    from campaign_app.petitions.models import Signature

    result = db.session.execute(
        update(Signature).values(mail_due_at=utcnow(), mail_sent_at=None, mail_lease_until=None)
    )
    db.session.commit()
    return {"due": result.rowcount}


def drain() -> dict[str, float]:
    """What `flask queue work` runs: MAIL_DISPATCHERS dispatcher threads, each with its own
    connection, until nothing is due."""
    import threading

    from flask import current_app

    from campaign_app.outbox import DrainResult, get_outbox

    outbox = get_outbox()
    results: list[DrainResult] = []
    threads = [
        threading.Thread(target=lambda: results.append(outbox.drain()))
        for _ in range(int(current_app.config["MAIL_DISPATCHERS"]))
    ]
    cpu = time.process_time()
    began = time.time()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    sent = sum(result.sent for result in results)
    failed = any(result.transport_failed for result in results)
    return {
        "sent": sent,
        "seconds": seconds,
        "began": began,
        "ended": began + seconds,
        "cpu": time.process_time() - cpu,
        "failed": int(failed),
        "threads": len(threads),
    }


def verify() -> dict[str, int]:
    from campaign_app.petitions.models import Signature, SignatureState

    total, sent, due, confirmed = db.session.execute(
        select(
            func.count(),
            func.count(Signature.mail_sent_at),
            func.count(Signature.mail_due_at),
            func.count().filter(Signature.state == SignatureState.CONFIRMED),
        )
    ).one()
    return {"signatures": total, "marked_sent": sent, "still_due": due, "confirmed": confirmed}


def main() -> None:
    command = sys.argv[1]
    app = create_app()
    with app.app_context():
        if command == "seed":
            import flask_migrate

            flask_migrate.upgrade()
            out: dict[str, float] | dict[str, int] = seed(int(sys.argv[2]))
        elif command == "reset":
            out = reset()
        elif command == "drain":
            out = drain()
        elif command == "drain-ready":
            print("ready", flush=True)
            sys.stdin.readline()
            out = drain()
        elif command == "verify":
            out = verify()
        else:
            raise SystemExit(f"unknown command {command}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
