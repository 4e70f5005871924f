"""Forms of the petition pages."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import current_app, g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import validate_csrf
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, EmailField, Field, HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import html_params

from campaign_app.countries import country_codes, country_options_html
from campaign_app.petitions.models import PublicDisplay
from campaign_app.petitions.normalize import InvalidEmail, ParsedEmail, parse_email
from campaign_app.petitions.service import SignatureInput
from campaign_app.validators import PersonName, PlainText, clean_line


def parse_typed_email(raw: str) -> ParsedEmail:
    """``normalize.parse_email``, once per request and address: the per-mailbox rate limit,
    the form and the service all need it, and it is the costly part of signing's checks."""
    parsed: dict[str, ParsedEmail | InvalidEmail] = g.setdefault("_parsed_emails", {})
    if raw not in parsed:
        try:
            parsed[raw] = parse_email(raw)
        except InvalidEmail as error:
            parsed[raw] = error
    result = parsed[raw]
    if isinstance(result, InvalidEmail):
        raise result
    return result


class EmailSyntax:
    """Syntax-only e-mail check (no DNS), with a message a person understands."""

    def __call__(self, form: Any, field: Any) -> None:
        if not field.data:
            return
        try:
            parsed = parse_typed_email(field.data)
        except InvalidEmail:
            raise ValidationError(
                _l("Please enter a valid e-mail address, like name@example.org.")
            ) from None
        if parsed.needs_smtputf8 and not current_app.config["MAIL_SMTPUTF8"]:
            raise ValidationError(
                _l(
                    "Our mail server can only deliver to addresses with Latin letters before"
                    " the @. Please use another address, such as name@example.org."
                )
            )


class CountrySelect:
    """Render the country ``<select>`` from a per-language cached list of options."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        locale = str(get_locale() or "en")
        options = country_options_html(locale, str(_l("Choose a country…")))
        if field.data in country_codes():
            marker = f'<option value="{field.data}">'
            options = options.replace(marker, f'<option value="{field.data}" selected>', 1)
        # Safe: option labels are escaped when cached, and field.data is a known country code.
        select = f"<select {html_params(name=field.name, **kwargs)}>{options}</select>"
        return Markup(select)  # noqa: S704


class CountryField(Field):
    """An ISO 3166-1 alpha-2 code chosen from the list (checked against a set, not a scan)."""

    widget = CountrySelect()

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = str(valuelist[0]) if valuelist else ""

    def pre_validate(self, form: Any) -> None:
        if self.data and self.data not in country_codes():
            raise ValidationError(_l("Please choose a country from the list."))


# The news box's wording (its label here, its hint in petitions/_sign_form.html) has this
# version, stored with each consent so that what a signer agreed to can be told later.
# Change it whenever that wording changes.
NEWS_CONSENT_VERSION = "2026-12-news-1"


class SignForm(FlaskForm):
    """The signing form; only shape checks here, the rules live in the service."""

    first_name = StringField(
        _l("First name"),
        filters=[clean_line],
        validators=[
            DataRequired(_l("Please enter your first name.")),
            Length(max=80),
            PlainText(),
            PersonName(),
        ],
    )
    last_name = StringField(
        _l("Last name"),
        filters=[clean_line],
        validators=[
            DataRequired(_l("Please enter your last name.")),
            Length(max=80),
            PlainText(),
            PersonName(),
        ],
    )
    email = EmailField(
        _l("E-mail address"),
        filters=[clean_line],
        validators=[
            DataRequired(_l("Please enter your e-mail address.")),
            Length(max=254),
            PlainText(),
            EmailSyntax(),
        ],
    )
    country = CountryField(
        _l("Country"), validators=[DataRequired(_l("Please choose your country."))]
    )
    city = StringField(
        _l("Town or city (optional)"),
        filters=[clean_line],
        validators=[Optional(), Length(max=80), PlainText(), PersonName()],
    )
    display = RadioField(
        _l("Show me in the list of signers as"),
        choices=[
            SelectChoice(
                PublicDisplay.FIRST_NAME_AND_COUNTRY.value, _l("my first name and country")
            ),
            SelectChoice(PublicDisplay.ANONYMOUS.value, _l("nothing: sign anonymously")),
        ],
        default=PublicDisplay.FIRST_NAME_AND_COUNTRY.value,
        validators=[InputRequired(_l("Please choose how you want to appear."))],
    )
    consent = BooleanField(
        _l(
            "I agree that my name, e-mail address and country are kept to count and deliver "
            "this signature, as described in the privacy note."
        ),
        validators=[
            DataRequired(_l("Please tick the box to agree, or your signature cannot count."))
        ],
    )

    news = BooleanField(_l("Send me news about this petition"), default=False)

    def to_input(self) -> SignatureInput:
        return SignatureInput(
            first_name=self.first_name.data,
            last_name=self.last_name.data,
            email=parse_typed_email(self.email.data),  # parsed by EmailSyntax already
            country=self.country.data,
            city=self.city.data or "",
            display=PublicDisplay(self.display.data),
            locale=str(get_locale() or "en"),
            news_consent_version=NEWS_CONSENT_VERSION if self.news.data else None,
        )


class ResendForm(FlaskForm):
    """ "Send me a new link" under an expired confirmation link."""

    token = HiddenField(validators=[DataRequired(), Length(max=500)])


# The signing form's happy path --------------------------------------------------------
#
# Building and validating SignForm cost about a fifth of a signing request. Nearly every
# submission is fine, so the view first checks it without building the form: the same
# filters and validator objects as SignForm's own fields, run over the posted values, and
# the same CSRF check. Anything off (an error, a field this code does not know) returns None,
# and the view builds SignForm, which explains and keeps what was typed.

_TEXT_FIELDS = ("first_name", "last_name", "email", "city")
_KNOWN_FIELDS = {*_TEXT_FIELDS, "country", "display", "consent", "news"}
_DISPLAY_VALUES = frozenset(display.value for display in PublicDisplay)


class _Posted:
    """The little of a WTForms field that the validators read: raw and filtered data."""

    __slots__ = ("data", "errors", "raw_data")

    def __init__(self, raw_data: list[str], data: Any) -> None:
        self.raw_data = raw_data
        self.data = data
        self.errors: list[str] = []

    def gettext(self, string: str) -> str:
        return string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


@cache
def _text_checks() -> tuple[tuple[str, tuple[Any, ...], tuple[Any, ...]], ...] | None:
    """(name, filters, validators) of SignForm's text fields, read from the form itself;
    None if the form has fields the happy path does not know (then the form always runs)."""
    fields = {
        name: value for name, value in vars(SignForm).items() if isinstance(value, UnboundField)
    }
    if set(fields) != _KNOWN_FIELDS:
        return None
    return tuple(
        (
            name,
            tuple(fields[name].kwargs.get("filters", ())),
            tuple(fields[name].kwargs.get("validators", ())),
        )
        for name in _TEXT_FIELDS
    )


def _passes(posted: _Posted, validators: tuple[Any, ...]) -> bool:
    for validator in validators:
        try:
            validator(None, posted)
        except StopValidation as stop:
            return not (stop.args and stop.args[0])  # a stop without a message is a pass
        except ValidationError:
            return False
    return True


def quick_signature_input(formdata: MultiDict[str, Any]) -> SignatureInput | None:
    """What SignForm().validate_on_submit() and to_input() give for a submission they accept,
    without building the form; None when the form must run (an error to show, or doubt)."""
    checks = _text_checks()
    if checks is None:
        return None
    try:
        validate_csrf(formdata.get("csrf_token"))
    except ValidationError:
        return None
    values: dict[str, Any] = {}
    for name, filters, validators in checks:
        raw = formdata.getlist(name)
        data: Any = raw[0] if raw else None
        for apply in filters:
            data = apply(data)
        if not _passes(_Posted(raw, data), validators):
            return None
        values[name] = data
    country = formdata.get("country", "")
    display = formdata.get("display", "")
    consent = formdata.get("consent", "")
    if country not in country_codes() or display not in _DISPLAY_VALUES:
        return None
    if consent in BooleanField.false_values:
        return None
    # Optional: ticked is any value but the false ones, as BooleanField reads it.
    news = formdata.get("news", "") not in BooleanField.false_values
    return SignatureInput(
        first_name=values["first_name"],
        last_name=values["last_name"],
        email=parse_typed_email(values["email"]),  # parsed by EmailSyntax already
        country=country,
        city=values["city"] or "",
        display=PublicDisplay(display),
        locale=str(get_locale() or "en"),
        news_consent_version=NEWS_CONSENT_VERSION if news else None,
    )
