"""Appeals use cases: targets and templates to write with, composing an appeal, its PDF and
envelope, its mailto link, and "I sent it" counts per target.

Nothing a supporter types is stored or logged: the name and city fill the template, the
appeal is shown, printed or put into a mailto link, and forgotten. Only "I sent it" reports
(a count, how it went, optionally a country) are stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from babel.dates import format_date
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from campaign_app.appeals import text
from campaign_app.appeals.models import AppealSent, AppealTarget, AppealTemplate, SentBy
from campaign_app.campaigns.models import Campaign
from campaign_app.db import utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.fonts import missing_glyphs
from campaign_app.petitions.service import PUBLIC_CAMPAIGN_STATES
from campaign_app.prisoners import service as prisoners_service
from campaign_app.prisoners.models import Prisoner

if TYPE_CHECKING:
    from campaign_app.appeals.pdf import AppealLetter

log = logging.getLogger(__name__)

MAX_SENT_PER_REPORT = 50
# Up to this many prisoners in the target's campaign, the composer offers them in one list;
# past it (a registry of 1,500) it shows the one chosen by link and leads to the registry.
PRISONER_CHOICES_MAX = 40
ENVELOPE_SIZES = ("DL", "C5")


class NoTemplate(CampaignError):
    """The target has no appeal in the language asked for."""


class PrisonerNeeded(CampaignError):
    """The appeal names a prisoner and none (or one of another campaign) was chosen."""


class PrisonerNameMissing(CampaignError):
    """The prisoner's name is not on record in the appeal's language and case."""


class UnsupportedCharacters(CampaignError):
    """The PDF font lacks glyphs for some characters the supporter typed."""

    def __init__(self, characters: tuple[str, ...], field: str) -> None:
        super().__init__("characters the font cannot print")
        self.characters = characters
        self.field = field


class AppealTooLong(CampaignError):
    """The appeal does not fit on one A4 page even at the smallest readable size."""

    def __init__(self, excess_chars: int) -> None:
        super().__init__(f"cut {excess_chars} characters")
        self.excess_chars = excess_chars


@dataclass(frozen=True)
class AppealInput:
    """What the supporter chose and typed in the composer, already shape-checked."""

    prisoner_slug: str
    language: str
    name: str
    city: str


@dataclass(frozen=True)
class Appeal:
    """One appeal, filled in: ready to show, print or put into a mailto link."""

    target: AppealTarget
    language: str
    prisoner: Prisoner | None
    subject: str
    body: str
    sender_name: str
    sender_city: str
    date_line: str

    @property
    def signed_body(self) -> str:
        """The text as e-mailed: the body, then the name and city under it."""
        signature = "\n".join(part for part in (self.sender_name, self.sender_city) if part)
        return f"{self.body}\n\n{signature}"

    @property
    def mailto(self) -> str:
        """The full mailto link (subject and text); may be too long (see ``mailto_fits``)."""
        return text.mailto(self.target.email, self.subject, self.signed_body)

    @property
    def mailto_fits(self) -> bool:
        return bool(self.target.email) and len(self.mailto) <= text.MAILTO_MAX

    @property
    def mailto_subject_only(self) -> str:
        """A mailto link with the address and subject only: the text is pasted by hand."""
        return text.mailto(self.target.email, self.subject)


# Queries --------------------------------------------------------------------------------


def _public_targets() -> Select[AppealTarget]:
    return (
        select(AppealTarget)
        .join(Campaign)
        .where(
            Campaign.state.in_(PUBLIC_CAMPAIGN_STATES),
            AppealTarget.is_active.is_(True),
            AppealTarget.templates.any(),
        )
        .options(selectinload(AppealTarget.templates))
        .order_by(AppealTarget.campaign_id, AppealTarget.name, AppealTarget.id)
    )


def list_public_targets() -> list[AppealTarget]:
    """The officials anyone may write to: active, with a template, in a public campaign."""
    return list(db.session.scalars(_public_targets()))


def targets_for_prisoner(prisoner: Prisoner) -> list[AppealTarget]:
    """The public targets of the prisoner's campaign (the prisoner's pages link to them)."""
    return list(
        db.session.scalars(
            _public_targets().where(AppealTarget.campaign_id == prisoner.campaign_id)
        )
    )


def get_public_target(slug: str) -> AppealTarget | None:
    return db.session.scalar(_public_targets().where(AppealTarget.slug == slug))


def list_prisoners(target: AppealTarget) -> list[Prisoner]:
    """The prisoners an appeal to ``target`` may be about: its campaign's public prisoners."""
    return prisoners_service.list_campaign_prisoners(target.campaign_id)


def _campaign_prisoners(target: AppealTarget) -> Select[Prisoner]:
    return prisoners_service.public_prisoners().where(Prisoner.campaign_id == target.campaign_id)


def count_prisoners(target: AppealTarget) -> int:
    """How many prisoners an appeal to ``target`` may be about (one count, nobody loaded)."""
    query = select(func.count()).select_from(_campaign_prisoners(target).subquery())
    return int(db.session.scalar(query) or 0)


def offers_every_prisoner(target: AppealTarget) -> bool:
    """Whether the composer lists every prisoner of the campaign to choose from."""
    return count_prisoners(target) <= PRISONER_CHOICES_MAX


def find_prisoner(target: AppealTarget, slug: str) -> Prisoner | None:
    """The prisoner ``slug`` when an appeal to ``target`` may be about them, else None."""
    if not slug:
        return None
    return db.session.scalar(_campaign_prisoners(target).where(Prisoner.slug == slug))


def names_prisoner(target: AppealTarget) -> bool:
    """Whether an appeal to ``target`` names a prisoner (in any of its languages)."""
    return any(text.needs_prisoner(t.subject, t.body) for t in target.templates)


def sent_counts(target_ids: Iterable[int]) -> dict[int, dict[SentBy, int]]:
    """Appeals reported sent per target and way (post, e-mail); zeros included."""
    ids = sorted(set(target_ids))
    counts: dict[int, dict[SentBy, int]] = {i: dict.fromkeys(SentBy, 0) for i in ids}
    if ids:
        rows = db.session.execute(
            select(AppealSent.target_id, AppealSent.sent_by, func.sum(AppealSent.count))
            .where(AppealSent.target_id.in_(ids))
            .group_by(AppealSent.target_id, AppealSent.sent_by)
        ).all()
        for target_id, sent_by, total in rows:
            counts[target_id][SentBy(sent_by)] = int(total or 0)
    return counts


def sent_total(target: AppealTarget) -> int:
    return sum(sent_counts([target.id])[target.id].values())


def languages_of(target: AppealTarget) -> list[str]:
    """The languages the target has a template in, the official's own first."""
    codes = [template.language.value for template in target.templates]
    return sorted(codes, key=lambda code: (code != target.language.value, code))


def default_language(target: AppealTarget, page_language: str) -> str:
    """The official's language when there is a template in it, else the page's, else any."""
    codes = languages_of(target)
    for code in (target.language.value, page_language):
        if code in codes:
            return code
    return codes[0] if codes else target.language.value


# Composing ------------------------------------------------------------------------------


def prisoner_names(prisoner: Prisoner, language: str) -> dict[str, str]:
    """The placeholders' values for ``prisoner`` in ``language`` ("" when not on record)."""
    if language in ("ru", "be"):
        nominative = " ".join(
            part
            for part in (
                getattr(prisoner, f"surname_{language}"),
                getattr(prisoner, f"given_name_{language}"),
                getattr(prisoner, f"patronymic_{language}"),
            )
            if part
        )
        if not getattr(prisoner, f"surname_{language}"):
            nominative = ""
        return {
            "prisoner": nominative,
            "prisoner_dative": getattr(prisoner, f"full_name_dative_{language}") or "",
        }
    return {"prisoner": prisoner.name_latin, "prisoner_dative": prisoner.name_latin}


def _check_glyphs(data: AppealInput) -> None:
    for field in ("name", "city"):
        missing = missing_glyphs(getattr(data, field))
        if missing:
            raise UnsupportedCharacters(missing, field)


def compose(target: AppealTarget, data: AppealInput, today: date | None = None) -> Appeal:
    """Fill the target's template in the chosen language with the supporter's name and city
    and the chosen prisoner's name (raises NoTemplate, PrisonerNeeded, PrisonerNameMissing,
    UnsupportedCharacters)."""
    template: AppealTemplate | None = target.template_in(data.language)
    if template is None:
        raise NoTemplate(data.language)
    prisoner = None
    if data.prisoner_slug:
        prisoner = find_prisoner(target, data.prisoner_slug)
        if prisoner is None:
            raise PrisonerNeeded(data.prisoner_slug)
    values = {"name": data.name, "city": data.city}
    if text.needs_prisoner(template.subject, template.body):
        if prisoner is None:
            raise PrisonerNeeded("")
        names = prisoner_names(prisoner, data.language)
        used = text.placeholders_in(template.subject + template.body)
        if any(not names[key] for key in used & text.PRISONER_PLACEHOLDERS):
            raise PrisonerNameMissing(prisoner.slug)
        values |= names
    _check_glyphs(data)
    day = format_date(today or utcnow().date(), format="long", locale=data.language)
    return Appeal(
        target=target,
        language=data.language,
        prisoner=prisoner,
        subject=text.fill(template.subject, values).strip(),
        body=text.fill(template.body, values).strip(),
        sender_name=data.name,
        sender_city=data.city,
        date_line=f"{data.city}, {day}" if data.city else day,
    )


def target_address(target: AppealTarget) -> Any:
    """The target's printed address (letters.pdf.Address); loads the PDF code."""
    from campaign_app.letters import pdf

    return pdf.Address(
        addressee=target.office, lines=tuple(target.lines()), country_line=target.country_line
    )


def _render(draw: Callable[..., bytes], *args: Any, **kwargs: Any) -> bytes:
    """Run a renderer, turning its refusals into domain exceptions (never a half PDF)."""
    from campaign_app.letters import pdf

    try:
        return draw(*args, **kwargs)
    except pdf.MissingGlyphs as error:
        raise UnsupportedCharacters(tuple(error.characters), error.field) from None
    except pdf.MessageTooLong as error:
        raise AppealTooLong(error.excess_chars) from None


def _letter(appeal: Appeal) -> AppealLetter:
    from campaign_app.appeals.pdf import AppealLetter

    return AppealLetter(
        sender_name=appeal.sender_name,
        sender_city=appeal.sender_city,
        address=target_address(appeal.target),
        date_line=appeal.date_line,
        subject=appeal.subject,
        body=appeal.body,
    )


def appeal_pdf(appeal: Appeal) -> bytes:
    """The appeal as an A4 letter, one page."""
    from campaign_app.appeals.pdf import appeal_pdf as draw

    return _render(draw, _letter(appeal))


def envelope_pdf(appeal: Appeal, size: str) -> bytes:
    """An envelope (DL: the letter folded in three; C5: folded once) to the official, with
    the supporter's name and city as the sender."""
    from campaign_app.letters import pdf

    if size not in ENVELOPE_SIZES:
        raise ValueError(f"unknown envelope size {size!r}")
    sender = "\n".join(part for part in (appeal.sender_name, appeal.sender_city) if part)
    return _render(pdf.envelope_pdf, target_address(appeal.target), size, sender)


def record_appeal_sent(
    target: AppealTarget, count: int, sent_by: SentBy, sender_country: str | None
) -> AppealSent:
    """Record a supporter's "I sent it" for an appeal (no personal data); commits."""
    if not 1 <= count <= MAX_SENT_PER_REPORT:
        raise ValueError(f"count must be 1..{MAX_SENT_PER_REPORT}")
    report = AppealSent(
        target_id=target.id,
        count=count,
        sent_by=sent_by,
        sender_country=sender_country or None,
    )
    db.session.add(report)
    db.session.commit()
    log.info("Appeals reported sent: target %s, %s, count %s", target.id, sent_by.value, count)
    return report
