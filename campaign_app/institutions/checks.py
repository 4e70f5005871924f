"""The rules an institution must meet before it is stored: printable Cyrillic address lines
that hold the postcode, a country line in Latin capitals, dates not in the future."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from campaign_app.extensions import db
from campaign_app.field_errors import FieldErrors, check_not_future
from campaign_app.institutions.inputs import InstitutionInput
from campaign_app.institutions.models import Institution
from campaign_app.letters.card_text import (
    check_country_line,
    check_cyrillic_address,
    check_printable,
    script_of,
)

POSTCODE = re.compile(r"^\d{6}$")


def field_labels() -> dict[str, str]:
    return {
        "code": _("Code"),
        "name_ru": _("Name (Russian)"),
        "name_be": _("Name (Belarusian)"),
        "name_latin": _("Name (Latin)"),
        "lines_ru": _("Address (Russian)"),
        "lines_be": _("Address (Belarusian)"),
        "lines_latin": _("Reading aid in Latin letters (never printed)"),
        "postcode": _("Postcode"),
        "country_line": _("Country line"),
        "address_as_of": _("Address as of"),
        "rules_as_of": _("Mail rules as of"),
    }


def code_taken_message() -> str:
    return str(_("Another institution has this code already."))


def check_institution(data: InstitutionInput, institution: Institution | None) -> None:
    """Refuse (InvalidFields) an institution that breaks the rules; ``institution`` when
    editing."""
    errors = FieldErrors()
    labels = field_labels()
    taken = db.session.scalar(
        select(Institution.id).where(func.lower(Institution.code) == data.code.lower())
    )
    if taken is not None and (institution is None or taken != institution.id):
        errors.add("code", code_taken_message())
    if not POSTCODE.match(data.postcode):
        errors.add("postcode", _("A postcode in Belarus has six digits, e.g. 213807."))
    for name in ("name_ru", "name_be"):
        text = getattr(data, name)
        if any(c.isalpha() and script_of(c) != "CYRILLIC" for c in text):
            errors.add(name, _("%(field)s must be in Cyrillic letters.", field=labels[name]))
    for name in ("lines_ru", "lines_be"):
        text = getattr(data, name)
        if not text:
            continue
        check_cyrillic_address(errors, name, labels[name], text)
        if POSTCODE.match(data.postcode) and data.postcode not in text:
            errors.add(
                name,
                _(
                    "%(field)s does not hold the postcode %(postcode)s.",
                    field=labels[name],
                    postcode=data.postcode,
                ),
            )
        check_printable(errors, name, labels[name], text)
    check_country_line(errors, data.country_line)
    check_not_future(errors, "address_as_of", labels["address_as_of"], data.address_as_of)
    check_not_future(errors, "rules_as_of", labels["rules_as_of"], data.rules_as_of)
    if data.rules_as_of is None and (data.mail_notes or data.mail_rule.value != "unknown"):
        errors.add(
            "rules_as_of",
            _("Please say as of when the mail rules are known: pages show the date."),
        )
    errors.raise_if_any()
