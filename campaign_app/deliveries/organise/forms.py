"""Forms of the hand-in pages of the organiser area (shapes only; rules live in the service)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import (
    DateField,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)

from campaign_app.deliveries.labels import OUTCOME_LABELS
from campaign_app.deliveries.models import DeliveryOutcome
from campaign_app.deliveries.service import DeliveryInput, PhotoInput, PhotoTexts
from campaign_app.translated import MARKDOWN, clean_translations, translations_field
from campaign_app.validators import PlainText, clean_line, clean_markdown

MAX_COUNT = 100_000_000


def _count_field(label: object) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            InputRequired(_l("Please enter a number (0 for none).")),
            NumberRange(min=0, max=MAX_COUNT, message=_l("Please enter 0 to 100,000,000.")),
        ],
        default=0,
    )


class DeliveryForm(FlaskForm):
    """When, where, to whom, what happened, how many signatures, and a note."""

    delivered_on = DateField(
        _l("Date"), validators=[InputRequired(_l("Please enter the date of the hand-in."))]
    )
    place = StringField(
        _l("Place"),
        filters=[clean_line],
        validators=[DataRequired(_l("Please enter the place.")), Length(max=300), PlainText()],
    )
    recipient = StringField(
        _l("Handed to (optional)"),
        filters=[clean_line],
        validators=[Optional(), Length(max=300), PlainText()],
    )
    outcome = SelectField(
        _l("Outcome"),
        choices=[SelectChoice(outcome.value, label) for outcome, label in OUTCOME_LABELS.items()],
        validators=[InputRequired(_l("Please choose what happened."))],
    )
    signatures_online = _count_field(_l("Signatures collected online"))
    signatures_on_paper = _count_field(_l("Signatures collected on paper"))
    note = TextAreaField(
        _l("Note (Markdown, optional)"),
        filters=[clean_markdown],
        validators=[Optional(), Length(max=10000), PlainText(single_line=False)],
        render_kw={"rows": 8},
    )
    translations = translations_field(
        {
            "place": (_l("Place"), False, 300),
            "recipient": (_l("Handed to"), False, 300),
            "note": (_l("Note (Markdown)"), MARKDOWN, 10000),
        },
        _l("Place, recipient and note in other languages"),
    )

    def to_input(self) -> DeliveryInput:
        return DeliveryInput(
            delivered_on=self.delivered_on.data,
            place=self.place.data,
            recipient=self.recipient.data or "",
            outcome=DeliveryOutcome(self.outcome.data),
            signatures_online=int(self.signatures_online.data),
            signatures_on_paper=int(self.signatures_on_paper.data),
            note=self.note.data or "",
            translations=clean_translations(self.translations.data),
        )


def _alt_text_field() -> StringField:
    return StringField(
        _l("Description for people who cannot see the photo"),
        filters=[clean_line],
        validators=[
            DataRequired(_l("Please describe the photo in a few words.")),
            Length(max=300),
            PlainText(),
        ],
    )


def _caption_field() -> StringField:
    return StringField(
        _l("Caption (optional)"),
        filters=[clean_line],
        validators=[Optional(), Length(max=500), PlainText()],
    )


def _photo_translations() -> FormField:
    return translations_field(
        {
            "alt_text": (_l("Description for people who cannot see the photo"), False, 300),
            "caption": (_l("Caption"), False, 500),
        },
        _l("Description and caption in other languages"),
    )


class PhotoForm(FlaskForm):
    """One photo with its text alternative and an optional caption, in every language.

    It shares the hand-in's page with DeliveryForm: its translations have their own name."""

    photo = FileField(_l("Photo (JPEG, PNG or WebP)"))
    alt_text = _alt_text_field()
    caption = _caption_field()
    photo_translations = _photo_translations()

    def validate_photo(self, field: FileField) -> None:
        if not isinstance(field.data, FileStorage) or not field.data.filename:
            raise StopValidation(_l("Please choose a photo."))

    def to_input(self, max_bytes: int) -> PhotoInput:
        """The form's photo, read up to one byte more than ``max_bytes`` (enough to tell that
        it is too large)."""
        data = self.photo.data.stream.read(max_bytes + 1)
        texts = PhotoTexts(
            alt_text=self.alt_text.data,
            caption=self.caption.data or "",
            translations=clean_translations(self.photo_translations.data),
        )
        return PhotoInput(data=data, texts=texts)


class PhotoTextsForm(FlaskForm):
    """A stored photo's text alternative and caption, in every language."""

    alt_text = _alt_text_field()
    caption = _caption_field()
    translations = _photo_translations()

    def to_texts(self) -> PhotoTexts:
        return PhotoTexts(
            alt_text=self.alt_text.data,
            caption=self.caption.data or "",
            translations=clean_translations(self.translations.data),
        )
