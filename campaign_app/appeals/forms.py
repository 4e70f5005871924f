"""Forms of the appeal composer and of "I sent it" for appeals (shape only)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from campaign_app.appeals.models import SentBy
from campaign_app.appeals.service import MAX_SENT_PER_REPORT, AppealInput
from campaign_app.petitions.forms import CountryField
from campaign_app.validators import PersonName, PlainText, clean_line

# Each language named in itself (the supporter picks the language of the letter).
LANGUAGE_LABELS = {"ru": "Русский", "be": "Беларуская", "en": "English", "fr": "Français"}
NAME_MAX = 80
CITY_MAX = 80


class PrisonerChoice(SelectField):
    """Whom the appeal is about: one of the listed prisoners, or, for a campaign of a
    registry's size, the one a link chose (a hidden field), checked against the campaign."""

    unknown_message: Any = None  # set when the prisoner is not chosen from a list

    def pre_validate(self, form: Any) -> None:
        offered = {str(choice.value) for choice in self.choices or ()}
        if self.unknown_message is not None and self.data not in offered:
            raise ValidationError(self.unknown_message)
        super().pre_validate(form)


class AppealForm(FlaskForm):
    """The composer: which prisoner it is about, the language, the supporter's name and city.

    ``lists_every_prisoner``: the campaign's prisoners are offered in a select (up to
    service.PRISONER_CHOICES_MAX); past it only the one chosen by link, in a hidden field."""

    lists_every_prisoner = True
    prisoner = PrisonerChoice(_l("The appeal is about"), validators=[Optional()])
    language = SelectField(_l("Language of the letter"), validators=[InputRequired()])
    name = StringField(
        _l("Your name"),
        filters=[clean_line],
        validators=[
            DataRequired(_l("Please give your name: an appeal is signed.")),
            Length(
                max=NAME_MAX,
                message=_l("Please keep the name under %(max)d characters.", max=NAME_MAX),
            ),
            PlainText(),
            PersonName(),
        ],
    )
    city = StringField(
        _l("Your town or city"),
        filters=[clean_line],
        validators=[
            Optional(),
            Length(
                max=CITY_MAX,
                message=_l("Please keep the town under %(max)d characters.", max=CITY_MAX),
            ),
            PlainText(),
        ],
    )
    envelope_size = SelectField(
        _l("Envelope size"),
        choices=[
            SelectChoice("DL", _l("DL (110 × 220 mm): the letter folded in three")),
            SelectChoice("C5", _l("C5 (162 × 229 mm): the letter folded once")),
        ],
        default="DL",
    )

    def set_choices(
        self, prisoners: list[Any], languages: list[str], name_of: Any, *, every: bool = True
    ) -> None:
        """The prisoners offered by slug (``every``: all the campaign's, else the one chosen
        by link, if any) and the target's languages."""
        self.lists_every_prisoner = every
        if not every:
            self.prisoner.unknown_message = _l(
                "This prisoner is not one this appeal can be about. Find the prisoner in the"
                " registry, then choose “Write to the officials about …” on their page."
            )
        self.prisoner.choices = [SelectChoice("", _l("Nobody in particular"))] + [
            SelectChoice(prisoner.slug, name_of(prisoner)) for prisoner in prisoners
        ]
        self.language.choices = [
            SelectChoice(code, LANGUAGE_LABELS.get(code, code), render_kw={"lang": code})
            for code in languages
        ]

    def to_input(self) -> AppealInput:
        return AppealInput(
            prisoner_slug=self.prisoner.data or "",
            language=self.language.data or "",
            name=self.name.data or "",
            city=self.city.data or "",
        )


class AppealSentForm(FlaskForm):
    """ "I sent it" for an appeal: how many, by post or e-mail, and (optionally) from where."""

    count = IntegerField(
        _l("How many appeals did you send?"),
        id="appeal-sent-count",
        default=1,
        validators=[
            InputRequired(_l("Please enter how many you sent.")),
            NumberRange(
                min=1,
                max=MAX_SENT_PER_REPORT,
                message=_l("Please enter a number from 1 to %(max)s.", max=MAX_SENT_PER_REPORT),
            ),
        ],
    )
    sent_by = RadioField(
        _l("Sent by"),
        id="appeal-sent-by",
        choices=[
            SelectChoice(SentBy.POST.value, _l("post")),
            SelectChoice(SentBy.EMAIL.value, _l("e-mail")),
        ],
        default=SentBy.POST.value,
        validators=[InputRequired(_l("Please say how you sent it."))],
    )
    country = CountryField(
        _l("Sent from (optional)"), validators=[Optional()], id="appeal-sent-country"
    )
