"""Real `flask queue dispatch` processes against the test's database and a real SMTP server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from flask import Flask

from campaign_app.crypto import development_key_settings
from campaign_app.outbox import DrainResult
from tests.support.mail import SlowMailbox, free_port
from tests.support.settings import SECRET

PROJECT = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).with_name("flask"))


def dispatcher_env(database_url: str, instance: Path, smtp_port: int, **settings: str) -> dict:
    """The environment of a dispatcher process: the test app's keys (those it derives from
    the test secret), its database, an SMTP server on ``smtp_port``, and ``settings``
    (``CAMPAIGN_MAIL_BATCH="3"``)."""
    keys = development_key_settings(SECRET)
    return os.environ | {
        "CAMPAIGN_SECRET_KEY": SECRET,
        "CAMPAIGN_SIGNER_DATA_KEYS": keys["SIGNER_DATA_KEYS"],
        "CAMPAIGN_SIGNER_INDEX_KEY": keys["SIGNER_INDEX_KEY"],
        "DATABASE_URL": database_url,
        "CAMPAIGN_INSTANCE_PATH": str(instance),
        "CAMPAIGN_QUEUE_BACKEND": "memory",
        "CAMPAIGN_MAIL_TRANSPORT": "smtp",
        "CAMPAIGN_MAIL_SMTP_PORT": str(smtp_port),
        **settings,
    }


def start_dispatcher(env: dict, **popen: Any) -> subprocess.Popen:
    """`flask queue dispatch` in a process of its own."""
    return subprocess.Popen(
        [FLASK, "--app", "wsgi", "queue", "dispatch"], cwd=PROJECT, env=env, **popen
    )


def drain_with_a_dispatcher_killed(
    app: Flask, database_url: str, instance: Path, due: int
) -> list[EmailMessage]:
    """Send ``due`` e-mails with a dispatcher process killed (SIGKILL) once ten have
    arrived; when its lease has run out, this process drains the rest to the same server.
    What the server received."""
    mailbox = SlowMailbox(0.02)  # a drain of a few dozen lasts long enough to be killed
    server = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    server.start()
    env = dispatcher_env(
        database_url,
        instance,
        server.port,
        CAMPAIGN_MAIL_BATCH="20",
        CAMPAIGN_MAIL_LEASE_SECONDS="1",
    )
    dispatcher = start_dispatcher(env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while len(mailbox.messages) < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        dispatcher.send_signal(signal.SIGKILL)
        dispatcher.wait(10)
        at_kill = len(mailbox.messages)
        assert 10 <= at_kill < due, dispatcher.stderr.read() if dispatcher.stderr else ""

        time.sleep(1.2)  # the killed dispatcher's lease runs out
        app.config["MAIL_SMTP_PORT"] = server.port  # a second dispatcher, same server
        app.extensions["campaign_outbox"].drain()
    finally:
        server.stop()
        if dispatcher.poll() is None:
            dispatcher.kill()
    return list(mailbox.messages)


def drain_side_by_side(app: Flask, count: int = 3) -> list[DrainResult]:
    """``count`` dispatchers in threads of this process draining the outbox at once."""
    outbox = app.extensions["campaign_outbox"]
    results: list[DrainResult] = []
    threads = [
        threading.Thread(target=lambda: results.append(outbox.drain())) for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results
