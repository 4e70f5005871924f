"""Refusals about single form fields: a service collects and raises them, a view shows them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from campaign_app.db import utcnow
from campaign_app.errors import CampaignError

if TYPE_CHECKING:
    from flask_wtf import FlaskForm


class InvalidFields(CampaignError):
    """Input the rules refuse: a message per form field name, shown next to that field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(", ".join(sorted(errors)))
        self.errors = errors


class FieldErrors:
    """Collects messages per field; ``raise_if_any`` turns them into InvalidFields."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidFields(self.errors)


def check_not_future(errors: FieldErrors, name: str, label: str, day: date | None) -> None:
    """Refuse a date after today (UTC)."""
    if day is not None and day > utcnow().date():
        errors.add(name, _("%(field)s cannot be in the future.", field=label))


def show_errors(form: FlaskForm, error: InvalidFields) -> None:
    """Put the service's messages next to the fields they are about."""
    for name, messages in error.errors.items():
        if name in form:
            form[name].errors = [*form[name].errors, *messages]


def form_status(form: FlaskForm) -> int:
    """The status of a form page: 400 when it shows errors, else 200."""
    return 400 if form.errors else 200
