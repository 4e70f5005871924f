"""What organisers and supporters read for an institution's kind, region and mail rule."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from campaign_app.institutions.models import Institution, InstitutionKind, MailRule, Region

KIND_LABELS = {
    InstitutionKind.COLONY: _l("Penal colony"),
    InstitutionKind.REMAND: _l("Remand prison"),
    InstitutionKind.PRISON: _l("Prison"),
    InstitutionKind.OTHER: _l("Other institution"),
}
REGION_LABELS = {
    Region.BREST: _l("Brest region"),
    Region.VITEBSK: _l("Vitebsk region"),
    Region.GOMEL: _l("Gomel region"),
    Region.GRODNO: _l("Grodno region"),
    Region.MINSK_REGION: _l("Minsk region"),
    Region.MOGILEV: _l("Mogilev region"),
    Region.MINSK_CITY: _l("Minsk city"),
}
MAIL_RULE_LABELS = {
    MailRule.ACCEPTS: _l("Accepts mail"),
    MailRule.LISTED_SENDERS: _l("Only from senders on the prisoner's list"),
    MailRule.NONE: _l("No mail handed over"),
    MailRule.UNKNOWN: _l("Not known"),
}


def kind_label(kind: InstitutionKind | str) -> str:
    return str(KIND_LABELS[InstitutionKind(kind)])


def region_label(region: Region | str) -> str:
    return str(REGION_LABELS[Region(region)])


def mail_rule_label(rule: MailRule | str) -> str:
    return str(MAIL_RULE_LABELS[MailRule(rule)])


def institution_name(institution: Institution) -> str:
    """The institution's name in the page's language (Cyrillic for ru/be readers)."""
    return institution.name_in(str(get_locale() or "en"))
