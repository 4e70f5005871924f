"""The "I got a reply" form: when it arrived and, optionally, where the supporter lives."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import InputRequired, Optional

from campaign_app.petitions.forms import CountryField


class ReplyForm(FlaskForm):
    """No name, no e-mail, no content: a date and a country are all that is asked."""

    # Ids of their own: the prisoner page also has the "I sent it" and postage forms.
    received_on = DateField(
        _l("When did the reply arrive?"),
        id="reply-received-on",
        validators=[InputRequired(_l("Please give the date the reply arrived."))],
    )
    country = CountryField(
        _l("Your country (optional)"), validators=[Optional()], id="reply-country"
    )

    def received(self) -> date:
        received: date = self.received_on.data  # validated: InputRequired
        return received
