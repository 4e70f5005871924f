"""Browser fixtures: the real app served on loopback, its queue worker, and Debian's Chromium.

The live server is the app of ``make_app`` (same test settings, real SMTP server, SQLite or
PostgreSQL) served by werkzeug in a thread on 127.0.0.1 and a free port. Its threads need the
rows the test made, so the browser tests are marked ``commits`` and commit them. Queued jobs (the
confirmation e-mails, exports) are run by Huey's own consumer in worker threads, as
``flask queue work`` runs them, on the memory queue. The browser is /usr/bin/chromium from the
Debian package, driven by Playwright; Playwright never downloads a browser here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.support.browser import LiveServer, serving, start_worker
from tests.support.mail import Mailbox

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = [375, 1280]


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


@pytest.fixture
def live_server(
    make_app: Callable[..., Flask], mailbox: Mailbox, database_url: str, width: int
) -> Iterator[LiveServer]:
    """The app on http://127.0.0.1:<free port> with a queue worker; app context pushed."""
    app = make_app(SESSION_COOKIE_SECURE=False)
    with serving(app) as url:
        app.config["BASE_URL"] = url  # links in e-mails point at this server
        worker = start_worker(app)
        database = "postgresql" if database_url.startswith("postgresql") else "sqlite"
        try:
            with app.app_context():
                yield LiveServer(app, url, mailbox, database, width)
        finally:
            worker.stop()


@pytest.fixture
def second_node(
    live_server: LiveServer,
    make_app: Callable[..., Flask],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Iterator[LiveServer]:
    """Another node of the same site: the app again, with an instance folder of its own, on
    the same database, served on another port, without a worker. The browser sends it the
    live server's cookies (cookies are per host, not per port), as nginx would send a
    request to any node."""
    monkeypatch.setenv("CAMPAIGN_INSTANCE_PATH", str(tmp_path / "second-node"))
    app = make_app(SESSION_COOKIE_SECURE=False, BASE_URL=live_server.url)
    with serving(app) as url:
        yield LiveServer(app, url, live_server.mailbox, live_server.database, live_server.width)
