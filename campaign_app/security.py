"""Request-level protection: client address, keyed IP hashes and security headers."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Callable
from functools import cache, wraps
from typing import Any, TypeVar, cast

from flask import Flask, Response, abort, current_app, g, request, session
from flask_wtf.csrf import generate_csrf

from campaign_app.signing import KeptSignerSerializer

# Flask-WTF's salt for its tokens (flask_wtf.csrf: generate_csrf, validate_csrf).
CSRF_SALT = "wtf-csrf-token"

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


@cache
def _header_items(overrides: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """(lower-case name, name, value) of each security header, with ``overrides``."""
    headers = _headers_with(overrides) if overrides else SECURITY_HEADERS
    return tuple((name.lower(), name, value) for name, value in headers.items())


def add_security_headers(response: Response) -> Response:
    """Attach the security headers, with the changes a view asked for via csp_overrides."""
    environ = request.environ
    items = _header_items(environ.get(_OVERRIDES_KEY) or ())
    # One pass over what the view set, then one extend: a setdefault per header scanned the
    # response's headers each time (a few per cent of a small request).
    headers = response.headers
    present = {name.lower() for name, _value in headers}
    headers.extend([(name, value) for lower, name, value in items if lower not in present])
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_CSRF_SERIALIZER = "campaign_csrf_serializer"


def csrf_token() -> str:
    """This request's CSRF token for a form: Flask-WTF's ``generate_csrf()``, with its
    serializer kept (see campaign_app.signing) instead of built anew for every visitor.

    The same token in every way: a random value kept in the session under
    WTF_CSRF_FIELD_NAME, signed with a timestamp under WTF_CSRF_SECRET_KEY (or SECRET_KEY)
    and Flask-WTF's salt, remembered in ``g`` for the rest of the request (so Flask-WTF's
    forms and ``csrf_token()`` in templates give the same one), checked by Flask-WTF.
    """
    config = current_app.config
    # Found as Flask-WTF finds them (flask_wtf.csrf._get_config).
    field_name = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    secret_key = config.get("WTF_CSRF_SECRET_KEY", current_app.secret_key)
    if field_name is None or secret_key is None:
        return str(generate_csrf())  # Flask-WTF explains what is missing
    token: str | None = g.get(field_name)
    if token is not None:
        return token
    kept = current_app.extensions.get(_CSRF_SERIALIZER)
    if kept is None or kept[0] != secret_key:
        serializer = KeptSignerSerializer(secret_key, salt=CSRF_SALT)
        kept = current_app.extensions[_CSRF_SERIALIZER] = (secret_key, serializer)
    raw = session.get(field_name)
    if not isinstance(raw, str):  # none yet, or not a value Flask-WTF could have made
        raw = session[field_name] = hashlib.sha1(os.urandom(64)).hexdigest()  # noqa: S324 - Flask-WTF's own
    token = kept[1].dumps(raw)
    setattr(g, field_name, token)
    return token


def form_keeps_entries(view: F) -> F:
    """Mark a view whose every POST goes through a FlaskForm that checks the CSRF token itself.

    Every other POST of the app is checked before its view runs (:func:`protect_unsafe_requests`).
    A marked view is left to its form instead, so that a form sent after its token expired
    comes back with everything typed and a message, not with an error page.
    """
    view.checks_own_csrf = True  # type: ignore[attr-defined]
    return view


def signed_link_post(view: F) -> F:
    """Mark a view whose POST is authorised by a signed token in its URL, with no session
    and no form token: the RFC 8058 one-click unsubscribe that mail programs send."""
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


def takes_large_body(setting: str) -> Callable[[F], F]:
    """Mark a view whose requests may be larger than MAX_CONTENT_LENGTH: up to the number of
    bytes in the config value ``setting`` (a file upload, a long table of rows), plus
    MAX_CONTENT_LENGTH of room for the rest of the form."""

    def mark(view: F) -> F:
        view.max_body_setting = setting  # type: ignore[attr-defined]
        return view

    return mark


def accepts_upload_of(setting: str) -> Callable[[F], F]:
    """Mark a view that takes one uploaded file of up to ``current_app.config[setting]``
    bytes: :func:`accepts_files` with the body limit of :func:`takes_large_body`."""

    def mark(view: F) -> F:
        return takes_large_body(setting)(accepts_files(view))

    return mark


def refuse_malformed_input() -> None:
    """400 before any query runs for control characters in the path or the query string, NUL
    in a form value, and a file sent where the view expects text."""
    if _CONTROL_IN_URL.search(request.path):
        abort(400)
    if request.environ.get("QUERY_STRING"):  # most requests have none: nothing to parse
        for key, value in request.args.items(multi=True):
            if _CONTROL_IN_URL.search(key) or _CONTROL_IN_URL.search(value):
                abort(400)
    if request.method not in UNSAFE_METHODS:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    setting = getattr(view, "max_body_setting", None)
    if setting:
        # Before the body is read: the form below is parsed with this limit.
        limit = int(current_app.config[setting]) + int(current_app.config["MAX_CONTENT_LENGTH"])
        request.max_content_length = limit
        request.max_form_memory_size = limit
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
