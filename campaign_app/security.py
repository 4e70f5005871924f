"""Request-level protection: client address, keyed IP hashes and security headers."""

from __future__ import annotations

import hashlib
import hmac

from flask import Flask, Response, current_app, request

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


def add_security_headers(response: Response) -> Response:
    """Attach the security headers; views may loosen them explicitly (none do yet)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_security(app: Flask) -> None:
    """Register the header hook and trust proxies only as far as configured."""
    app.after_request(add_security_headers)
    x_for = int(app.config["PROXY_FIX_X_FOR"])
    x_proto = int(app.config["PROXY_FIX_X_PROTO"])
    if x_for or x_proto:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=x_for, x_proto=x_proto)  # type: ignore[method-assign]
