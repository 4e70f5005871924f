"""Forms of the composer, the downloads and "I sent it"."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from campaign_app.letters.designs import design_choices
from campaign_app.letters.labels import occasion_name
from campaign_app.letters.service import MAX_SENT_PER_REPORT, CompositionInput
from campaign_app.petitions.forms import CountryField
from campaign_app.validators import PersonName, PlainText, clean_line, clean_text

LANGUAGE_LABELS = {"en": "English", "ru": "Русский", "be": "Беларуская", "fr": "Français"}
# Each language named in itself, marked as such (screen readers, the language gate).
LANGUAGE_CHOICES = [
    SelectChoice(code, label, render_kw={"lang": code}) for code, label in LANGUAGE_LABELS.items()
]
# The languages a card is printed in, named in the reader's language.
CARD_LANGUAGE_NAMES = {"ru": _l("Russian"), "be": _l("Belarusian")}
_LATIN = re.compile(r"[A-Za-z]")
# Generous: the PDF renderers decide what fits and say how much to cut.
FREE_TEXT_MAX = 3000


class PhraseBoxes(SelectMultipleField):
    """The phrasebook as checkboxes (ticked phrases come back as ids)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class OccasionLanguageForm(FlaskForm):
    """The composer's first step (GET): which occasion, and the sender's language."""

    class Meta:
        csrf = False

    occasion = SelectField(_l("Occasion"), validators=[Optional()])
    language = SelectField(
        _l("Show the phrases in"), choices=LANGUAGE_CHOICES, default="en", validators=[Optional()]
    )
    card_language = RadioField(_l("Print the card in"), choices=[], validators=[Optional()])


class ComposeForm(FlaskForm):
    """The card: phrases, free text, signature and an optional return address."""

    occasion = SelectField(_l("Occasion"), validators=[InputRequired()])
    language = SelectField(_l("Show the phrases in"), choices=LANGUAGE_CHOICES, default="en")
    # Chosen in the first step; the service prints a language the prisoner accepts.
    card_language = StringField(validators=[Optional(), Length(max=2)])
    # Any value is taken: the service falls back to the occasion's own design.
    design = SelectField(_l("Design of the front"), validate_choice=False)
    phrases = PhraseBoxes(_l("Phrases"), coerce=int, validators=[Optional()])
    free_text = TextAreaField(
        _l("Your own words (optional)"),
        filters=[clean_text],
        validators=[Optional(), Length(max=FREE_TEXT_MAX), PlainText(single_line=False)],
    )
    signature = StringField(
        _l("Sign with a first name or pseudonym"),
        filters=[clean_line],
        validators=[
            DataRequired(_l("Please sign with a first name or a pseudonym.")),
            Length(max=40),
            PlainText(),
            PersonName(),
        ],
    )
    return_address = TextAreaField(
        _l("Your return address (optional)"),
        filters=[clean_text],
        validators=[Optional(), Length(max=300), PlainText(single_line=False)],
    )
    envelope_size = SelectField(
        _l("Envelope size"),
        choices=[
            SelectChoice("DL", _l("DL (110 × 220 mm)")),
            SelectChoice("C6", _l("C6 (114 × 162 mm)")),
        ],
    )

    @property
    def has_latin_signature(self) -> bool:
        return bool(self.signature.data and _LATIN.search(self.signature.data))

    def to_input(self) -> CompositionInput:
        return CompositionInput(
            phrase_ids=tuple(self.phrases.data or ()),
            sender_language=self.language.data or "en",
            free_text=self.free_text.data or "",
            signature=self.signature.data or "",
            return_address=self.return_address.data or "",
            card_language=self.card_language.data or "",
            design=self.design.data or "",
        )

    def set_choices(self, occasions: list[Any], phrases: list[Any]) -> None:
        """The occasions, the phrases on offer (as ids) and the designs."""
        self.occasion.choices = occasion_choices(occasions)
        self.phrases.choices = [SelectChoice(phrase.id, phrase.text_en) for phrase in phrases]
        self.design.choices = design_choices()


class PosterForm(FlaskForm):
    """The birthday poster for photo actions."""

    size = SelectField(
        _l("Poster size"),
        choices=[SelectChoice("A4", "A4"), SelectChoice("A3", "A3")],
        default="A4",
    )


class SentForm(FlaskForm):
    """ "I sent it": what was posted, how many, and (optionally) from which country."""

    # Ids of their own: the prisoner page also has the postage form's country select.
    occasion = SelectField(_l("Occasion"), validators=[Optional()], id="sent-occasion")
    count = IntegerField(
        _l("How many cards or letters did you post?"),
        id="sent-count",
        default=1,
        validators=[
            InputRequired(_l("Please enter how many you posted.")),
            NumberRange(
                min=1,
                max=MAX_SENT_PER_REPORT,
                message=_l("Please enter a number from 1 to %(max)s.", max=MAX_SENT_PER_REPORT),
            ),
        ],
    )
    country = CountryField(_l("Posted from (optional)"), validators=[Optional()], id="sent-country")


class PostingCountryForm(FlaskForm):
    """The prisoner page's "posting from" choice (GET, nothing stored)."""

    class Meta:
        csrf = False

    country = CountryField(_l("I am posting from"), validators=[Optional()])


def occasion_choices(occasions: list[Any], blank: str | None = None) -> list[SelectChoice]:
    """Choices of an occasion select from active occasions (slug, name in the reader's language)."""
    choices = [SelectChoice("", blank)] if blank is not None else []
    return choices + [
        SelectChoice(occasion.slug, occasion_name(occasion)) for occasion in occasions
    ]


def card_language_choices(languages: tuple[str, ...]) -> list[SelectChoice]:
    """The card languages a prisoner accepts, named in the reader's language."""
    return [SelectChoice(code, str(CARD_LANGUAGE_NAMES[code])) for code in languages]


def make_sent_form(occasions: list[Any], **kwargs: Any) -> SentForm:
    """The "I sent it" form with the active occasions to choose from."""
    form = SentForm(**kwargs)
    form.occasion.choices = occasion_choices(occasions, blank=str(_l("Other / not sure")))
    return form
