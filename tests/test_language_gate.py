"""The language gate: a Russian or Belarusian reader meets no word in Latin letters.

Every page (public and organiser), every e-mail and the text of every PDF (postcard, letter,
envelope, poster, a printed stack, the delivery package with its signature list) is rendered
in Russian and in Belarusian from the demo campaign, and every word in Latin letters must be
on the short, reviewed allow-list below. A new page is covered by itself: the page test walks
the app's URL map and fails on a GET route it neither renders nor names in NOT_PAGES.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from campaign_app.accounts.models import Role
from campaign_app.appeals.models import AppealTarget
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.i18n import LANGUAGE_NAMES
from campaign_app.letters.models import Occasion, Phrase
from campaign_app.news.tokens import make_unsubscribe_token
from campaign_app.petitions.models import Petition, SignatureState
from campaign_app.prisoners.models import Prisoner, PrisonerStatus
from tests.factories import PASSWORD, make_signature, make_user
from tests.support.deliveries import make_delivery, make_photo
from tests.support.queue import run_queue

LANGUAGES = ("ru", "be")
APPEAL_SLUG = "prosecutor-general"

# The reviewed allow-list: words a Russian or Belarusian reader may meet in Latin letters.
ALLOWED_WORDS = {
    # File formats, named on download buttons and links as the files are named.
    "PDF": "file format",
    "ICS": "calendar file format (the feed's name in calendar apps)",
    "CSV": "file format (exports; the delivery package's fingerprint is that of the CSV)",
    "XLSX": "file format (exports, organiser pages)",
    "JSON": "file format (exports, organiser pages)",
    "JPEG": "image file format (the photos of hand-ins, organiser pages)",
    "PNG": "image file format (the photos of hand-ins, organiser pages)",
    "WebP": "image file format (the photos of hand-ins, organiser pages)",
    "Markdown": "the text format petitions are written in (organiser pages)",
    "HTML": "named where organisers are told it is not allowed in Markdown",
    # Standards whose names are written in Latin letters in Russian and Belarusian too.
    "UTC": "the time standard dates and times are given in",
    "UTF": "UTF-8, the character encoding a CSV file is saved in (as save dialogs name it)",
    "Windows": "Windows-1251, the Cyrillic encoding (as save dialogs name it)",
    "SHA": "SHA-256, the fingerprint's algorithm, named so that anyone can check it",
    # Paper and envelope sizes: ISO 216/269 and ANSI names, as printed on paper packs.
    "A3": "paper size",
    "A4": "paper size",
    "A6": "paper size",
    "C6": "envelope size",
    "C5": "envelope size (appeals: an A4 letter folded once)",
    "DL": "envelope size",
    "Letter": "paper size (US Letter)",
    # A term Russian and Belarusian write in Latin letters: IP-адрес.
    "IP": "internet address (IP-адрес), in the privacy texts",
    # Proper names.
    "AGPL": "the licence's name (GNU Affero General Public License)",
    "Excel": "the spreadsheet program an export is made for",
    "LibreOffice": "the spreadsheet program whose menu says how to save a list as UTF-8",
    "Mastodon": "network named on its share link",
    "Telegram": "network named on its share link",
    "Facebook": "network named on its share link",
    "X": "network named on its share link",
    "Twitter": "the former name of X, on its share link",
}
# Latin by postal rule: the country line of an address is in Latin capitals (DOMAIN.md).
ALLOWED_PHRASES = {
    "REPUBLIC OF BELARUS": "the country line of a Belarusian address",
    "US Letter": "the paper size's name (two cards to a sheet)",
}
# Organiser pages only: the authenticator apps named where two-step sign-in is set up.
ORGANISER_WORDS = {
    "Aegis": "an authenticator app",
    "FreeOTP": "an authenticator app",
    "Google": "Google Authenticator, an authenticator app",
    "Authenticator": "Google Authenticator, an authenticator app",
}
# The birthday poster greets in Belarusian, English and Russian (the photo actions of 2012).
POSTER_PHRASES = {"Happy Birthday,": "the poster's English band", "Ales!": "his Latin name"}

# Beside the list, web addresses (and paths, and slugs such as "new-year"), what a form field
# holds (typed by someone), text for machines (<code>) and two kinds of elements are skipped
# on pages, each marked in the HTML:
# - a language's name in itself, marked with its lang (the switcher, the composer's choice
#   of phrase language): <a lang="fr" hreflang="fr">Français</a>;
# - text marked as a Latin transliteration (lang="…-Latn"): the address's reading aid.
# Organiser pages may also quote a text in the language it was written in, marked with its
# lang (the original beside the translation being made).

URL = re.compile(r"(?:https?://|mailto:)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Web addresses and their parts, Latin by nature: paths, and a slug's example (new-year).
PATH = re.compile(r"(?<![\w/])/[\w/.…?=&%-]+|\b[a-z0-9]+(?:-[a-z0-9]+)+\b")
HOST = re.compile(r"\b(?:[a-z0-9-]+\.)+(?:test|org|com|net|social|io)\b(?:/\S*)?")
FINGERPRINT = re.compile(r"\b[0-9a-f]{64}\b")  # a SHA-256 code, printed as hexadecimal
LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin letters, not × or ÷
LATIN_WORD = re.compile(f"[{LETTER}][{LETTER}0-9]*")


def latin_words(
    text: str,
    allowed_phrases: dict[str, str] | None = None,
    allowed_words: dict[str, str] | None = None,
) -> set[str]:
    """The words in Latin letters in ``text`` that are not on the allow-list."""
    for phrase in {**ALLOWED_PHRASES, **(allowed_phrases or {})}:
        text = text.replace(phrase, " ")
    text = PATH.sub(" ", HOST.sub(" ", URL.sub(" ", FINGERPRINT.sub(" ", text))))
    allowed = {**ALLOWED_WORDS, **(allowed_words or {})}
    return {word for word in LATIN_WORD.findall(text) if word not in allowed}


VISIBLE_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "data-copied")
META_SHOWN = {
    "description",
    "og:title",
    "og:description",
    "og:site_name",
    "og:image:alt",
    "twitter:title",
    "twitter:description",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Reader(HTMLParser):
    """Collects what a reader sees or hears: text, labels, titles, link-preview texts."""

    def __init__(self, language: str, quoted_ok: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.quoted_ok = quoted_ok
        self.own_name: str | None = None  # the name of the language the open tag is in
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is its content skipped?

    def _skipping(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        language = values.get("lang", "")
        skip = (
            tag in ("script", "style", "textarea")  # a textarea holds what was typed
            or tag in ("code", "kbd", "samp")  # text for machines: snippets, secrets, keys
            or language.endswith("-Latn")
            or (self.quoted_ok and language not in ("", self.language))
        )
        self.own_name = LANGUAGE_NAMES.get(language) if language != self.language else None
        if not self._skipping() and not skip:
            self.parts += [values[name] for name in VISIBLE_ATTRIBUTES if values.get(name)]
            if tag == "meta" and (values.get("name") or values.get("property")) in META_SHOWN:
                self.parts.append(values.get("content", ""))
            if tag == "input" and values.get("type") in ("submit", "button"):
                self.parts.append(values.get("value", ""))
        if tag not in VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping() and data.strip() != self.own_name:
            self.parts.append(data)
        self.own_name = None


def reader_text(html: str, quoted_ok: bool = False) -> str:
    """What a reader of the page meets. Form fields' values are what was typed, not the
    page's words; with ``quoted_ok`` (organiser pages: a petition's original beside its
    translation) so is text marked as another language."""
    page = re.search(r'<html lang="([a-z]+)"', html)
    reader = _Reader(page.group(1) if page else "", quoted_ok)
    reader.feed(html)
    return " ".join(" ".join(reader.parts).split())


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF"), data[:200]
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def assert_no_latin(where: str, text: str, **kwargs: Any) -> None:
    found = latin_words(text, **kwargs)
    assert not found, f"{where}: words in Latin letters: {sorted(found)}\n\n{text[:4000]}"


# The site --------------------------------------------------------------------------------

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf(client: FlaskClient, path: str) -> str:
    match = CSRF.search(client.get(path).get_data(as_text=True))
    assert match, f"no form on {path}"
    return match.group(1)


class Site:
    """The demo campaign with a few signatures, an export and an organiser signed in."""

    def __init__(self, app: Flask, language: str) -> None:
        self.app = app
        self.language = language
        self.petition = db.session.scalar(select(Petition))
        self.prisoner = db.session.scalar(select(Prisoner))
        self.occasion = db.session.scalar(select(Occasion).where(Occasion.slug == "birthday"))
        self.phrases = [
            phrase
            # In the demo's order: PostgreSQL returns rows in no fixed order without one.
            for phrase in db.session.scalars(
                select(Phrase).where(Phrase.is_reviewed).order_by(Phrase.id)
            )
            if phrase.occasion_id in (None, self.occasion.id)
        ]
        self.signature = make_signature(
            self.petition, country="BY", first_name="Алесь", last_name="Тестовы"
        )
        for country in ("NL", "LT", "FR", "US", "DE"):
            make_signature(self.petition, country=country, first_name="Вера", last_name="Ц")
        self.public = app.test_client()
        self.public.get(f"/?lang={language}")
        self.admin_user = make_user(role=Role.ADMIN, name="Алена")
        self.organiser = app.test_client()
        self.organiser.get(f"/?lang={language}")
        response = self.organiser.post(
            "/account/login",
            data={
                "email": self.admin_user.email,
                "password": PASSWORD,
                "csrf_token": csrf(self.organiser, "/account/login"),
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    def post(self, client: FlaskClient, url: str, data: dict[str, Any], page: str = "") -> Any:
        return client.post(url, data={**data, "csrf_token": csrf(client, page or url)})


@pytest.fixture(params=LANGUAGES)
def site(request: pytest.FixtureRequest, app: Flask, runner: Any) -> Iterator[Site]:
    # Without the invented 2011-2013 history: its signers' names are typed by people (Latin
    # for most foreign signers), not the page's words; the signatures below are the gate's.
    assert runner.invoke(args=["demo", "load", "--no-history"]).exit_code == 0
    yield Site(app, request.param)


# Pages -----------------------------------------------------------------------------------

# GET routes the page walk does not render, and why.
NOT_PAGES = {
    "static": "files",
    "main.health": "a health check for machines",
    "main.favicon": "an icon (/favicon.ico)",
    "api.openapi": "JSON for programs",
    "api.petitions": "JSON for programs",
    "api.petition": "JSON for programs",
    "api.prisoners": "JSON for programs",
    "letters.calendar_ics": "checked as a calendar feed below",
    "deliveries.photo": "an image (a hand-in's photo)",
    "sharing.image": "an image (the share-image tests check its language)",
    "sharing.image_in": "an image (the share-image tests check its language)",
    "sharing.share": "a redirect to another site",
    "exports.download": "checked as a PDF below",
    "exports.status": "JSON for the progress bar (its text is checked below)",
    "moderation.batch_status": "JSON for the progress bar",
    "petitions.confirm": "rendered below with a real and a wrong link",
    "accounts.reset_password": "rendered below with a real link",
    "privacy.confirm_erasure": "rendered below with a real link",
    "accounts.login_code": "needs a half-finished sign-in: rendered below",
    "paper.sheet": "checked as a PDF below",
}


def _arguments(site: Site) -> dict[str, Any]:
    export = site.post(
        site.organiser,
        f"/organise/petitions/{site.petition.id}/exports",
        {"format": "csv", "confirmed_only": "y"},
    )
    export_id = int(export.headers["Location"].rsplit("/", 1)[1])
    from campaign_app.moderation.criteria import Criteria
    from campaign_app.moderation.service.invalidating import start_invalidation

    batch = start_invalidation(
        site.petition, Criteria(country="US"), "Проверка", 1, site.admin_user
    )
    delivery = make_delivery(
        site.petition, place="Посольство Республики Беларусь, Берлин", published_at=utcnow()
    )
    photo = make_photo(delivery, alt_text="Сторонники у двери посольства")
    run_queue(site.app)
    news = _approved_news(site)
    target = db.session.scalar(select(AppealTarget).where(AppealTarget.slug == APPEAL_SLUG))
    from campaign_app.paper.service import entering, importing

    where = entering.BatchInput("Пікет у дзень салідарнасці", "Берлін", "DE", "")
    paper_batch = entering.enter_counts(site.petition, where, 12, site.admin_user)
    kept = importing.upload(
        site.petition,
        "first_name,last_name,city,country\nАлесь,Бяляцкі,Мінск,BY\n".encode(),
        where,
        site.admin_user,
    )
    institution = site.post(
        site.organiser,
        "/organise/institutions/new",
        {
            "code": "ИК-2",
            "kind": "colony",
            "name_ru": "Исправительная колония № 2",
            "region": "mogilev",
            "lines_ru": "ИК-2\nул. Сикорского, 1\n213807, г. Бобруйск",
            "postcode": "213807",
            "country_line": "REPUBLIC OF BELARUS",
            "address_as_of": "2025-01-10",
            "address_source": "Вясна, спіс установаў",
            "mail_rule": "listed-senders",
            "rules_as_of": "2025-01-10",
            "rules_source": "Вясна",
        },
    )
    assert institution.status_code == 302, institution.get_data(as_text=True)[:2000]
    listing = (
        "record,code,name_ru,region,address_ru,postcode,surname_ru,given_name_ru,"
        "surname_be,given_name_be,institution,unit_ru\n"
        "institution,ИК-2,Исправительная колония № 2,mogilev,ИК-2 | ул. Сикорского, 1 |"
        " 213807 г. Бобруйск,213807,,,,,,\n"
        "prisoner,,,,,,Иванов,Сергей,,,ИК-2,отряд 3\n"
        "prisoner,,,,,,,,Бяляцкі,Алесь,ИК-2,\n"
    )
    import_page = f"/organise/campaigns/{site.petition.campaign_id}/prisoners/import"
    uploaded = site.organiser.post(
        import_page,
        data={
            "csrf_token": csrf(site.organiser, import_page),
            "file": (io.BytesIO(listing.encode()), "список.csv"),
            "source": "Вясна, спіс",
        },
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302, uploaded.get_data(as_text=True)[:2000]
    return {
        "institution_id": _institution_id(),
        "list_import_id": int(uploaded.headers["Location"].rsplit("/", 1)[1]),
        "slug": None,  # per endpoint below
        "update_id": news.id,
        "token": make_unsubscribe_token(site.signature.id),
        "prisoner_slug": site.prisoner.slug,
        "campaign_id": site.petition.campaign_id,
        "petition_id": site.petition.id,
        "prisoner_id": site.prisoner.id,
        "export_id": export_id,
        "batch_id": batch.id,
        "paper_batch_id": paper_batch.id,
        "import_id": kept.id,
        "signature_id": site.signature.id,
        "delivery_id": delivery.id,
        "photo_id": photo.id,
        "user_id": site.admin_user.id,
        "occasion_id": site.occasion.id,
        "phrase_id": site.phrases[0].id,
        "country": "NL",
        "locale": site.language,
        "appeal_target_id": target.id,
        "appeal_template_id": target.template_in(site.language).id,
    }


NEWS_TEXTS = {
    "en": ("News of the campaign", "The lawyer visited him."),
    "ru": ("Новости кампании", "Адвокат навестил его."),
    "be": ("Навіны кампаніі", "Адвакат наведаў яго."),
    "fr": ("Nouvelles de la campagne", "L'avocat lui a rendu visite."),
}


def _approved_news(site: Site) -> Any:
    """A news update of the petition in each of its languages, tested and approved."""
    from campaign_app.news import service as news

    languages = news.petition_languages(site.petition)
    written = {locale: NEWS_TEXTS.get(locale, NEWS_TEXTS["en"]) for locale in languages}
    texts = {
        locale: news.TextInput(subject, "", body) for locale, (subject, body) in written.items()
    }
    update = news.write_update(site.petition, news.UpdateInput(False, texts), site.admin_user)
    update.test_sent_at = update.changed_at + timedelta(seconds=1)
    news.approve(update, site.petition, site.admin_user)
    return update


def _institution_id() -> int:
    from campaign_app.institutions.models import Institution

    return int(db.session.scalar(select(Institution.id).where(Institution.code == "ИК-2")))


def _url_of(rule: Any, arguments: dict[str, Any], site: Site) -> str | None:
    values = {}
    for name in rule.arguments:
        if name == "slug" and rule.endpoint.startswith("appeals."):
            values[name] = APPEAL_SLUG
        elif name == "slug":
            values[name] = site.prisoner.slug if "prisoner" in rule.endpoint else site.petition.slug
        elif arguments.get(name) is None:
            return None
        else:
            values[name] = arguments[name]
    if rule.endpoint == "petitions_organise.petition_translation":
        values["locale"] = "fr" if site.language == site.petition.language else site.language
    with site.app.test_request_context():
        return url_for(rule.endpoint, **values)


EXTRA_QUERIES = {
    "prisoners.show": ("", "?country=NL", "?country=JP"),
    "letters.calendar_page": ("", "?from=NL"),
    "letters.write": ("?occasion=birthday&language={lang}", "?occasion=new-year&language={lang}"),
    "sharing.mastodon": ("?petition={petition}", "?petition={petition}&instance=not%20a%20host"),
}


def test_every_page_is_in_the_readers_language(site):
    arguments = _arguments(site)
    checked, problems = set(), []
    for rule in site.app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint in NOT_PAGES:
            continue
        url = _url_of(rule, arguments, site)
        assert url is not None, f"no value for {rule.rule}: add one or list it in NOT_PAGES"
        signed_in = url.startswith(("/organise", "/account")) and not url.startswith(
            ("/account/login", "/account/reset")
        )
        client = site.organiser if signed_in else site.public
        for query in EXTRA_QUERIES.get(rule.endpoint, ("",)):
            full = url + query.format(lang=site.language, petition=site.petition.slug)
            response = client.get(full)
            assert response.status_code in (200, 400, 409), (full, response.status_code)
            assert f'<html lang="{site.language}"' in response.get_data(as_text=True), full
            quoted_ok = signed_in
            found = latin_words(
                reader_text(response.get_data(as_text=True), quoted_ok),
                allowed_words=ORGANISER_WORDS if signed_in else None,
            )
            if found:
                problems.append(f"{full}: {sorted(found)}")
        checked.add(rule.endpoint)
    assert {"main.home", "petitions.show", "prisoners.show", "organisers.petition"} <= checked
    assert not problems, "words in Latin letters:\n" + "\n".join(problems)


def test_the_signing_journey_and_its_emails(site, mailbox):
    slug = site.petition.slug
    client = site.public
    # A form with mistakes: every message next to a field.
    wrong = site.post(client, f"/petitions/{slug}", {"email": "nope", "country": "XX"})
    assert wrong.status_code == 400
    assert_no_latin("the signing form with errors", reader_text(wrong.get_data(as_text=True)))

    form = {
        "first_name": "Алесь",
        "last_name": "Тестовы",
        "email": "reader@example.org",
        "country": "NL",
        "display": "first_name_country",
        "consent": "y",
    }
    signed = site.post(client, f"/petitions/{slug}", form)
    assert signed.status_code == 302
    assert_no_latin("check your e-mail", reader_text(client.get(signed.headers["Location"]).text))
    run_queue(site.app)
    message = mailbox.to("reader@example.org")[-1]
    link = _check_mail(message, "the confirmation e-mail")

    confirmed = client.get(link)
    assert confirmed.status_code == 200
    assert_no_latin("confirmed", reader_text(confirmed.get_data(as_text=True)))
    again = client.get(link)
    assert_no_latin("confirmed again", reader_text(again.get_data(as_text=True)))
    wrong_link = client.get(f"/petitions/{slug}/confirm/not-a-token")
    assert wrong_link.status_code == 404
    assert_no_latin("a wrong link", reader_text(wrong_link.get_data(as_text=True)))

    # Signing again with the same address: the "already signed" e-mail.
    site.post(client, f"/petitions/{slug}", form)
    run_queue(site.app)
    _check_mail(mailbox.to("reader@example.org")[-1], "the already-signed e-mail")

    missing = client.get("/petitions/no-such-petition")
    assert missing.status_code == 404
    assert_no_latin("the not-found page", reader_text(missing.get_data(as_text=True)))


def test_an_expired_link_and_a_closed_petition(site, app):
    signature = make_signature(site.petition, state=SignatureState.PENDING, locale=site.language)
    from campaign_app.petitions.tokens import make_confirmation_token

    token = make_confirmation_token(signature.id)
    app.config["CONFIRM_TOKEN_MAX_AGE"] = -1
    expired = site.public.get(f"/petitions/{site.petition.slug}/confirm/{token}")
    assert expired.status_code == 410
    assert_no_latin("an expired link", reader_text(expired.get_data(as_text=True)))
    app.config["CONFIRM_TOKEN_MAX_AGE"] = 86400
    site.petition.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    closed = site.public.get(f"/petitions/{site.petition.slug}/confirm/{token}")
    assert closed.status_code == 409
    assert_no_latin("a closed petition", reader_text(closed.get_data(as_text=True)))
    assert_no_latin(
        "the closed petition's page",
        reader_text(site.public.get(f"/petitions/{site.petition.slug}").text),
    )


def test_the_signature_sheet(site):
    """The paper signature sheet in the reader's language (the demo petition's translation)."""
    url = f"/organise/petitions/{site.petition.id}/paper/sheet.pdf?language={site.language}"
    response = site.organiser.get(url)
    assert response.status_code == 200, response.status_code
    assert_no_latin("the signature sheet", pdf_text(response.data))


def test_a_released_prisoner_and_a_card_that_cannot_be_printed(site):
    preview = _compose(site, "preview", free_text="Привет! Сегодня у нас шёл снег.").decode()
    assert_no_latin("a preview with own words", reader_text(preview))
    site.prisoner.status = PrisonerStatus.RELEASED
    db.session.commit()
    for url in (f"/prisoners/{site.prisoner.slug}", f"/letters/write/{site.prisoner.slug}"):
        response = site.public.get(url)
        assert response.status_code in (200, 409), url
        assert_no_latin(url, reader_text(response.get_data(as_text=True)))


def test_erasing_ones_signatures_and_its_email(site, mailbox):
    make_signature(
        site.petition,
        email="vera@example.org",
        email_normalized="vera@example.org",
        locale=site.language,
    )
    asked = site.post(site.public, "/privacy/erase", {"email": "vera@example.org"})
    assert asked.status_code in (200, 302)
    page = site.public.get(asked.headers["Location"]) if asked.status_code == 302 else asked
    assert_no_latin("erasure asked", reader_text(page.get_data(as_text=True)))
    run_queue(site.app)
    link = _check_mail(mailbox.to("vera@example.org")[-1], "the erasure e-mail")
    shown = site.public.get(link)
    assert_no_latin("erasure confirm page", reader_text(shown.get_data(as_text=True)))
    erased = site.public.post(link, data={"csrf_token": csrf(site.public, link)})
    page = site.public.get(erased.headers["Location"]) if erased.status_code == 302 else erased
    assert_no_latin("erased", reader_text(page.get_data(as_text=True)))
    invalid = site.public.get("/privacy/erase/not-a-token")
    assert_no_latin("a wrong erasure link", reader_text(invalid.get_data(as_text=True)))


def test_the_password_reset_email_and_page(site, mailbox):
    client = site.app.test_client()
    client.get(f"/?lang={site.language}")
    site.post(client, "/account/reset", {"email": site.admin_user.email})
    run_queue(site.app)
    link = _check_mail(mailbox.to(site.admin_user.email)[-1], "the password-reset e-mail")
    page = client.get(link)
    assert page.status_code == 200
    assert_no_latin("the new-password page", reader_text(page.get_data(as_text=True)))
    assert_no_latin("sent", reader_text(client.get("/account/reset").text))


def _check_mail(message: Any, where: str) -> str:
    """Checks the subject and both parts of an e-mail; returns its link on this site."""
    assert_no_latin(f"{where}: subject", str(message["Subject"]))
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert_no_latin(f"{where}: text", text)
    html = message.get_body(preferencelist=("html",))
    if html is not None:
        assert 'lang="' in html.get_content(), f"{where}: the HTML part names no language"
        assert_no_latin(f"{where}: HTML", reader_text(html.get_content()))
    match = re.search(r"http://campaign\.test(/\S+)", text)
    assert match, text
    return match.group(1)


# Files -----------------------------------------------------------------------------------


def _compose(site: Site, action: str, **extra: Any) -> bytes:
    page = f"/letters/write/{site.prisoner.slug}?occasion=birthday&language={site.language}"
    response = site.post(
        site.public,
        f"/letters/write/{site.prisoner.slug}",
        {
            "occasion": "birthday",
            "language": site.language,
            "phrases": [phrase.id for phrase in site.phrases[:3]],
            "free_text": "",
            "signature": "Вера",
            "return_address": "",
            "envelope_size": "DL",
            "action": action,
            **extra,
        },
        page,
    )
    if action == "preview":
        errors = re.findall(r'class="error"[^>]*>(.*?)</', response.text, flags=re.S)
        assert response.status_code == 200, errors or response.text[:3000]
        return response.get_data()
    assert response.mimetype == "application/pdf", response.text[:3000]
    return response.get_data()


def test_cards_letters_envelopes_and_posters(site):
    preview = _compose(site, "preview").decode()
    assert_no_latin("the composer's preview", reader_text(preview))
    for action in ("postcard", "letter", "envelope"):
        assert_no_latin(action, pdf_text(_compose(site, action)))
    poster = site.post(
        site.public,
        f"/letters/poster/{site.prisoner.slug}",
        {"size": "A4"},
        f"/letters/write/{site.prisoner.slug}?occasion=birthday&language={site.language}",
    )
    assert poster.mimetype == "application/pdf"
    assert_no_latin("the poster", pdf_text(poster.get_data()), allowed_phrases=POSTER_PHRASES)


def test_a_printed_stack(site):
    response = site.post(
        site.public,
        "/letters/print",
        {
            "prisoner": site.prisoner.slug,
            "occasion": "birthday",
            "count": "8",
            "layout": "a4-4up",
            "mode": "duplex",
        },
    )
    assert response.mimetype == "application/pdf", response.text[:3000]
    assert_no_latin("a stack of eight cards", pdf_text(response.get_data()))


def test_the_delivery_package_and_its_signature_list(site):
    petition_id = site.petition.id
    asked = site.post(
        site.organiser,
        f"/organise/petitions/{petition_id}/exports",
        {"format": "pdf", "confirmed_only": "y", "language": site.language},
    )
    assert asked.status_code == 302, asked.text[:3000]
    job_url = asked.headers["Location"]
    run_queue(site.app)
    assert_no_latin("the export's page", reader_text(site.organiser.get(job_url).text))
    assert_no_latin("its progress", site.organiser.get(job_url + "/status").get_json()["text"])
    text = pdf_text(site.organiser.get(job_url + "/download").get_data())
    assert "Алесь" in text  # the list itself, not only the cover
    assert_no_latin("the delivery package", text)


def test_the_calendar_feed(site):
    feed = site.public.get(f"/letters/calendar.ics?lang={site.language}&from=NL")
    text = feed.get_data(as_text=True)
    shown = "\n".join(
        line.split(":", 1)[1]
        for line in text.replace("\r\n ", "").splitlines()
        if line.startswith(("SUMMARY", "DESCRIPTION", "X-WR-CALNAME"))
    )
    assert shown
    assert_no_latin("the calendar feed", shown.replace("\\n", " "))


# The gate itself -------------------------------------------------------------------------


def test_the_gate_finds_latin_words_and_keeps_its_exceptions():
    assert latin_words("Подпишите petition сейчас") == {"petition"}
    assert latin_words("ICS-ленту и PDF; REPUBLIC OF BELARUS") == set()
    assert latin_words("ссылка https://campaign.test/petitions/x и vera@example.org") == set()
    assert latin_words("адрес /petitions/free-ales-bialiatski, например new-year") == set()
    html = (
        '<html lang="ru"><p title="Hello">Текст</p><a hreflang="en" lang="en">English</a>'
        '<option lang="fr">Français</option><span lang="en">Hello</span>'
        '<pre lang="be-Latn">Ales Bialiatski</pre><meta name="description" content="Free">'
        "<code>&lt;iframe src=…&gt;</code><textarea>typed</textarea>"
    )
    assert latin_words(reader_text(html)) == {"Hello", "Free"}
