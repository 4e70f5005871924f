"""Only for tests/management, whose helpers are moving to tests/support on another branch:
delete this module once that lands. Everything else imports tests.support.web and
tests.support.petitions."""

from __future__ import annotations

from tests.support.web import csrf_token, text_of

__all__ = ["csrf_token", "text_of"]
