"""The institution form (shapes only): names, code, region, address, mail rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from campaign_app.institutions.inputs import InstitutionInput
from campaign_app.institutions.labels import KIND_LABELS, MAIL_RULE_LABELS, REGION_LABELS
from campaign_app.institutions.models import Institution, InstitutionKind, MailRule, Region
from campaign_app.validators import PlainText, clean_line, clean_text


def _line(label: str, max_length: int, required: str | None = None) -> StringField:
    first = DataRequired(required) if required else Optional()
    return StringField(label, [first, Length(max=max_length), PlainText()], [clean_line])


def _lines(label: str, required: str | None = None) -> TextAreaField:
    first = DataRequired(required) if required else Optional()
    return TextAreaField(
        label, [first, Length(max=500), PlainText(single_line=False)], [clean_text]
    )


class InstitutionForm(FlaskForm):
    """An institution: what it is, where to write, which mail it hands over."""

    code = _line(_l("Code"), 40, _l("Please give the code, e.g. “ИК-2”."))
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        default=InstitutionKind.COLONY.value,
    )
    name_ru = _line(_l("Name (Russian)"), 200, _l("Please give the name in Russian."))
    name_be = _line(_l("Name (Belarusian)"), 200)
    name_latin = _line(_l("Name (Latin)"), 200)
    region = SelectField(
        _l("Region"),
        choices=[SelectChoice(region.value, label) for region, label in REGION_LABELS.items()],
    )
    lines_ru = _lines(_l("Address (Russian)"), _l("Please give the address in Russian."))
    lines_be = _lines(_l("Address (Belarusian)"))
    lines_latin = _lines(_l("Reading aid in Latin letters (never printed)"))
    postcode = _line(_l("Postcode"), 6, _l("Please give the postcode."))
    country_line = _line(_l("Country line"), 80, _l("Please give the country line."))
    address_as_of = DateField(
        _l("Address as of"),
        [InputRequired(_l("Please give the date this address was confirmed."))],
    )
    address_source = TextAreaField(
        _l("Source of the address"),
        [
            DataRequired(_l("Please say where this address comes from.")),
            Length(max=1000),
            PlainText(single_line=False),
        ],
        [clean_text],
    )
    mail_rule = SelectField(
        _l("Mail handed over"),
        choices=[SelectChoice(rule.value, label) for rule, label in MAIL_RULE_LABELS.items()],
        default=MailRule.UNKNOWN.value,
    )
    is_ru_be_only = BooleanField(_l("Letters in Russian or Belarusian only"), default=True)
    mail_notes = TextAreaField(
        _l("Notes on mail"),
        [Optional(), Length(max=2000), PlainText(single_line=False)],
        [clean_text],
    )
    rules_as_of = DateField(_l("Mail rules as of"), [Optional()])
    rules_source = TextAreaField(
        _l("Source of the mail rules"),
        [Optional(), Length(max=1000), PlainText(single_line=False)],
        [clean_text],
    )
    notes = TextAreaField(
        _l("Notes for organisers"),
        [Optional(), Length(max=2000), PlainText(single_line=False)],
        [clean_text],
    )

    def fill(self, institution: Institution) -> None:
        for name in InstitutionInput.__dataclass_fields__:
            getattr(self, name).data = getattr(institution, name)
        self.kind.data = institution.kind.value
        self.region.data = institution.region.value
        self.mail_rule.data = institution.mail_rule.value

    def to_input(self) -> InstitutionInput:
        def text(name: str) -> str:
            return str(getattr(self, name).data or "")

        assert self.address_as_of.data is not None  # InputRequired
        return InstitutionInput(
            code=text("code"),
            kind=InstitutionKind(self.kind.data),
            name_ru=text("name_ru"),
            name_be=text("name_be"),
            name_latin=text("name_latin"),
            region=Region(self.region.data),
            lines_ru=text("lines_ru"),
            lines_be=text("lines_be"),
            lines_latin=text("lines_latin"),
            postcode=text("postcode"),
            country_line=text("country_line"),
            address_as_of=self.address_as_of.data,
            address_source=text("address_source"),
            mail_rule=MailRule(self.mail_rule.data),
            is_ru_be_only=bool(self.is_ru_be_only.data),
            mail_notes=text("mail_notes"),
            rules_as_of=self.rules_as_of.data,
            rules_source=text("rules_source"),
            notes=text("notes"),
        )
