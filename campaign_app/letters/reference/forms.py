"""Forms of the reference-data pages: occasions, phrasebook entries, postal routes (shapes)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from campaign_app.letters.designs import design_choices
from campaign_app.letters.labels import occasion_name
from campaign_app.letters.models import (
    Artwork,
    Occasion,
    OccasionKind,
    Phrase,
    PostalRoute,
    Season,
)
from campaign_app.letters.reference.service import (
    MAX_TRANSIT_DAYS,
    OccasionInput,
    PhraseInput,
    RouteInput,
)
from campaign_app.petitions.forms import CountryField
from campaign_app.translated import CONTENT_LANGUAGES, clean_translations, translations_field
from campaign_app.validators import PlainText, clean_line, clean_text

GENERAL = "general"


class OccasionForm(FlaskForm):
    """An occasion: its kind, names, card titles, artwork and date."""

    slug = StringField(
        _l("Short name (in links)"),
        [DataRequired(_l("Please give a short name.")), Length(max=80)],
        [clean_line],
    )
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice(OccasionKind.BIRTHDAY.value, _l("Birthday")),
            SelectChoice(OccasionKind.NEW_YEAR.value, _l("New Year")),
            SelectChoice(OccasionKind.ARREST_ANNIVERSARY.value, _l("Anniversary of the arrest")),
            SelectChoice(OccasionKind.GENERAL.value, _l("Any time")),
            SelectChoice(OccasionKind.CUSTOM.value, _l("Custom (with its own date)")),
        ],
        default=OccasionKind.GENERAL.value,
    )
    name_en = StringField(
        _l("Name (English)"),
        [DataRequired(_l("Please give a name.")), Length(max=120), PlainText()],
        [clean_line],
    )
    front_title_ru = StringField(
        _l("Card title (Russian)"), [Optional(), Length(max=120), PlainText()], [clean_line]
    )
    front_title_be = StringField(
        _l("Card title (Belarusian)"), [Optional(), Length(max=120), PlainText()], [clean_line]
    )
    artwork = SelectField(_l("Front artwork"), choices=[], default=Artwork.FLOWERS.value)
    on_date = DateField(_l("Date (custom occasions)"), [Optional()])
    is_active = BooleanField(_l("Offered in the composer"), default=True)
    position = IntegerField(
        _l("Position in lists"), [InputRequired(), NumberRange(min=0, max=10000)], default=0
    )
    translations = translations_field(
        {"name": (_l("Name of the occasion"), False, 120)},
        _l("The name in other languages"),
        languages=tuple(code for code in CONTENT_LANGUAGES if code != "en"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.artwork.choices = design_choices()

    def fill(self, occasion: Occasion) -> None:
        self.slug.data = occasion.slug
        self.kind.data = occasion.kind.value
        self.name_en.data = occasion.name_en
        self.front_title_ru.data = occasion.front_title_ru
        self.front_title_be.data = occasion.front_title_be
        self.artwork.data = occasion.artwork.value
        self.on_date.data = occasion.on_date
        self.is_active.data = occasion.is_active
        self.position.data = occasion.position
        self.translations.process(None, occasion.translations or {})

    def to_input(self) -> OccasionInput:
        return OccasionInput(
            slug=self.slug.data or "",
            kind=OccasionKind(self.kind.data),
            name_en=self.name_en.data or "",
            front_title_ru=self.front_title_ru.data or "",
            front_title_be=self.front_title_be.data or "",
            artwork=Artwork(self.artwork.data),
            on_date=self.on_date.data,
            is_active=bool(self.is_active.data),
            position=int(self.position.data or 0),
            translations=clean_translations(self.translations.data),
        )


class PhraseForm(FlaskForm):
    """A phrasebook entry in every language, for one occasion or any."""

    occasion = SelectField(_l("For"), choices=[], default=GENERAL)
    season = SelectField(
        _l("Season"),
        choices=[
            SelectChoice(Season.ANY.value, _l("Any time of year")),
            SelectChoice(Season.SPRING.value, _l("Spring only")),
            SelectChoice(Season.SUMMER.value, _l("Summer only")),
            SelectChoice(Season.AUTUMN.value, _l("Autumn only")),
            SelectChoice(Season.WINTER.value, _l("Winter only")),
        ],
        default=Season.ANY.value,
    )
    text_en = StringField(
        _l("English"),
        [DataRequired(_l("Please give the English text.")), Length(max=300), PlainText()],
        [clean_line],
    )
    text_ru = StringField(_l("Russian"), [Optional(), Length(max=300), PlainText()], [clean_line])
    text_be = StringField(
        _l("Belarusian"), [Optional(), Length(max=300), PlainText()], [clean_line]
    )
    text_fr = StringField(_l("French"), [Optional(), Length(max=300), PlainText()], [clean_line])
    is_reviewed = BooleanField(_l("Reviewed: offer it in the composer"))
    position = IntegerField(
        _l("Position in lists"), [InputRequired(), NumberRange(min=0, max=10000)], default=0
    )

    def set_occasions(self, occasions: list[Occasion]) -> None:
        self.occasion.choices = [SelectChoice(GENERAL, _l("Any occasion"))] + [
            SelectChoice(str(o.id), occasion_name(o)) for o in occasions
        ]

    def fill(self, phrase: Phrase) -> None:
        self.occasion.data = str(phrase.occasion_id) if phrase.occasion_id else GENERAL
        self.season.data = phrase.season.value
        for name in ("text_en", "text_ru", "text_be", "text_fr", "is_reviewed", "position"):
            getattr(self, name).data = getattr(phrase, name)

    def to_input(self) -> PhraseInput:
        occasion = self.occasion.data or GENERAL
        return PhraseInput(
            occasion_id=None if occasion == GENERAL else int(occasion),
            season=Season(self.season.data or Season.ANY.value),
            text_en=self.text_en.data or "",
            text_ru=self.text_ru.data or "",
            text_be=self.text_be.data or "",
            text_fr=self.text_fr.data or "",
            is_reviewed=bool(self.is_reviewed.data),
            position=int(self.position.data or 0),
        )


class RouteForm(FlaskForm):
    """A postal route's transit time, postage and notes."""

    transit_days = IntegerField(
        _l("Days in transit"),
        [
            InputRequired(_l("Please give the usual number of days.")),
            NumberRange(min=0, max=MAX_TRANSIT_DAYS),
        ],
        default=14,
    )
    postage_note = StringField(
        _l("Postage"), [Optional(), Length(max=300), PlainText()], [clean_line]
    )
    is_suspended = BooleanField(_l("Suspended: the post does not take mail to Belarus/Russia"))
    note = TextAreaField(
        _l("Note for senders"),
        [Optional(), Length(max=2000), PlainText(single_line=False)],
        [clean_text],
    )
    as_of = DateField(_l("As of"), [Optional()])
    translations = translations_field(
        {
            "postage_note": (_l("Postage"), False, 300),
            "note": (_l("Note for senders"), True, 2000),
        },
        _l("Postage and the note in other languages"),
    )

    def fill(self, route: PostalRoute) -> None:
        for name in ("transit_days", "postage_note", "is_suspended", "note", "as_of"):
            getattr(self, name).data = getattr(route, name)
        self.translations.process(None, route.translations or {})

    def to_input(self) -> RouteInput:
        return RouteInput(
            transit_days=int(self.transit_days.data or 0),
            postage_note=self.postage_note.data or "",
            is_suspended=bool(self.is_suspended.data),
            note=self.note.data or "",
            as_of=self.as_of.data,
            translations=clean_translations(self.translations.data),
        )


class NewRouteForm(RouteForm):
    """A postal route from a country that has none yet."""

    country = CountryField(
        _l("Sender country"), [DataRequired(_l("Please choose a country from the list."))]
    )
