"""What the registry page shows of each prisoner, worked out in Python once per request.

The page lists 24 prisoners; with the micro-cache off it is rendered for every visitor. A
macro per fact (name, link, status, birthday, mail, cards) made rendering four fifths of its
cost, so the facts are plain strings here and the template only places them. The search form
depends only on the language and the query string: it is rendered once per pair and kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, get_template_attribute, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from campaign_app.i18n import format_date
from campaign_app.microcache import MicroCache
from campaign_app.prisoners.forms import RegistryForm, institutions_offered
from campaign_app.prisoners.models import Prisoner, PrisonerStatus
from campaign_app.prisoners.service import RegistryFilters

_FORMS = "prisoners_registry_forms"


@dataclass(frozen=True)
class Entry:
    """One prisoner in the list, as the reader sees them."""

    href: str
    name: str
    latin_name: str  # "" when the name is already in Latin letters
    latin_lang: str
    is_example: bool
    facts: tuple[str, ...]  # status, birthday, mail, cards reported sent
    institution: str  # "ИК-2 · name" in the reader's language; "" when not known
    institution_lang: str  # "ru" when a Russian name stands in a page in another language
    write_href: str  # "" when no card can be posted
    photo_url: str  # "" for the drawn portrait
    photo_alt: str


def _status_labels() -> dict[PrisonerStatus, str]:
    return {
        PrisonerStatus.IMPRISONED: _("Imprisoned"),
        PrisonerStatus.TRANSFERRED: _("Transferred"),
        PrisonerStatus.RELEASED: _("Released"),
        PrisonerStatus.UNKNOWN: _("Whereabouts unknown"),
    }


@lru_cache(maxsize=4096)
def _birthday(locale: str, month: int, day: int) -> str:
    from datetime import date

    # 2000 is a leap year: 29 February has a name too.
    return format_date(date(2000, month, day), "d MMMM")


@lru_cache(maxsize=4096)
def _cards(locale: str, count: int) -> str:
    return str(
        ngettext(
            "%(num)d card or letter reported sent",
            "%(num)d cards and letters reported sent",
            count,
        )
    )


def _mail_labels() -> dict[bool | None, str]:
    """What the list says about mail, by ``is_mail_getting_through``."""
    return {
        False: _("Mail is not getting through"),
        True: _("Mail is getting through"),
        None: _("Not known whether mail gets through"),
    }


def entries(prisoners: list[Prisoner], locale: str) -> list[Entry]:
    """The facts of each prisoner, in the reader's language."""
    from campaign_app.letters.service import can_write

    # Each label translated once per list, not once per prisoner (gettext through
    # flask_babel finds the request's language anew on every call).
    statuses = _status_labels()
    mail_labels = _mail_labels()
    birthday_label = _("Birthday")
    held_in = _("Held in")
    # Slugs are [a-z0-9-]: the links are the pages' prefixes plus the slug.
    show_prefix = url_for("prisoners.index")
    write_prefix = url_for("letters.write", prisoner_slug="-")[:-1]
    result = []
    for prisoner in prisoners:
        name = prisoner.name_in(locale)
        facts = [statuses[prisoner.status]]
        if prisoner.birth_date is not None:
            when = _birthday(locale, prisoner.birth_date.month, prisoner.birth_date.day)
            facts.append(f"{birthday_label}: {when}")
        if prisoner.accepts_mail:
            facts.append(mail_labels[prisoner.is_mail_getting_through])
        facts.append(_cards(locale, prisoner.cards_sent))
        # Loaded with the prisoner (a joined relationship): no query per entry.
        institution = prisoner.institution
        result.append(
            Entry(
                href=show_prefix + prisoner.slug,
                name=name,
                latin_name=prisoner.name_latin if name != prisoner.name_latin else "",
                latin_lang=f"{prisoner.address_language.value}-Latn",
                is_example=prisoner.campaign.is_example,
                facts=tuple(facts),
                institution=(
                    f"{held_in}: {institution.code} · {institution.name_in(locale)}"
                    if institution is not None
                    else ""
                ),
                institution_lang=(
                    "ru"
                    if institution is not None
                    and locale not in {"ru", "be"}
                    and not institution.name_latin
                    else ""
                ),
                write_href=write_prefix + prisoner.slug if can_write(prisoner) else "",
                photo_url=prisoner.photo_url,
                photo_alt=_("Photo of %(name)s", name=name) if prisoner.photo_url else "",
            )
        )
    return result


def search_form(form: RegistryForm, filters: RegistryFilters, locale: str) -> Markup:
    """The search and filters as this query string fills them in (kept a day per language,
    query string and list of institutions offered: it depends on nothing else)."""
    forms: MicroCache | None = current_app.extensions.get(_FORMS)
    if forms is None:
        forms = current_app.extensions[_FORMS] = MicroCache(86400, maxsize=512)
    key = (locale, tuple(sorted(filters.query_args().items())), institutions_offered())
    html: Markup | None = forms.get(key)
    if html is None:
        macro = get_template_attribute("prisoners/_registry_form.html", "registry_form")
        html = Markup(str(macro(form, filters)))  # noqa: S704 - our own template's output
        forms.set(key, html)
    return html
