"""What the institution form and the import hand to the checks and the service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from campaign_app.institutions.models import InstitutionKind, MailRule, Region

# The fields of the address; a change of any is a new version in the address history.
ADDRESS_FIELDS = ("lines_ru", "lines_be", "lines_latin", "postcode", "country_line")
RULE_FIELDS = ("mail_rule", "is_ru_be_only", "mail_notes")


@dataclass(frozen=True)
class InstitutionInput:
    """An institution's values, already shape-checked and trimmed."""

    code: str
    kind: InstitutionKind
    name_ru: str
    name_be: str
    name_latin: str
    region: Region
    lines_ru: str
    lines_be: str
    lines_latin: str
    postcode: str
    country_line: str
    address_as_of: date
    address_source: str
    mail_rule: MailRule
    is_ru_be_only: bool
    mail_notes: str
    rules_as_of: date | None
    rules_source: str
    notes: str
