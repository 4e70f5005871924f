"""Forms of the privacy pages: an e-mail address to erase, and button-only confirmations."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SubmitField
from wtforms.validators import DataRequired, Length

from campaign_app.petitions.forms import EmailSyntax
from campaign_app.validators import strip_filter


def _email_field(label: Any) -> EmailField:
    return EmailField(
        label,
        [
            DataRequired(_l("Please enter an e-mail address.")),
            Length(max=254),
            EmailSyntax(),
        ],
        [strip_filter],
    )


class EraseSignerForm(FlaskForm):
    """The organiser's erasure: "Find" shows the matches, "Erase everywhere" erases them."""

    email = _email_field(_l("Signer's e-mail address"))
    find = SubmitField(_l("Find"))
    erase = SubmitField(_l("Erase everywhere"))


class ErasureRequestForm(FlaskForm):
    """A signer asks for the link that erases their signatures."""

    email = _email_field(_l("Your e-mail address"))


class ConfirmForm(FlaskForm):
    """A button (with its CSRF token): erasing or anonymising never happens on a GET."""
