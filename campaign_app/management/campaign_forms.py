"""Forms of the campaign and petition management pages (shapes only; rules live in the service)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from campaign_app.management.campaign_service import CampaignInput, PetitionInput
from campaign_app.validators import PlainText, strip_filter

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z"
# The browser's datetime-local value first (what the field renders), then hand-typed forms.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def _line(value: Any) -> Any:
    value = strip_filter(value)
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _text(value: Any) -> Any:
    """Multi-line text: one kind of line break, no trailing blanks."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", "\n".join(line.rstrip() for line in value.split("\n")))


def _as_utc(value: Any) -> Any:
    """The form's times are UTC (the label says so)."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _slug_field(label: Any) -> StringField:
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

    slug = _slug_field(_l("Web address (slug)"))
    name = StringField(
        _l("Name"),
        filters=[_line],
        validators=[DataRequired(_l("Please enter a name.")), Length(max=200), PlainText()],
    )
    organisation = StringField(
        _l("Organisation (optional)"),
        filters=[_line],
        validators=[Optional(), Length(max=200), PlainText()],
    )
    description = TextAreaField(
        _l("Description (Markdown, optional)"),
        filters=[_text],
        validators=[Optional(), Length(max=20000), PlainText(single_line=False)],
        render_kw={"rows": 8},
    )

    def to_input(self) -> CampaignInput:
        return CampaignInput(
            slug=self.slug.data,
            name=self.name.data,
            organisation=self.organisation.data or "",
            description=self.description.data or "",
        )


class PetitionForm(FlaskForm):
    """A petition's texts, goal and dates (UTC)."""

    slug = _slug_field(_l("Web address (slug)"))
    title = StringField(
        _l("Title"),
        filters=[_line],
        validators=[DataRequired(_l("Please enter a title.")), Length(max=200), PlainText()],
    )
    summary = StringField(
        _l("Summary (optional)"),
        filters=[_line],
        validators=[Optional(), Length(max=500), PlainText()],
    )
    target = StringField(
        _l("Addressed to (target)"),
        filters=[_line],
        validators=[Optional(), Length(max=200), PlainText()],
    )
    body = TextAreaField(
        _l("Text of the petition (Markdown)"),
        filters=[_text],
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
            title=self.title.data,
            summary=self.summary.data or "",
            body=self.body.data or "",
            target=self.target.data or "",
            goal=int(self.goal.data),
            opens_at=self.opens_at.data,
            closes_at=self.closes_at.data,
        )


class StateForm(FlaskForm):
    """One state button; archiving asks to type the slug as confirmation."""

    action = HiddenField(validators=[DataRequired(), Length(max=20)])
    confirm = StringField(
        _l("To confirm, type the web address (slug)"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=80)],
    )
