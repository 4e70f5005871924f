"""Browser fixtures: the real app served on loopback, its queue worker, and Debian's Chromium.

The live server is the app of ``make_app`` (same test settings, real SMTP server, SQLite or
PostgreSQL) served by werkzeug in a thread on 127.0.0.1 and a free port. Queued jobs (the
confirmation e-mails, exports) are run by Huey's own consumer in worker threads, as
``flask queue work`` runs them, on the memory queue. The browser is /usr/bin/chromium from the
Debian package, driven by Playwright; Playwright never downloads a browser here.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from huey.consumer import Consumer
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from werkzeug.serving import BaseWSGIServer, make_server

from tests.conftest import Mailbox

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).parent
AXE_SCRIPT = HERE / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = HERE / "artifacts"
WIDTHS = [375, 1280]
MAIL_TIMEOUT = 15.0


# The browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        raise pytest.UsageError(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), "
            'or leave the browser tests out with -m "not browser".'
        )
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def width(request: pytest.FixtureRequest) -> int:
    value: int = request.param
    return value


@pytest.fixture
def new_context(browser: Browser, width: int) -> Iterator[Callable[..., BrowserContext]]:
    """Open browser contexts at the test's width; extra keywords go to new_context()."""
    contexts: list[BrowserContext] = []

    def factory(**options: Any) -> BrowserContext:
        context = browser.new_context(
            viewport={"width": width, "height": 900}, accept_downloads=True, **options
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()


# The live server --------------------------------------------------------------------------


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


def start_worker(app: Flask) -> Consumer:
    """Huey's consumer in threads, polling often so the tests do not wait on back-off."""
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
    return consumer


@pytest.fixture
def live_server(
    make_app: Callable[..., Flask], mailbox: Mailbox, database_url: str, width: int
) -> Iterator[LiveServer]:
    """The app on http://127.0.0.1:<free port> with a queue worker; app context pushed."""
    app = make_app(SESSION_COOKIE_SECURE=False)
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.port}"
    app.config["BASE_URL"] = url  # links in e-mails point at this server
    serving = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    serving.start()
    worker = start_worker(app)
    database = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    try:
        with app.app_context():
            yield LiveServer(app, url, mailbox, database, width)
    finally:
        worker.stop(graceful=True)
        server.shutdown()
        serving.join()
        server.server_close()


# Accessibility ----------------------------------------------------------------------------


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
