"""Domain exception base and the HTTP error pages (no stack trace ever reaches a user)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


class CampaignError(Exception):
    """Base of every domain exception; views turn these into pages with a clear message."""


ERROR_TITLES = {
    400: lambda: _("The request could not be understood"),
    403: lambda: _("You are not allowed to see this page"),
    404: lambda: _("Page not found"),
    405: lambda: _("This action is not allowed here"),
    413: lambda: _("What you sent is too large"),
    429: lambda: _("Too many attempts"),
    500: lambda: _("Something went wrong on our side"),
}

ERROR_TEXTS = {
    400: lambda: _("Please go back, check the form and try again."),
    403: lambda: _("If you think you should have access, contact the organisers."),
    404: lambda: _("The page may have moved, or the address may be mistyped."),
    405: lambda: _("Please use the forms on the site."),
    413: lambda: _("Please send a shorter text."),
    429: lambda: _("Please wait a few minutes before trying again."),
    500: lambda: _("The error has been logged. Please try again in a few minutes."),
}


def render_error(code: int) -> tuple[str | dict[str, Any], int]:
    """The error page for ``code`` as HTML, or JSON for API clients."""
    code = code if code in ERROR_TITLES else 500
    title, text = ERROR_TITLES[code](), ERROR_TEXTS[code]()
    if request.path.startswith("/api/"):
        return {"error": {"status": code, "message": title}}, code
    try:
        return render_template("errors/error.html", code=code, title=title, text=text), code
    except Exception:
        # Even a broken template must not show a traceback: fall back to plain HTML.
        log.exception("Error page %s could not be rendered", code)
        body = f"<!doctype html><title>{code}</title><h1>{escape(title)}</h1><p>{escape(text)}</p>"
        return body, code


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    body, code = render_error(error.code or 500)
    # Keep headers Werkzeug and Flask-Limiter set (Allow, Retry-After, rate-limit headers).
    headers = {
        name: value
        for name, value in error.get_response().headers.items()
        if name not in {"Content-Type", "Content-Length"}
    }
    return body, code, headers


class ScrubbedDatabaseError(Exception):
    """A database error with the driver's message removed (it can quote row values)."""


def scrub(error: BaseException) -> BaseException:
    """Return an exception safe to log: database errors lose their message, keep the trace.

    PostgreSQL explains a unique violation with "Key (email)=(someone@example.org)"; that
    must not reach a log file. The SQLSTATE and the traceback are enough to debug.
    """
    if not isinstance(error, SQLAlchemyError):
        return error
    original = getattr(error, "orig", None)
    code = getattr(original, "sqlstate", None) or getattr(error, "code", None) or "-"
    scrubbed = ScrubbedDatabaseError(f"{type(error).__name__} (SQLSTATE {code})")
    return scrubbed.with_traceback(error.__traceback__)


def handle_unexpected(error: Exception) -> ResponseReturnValue:
    if isinstance(error, HTTPException) and not isinstance(error, InternalServerError):
        return handle_http_error(error)
    # The traceback goes to the log (ids and paths only, no form data); the user sees a page.
    safe = scrub(error)
    log.error(
        "Unhandled error on %s %s",
        request.method,
        request.url_rule,
        exc_info=(type(safe), safe, safe.__traceback__),
    )
    return render_error(500)


def init_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
