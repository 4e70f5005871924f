"""Forms of the organiser's prisoner pages: the list's search, the record, a new address."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from campaign_app.institutions import service as institutions_service
from campaign_app.prisoners.forms import RegistryForm
from campaign_app.prisoners.models import (
    AddressLanguage,
    CardLanguages,
    Prisoner,
    PrisonerStatus,
)
from campaign_app.prisoners.organise.inputs import AddressInput, PrisonerInput
from campaign_app.prisoners.organise.transfers import TransferInput
from campaign_app.translated import clean_translations, translations_field
from campaign_app.validators import PlainText, clean_line, clean_text

YES, NO, UNKNOWN = "yes", "no", "unknown"
_MAIL_STATES = {YES: True, NO: False, UNKNOWN: None}


def _name(label: str, required: bool = False, max_length: int = 80) -> StringField:
    first = DataRequired(_l("Please fill this in.")) if required else Optional()
    return StringField(label, [first, Length(max=max_length), PlainText()], [clean_line])


class PrisonerForm(FlaskForm):
    """A prisoner's record: names in three forms, dates, status, mail; no address."""

    slug = StringField(
        _l("Short name (in links)"),
        [DataRequired(_l("Please give a short name.")), Length(max=80)],
        [clean_line],
    )
    given_name_latin = _name(_l("Given name (Latin)"), required=True)
    surname_latin = _name(_l("Surname (Latin)"), required=True)
    given_name_ru = _name(_l("Given name (Russian)"))
    patronymic_ru = _name(_l("Patronymic (Russian)"))
    surname_ru = _name(_l("Surname (Russian)"))
    full_name_dative_ru = _name(_l("Full name, dative (Russian)"), max_length=200)
    given_name_be = _name(_l("Given name (Belarusian)"))
    patronymic_be = _name(_l("Patronymic (Belarusian)"))
    surname_be = _name(_l("Surname (Belarusian)"))
    full_name_dative_be = _name(_l("Full name, dative (Belarusian)"), max_length=200)
    birth_date = DateField(_l("Date of birth"), [Optional()])
    arrest_date = DateField(_l("Date of arrest"), [Optional()])
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(PrisonerStatus.IMPRISONED.value, _l("Imprisoned")),
            SelectChoice(PrisonerStatus.TRANSFERRED.value, _l("Transferred")),
            SelectChoice(PrisonerStatus.RELEASED.value, _l("Released")),
            SelectChoice(PrisonerStatus.UNKNOWN.value, _l("Whereabouts unknown")),
        ],
        default=PrisonerStatus.IMPRISONED.value,
    )
    address_language = RadioField(
        _l("Address printed in"),
        choices=[
            SelectChoice(AddressLanguage.RUSSIAN.value, _l("Russian")),
            SelectChoice(AddressLanguage.BELARUSIAN.value, _l("Belarusian")),
        ],
        default=AddressLanguage.RUSSIAN.value,
    )
    card_languages = RadioField(
        _l("Cards printed in"),
        choices=[
            SelectChoice(CardLanguages.BOTH.value, _l("Russian or Belarusian: the sender chooses")),
            SelectChoice(CardLanguages.RUSSIAN.value, _l("Russian only")),
            SelectChoice(CardLanguages.BELARUSIAN.value, _l("Belarusian only")),
        ],
        default=CardLanguages.BOTH.value,
    )
    bio = TextAreaField(
        _l("Biography"), [Optional(), Length(max=5000), PlainText(single_line=False)], [clean_text]
    )
    interests = TextAreaField(
        _l("Interests"), [Optional(), Length(max=2000), PlainText(single_line=False)], [clean_text]
    )
    is_mail_getting_through = RadioField(
        _l("Is mail getting through?"),
        choices=[
            SelectChoice(UNKNOWN, _l("Not known")),
            SelectChoice(YES, _l("Yes")),
            SelectChoice(NO, _l("No")),
        ],
        default=UNKNOWN,
    )
    mail_note = TextAreaField(
        _l("Note on mail"),
        [Optional(), Length(max=2000), PlainText(single_line=False)],
        [clean_text],
    )
    mail_note_as_of = DateField(_l("Mail note as of"), [Optional()])
    photo_url = StringField(
        _l("Photo address on this site"), [Optional(), Length(max=300)], [clean_line]
    )
    translations = translations_field(
        {
            "bio": (_l("Biography"), True, 5000),
            "interests": (_l("Interests"), True, 2000),
            "mail_note": (_l("Note on mail"), True, 2000),
        },
        _l("Biography, interests and the note on mail in other languages"),
    )

    def fill(self, prisoner: Prisoner) -> None:
        for name in PrisonerInput.__dataclass_fields__:
            if name != "translations":
                getattr(self, name).data = getattr(prisoner, name)
        self.translations.process(None, prisoner.translations or {})
        self.status.data = prisoner.status.value
        self.address_language.data = prisoner.address_language.value
        self.card_languages.data = prisoner.card_languages.value
        state = prisoner.is_mail_getting_through
        self.is_mail_getting_through.data = UNKNOWN if state is None else (YES if state else NO)

    def to_input(self) -> PrisonerInput:
        def text(name: str) -> str:
            return str(getattr(self, name).data or "")

        return PrisonerInput(
            slug=text("slug"),
            given_name_latin=text("given_name_latin"),
            surname_latin=text("surname_latin"),
            given_name_ru=text("given_name_ru"),
            patronymic_ru=text("patronymic_ru"),
            surname_ru=text("surname_ru"),
            full_name_dative_ru=text("full_name_dative_ru"),
            given_name_be=text("given_name_be"),
            patronymic_be=text("patronymic_be"),
            surname_be=text("surname_be"),
            full_name_dative_be=text("full_name_dative_be"),
            birth_date=self.birth_date.data,
            arrest_date=self.arrest_date.data,
            status=PrisonerStatus(self.status.data),
            address_language=AddressLanguage(self.address_language.data),
            card_languages=CardLanguages(self.card_languages.data),
            bio=text("bio"),
            interests=text("interests"),
            is_mail_getting_through=_MAIL_STATES[self.is_mail_getting_through.data or UNKNOWN],
            mail_note=text("mail_note"),
            mail_note_as_of=self.mail_note_as_of.data,
            photo_url=text("photo_url"),
            translations=clean_translations(self.translations.data),
        )


class AddressForm(FlaskForm):
    """A new address version, with the date it was confirmed and its source."""

    lines_ru = TextAreaField(
        _l("Address (Russian)"),
        [Optional(), Length(max=500), PlainText(single_line=False)],
        [clean_text],
    )
    lines_be = TextAreaField(
        _l("Address (Belarusian)"),
        [Optional(), Length(max=500), PlainText(single_line=False)],
        [clean_text],
    )
    lines_latin = TextAreaField(
        _l("Reading aid in Latin letters (never printed)"),
        [Optional(), Length(max=500), PlainText(single_line=False)],
        [clean_text],
    )
    country_line = StringField(
        _l("Country line"),
        [DataRequired(_l("Please give the country line.")), Length(max=80), PlainText()],
        [clean_line],
        default="REPUBLIC OF BELARUS",
    )
    as_of = DateField(
        _l("As of"), [InputRequired(_l("Please give the date this address was confirmed."))]
    )
    source = TextAreaField(
        _l("Source"),
        [
            DataRequired(_l("Please say where this address comes from.")),
            Length(max=1000),
            PlainText(single_line=False),
        ],
        [clean_text],
    )
    translations = translations_field(
        {"source": (_l("Source"), True, 1000)}, _l("The source in other languages")
    )

    def to_input(self) -> AddressInput:
        assert self.as_of.data is not None  # InputRequired
        return AddressInput(
            lines_ru=self.lines_ru.data or "",
            lines_be=self.lines_be.data or "",
            lines_latin=self.lines_latin.data or "",
            country_line=self.country_line.data or "",
            as_of=self.as_of.data,
            source=self.source.data or "",
            translations=clean_translations(self.translations.data),
        )


class TransferForm(FlaskForm):
    """A transfer: into which institution and unit, on which day, says who."""

    institution_id = SelectField(_l("Institution"), coerce=int, choices=[])
    transferred_on = DateField(
        _l("Transferred on"), [InputRequired(_l("Please give the day of the transfer."))]
    )
    unit_ru = StringField(
        _l("Unit (Russian)"), [Optional(), Length(max=80), PlainText()], [clean_line]
    )
    unit_be = StringField(
        _l("Unit (Belarusian)"), [Optional(), Length(max=80), PlainText()], [clean_line]
    )
    unit_latin = StringField(
        _l("Unit (Latin, reading aid)"), [Optional(), Length(max=80), PlainText()], [clean_line]
    )
    source = TextAreaField(
        _l("Source"),
        [
            DataRequired(_l("Please say where this comes from.")),
            Length(max=1000),
            PlainText(single_line=False),
        ],
        [clean_text],
    )

    def to_input(self) -> TransferInput:
        assert self.transferred_on.data is not None  # InputRequired
        return TransferInput(
            institution_id=int(self.institution_id.data or 0),
            transferred_on=self.transferred_on.data,
            unit_ru=self.unit_ru.data or "",
            unit_be=self.unit_be.data or "",
            unit_latin=self.unit_latin.data or "",
            source=self.source.data or "",
        )


class ImportForm(FlaskForm):
    """An uploaded CSV list and where it comes from."""

    file = FileField(_l("CSV file"), [FileRequired(_l("Please choose the CSV file to import."))])
    source = TextAreaField(
        _l("Source"),
        [Optional(), Length(max=1000), PlainText(single_line=False)],
        [clean_text],
    )


class CommitImportForm(FlaskForm):
    """The organiser's go-ahead after the preview."""

    accept_similar = BooleanField(
        _l("The lines flagged as possible duplicates are different people: add them as new")
    )
    digest = HiddenField()


class CampaignPrisonersForm(RegistryForm):
    """The registry's search and filters over one campaign's prisoners: the institution
    filter offers every institution, not only those holding a public prisoner."""

    def __init__(self, args: MultiDict[str, str], **kwargs: Any) -> None:
        super().__init__(args, **kwargs)
        locale = str(get_locale() or "en")
        self.institution.choices = [SelectChoice("", str(_l("Any institution")))] + [
            SelectChoice(str(institution.id), f"{institution.code} · {institution.name_in(locale)}")
            for institution, _held in institutions_service.list_institutions()
        ]
