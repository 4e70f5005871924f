"""Helpers for tests of the organiser pages: CSRF token of a page, a field's value, audit events."""

from __future__ import annotations

import re

from sqlalchemy import select
from werkzeug.test import TestResponse

from campaign_app.audit.models import AuditEvent
from campaign_app.extensions import db


def page_token(client, url: str = "/organise/") -> str:
    """The CSRF token of any form on the page (the sign-out button has one)."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).get_data(True))
    assert match, "no CSRF token on the page"
    return match.group(1)


def field_value(response: TestResponse, name: str) -> str:
    """The value attribute of the input called ``name`` on the page."""
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', response.get_data(True))
    return match.group(1) if match else ""


def audit_events(action: str) -> list[AuditEvent]:
    """The audit events of one action."""
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
