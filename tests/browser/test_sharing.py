"""In Debian's Chromium: the embed script on another site's page, and the Mastodon hop."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from campaign_app.extensions import db
from tests.factories import make_petition, make_signature

# Commits: the live server answers in threads of its own, on connections of their own.
pytestmark = [pytest.mark.browser, pytest.mark.commits]


@pytest.fixture
def other_site() -> Iterator[Callable[[str], str]]:
    """Serve one page from another site (localhost, another port; the app is on 127.0.0.1).

    A real server on loopback: Chromium keeps pages it sees as public from loading local
    addresses, so a page faked with page.route() could not load the script at all.
    """
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def serve(html: str) -> str:
        path = f"/page-{len(pages)}.html"
        pages[path] = html.encode()
        return f"http://localhost:{server.server_port}{path}"

    yield serve
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def width() -> int:
    return 1280


def test_embed_script_puts_a_working_counter_on_another_site(page, live_server, other_site):
    petition = make_petition(title="Свабоду Алесю")
    make_signature(petition)
    make_signature(petition)
    db.session.commit()  # for the live server's threads
    host_page = (
        "<!doctype html><html><head><title>Other site</title></head><body><p>Before</p>"
        f'<script src="{live_server.url}/static/js/embed.js" data-petition="{petition.slug}" '
        "async></script><p>After</p></body></html>"
    )
    page.goto(other_site(host_page))

    frame_element = page.wait_for_selector("iframe")
    assert frame_element.get_attribute("title")
    assert (
        frame_element.get_attribute("src") == f"{live_server.url}/embed/petitions/{petition.slug}"
    )
    frame = frame_element.content_frame()
    assert frame is not None
    frame.wait_for_selector("text=Свабоду Алесю")  # framing allowed: the page rendered
    assert "2 signatures" in frame.inner_text("body")
    assert frame.get_attribute("a.sign", "target") == "_blank"
    assert page.context.cookies() == []


def test_petition_page_cannot_be_framed_but_the_embed_can(page, live_server, other_site):
    petition = make_petition(title="Framed?")
    db.session.commit()  # for the live server's threads
    host_page = (
        f'<iframe id="page" src="{live_server.url}/petitions/{petition.slug}"></iframe>'
        f'<iframe id="embed" src="{live_server.url}/embed/petitions/{petition.slug}"></iframe>'
    )
    page.goto(other_site(host_page))
    frames = {}
    for name in ("page", "embed"):
        frame = page.wait_for_selector(f"#{name}").content_frame()
        assert frame is not None
        frame.wait_for_load_state("load")
        frames[name] = frame
    assert "Framed?" in frames["embed"].content()
    assert "Framed?" not in frames["page"].content()


def test_mastodon_form_reaches_the_server_named(page, live_server):
    petition = make_petition(title="Free Ales")
    db.session.commit()  # for the live server's threads
    reached: list[str] = []

    def mastodon(route):
        reached.append(route.request.url)
        route.fulfill(body="<p>Mastodon share page</p>", content_type="text/html")

    page.route("https://social.example/**", mastodon)
    page.goto(f"{live_server.url}/petitions/{petition.slug}")
    page.get_by_role("link", name="Share on Mastodon").click()
    page.get_by_label("Your Mastodon server").fill("javascript:alert(1)")
    page.get_by_role("button", name="Continue to my server").click()
    assert page.locator("#instance-error").is_visible()
    page.get_by_label("Your Mastodon server").fill("@me@social.example")
    page.get_by_role("button", name="Continue to my server").click()
    page.wait_for_url("https://social.example/share?**")
    assert reached and reached[0].startswith("https://social.example/share?text=Free+Ales+")
