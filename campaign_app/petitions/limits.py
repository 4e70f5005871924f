"""The per-mailbox signing limit's key (Flask-Limiter key function)."""

from __future__ import annotations

from flask import current_app, request

from campaign_app.petitions.blind_index import email_hash
from campaign_app.petitions.forms import parse_typed_email
from campaign_app.petitions.normalize import InvalidEmail, mailbox_of
from campaign_app.security import client_address, keyed_hash


def email_key() -> str:
    """Key of the per-mailbox limit: the address's blind index (the hash signing stores), so
    limiter storage holds no address."""
    raw = request.form.get("email", "")[:254]
    domains = str(current_app.config["DOT_INSENSITIVE_EMAIL_DOMAINS"]).split(",")
    try:
        parsed = parse_typed_email(raw)
    except InvalidEmail:
        # Malformed addresses are refused by the form; limit them per client instead.
        return "ip:" + keyed_hash(client_address(), "ratelimit")
    return "email:" + email_hash(mailbox_of(parsed, domains))
