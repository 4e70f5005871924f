"""Forms of the petition pages of the organiser area (shapes only; rules live in the service)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from campaign_app.campaigns.forms import slug_field
from campaign_app.i18n import LANGUAGE_NAMES
from campaign_app.petitions.organise.service import PetitionInput, TranslationInput
from campaign_app.translated import CONTENT_LANGUAGES
from campaign_app.validators import PlainText, clean_line, clean_markdown

# The browser's datetime-local value first (what the field renders), then hand-typed forms.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def _as_utc(value: Any) -> Any:
    """The form's times are UTC (the label says so)."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _language_choices() -> list[SelectChoice]:
    return [
        SelectChoice(code, LANGUAGE_NAMES[code], render_kw={"lang": code})
        for code in CONTENT_LANGUAGES
    ]


class PetitionForm(FlaskForm):
    """A petition's texts, the language they are written in, goal and dates (UTC)."""

    slug = slug_field(_l("Web address (slug)"))
    language = SelectField(
        _l("Language of the text"),
        choices=_language_choices(),
        default=CONTENT_LANGUAGES[0],
    )
    title = StringField(
        _l("Title"),
        filters=[clean_line],
        validators=[DataRequired(_l("Please enter a title.")), Length(max=200), PlainText()],
    )
    summary = StringField(
        _l("Summary (optional)"),
        filters=[clean_line],
        validators=[Optional(), Length(max=500), PlainText()],
    )
    target = StringField(
        _l("Addressed to (target)"),
        filters=[clean_line],
        validators=[Optional(), Length(max=200), PlainText()],
    )
    body = TextAreaField(
        _l("Text of the petition (Markdown)"),
        filters=[clean_markdown],
        validators=[Optional(), Length(max=50000), PlainText(single_line=False)],
        render_kw={"rows": 14},
    )
    goal = IntegerField(
        _l("Goal (signatures)"),
        validators=[
            InputRequired(_l("Please enter a goal (a whole number, 0 for none).")),
            NumberRange(min=0, max=100_000_000, message=_l("Please enter 0 to 100,000,000.")),
        ],
        default=1000,
    )
    opens_at = DateTimeLocalField(
        _l("Opens at (UTC)"),
        format=DATETIME_FORMATS,
        filters=[_as_utc],
        validators=[InputRequired(_l("Please enter when the petition opens."))],
    )
    closes_at = DateTimeLocalField(
        _l("Closes at (UTC, optional)"),
        format=DATETIME_FORMATS,
        filters=[_as_utc],
        validators=[Optional()],
    )

    def validate_closes_at(self, field: Any) -> None:
        opens_at = self.opens_at.data
        if field.data is not None and opens_at is not None and field.data <= opens_at:
            raise ValidationError(_l("The closing time must be after the opening time."))

    def to_input(self) -> PetitionInput:
        return PetitionInput(
            slug=self.slug.data,
            language=self.language.data or CONTENT_LANGUAGES[0],
            title=self.title.data,
            summary=self.summary.data or "",
            body=self.body.data or "",
            target=self.target.data or "",
            goal=int(self.goal.data),
            opens_at=self.opens_at.data,
            closes_at=self.closes_at.data,
        )


class TranslationForm(FlaskForm):
    """A petition's title, summary, target and text in another interface language.

    The text keeps its line breaks and blank lines: they are Markdown's paragraphs.
    """

    title = StringField(
        _l("Title"),
        [DataRequired(_l("Please enter a title.")), Length(max=200), PlainText()],
        [clean_line],
    )
    summary = StringField(
        _l("Summary (optional)"), [Optional(), Length(max=500), PlainText()], [clean_line]
    )
    target = StringField(
        _l("Addressed to (target)"), [Optional(), Length(max=200), PlainText()], [clean_line]
    )
    body = TextAreaField(
        _l("Text of the petition (Markdown)"),
        [Optional(), Length(max=50000), PlainText(single_line=False)],
        [clean_markdown],
        render_kw={"rows": 14},
    )

    def to_input(self) -> TranslationInput:
        return TranslationInput(
            title=self.title.data,
            summary=self.summary.data or "",
            body=self.body.data or "",
            target=self.target.data or "",
        )
