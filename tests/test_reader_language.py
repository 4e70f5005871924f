"""Content and outputs in the reader's language (issue 10): a petition's own language and its
translations, the demo in four languages, organisers' texts translated in their forms, the
delivery package, the share image, the calendar feed, e-mails, numbers and dates."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from html import unescape

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import insert, select

from campaign_app.accounts.models import Role
from campaign_app.demo.data import load_demo
from campaign_app.extensions import db
from campaign_app.letters.models import Occasion, PostalRoute
from campaign_app.petitions.blind_index import email_hash
from campaign_app.petitions.models import (
    Petition,
    PetitionTranslation,
    PublicDisplay,
    Signature,
    SignatureState,
)
from campaign_app.prisoners.models import Prisoner
from tests.factories import PASSWORD, make_campaign, make_petition, make_user
from tests.support.queue import run_queue

NO_TRANSLATION = {
    "ru": "У этой петиции пока нет перевода на ваш язык",
    "en": "This petition has no translation into your language yet",
}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def text_of(response) -> str:
    html = re.sub(
        r"<(script|style)[^>]*>.*?</\1>", " ", response.get_data(as_text=True), flags=re.S
    )
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def csrf(client, path: str) -> str:
    match = CSRF.search(client.get(path).get_data(as_text=True))
    assert match, f"no form on {path}"
    return match.group(1)


def post(client, url: str, data: dict, page: str | None = None):
    return client.post(url, data={**data, "csrf_token": csrf(client, page or url)})


def signed_in(app, language: str, role: Role = Role.ADMIN, campaigns=()):
    user = make_user(role=role, campaigns=campaigns)
    client = app.test_client()
    client.get(f"/?lang={language}")
    response = post(client, "/account/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# A petition's language and its translations ------------------------------------------------


PETITION_FORM = {
    "title": "Свободу Алесю Беляцкому",
    "slug": "svobodu",
    "target": "Президент Республики Беларусь",
    "summary": "Коротко.",
    "body": "Первый абзац.\n\nВторой абзац.",
    "goal": "1000",
    "opens_at": "2012-09-01T10:00",
}


def test_a_petition_created_in_russian_is_stored_as_russian(app):
    campaign = make_campaign()
    client = signed_in(app, "ru")
    url = f"/organise/campaigns/{campaign.id}/petitions/new"
    form = client.get(url).get_data(as_text=True)
    assert re.search(r'<option[^>]*selected[^>]*value="ru"|value="ru"[^>]*selected', form), (
        "the language field starts at the interface's language"
    )

    created = post(client, url, {**PETITION_FORM, "language": "ru"})

    assert created.status_code == 302
    petition = db.session.scalar(select(Petition).where(Petition.slug == "svobodu"))
    assert petition.language == "ru"
    petition.state = petition.state.OPEN
    db.session.commit()
    reader = app.test_client()
    page = text_of(reader.get("/petitions/svobodu?lang=ru"))
    assert NO_TRANSLATION["ru"] not in page  # written in Russian: nothing to translate
    assert NO_TRANSLATION["en"] in text_of(reader.get("/petitions/svobodu?lang=en"))


def test_the_hub_links_every_translation_and_says_which_exist(app):
    petition = make_petition(language="en")
    petition.translations.append(PetitionTranslation(locale="ru", title="Свободу", body="Текст"))
    db.session.commit()
    client = signed_in(app, "en")

    page = client.get(f"/organise/petitions/{petition.id}").get_data(as_text=True)

    links = re.findall(rf'href="/organise/petitions/{petition.id}/translations/(\w+)"', page)
    assert links == ["ru", "be", "fr"]  # every offered language but the petition's own
    section = text_of(client.get(f"/organise/petitions/{petition.id}")).split("Translations")[1]
    assert re.search(r"Русский translated Беларуская no translation yet Français no", section)


def test_a_translation_keeps_its_paragraphs_and_target(app):
    petition = make_petition(language="en")
    client = signed_in(app, "en")
    url = f"/organise/petitions/{petition.id}/translations/be"

    saved = post(
        client,
        url,
        {
            "title": "Свабоду",
            "summary": "Коратка.",
            "target": "Прэзідэнт Рэспублікі Беларусь",
            "body": "Першы абзац.\r\n\r\nДругі абзац:\r\n- пункт",
        },
    )

    assert saved.status_code == 302
    translation = db.session.get(PetitionTranslation, (petition.id, "be"))
    assert translation.body == "Першы абзац.\n\nДругі абзац:\n- пункт"
    html = app.test_client().get(f"/petitions/{petition.slug}?lang=be").get_data(as_text=True)
    assert "<p>Першы абзац.</p>" in html and "<li>пункт</li>" in html
    assert "Адрасат петыцыі: Прэзідэнт Рэспублікі Беларусь" in unescape(html)


def test_changing_the_language_to_a_translated_one_is_refused(app):
    petition = make_petition(language="en")
    petition.translations.append(PetitionTranslation(locale="ru", title="Свободу", body="Текст"))
    db.session.commit()
    client = signed_in(app, "en")
    url = f"/organise/petitions/{petition.id}/edit"
    data = {
        "title": petition.title,
        "slug": petition.slug,
        "target": petition.target,
        "body": petition.body,
        "goal": "1000",
        "opens_at": "2012-09-01T10:00",
        "language": "ru",
    }

    refused = post(client, url, data)

    assert refused.status_code == 400
    assert "delete that translation first" in text_of(refused)
    db.session.refresh(petition)
    assert petition.language == "en"


# The demo in four languages -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "heading", "bio", "postage"),
    [
        ("ru", "Свободу Алесю Беляцкому", "Биография", "Председатель Правозащитного центра «Весна»",
         "Марка для международной открытки"),
        ("be", "Свабоду Алесю Бяляцкаму", "Біяграфія", "Старшыня Праваабарончага цэнтра «Вясна»",
         "Марка для міжнароднай паштоўкі"),
        ("fr", "Libérez Ales Bialiatski", "Biographie", "Président du Centre des droits humains",
         "Timbre pour une carte postale internationale"),
    ],
)  # fmt: skip
def test_the_demo_reads_in_each_language(app, client, language, title, heading, bio, postage):
    load_demo()

    petition = text_of(client.get(f"/petitions/free-ales-bialiatski?lang={language}"))
    prisoner = text_of(client.get(f"/prisoners/ales-bialiatski?lang={language}&country=NL"))

    assert title in petition
    assert "no translation" not in petition and "нет перевода" not in petition
    assert heading in prisoner and bio in prisoner and postage in prisoner
    assert "Example data from September 2012" not in prisoner
    assert "О проекте" not in prisoner


def test_the_demo_is_still_example_data_with_its_sources(app, client):
    load_demo()
    page = text_of(client.get("/prisoners/ales-bialiatski?lang=ru"))
    assert "Демонстрационные данные" in page or "Пример" in page
    assert "Источник: Акция в неделю дня рождения Алеся Беляцкого, сентябрь 2012 года" in page
    assert "1 сентября 2012" in page and "2012 г.." not in page


def test_loading_the_demo_again_adds_missing_translations_only(app):
    load_demo()
    prisoner = db.session.scalar(select(Prisoner))
    prisoner.translations = {}
    db.session.commit()
    assert load_demo() is True
    assert "Біяграфія" not in prisoner.translated("bio", "be")  # the text, not a heading
    assert prisoner.translated("bio", "be").startswith("Старшыня")
    assert load_demo() is False


def test_russian_numbers_dates_and_quotes(app, client):
    load_demo()
    page = client.get("/petitions/free-ales-bialiatski?lang=ru").get_data(as_text=True)
    assert "Цель: 10\u00a0000" in page and "10,000" not in page
    prisoner = client.get("/prisoners/ales-bialiatski?lang=ru").get_data(as_text=True)
    assert "г.." not in prisoner and "“" not in prisoner


# Organisers' texts in other languages -------------------------------------------------------


def test_prisoner_texts_translated_in_the_organisers_form(app):
    load_demo()
    prisoner = db.session.scalar(select(Prisoner))
    client = signed_in(app, "en")
    url = f"/organise/prisoners/{prisoner.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'name="translations-be-bio"' in page
    assert "Старшыня Праваабарончага цэнтра" in page  # the translations are in the form
    names = [
        *("slug", "given_name_latin", "surname_latin", "bio", "interests", "mail_note"),
        *("given_name_ru", "patronymic_ru", "surname_ru", "full_name_dative_ru"),
        *("given_name_be", "patronymic_be", "surname_be", "full_name_dative_be"),
    ]
    data = {name: getattr(prisoner, name) for name in names}
    data |= {
        "birth_date": "1962-09-25",
        "arrest_date": "2011-08-04",
        "mail_note_as_of": "2012-09-01",
        "status": "imprisoned",
        "address_language": "ru",
        "is_mail_getting_through": "yes",
        "translations-be-bio": "Новая біяграфія.",
        "translations-ru-bio": prisoner.translated("bio", "ru"),
    }
    saved = post(client, url, data)
    assert saved.status_code == 302, re.findall(r'class="error"[^>]*>[^<]*', saved.text)
    reader = app.test_client()
    assert "Новая біяграфія." in text_of(reader.get("/prisoners/ales-bialiatski?lang=be"))


def test_occasion_and_route_names_follow_the_reader(app, client):
    load_demo()
    occasion = db.session.scalar(select(Occasion).where(Occasion.slug == "support"))
    page = client.get("/letters/print?lang=be").get_data(as_text=True)
    assert ">Словы падтрымкі</option>" in page
    occasion.translations = {}
    db.session.commit()
    page = client.get("/letters/print?lang=be").get_data(as_text=True)
    assert ">Падтрымка</option>" in page  # the catalogue's name for a usual one
    route = db.session.get(PostalRoute, "NL")
    assert route.translated("note", "be").startswith("Прыклад")


# The delivery package ------------------------------------------------------------------------


def _russian_petition_with(total: int) -> Petition:
    petition = make_petition(
        slug="russkaya",
        language="ru",
        title="Свободу Алесю Беляцкому",
        summary="Требуем освободить.",
        target="Президент Республики Беларусь",
        body="Первый абзац текста.\n\nВторой абзац текста.",
    )
    moment = datetime(2012, 9, 25, 12, tzinfo=UTC)
    db.session.execute(
        insert(Signature),
        [
            {
                "petition_id": petition.id,
                "first_name": "Вера",
                "last_name": f"Подписантка{i}",
                "email": f"s{i}@example.org",
                "email_hash": email_hash(f"s{i}@example.org"),
                "country": "DE" if i % 2 else "BY",
                "display": PublicDisplay.ANONYMOUS
                if i == 0
                else PublicDisplay.FIRST_NAME_AND_COUNTRY,
                "state": SignatureState.CONFIRMED,
                "confirmed_at": moment,
                "created_at": moment,
                "locale": "ru",
            }
            for i in range(total)
        ],
    )
    db.session.commit()
    return petition


def _export(app, client, petition, **fields) -> str:
    asked = post(
        client,
        f"/organise/petitions/{petition.id}/exports",
        {"format": "pdf", "confirmed_only": "y", **fields},
    )
    assert asked.status_code == 302, text_of(asked)[:2000]
    run_queue(app)
    return pdf_text(client.get(asked.headers["Location"] + "/download").get_data())


def test_the_package_of_a_russian_petition_is_in_russian(make_app):
    app = make_app(ORGANISATION_NAME="Правозащитный центр «Весна»")
    with app.app_context():
        petition = _russian_petition_with(1001)
        client = signed_in(app, "en")  # the organiser's interface does not matter
        form = client.get(f"/organise/petitions/{petition.id}/exports").get_data(as_text=True)
        assert re.search(r'<option[^>]*selected[^>]*value="ru"|value="ru"[^>]*selected', form)

        text = _export(app, client, petition)

    assert "Свободу Алесю Беляцкому" in text
    assert "Адресат: Президент Республики Беларусь" in text
    assert "Первый абзац текста." in text and "Второй абзац текста." in text
    assert "Передаёт: Правозащитный центр «Весна»" in text
    assert re.search("Подписей в этом списке: 1[ \u00a0]001", text)  # not "1,001"
    assert "Все подтверждены 25 сентября 2012 (по UTC)." in text
    assert "Цифровой отпечаток этого списка (SHA-256):" in text
    for word in ("flask", "sha256sum", "`", "export", "Page"):
        assert word not in text
    assert "Беларусь" in text and "Германия" in text
    assert "№ Имя Город Страна Подтверждена" in text or "№" in text
    assert "Аноним" in text  # the anonymous signer
    assert "25 сент. 2012" in text and "Страница 1 из" in text


def test_the_package_language_can_be_chosen(app):
    load_demo()
    petition = db.session.scalar(select(Petition))
    client = signed_in(app, "en")

    text = _export(app, client, petition, language="be")

    assert "Свабоду Алесю Бяляцкаму" in text
    assert "Адрасат: Прэзідэнт Рэспублікі Беларусь" in text
    assert "Подпісаў у гэтым спісе: 0" in text
    assert "Free Ales Bialiatski" not in text


def test_the_command_takes_a_language(app, runner, tmp_path):
    load_demo()
    output = tmp_path / "list.pdf"
    result = runner.invoke(
        args=[
            "petitions", "export", "free-ales-bialiatski", "--format", "pdf",
            "--output", str(output), "--language", "fr",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = pdf_text(output.read_bytes())
    assert "Libérez Ales Bialiatski" in text and "Signatures dans cette liste" in text


# The share image, the calendar feed, e-mails --------------------------------------------------


def test_the_share_image_url_carries_the_language(app, client):
    load_demo()
    html = client.get("/petitions/free-ales-bialiatski?lang=ru").get_data(as_text=True)
    image_url = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert image_url == "http://campaign.test/petitions/free-ales-bialiatski/share/ru.png"
    assert 'content="Свободу Алесю Беляцкому"' in html  # og:title

    russian = client.get("/petitions/free-ales-bialiatski/share/ru.png")
    english = client.get("/petitions/free-ales-bialiatski/share/en.png")

    assert russian.status_code == english.status_code == 200
    assert Image.open(io.BytesIO(russian.data)).size == (1200, 630)
    assert russian.data != english.data
    assert "Accept-Language" not in russian.headers.get("Vary", "")  # the URL says it all
    assert client.get("/petitions/free-ales-bialiatski/share/xx.png").status_code == 404


def test_the_calendar_feed_in_russian(app, client):
    load_demo()
    page = client.get("/letters/calendar?lang=ru").get_data(as_text=True)
    assert "/letters/calendar.ics?lang=ru" in page
    feed = client.get("/letters/calendar.ics?lang=ru&from=NL").get_data(as_text=True)
    unfolded = feed.replace("\r\n ", "")
    assert "X-WR-CALNAME:Открытки политзаключённым" in unfolded
    assert "SUMMARY:Алесь Беляцкий: день рождения (" in unfolded
    assert "дней в пути (страна отправки: Нидерланды)" in unfolded
    assert "г.." not in unfolded and "birthday" not in unfolded.split("URL:")[0]


def test_emails_are_in_the_signers_language(app, mailbox):
    load_demo()
    client = app.test_client()
    client.get("/?lang=be")
    post(
        client,
        "/petitions/free-ales-bialiatski",
        {
            "first_name": "Алесь",
            "last_name": "Тэставы",
            "email": "reader@example.org",
            "country": "NL",
            "display": "first_name_country",
            "consent": "y",
        },
    )
    run_queue(app)
    (message,) = mailbox.to("reader@example.org")
    assert "Свабоду Алесю Бяляцкаму" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "«Свабоду Алесю Бяляцкаму»" in body
    assert re.search(r"Спасылка дзейнічае \d+ (дзень|дні|дзён)\.", body)


def test_the_password_reset_email_follows_the_page(app, mailbox):
    user = make_user(role=Role.ADMIN)
    client = app.test_client()
    client.get("/?lang=ru")
    post(client, "/account/reset", {"email": user.email})
    run_queue(app)
    (message,) = mailbox.to(user.email)
    assert message["Subject"] == "Сброс пароля организатора"
    assert "в течение 60 минут" in message.get_body(preferencelist=("plain",)).get_content()
