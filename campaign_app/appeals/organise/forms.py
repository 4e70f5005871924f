"""Forms of the organiser's appeal pages: a target and a template (shape only)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from campaign_app.appeals.models import AppealLanguage, AppealTarget, AppealTemplate
from campaign_app.appeals.organise.service import TargetInput, TemplateInput
from campaign_app.translated import clean_translations, translations_field
from campaign_app.validators import PlainText, clean_line, clean_text


def _language_choices() -> list[SelectChoice]:
    return [
        SelectChoice(AppealLanguage.RUSSIAN.value, _l("Russian")),
        SelectChoice(AppealLanguage.BELARUSIAN.value, _l("Belarusian")),
        SelectChoice(AppealLanguage.ENGLISH.value, _l("English")),
        SelectChoice(AppealLanguage.FRENCH.value, _l("French")),
    ]


class TargetForm(FlaskForm):
    """An official: how the site names them, the printed address, e-mail, language, source."""

    slug = StringField(
        _l("Short name (in links)"),
        [DataRequired(_l("Please give a short name.")), Length(max=80)],
        [clean_line],
    )
    name = StringField(
        _l("Name shown on the site"),
        [DataRequired(_l("Please fill this in.")), Length(max=200), PlainText()],
        [clean_line],
    )
    office = StringField(
        _l("Addressee, as printed"),
        [DataRequired(_l("Please fill this in.")), Length(max=300), PlainText()],
        [clean_line],
    )
    address_lines = TextAreaField(
        _l("Address lines"),
        [
            DataRequired(_l("Please give the postal address, one line per line.")),
            Length(max=500),
            PlainText(single_line=False),
        ],
        [clean_text],
    )
    country_line = StringField(
        _l("Country line"),
        [DataRequired(_l("Please fill this in.")), Length(max=80), PlainText()],
        [clean_line],
    )
    email = StringField(
        _l("E-mail (optional)"), [Optional(), Length(max=254), PlainText()], [clean_line]
    )
    language = SelectField(_l("The official's language"), choices=_language_choices(), default="ru")
    as_of = DateField(_l("As of"), [InputRequired(_l("Please say as of when this is known."))])
    source = TextAreaField(
        _l("Source"),
        [
            DataRequired(_l("Please say where the address comes from.")),
            Length(max=1000),
            PlainText(single_line=False),
        ],
        [clean_text],
    )
    is_active = BooleanField(_l("Offered to supporters"), default=True)
    translations = translations_field(
        {"name": (_l("Name shown on the site"), False, 200), "source": (_l("Source"), True, 1000)},
        _l("The name and the source in other languages"),
    )

    def fill(self, target: AppealTarget) -> None:
        for name in TargetInput.__dataclass_fields__:
            if name != "translations":
                getattr(self, name).data = getattr(target, name)
        self.translations.process(None, target.translations or {})
        self.language.data = target.language.value

    def to_input(self) -> TargetInput:
        assert self.as_of.data is not None  # validated: InputRequired
        return TargetInput(
            slug=self.slug.data or "",
            name=self.name.data or "",
            office=self.office.data or "",
            address_lines=self.address_lines.data or "",
            country_line=self.country_line.data or "",
            email=self.email.data or "",
            language=AppealLanguage(self.language.data),
            as_of=self.as_of.data,
            source=self.source.data or "",
            is_active=bool(self.is_active.data),
            translations=clean_translations(self.translations.data),
        )


class TemplateForm(FlaskForm):
    """The appeal's text in one language, with placeholders."""

    language = SelectField(_l("Language"), choices=_language_choices(), default="ru")
    subject = StringField(
        _l("Subject"),
        [DataRequired(_l("Please give a subject.")), Length(max=200), PlainText()],
        [clean_line],
    )
    body = TextAreaField(
        _l("Text"),
        [
            DataRequired(_l("Please write the text.")),
            Length(max=6000),
            PlainText(single_line=False),
        ],
        [clean_text],
    )

    def fill(self, template: AppealTemplate) -> None:
        self.language.data = template.language.value
        self.subject.data = template.subject
        self.body.data = template.body

    def to_input(self) -> TemplateInput:
        return TemplateInput(
            language=AppealLanguage(self.language.data),
            subject=self.subject.data or "",
            body=self.body.data or "",
        )
