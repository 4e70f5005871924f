"""Request-level protection: client address, keyed IP hashes and security headers."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from functools import cache, wraps
from typing import Any, TypeVar, cast

from flask import Flask, Response, abort, current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def client_address() -> str:
    """The client's IP address as Flask sees it (after ProxyFix, when configured)."""
    return request.remote_addr or "unknown"


def keyed_hash(value: str, purpose: str) -> str:
    """An HMAC of ``value`` under a key derived from SECRET_KEY for one ``purpose``.

    Used so that IP addresses and e-mail addresses can be compared (rate limits, abuse
    reports) without being stored or logged in the clear.
    """
    secret = str(current_app.config["SECRET_KEY"]).encode()
    key = hmac.new(secret, purpose.encode(), hashlib.sha256).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def client_ip_hash() -> str:
    """Keyed hash of the client's IP address, the only form in which it is stored."""
    return keyed_hash(client_address(), "ip")


F = TypeVar("F", bound=Callable[..., Any])

# Where csp_overrides leaves its directives for add_security_headers: the WSGI environ lives
# exactly as long as the request (flask.g may outlive it, e.g. in tests).
_OVERRIDES_KEY = "campaign_app.csp_overrides"


def csp_overrides(**directives: str) -> Callable[[F], F]:
    """Decorate a view whose responses need some CSP directives changed (few do).

    Keywords are directive names with ``_`` for ``-``: ``frame_ancestors="*"`` lets any site
    frame the page (and drops X-Frame-Options: DENY); every other page keeps the strict policy.
    """
    overrides = tuple(sorted((name.replace("_", "-"), value) for name, value in directives.items()))

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            request.environ[_OVERRIDES_KEY] = overrides
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorator


@cache
def _headers_with(overrides: tuple[tuple[str, str], ...]) -> dict[str, str]:
    changed = dict(overrides)
    directives = []
    for directive in CONTENT_SECURITY_POLICY.split("; "):
        name = directive.split()[0]
        directives.append(f"{name} {changed.pop(name)}" if name in changed else directive)
    directives += [f"{name} {value}" for name, value in changed.items()]
    headers = SECURITY_HEADERS | {"Content-Security-Policy": "; ".join(directives)}
    if dict(overrides).get("frame-ancestors", "'none'") != "'none'":
        del headers["X-Frame-Options"]  # it can only deny or allow the same origin
    return headers


def add_security_headers(response: Response) -> Response:
    """Attach the security headers, with the changes a view asked for via csp_overrides."""
    overrides = request.environ.get(_OVERRIDES_KEY)
    headers = _headers_with(overrides) if overrides else SECURITY_HEADERS
    # One pass over what the view set, then one extend: a setdefault per header scanned the
    # response's headers each time (a few per cent of a small request).
    present = {name.lower() for name, _value in response.headers}
    response.headers.extend([(n, v) for n, v in headers.items() if n.lower() not in present])
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def form_keeps_entries(view: F) -> F:
    """Mark a view whose every POST goes through a FlaskForm that checks the CSRF token itself.

    Every other POST of the app is checked before its view runs (:func:`protect_unsafe_requests`).
    A marked view is left to its form instead, so that a form sent after its token expired
    comes back with everything typed and a message, not with an error page.
    """
    view.checks_own_csrf = True  # type: ignore[attr-defined]
    return view


def protect_unsafe_requests() -> None:
    """Refuse (400) a POST without the session's CSRF token, unless its view is marked."""
    if request.method not in UNSAFE_METHODS:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or getattr(view, "checks_own_csrf", False):
        return  # no such page (404/405 follow), or the view's form checks the token
    current_app.extensions["csrf"].protect()


# No path or query string of this app holds control characters. In form values only NUL is
# refused here (PostgreSQL cannot store it); the forms explain the other invisible ones.
_CONTROL_IN_URL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def accepts_files(view: F) -> F:
    """Mark a view that takes uploaded files; every other view refuses a file part (400)."""
    view.accepts_files = True  # type: ignore[attr-defined]
    return view


def accepts_upload(limit_setting: str) -> Callable[[F], F]:
    """Mark a view that takes an uploaded file of up to ``app.config[limit_setting]`` bytes
    (every other request keeps MAX_CONTENT_LENGTH)."""

    def mark(view: F) -> F:
        view.accepts_files = True  # type: ignore[attr-defined]
        view.upload_limit_setting = limit_setting  # type: ignore[attr-defined]
        return view

    return mark


def refuse_malformed_input() -> None:
    """400 before any query runs for control characters in the path or the query string, NUL
    in a form value, and a file sent where the view expects text."""
    if _CONTROL_IN_URL.search(request.path):
        abort(400)
    for key, value in request.args.items(multi=True):
        if _CONTROL_IN_URL.search(key) or _CONTROL_IN_URL.search(value):
            abort(400)
    if request.method not in UNSAFE_METHODS:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    limit_setting = getattr(view, "upload_limit_setting", None)
    if limit_setting is not None:
        request.max_content_length = int(current_app.config[limit_setting])
    for key, value in request.form.items(multi=True):
        if "\x00" in key or "\x00" in value:
            abort(400)
    if request.files and not getattr(view, "accepts_files", False):
        abort(400)


def init_security(app: Flask) -> None:
    """Register the input, CSRF and header hooks; trust proxies only as far as configured."""
    # The blanket check is ours (marked views opt out); Flask-WTF's own would refuse them too.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.before_request(refuse_malformed_input)
    app.before_request(protect_unsafe_requests)
    app.after_request(add_security_headers)
    x_for = int(app.config["PROXY_FIX_X_FOR"])
    x_proto = int(app.config["PROXY_FIX_X_PROTO"])
    if x_for or x_proto:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=x_for, x_proto=x_proto)  # type: ignore[method-assign]
