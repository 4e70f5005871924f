"""The browser tests' helpers: the live server, e-mail links, axe-core and signing in."""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from huey.consumer import Consumer
from playwright.sync_api import Page, expect
from werkzeug.serving import BaseWSGIServer, make_server

from campaign_app.accounts.models import User
from tests.factories import PASSWORD
from tests.support.mail import Mailbox

BROWSER_TESTS = Path(__file__).resolve().parent.parent / "browser"
AXE_SCRIPT = BROWSER_TESTS / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = BROWSER_TESTS / "artifacts"
MAIL_TIMEOUT = 15.0


@dataclass
class LiveServer:
    app: Flask
    url: str
    mailbox: Mailbox
    database: str  # "sqlite" or "postgresql", for screenshot names
    width: int

    def wait_for_mail(self, address: str, timeout: float = MAIL_TIMEOUT) -> EmailMessage:
        """The first message the SMTP server received for ``address`` (sent by the worker)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = self.mailbox.to(address)
            if messages:
                return messages[0]
            time.sleep(0.05)
        raise AssertionError(f"no e-mail to {address} within {timeout} s")

    def screenshot(self, page: Page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}-{self.database}-{self.width}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


def link_in(message: EmailMessage, base_url: str) -> str:
    """The first link to the live server in the plain-text part of ``message``."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    match = re.search(re.escape(base_url) + r"/\S+", body.get_content())
    assert match, body.get_content()
    return match.group(0)


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """``app`` served by werkzeug in threads on 127.0.0.1 and a free port; yields its URL."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@dataclass
class Worker:
    """What `flask queue work` runs: Huey's consumer and a mail dispatcher, in threads."""

    consumer: Consumer
    stop_mail: threading.Event

    def stop(self) -> None:
        self.stop_mail.set()
        self.consumer.stop(graceful=True)


def start_worker(app: Flask) -> Worker:
    """Huey's consumer and a mail dispatcher in threads, polling often so the tests do not
    wait on back-off."""
    from campaign_app.outbox import start_dispatchers

    app.config["MAIL_IDLE_SECONDS"] = 0.05
    stop_mail = threading.Event()
    start_dispatchers(app, 1, stop_mail)
    huey = app.extensions["campaign_queue"].huey
    consumer: Consumer = huey.create_consumer(
        workers=2,
        worker_type="thread",
        periodic=False,
        initial_delay=0.05,
        backoff=1.0,
        max_delay=0.05,
        check_worker_health=False,
    )
    # start() installs the consumer's handlers for SIGINT/SIGTERM/SIGHUP, meant for a worker
    # process; keep pytest's, so Ctrl+C still stops the run.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer.start()
    for sig, handler in saved.items():
        signal.signal(sig, handler)
    return Worker(consumer, stop_mail)


def sign_in(page: Page, live_server: LiveServer, user: User) -> None:
    """Sign ``user`` in with the login form, as a person would."""
    page.goto(f"{live_server.url}/account/login")
    page.get_by_label("E-mail address", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/organise/")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now.

    axe is evaluated as a page script through the DevTools protocol, which the page's CSP
    does not govern (an inline <script> tag with the same text would be refused).
    """
    if not AXE_SCRIPT.exists():
        raise pytest.UsageError(f"{AXE_SCRIPT} is missing: run `make browser-deps`.")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    results: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v["impact"] in ("serious", "critical")]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"      {line}" for line in summary.splitlines()[1:3])
    return "\n".join(lines)
