"""The export form of the organiser area."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from campaign_app.countries import country_codes, country_codes_by_name
from campaign_app.exports.rows import Selection
from campaign_app.i18n import LANGUAGE_NAMES
from campaign_app.translated import CONTENT_LANGUAGES
from campaign_app.validators import strip_filter


class ExportForm(FlaskForm):
    format = RadioField(
        _l("Format"),
        choices=[
            SelectChoice("csv", _l("CSV (a table for any spreadsheet or database)")),
            SelectChoice("xlsx", _l("Excel spreadsheet (XLSX)")),
            SelectChoice("pdf", _l("PDF delivery package: cover page and numbered list")),
            SelectChoice("json", _l("JSON (for programs)")),
        ],
        default="pdf",
        validators=[InputRequired(_l("Please choose a format."))],
    )
    language = SelectField(
        _l("Language of the PDF delivery package"),
        choices=[
            SelectChoice(code, LANGUAGE_NAMES[code], render_kw={"lang": code})
            for code in CONTENT_LANGUAGES
        ],
        validators=[Optional()],
    )
    confirmed_only = BooleanField(_l("Confirmed signatures only"), default=True)
    since = DateField(_l("Confirmed on or after"), validators=[Optional()])
    until = DateField(_l("Confirmed on or before"), validators=[Optional()])
    countries = StringField(
        _l("Countries"), validators=[Optional(), Length(max=400)], filters=[strip_filter]
    )
    bom = BooleanField(_l("Start the CSV with a byte-order mark (for Excel)"))

    def validate_until(self, field: Any) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date must not be before the start date."))

    def validate_countries(self, field: Any) -> None:
        unknown = sorted(self.country_set() - country_codes())
        if unknown:
            raise ValidationError(_l("Unknown countries: %(names)s.", names=", ".join(unknown)))

    def country_set(self) -> set[str]:
        """The ISO codes of the countries typed, each by its code or its name (in the
        interface's language or in English); what matches neither is kept as typed."""
        raw = self.countries.data or ""
        names = country_codes_by_name(str(get_locale()))
        parts = (part.strip() for part in raw.replace(";", ",").split(","))
        return {names.get(part.casefold(), part.upper()) for part in parts if part}

    def to_selection(self) -> Selection:
        return Selection(
            confirmed_only=bool(self.confirmed_only.data),
            since=self.since.data,
            until=self.until.data,
            countries=frozenset(self.country_set()),
        )
