"""Every word of a delivery package in one language: the petition's, or one chosen for it.

The package goes to an embassy or a ministry: its reader needs the petition's own text, who
hands it in, how many signed and from where, and what the fingerprint proves, in words and
without the names of commands. Builds a PackageTexts (writers.pdf lays it out) with the
catalogue's words and Babel's numbers, dates and country names for ``language``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.numbers import format_decimal
from flask import current_app
from flask_babel import force_locale, get_translations

from campaign_app.countries import country_name_in
from campaign_app.exports.rows import ANONYMOUS, Selection
from campaign_app.exports.writers.pdf import PackageTexts
from campaign_app.i18n import date_pattern
from campaign_app.markdown import markdown_paragraphs
from campaign_app.petitions.models import Petition
from campaign_app.petitions.texts import petition_text


def package_texts(
    petition: Petition, selection: Selection, language: str, now: datetime | None = None
) -> PackageTexts:
    """The words of ``petition``'s delivery package of ``selection``, in ``language``."""
    with force_locale(language):
        catalogue = get_translations()

    def _(message: str, **values: object) -> str:
        text: str = catalogue.ugettext(message)
        return text % values if values else text

    def number(value: int) -> str:
        return str(format_decimal(value, locale=language))

    def day(iso: str, style: str = "medium") -> str:
        return str(babel_date(date.fromisoformat(iso), date_pattern(style, language), language))

    text = petition_text(petition, language)
    organisation = str(current_app.config.get("ORGANISATION_NAME") or "").strip()
    moment = (now or datetime.now(UTC)).astimezone(UTC)

    def count(total: int) -> str:
        return _("Signatures in this list: %(count)s", count=number(total))

    def dates(first: str, last: str) -> str:
        if first == last:
            return _("All confirmed on %(day)s (UTC).", day=day(first, "long"))
        return _(
            "Confirmed between %(first)s and %(last)s (UTC).",
            first=day(first, "long"),
            last=day(last, "long"),
        )

    def page(current: int, pages: int) -> str:
        return _("Page %(page)s of %(pages)s", page=number(current), pages=number(pages))

    def subject(total: int, fingerprint: str) -> str:
        return _(
            "%(count)s signatures; SHA-256 fingerprint %(fingerprint)s",
            count=number(total),
            fingerprint=fingerprint,
        )

    return PackageTexts(
        title=text.title,
        target=_("Addressed to: %(target)s", target=text.target),
        summary=text.summary,
        body=markdown_paragraphs(text.body),
        organisation=_("Handed in by: %(organisation)s", organisation=organisation)
        if organisation
        else "",
        count=count,
        dates=dates,
        selection=_(
            "Selection: %(selection)s",
            selection=describe(selection, _, day, lambda code: country_name_in(code, language)),
        ),
        generated=_(
            "Made on %(day)s at %(time)s (UTC).",
            day=day(moment.date().isoformat(), "long"),
            time=babel_time(moment.time(), "HH:mm", locale=language),
        ),
        fingerprint_heading=_("Fingerprint of this list (SHA-256):"),
        fingerprint_note=_(
            "The organisers keep this list as an electronic file, a CSV table. The"
            " fingerprint above is a code calculated from every character of that file: if a"
            " single name, date or number in it were changed, the code would be entirely"
            " different. Anyone who holds the file can calculate its fingerprint with freely"
            " available software and compare it with the one printed here, to check that"
            " this printed list and the file are the same."
        ),
        countries_heading=_("Signatures by country"),
        columns=(_("No."), _("Name"), _("City"), _("Country"), _("Confirmed"), _("Source")),
        anonymous=_("Anonymous"),
        anonymous_marker=ANONYMOUS,
        sources_heading=_("Signatures by source"),
        source_name=lambda source: {
            "online": _("online"),
            "paper": _("on paper"),
            "import": _("on paper (file)"),
        }.get(source, source),
        country_name=lambda code: country_name_in(code, language),
        day=day,
        number=number,
        page=page,
        subject=subject,
    )


def describe(
    selection: Selection,
    _: Callable[..., str],
    day: Callable[[str], str],
    country: Callable[[str], str],
) -> str:
    """The selection in words, e.g. "confirmed signatures only; any date; all countries"."""
    states = _("confirmed signatures only") if selection.confirmed_only else _("all signatures")
    since = day(selection.since.isoformat()) if selection.since else ""
    until = day(selection.until.isoformat()) if selection.until else ""
    if since and until:
        dates = _("from %(first)s to %(last)s", first=since, last=until)
    elif since:
        dates = _("from %(day)s", day=since)
    elif until:
        dates = _("until %(day)s", day=until)
    else:
        dates = _("any date")
    countries = ", ".join(sorted(country(code) for code in selection.countries))
    countries = countries or _("all countries")
    return f"{states}; {dates}; {countries}"
