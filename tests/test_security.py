"""Security headers, CSP-clean HTML, no third-party hosts, and error pages without tracebacks."""

from __future__ import annotations

import re

import pytest

from campaign_app import PROJECT_ROOT
from campaign_app.extensions import db
from tests.factories import make_petition, make_prisoner
from tests.support.security import audit, csp_directives, foreign_urls
from tests.support.web import csrf_token, text_of

TEMPLATES = PROJECT_ROOT / "templates"


# The auditor itself must be able to fail -------------------------------------------------


def test_auditor_catches_what_the_csp_forbids():
    page = audit(
        '<html><head><script>alert(1)</script><script src="/static/js/site.js"></script>'
        '<link rel="stylesheet" href="https://cdn.example.com/x.css"><style>p{}</style></head>'
        '<body><p style="color:red" onclick="go()">x</p><img src="//tracker.example/p.gif">'
        '<a href="/petitions/">ok</a><a href="http://localhost/privacy">ok</a></body></html>'
    )
    assert page.inline_scripts == ["alert(1)"]
    assert page.script_sources == ["/static/js/site.js"]
    assert page.style_attributes == ["<p style='color:red'>"]
    assert page.style_elements == 1
    assert page.handlers == ["<p onclick='go()'>"]
    assert foreign_urls(page.urls) == [
        "https://cdn.example.com/x.css",
        "//tracker.example/p.gif",
    ]


# Every public page ----------------------------------------------------------------------


@pytest.fixture
def public_pages(app):
    petition = make_petition(summary="Release him now.")
    prisoner = make_prisoner()
    return {
        "home": "/",
        "petitions": "/petitions/",
        "petition": f"/petitions/{petition.slug}",
        "prisoners": "/prisoners/",
        "prisoner": f"/prisoners/{prisoner.slug}",
        "privacy": "/privacy",
        "not found": "/no/such/page",
    }


def test_public_pages_send_security_headers(client, public_pages):
    for name, path in public_pages.items():
        response = client.get(path)
        assert response.status_code == (404 if name == "not found" else 200), path
        assert response.mimetype == "text/html", path

        csp = csp_directives(response.headers["Content-Security-Policy"])
        assert csp["default-src"] == ["'self'"], path
        assert csp["script-src"] == ["'self'"], path
        assert csp["style-src"] == ["'self'"], path
        assert csp["frame-ancestors"] == ["'none'"], path
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"], path
        assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert response.headers["Referrer-Policy"] == "same-origin", path


def test_public_pages_have_no_inline_code_or_foreign_hosts(client, public_pages):
    for path in public_pages.values():
        html = client.get(path).get_data(as_text=True)
        page = audit(html)
        assert page.inline_scripts == [], path
        assert page.style_attributes == [], path
        assert page.style_elements == 0, path
        assert page.handlers == [], path
        assert page.script_sources == ["/static/js/site.js"], path
        assert page.urls, path  # the parser did see the links
        assert foreign_urls(page.urls) == [], path


def test_sign_form_page_keeps_csp_clean_after_an_error(client, app):
    """A form sent back with errors (aria attributes, messages) is still CSP-clean."""
    petition = make_petition()
    token = csrf_token(client, f"/petitions/{petition.slug}")
    response = client.post(
        f"/petitions/{petition.slug}",
        data={"csrf_token": token, "first_name": "", "email": "not-an-address"},
    )
    assert response.status_code == 400
    page = audit(response.get_data(as_text=True))
    assert (page.inline_scripts, page.style_attributes, page.handlers) == ([], [], [])
    assert foreign_urls(page.urls) == []


def test_api_responses_send_security_headers(client, app):
    response = client.get("/api/v1/petitions")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_templates_have_no_inline_styles_scripts_or_handlers():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) >= 10
    problems = []
    for template in templates:
        source = template.read_text(encoding="utf-8")
        name = template.relative_to(TEMPLATES)
        if re.search(r"\sstyle\s*=", source, re.I):
            problems.append(f"{name}: style=")
        if re.search(r"<style[\s>]", source, re.I):
            problems.append(f"{name}: <style>")
        for tag in re.findall(r"<script\b[^>]*>", source, re.I):
            if not re.search(r"\ssrc\s*=", tag, re.I):
                problems.append(f"{name}: {tag}")
        for handler in re.findall(r"\son[a-z]+\s*=", source, re.I):
            problems.append(f"{name}: {handler.strip()}")
        if re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", source, re.I):
            problems.append(f"{name}: absolute URL")
    assert problems == []


def test_template_scan_would_notice_a_problem():
    """Guard: the patterns above do match the things they look for."""
    bad = '<p style="x" onclick="y()"></p><script>1</script>'
    assert re.search(r"\sstyle\s*=", bad)
    assert re.findall(r"\son[a-z]+\s*=", bad) == [" onclick="]
    assert re.findall(r"<script\b[^>]*>", bad) == ["<script>"]
    assert not re.findall(r"\son[a-z]+\s*=", '<meta name="x" content="y">')


# Errors ---------------------------------------------------------------------------------


def test_oversized_post_gets_a_friendly_413(client, app):
    petition = make_petition()
    token = csrf_token(client, f"/petitions/{petition.slug}")
    response = client.post(
        f"/petitions/{petition.slug}",
        data={"csrf_token": token, "first_name": "A" * (65 * 1024), "email": "a@example.org"},
    )
    assert response.status_code == 413
    assert response.mimetype == "text/html"
    text = text_of(response)
    assert "What you sent is too large" in text
    assert "Traceback" not in response.get_data(as_text=True)
    assert "RequestEntityTooLarge" not in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_oversized_post_is_413_with_rate_limits_on(make_app):
    """The per-mailbox rate limit reads the form first: it must not turn 413 into a 500."""
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        slug = make_petition().slug
        db.session.commit()  # the requests below run in app contexts of their own
    response = client.post(
        f"/petitions/{slug}", data={"first_name": "A" * (65 * 1024), "email": "a@example.org"}
    )
    assert response.status_code == 413
    assert "What you sent is too large" in text_of(response)


def test_post_just_under_the_limit_is_handled_normally(client, app):
    petition = make_petition()
    token = csrf_token(client, f"/petitions/{petition.slug}")
    response = client.post(
        f"/petitions/{petition.slug}",
        data={"csrf_token": token, "city": "B" * (60 * 1024), "email": "a@example.org"},
    )
    assert response.status_code == 400  # the form refuses it; no 413, no 500
    assert "Please correct the marked fields." in text_of(response)


def _boom() -> str:
    raise RuntimeError("secret internals: password=hunter2")


@pytest.mark.parametrize("testing", [True, False])
def test_unexpected_exception_renders_the_500_page(make_app, testing, caplog):
    # Outside testing the app needs its signer-data keys too (32 bytes each, in base64).
    keys = {"SIGNER_DATA_KEYS": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}
    keys["SIGNER_INDEX_KEY"] = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="
    app = make_app(TESTING=testing, SECRET_KEY="k" * 64, **keys)
    app.add_url_rule("/boom", "boom", view_func=_boom)
    client = app.test_client()

    response = client.get("/boom")

    assert response.status_code == 500
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert "Something went wrong on our side" in text_of(response)
    assert "Please try again in a few minutes" in text_of(response)
    for leak in ["Traceback", "RuntimeError", "hunter2", "_boom", 'File "']:
        assert leak not in body
    assert response.headers["Content-Security-Policy"]
    # ... while the log keeps the traceback for the operators.
    assert any(record.exc_info for record in caplog.records)


def test_unexpected_exception_in_the_api_is_json(make_app):
    app = make_app()
    app.add_url_rule("/api/v1/boom", "api_boom", view_func=_boom)
    response = app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json == {
        "error": {"status": 500, "message": "Something went wrong on our side"}
    }


def test_https_requests_get_strict_transport_security(client, app):
    assert "Strict-Transport-Security" not in client.get("/privacy").headers
    secure = client.get("/privacy", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_wrong_method_keeps_the_allow_header(client, app):
    response = client.delete("/privacy")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "This action is not allowed here" in text_of(response)
    api = client.post("/api/v1/petitions")
    assert api.status_code == 405
    assert api.json == {"error": {"status": 405, "message": "This action is not allowed here"}}
