"""Appeal targets and templates kept by their campaign's organisers.

Each public use case checks its input, records an audit event and commits once. A template is
refused when it has an unknown placeholder or does not fit one printed A4 page with a long
name filled in: supporters never meet a template that cannot be printed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from campaign_app.appeals import service as appeals_service
from campaign_app.appeals import text
from campaign_app.appeals.models import AppealLanguage, AppealTarget, AppealTemplate
from campaign_app.audit.service import flush_or_refuse, save_and_record
from campaign_app.campaigns.models import Campaign
from campaign_app.db import apply_changes
from campaign_app.extensions import db
from campaign_app.field_errors import FieldErrors, InvalidFields, check_not_future
from campaign_app.letters.card_text import check_country_line, check_printable
from campaign_app.validators import SLUG

log = logging.getLogger(__name__)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# What a template is tried with before it is stored: long enough to stand for real names.
_SAMPLE = {
    "name": "Анна-Мария Константинопольская-Иванова",
    "city": "Санкт-Петербург-на-Неве",
    "prisoner": "Константинопольский Александр Александрович",
    "prisoner_dative": "Константинопольскому Александру Александровичу",
}


@dataclass(frozen=True)
class TargetInput:
    """The target form's values, trimmed and shape-checked."""

    slug: str
    name: str
    office: str
    address_lines: str
    country_line: str
    email: str
    language: AppealLanguage
    as_of: date
    source: str
    is_active: bool
    # {"ru": {"name": "…", "source": "…"}, …}
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class TemplateInput:
    """The template form's values, trimmed and shape-checked."""

    language: AppealLanguage
    subject: str
    body: str


def list_targets(campaign: Campaign) -> list[AppealTarget]:
    return list(
        db.session.scalars(
            select(AppealTarget)
            .where(AppealTarget.campaign_id == campaign.id)
            .order_by(AppealTarget.name, AppealTarget.id)
        )
    )


def _labels() -> dict[str, str]:
    return {
        "office": _("Addressee, as printed"),
        "address_lines": _("Address lines"),
        "country_line": _("Country line"),
        "subject": _("Subject"),
        "body": _("Text"),
    }


def _slug_taken() -> InvalidFields:
    return InvalidFields({"slug": [_("Another target has this short name already.")]})


def _check_target(data: TargetInput, target: AppealTarget | None) -> None:
    errors = FieldErrors()
    if not SLUG.match(data.slug):
        errors.add(
            "slug", _("Use lower-case letters, digits and hyphens, e.g. “prosecutor-general”.")
        )
    else:
        taken = db.session.scalar(select(AppealTarget.id).where(AppealTarget.slug == data.slug))
        if taken is not None and (target is None or taken != target.id):
            errors.add("slug", _("Another target has this short name already."))
    if not data.address_lines.strip():
        errors.add("address_lines", _("Please give the postal address, one line per line."))
    check_country_line(errors, data.country_line)  # the same rule as a prisoner's address
    if data.email and not _EMAIL.match(data.email):
        errors.add("email", _("Please give an e-mail address like office@example.org, or nothing."))
    labels = _labels()
    for name in ("office", "address_lines", "country_line"):
        check_printable(errors, name, labels[name], getattr(data, name))
    check_not_future(errors, "as_of", _("As of"), data.as_of)
    errors.raise_if_any()


def create_target(campaign: Campaign, data: TargetInput) -> AppealTarget:
    """Add an official to write to; commits."""
    _check_target(data, None)
    values = asdict(data) | {"country_line": data.country_line.upper()}
    target = AppealTarget(campaign_id=campaign.id, **values)
    db.session.add(target)
    flush_or_refuse(_slug_taken)
    save_and_record(
        "appeal_target.created",
        campaign_id=campaign.id,
        target=f"appeal target {target.slug}",
        details={"appeal_target_id": target.id},
    )
    log.info("Appeal target %s created in campaign %s", target.id, campaign.id)
    return target


def update_target(target: AppealTarget, data: TargetInput) -> list[str]:
    """Save a target's changes; the names of the changed fields (none: nothing stored)."""
    _check_target(data, target)
    changed = apply_changes(
        target, TargetInput(**asdict(data) | {"country_line": data.country_line.upper()})
    )
    if changed:
        save_and_record(
            "appeal_target.updated",
            refused=_slug_taken,
            campaign_id=target.campaign_id,
            target=f"appeal target {target.slug}",
            details={"appeal_target_id": target.id, "fields": changed},
        )
    return changed


def _language_taken() -> InvalidFields:
    return InvalidFields(
        {"language": [_("This target has a text in this language already: edit that one.")]}
    )


def _check_template(
    target: AppealTarget, data: TemplateInput, template: AppealTemplate | None
) -> None:
    errors = FieldErrors()
    other = target.template_in(data.language.value)
    if other is not None and (template is None or other.id != template.id):
        errors.add("language", _language_taken().errors["language"][0])
    labels = _labels()
    known = ", ".join("{" + name + "}" for name in text.PLACEHOLDERS)
    for name in ("subject", "body"):
        value = getattr(data, name)
        unknown = text.unknown_placeholders(value)
        if unknown:
            errors.add(
                name,
                _(
                    "%(field)s: unknown placeholders or stray braces: %(found)s. The"
                    " placeholders are %(known)s.",
                    field=labels[name],
                    found=" ".join(unknown),
                    known=known,
                ),
            )
        check_printable(errors, name, labels[name], value)
    errors.raise_if_any()
    _check_fits(target, data)


def _check_fits(target: AppealTarget, data: TemplateInput) -> None:
    """Refuse a text that would not print on one page with long names filled in."""
    from campaign_app.appeals.service import Appeal

    appeal = Appeal(
        target=target,
        language=data.language.value,
        prisoner=None,
        subject=text.fill(data.subject, _SAMPLE),
        body=text.fill(data.body, _SAMPLE),
        sender_name=_SAMPLE["name"],
        sender_city=_SAMPLE["city"],
        date_line=f"{_SAMPLE['city']}, 30 сентября 2026 г.",
    )
    try:
        appeals_service.appeal_pdf(appeal)
    except appeals_service.AppealTooLong as error:
        raise InvalidFields(
            {
                "body": [
                    _(
                        "The text does not fit on one printed page: please cut about"
                        " %(num)d characters.",
                        num=error.excess_chars + 1,
                    )
                ]
            }
        ) from None
    except appeals_service.UnsupportedCharacters as error:
        raise InvalidFields(
            {
                "body": [
                    _(
                        "These characters cannot be printed: %(chars)s.",
                        chars=" ".join(error.characters),
                    )
                ]
            }
        ) from None


def create_template(target: AppealTarget, data: TemplateInput) -> AppealTemplate:
    """Add the appeal text in one language to ``target``; commits."""
    _check_template(target, data, None)
    template = AppealTemplate(**asdict(data))
    target.templates.append(template)
    flush_or_refuse(_language_taken)
    save_and_record(
        "appeal_template.created",
        campaign_id=target.campaign_id,
        target=f"appeal target {target.slug}",
        details={"appeal_template_id": template.id, "language": data.language.value},
    )
    log.info("Appeal template %s added to target %s", template.id, target.id)
    return template


def update_template(template: AppealTemplate, data: TemplateInput) -> list[str]:
    """Save a template's changes; the names of the changed fields."""
    _check_template(template.target, data, template)
    changed = apply_changes(template, data)
    if changed:
        save_and_record(
            "appeal_template.updated",
            campaign_id=template.target.campaign_id,
            target=f"appeal target {template.target.slug}",
            details={
                "appeal_template_id": template.id,
                "language": template.language.value,
                "fields": changed,
            },
        )
    return changed
