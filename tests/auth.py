"""Only for tests/management, whose helpers are moving to tests/support on another branch:
delete this module once that lands. Everything else imports tests.support.web."""

from __future__ import annotations

from tests.support.web import log_in, post_form

__all__ = ["log_in", "post_form"]
