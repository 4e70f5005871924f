"""Forms of the moderation pages: the signature search and the invalidation decisions."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import EmailField, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput, html_params

from campaign_app.countries import country_codes, country_options_html
from campaign_app.moderation.criteria import Criteria, normalise_domain
from campaign_app.petitions.forms import CountryField, CountrySelect, EmailSyntax
from campaign_app.petitions.normalize import normalize_email
from campaign_app.validators import PlainText, strip_filter

_DOMAIN = re.compile(r"^[^\s@.]+(?:\.[^\s@.]+)+$")
_IP_HASH = re.compile(r"^[0-9a-f]{16,64}$")
_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")
SHOWN_FORMAT = "%Y-%m-%d %H:%M"


class UTCDateTimeField(StringField):
    """A UTC date and time typed as 2026-12-02 14:30 (or the browser's 2026-12-02T14:30).

    A date alone means the start of that day, or its last minute with ``end_of_day``.
    What was typed is kept on the page when it cannot be read.
    """

    def __init__(self, *args: Any, end_of_day: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.end_of_day = end_of_day
        self.unreadable = False

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = " ".join(str(valuelist[0]).split()) if valuelist else ""
        self.data = None
        self.unreadable = False
        if raw:
            self.data = self._parse(raw)
            self.unreadable = self.data is None

    def _parse(self, raw: str) -> datetime | None:
        for pattern in _FORMATS:
            try:
                moment = datetime.strptime(raw, pattern)
            except ValueError:
                continue
            return moment.replace(second=0, tzinfo=UTC)
        try:
            day = datetime.strptime(raw, "%Y-%m-%d").date()
        except ValueError:
            return None
        return datetime.combine(day, time(23, 59) if self.end_of_day else time(0, 0), UTC)

    def pre_validate(self, form: Any) -> None:
        if self.unreadable:
            raise ValidationError(
                _l("Please enter a date and time in UTC like 2026-12-02 14:30, or a date.")
            )

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return self.data.strftime(SHOWN_FORMAT) if isinstance(self.data, datetime) else ""


class AnyCountrySelect(CountrySelect):
    """The country list with "Any country" first (a search condition, not a choice to make)."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        options = country_options_html(str(get_locale() or "en"), str(_l("Any country")))
        if field.data in country_codes():
            marker = f'<option value="{field.data}">'
            options = options.replace(marker, f'<option value="{field.data}" selected>', 1)
        # Safe: option labels are escaped when cached, and field.data is a known country code.
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")  # noqa: S704


class AnyCountryField(CountryField):
    widget = AnyCountrySelect()


class DomainSyntax:
    def __call__(self, form: Any, field: Any) -> None:
        if field.data and not _DOMAIN.match(normalise_domain(field.data)):
            raise ValidationError(_l("Please enter a domain like example.org (after the @)."))


class IpHashSyntax:
    def __call__(self, form: Any, field: Any) -> None:
        if field.data and not _IP_HASH.match(field.data.lower()):
            raise ValidationError(
                _l("Please paste a whole IP hash as the reports show it (0-9 and a-f).")
            )


STATE_CHOICES = [
    SelectChoice("", _l("Any state")),
    SelectChoice("pending", _l("Pending (not confirmed)")),
    SelectChoice("confirmed", _l("Confirmed")),
    SelectChoice("invalidated", _l("Invalidated")),
]


class SearchForm(FlaskForm):
    """Conditions on a petition's signatures; every one is optional."""

    email = EmailField(
        _l("E-mail address"), [Optional(), Length(max=254), EmailSyntax()], [strip_filter]
    )
    domain = StringField(
        _l("E-mail domain"), [Optional(), Length(max=253), DomainSyntax()], [strip_filter]
    )
    name = StringField(
        _l("Name contains"), [Optional(), Length(max=160), PlainText()], [strip_filter]
    )
    country = AnyCountryField(_l("Country"))
    signed_from = UTCDateTimeField(_l("Signed from (UTC)"))
    signed_to = UTCDateTimeField(_l("Signed until (UTC)"), end_of_day=True)
    ip_hash = StringField(
        _l("IP hash"), [Optional(), Length(max=64), IpHashSyntax()], [strip_filter]
    )
    state = SelectField(_l("State"), choices=STATE_CHOICES, default="")

    def validate_signed_to(self, field: UTCDateTimeField) -> None:
        start = self.signed_from.data
        if field.data is not None and start is not None and field.data < start:
            raise ValidationError(_l("The end is before the start."))

    def to_criteria(self, dot_insensitive_domains: list[str]) -> Criteria:
        email = ""
        if self.email.data:
            email = normalize_email(self.email.data, dot_insensitive_domains)[1]
        return Criteria(
            email=email,
            domain=normalise_domain(self.domain.data or ""),
            name=self.name.data or "",
            country=self.country.data or "",
            signed_from=self.signed_from.data,
            signed_to=self.signed_to.data,
            ip_hash=(self.ip_hash.data or "").lower(),
            state=self.state.data or "",
        )

    @staticmethod
    def data_of(criteria: Criteria) -> dict[str, Any]:
        """The form's values that show ``criteria`` again (a results page)."""
        return {
            "email": criteria.email,
            "domain": criteria.domain,
            "name": criteria.name,
            "country": criteria.country,
            "signed_from": criteria.signed_from,
            "signed_to": criteria.signed_to,
            "ip_hash": criteria.ip_hash,
            "state": criteria.state,
        }


class SearchIdForm(FlaskForm):
    """Which remembered search a button acts on (an opaque id, never the conditions)."""

    search = HiddenField(validators=[DataRequired(), Length(max=40)])


class InvalidateManyForm(SearchIdForm):
    expected = IntegerField(widget=HiddenInput(), validators=[DataRequired()])
    reason = StringField(
        _l("Reason"),
        [DataRequired(), Length(min=3, max=300), PlainText()],
        [strip_filter],
    )


class InvalidateOneForm(FlaskForm):
    reason = StringField(
        _l("Reason"),
        [DataRequired(), Length(min=3, max=300), PlainText()],
        [strip_filter],
    )


class ButtonForm(FlaskForm):
    """A button-only form (restore): the CSRF token is its one field."""
