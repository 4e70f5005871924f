"""The Mastodon form: which server to share on (sent with GET: it changes nothing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length

from campaign_app.validators import strip_filter


class MastodonForm(FlaskForm):
    """Asks for the host name of the supporter's Mastodon server."""

    class Meta:
        csrf = False

    petition = HiddenField()
    instance = StringField(
        _l("Your Mastodon server"),
        filters=[strip_filter],
        validators=[
            InputRequired(_l("Please enter your Mastodon server, like mastodon.social.")),
            Length(max=300),
        ],
    )
