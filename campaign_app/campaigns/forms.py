"""Forms of the campaign pages (shapes only; rules live in the service).

The web-address field and the state buttons' form serve the campaign's petitions too.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from campaign_app.campaigns.service import CampaignInput
from campaign_app.translated import clean_translations, translations_field
from campaign_app.validators import PlainText, clean_line, clean_markdown, strip_filter

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z"
SLUG_TAKEN = _l("This web address is taken already; please choose another.")
ARCHIVE_CONFIRM = _l("Please type the web address exactly as shown to confirm archiving.")


def slug_field(label: Any) -> StringField:
    """A web address: lowercase letters, digits and single hyphens."""
    return StringField(
        label,
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Please enter a web address.")),
            Length(max=80),
            Regexp(
                SLUG_PATTERN,
                message=_l(
                    "Use lowercase letters a-z, digits and single hyphens between them,"
                    " e.g. free-ales-bialiatski."
                ),
            ),
        ],
    )


class CampaignForm(FlaskForm):
    """A campaign's name and texts; its state changes with the buttons on its page."""

    slug = slug_field(_l("Web address (slug)"))
    name = StringField(
        _l("Name of the campaign"),
        filters=[clean_line],
        validators=[DataRequired(_l("Please enter a name.")), Length(max=200), PlainText()],
    )
    organisation = StringField(
        _l("Organisation (optional)"),
        filters=[clean_line],
        validators=[Optional(), Length(max=200), PlainText()],
    )
    description = TextAreaField(
        _l("Description (Markdown, optional)"),
        filters=[clean_markdown],
        validators=[Optional(), Length(max=20000), PlainText(single_line=False)],
        render_kw={"rows": 8},
    )
    translations = translations_field(
        {
            "name": (_l("Name of the campaign"), False, 200),
            "description": (_l("Description (Markdown, optional)"), True, 20000),
        },
        _l("The name and description in other languages"),
    )

    def to_input(self) -> CampaignInput:
        return CampaignInput(
            slug=self.slug.data,
            name=self.name.data,
            organisation=self.organisation.data or "",
            description=self.description.data or "",
            translations=clean_translations(self.translations.data),
        )


class StateForm(FlaskForm):
    """One state button; archiving asks to type the slug as confirmation."""

    action = HiddenField(validators=[DataRequired(), Length(max=20)])
    confirm = StringField(
        _l("To confirm, type the web address (slug)"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=80)],
    )

    def is_confirmed(self, slug: str) -> bool:
        """False (with the message on the field) when archiving without the slug typed."""
        if self.action.data == "archive" and self.confirm.data != slug:
            self.confirm.errors = [ARCHIVE_CONFIRM]
            return False
        return True
