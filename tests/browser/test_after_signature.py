"""Issue 13's journey, in Russian: after the signature.

A supporter signs with the news box ticked (another without it); the organiser prints sheets
in Belarusian, types in a batch of 40 paper signatures, imports 2,000 rows from a CSV file
(10 bad lines reported), records the hand-in at the embassy with a photo and tells the signers
who asked for news, in four languages; an admin approves; the worker sends; the supporter stops
the news with one click; the public page and a recount agree on the counts by source.
"""

from __future__ import annotations

import io
import re
import time
import urllib.request
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from campaign_app.accounts.models import Role, User
from campaign_app.extensions import db
from campaign_app.petitions import counting
from campaign_app.petitions.models import (
    Petition,
    PetitionTranslation,
    Signature,
    SignatureSource,
)
from tests.factories import PASSWORD, make_campaign, make_petition, make_user
from tests.support.browser import LiveServer, link_in
from tests.support.mail import unique_email
from tests.support.pdf import flat, page_text

# Commits: the live server answers in threads of its own, on connections of their own.
pytestmark = [pytest.mark.browser, pytest.mark.commits]

RUSSIAN = {"locale": "ru-RU", "extra_http_headers": {"Accept-Language": "ru"}}
TITLE = {
    "en": "Free Ales Bialiatski!",
    "ru": "Свободу Алесю Беляцкому!",
    "be": "Свабоду Алесю Бяляцкаму!",
    "fr": "Libérez Ales Bialiatski !",
}
TARGET_BE = "Прэзідэнту Рэспублікі Беларусь"
UPDATE = {
    "en": ("The signatures are at the embassy", "We left **2,032 signatures** in its mailbox."),
    "ru": ("Подписи у посольства", "Мы оставили **2032 подписи** в почтовом ящике посольства."),
    "be": ("Подпісы ў амбасады", "Мы пакінулі **2032 подпісы** ў паштовай скрыні амбасады."),
    "fr": ("Les signatures sont à l'ambassade", "Nous avons laissé **2 032 signatures**."),
}
BAD_LINES = {
    101: ",,Minsk,BY",  # no name
    202: "Olga,Petrova,Minsk,XX",  # not a country
    303: "Ivan,Sidorov,Grodno,",  # no country
    404: "Anna," + "K" * 81 + ",Brest,BY",  # too long
    505: ",,,BY",
    606: "Pavel,Orlov,Gomel,BYE",
    707: "Nina,Kozlova,Vitebsk,1",
    808: ",,Mogilev,BY",
    909: "Oleg,Popov,Pinsk,??",
    1010: ",,,PL",
}
ROWS = 40


def petition_in_four_languages() -> tuple[Petition, User, User]:
    campaign = make_campaign(name="Вясна")
    petition = make_petition(
        campaign=campaign, slug="free-ales", language="en", title=TITLE["en"], goal=5000
    )
    texts = {
        "ru": ("Правозащитник в заключении.", "Мы требуем освободить Алеся Беляцкого."),
        "be": ("Праваабаронца ў зняволенні.", "Мы патрабуем вызваліць Алеся Бяляцкага."),
        "fr": ("Un défenseur emprisonné.", "Nous demandons la libération d'Ales Bialiatski."),
    }
    targets = {
        "ru": "Президенту Республики Беларусь",
        "be": TARGET_BE,
        "fr": "Au président de la République du Bélarus",
    }
    for locale, (summary, body) in texts.items():
        petition.translations.append(
            PetitionTranslation(
                locale=locale,
                title=TITLE[locale],
                summary=summary,
                body=body,
                target=targets[locale],
            )
        )
    organiser = make_user(campaigns=(campaign,), email=unique_email())
    admin = make_user(Role.ADMIN, email=unique_email())
    db.session.commit()  # for the live server's threads
    return petition, organiser, admin


def digits(text: str) -> str:
    """The figures of a number as Babel writes it in Russian (1 990 with a no-break space)."""
    return re.sub(r"\D", "", text)


def mail_number(live_server: LiveServer, address: str, n: int) -> EmailMessage:
    """The ``n``-th message (1-based) the SMTP server received for ``address``."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        messages = live_server.mailbox.to(address)
        if len(messages) >= n:
            return messages[n - 1]
        time.sleep(0.05)
    raise AssertionError(f"no e-mail number {n} to {address}")


def plain_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def snap(live_server: LiveServer, page: Page, name: str) -> None:
    """A screenshot, and the page fits its width (nothing scrolls sideways at 375 px)."""
    live_server.screenshot(page, f"after-signature-{name}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: {overflow} px wider than the window"


def sign_in_russian(page: Page, live_server: LiveServer, user: User) -> None:
    page.goto(f"{live_server.url}/account/login")
    page.get_by_label("Адрес электронной почты", exact=True).fill(user.email)
    page.get_by_label("Пароль", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(f"{live_server.url}/organise/")


def sign(page: Page, live_server: LiveServer, petition: Petition, email: str, *, news: bool):
    """Sign in Russian with the visible labels, then confirm by the e-mail's link."""
    page.goto(f"{live_server.url}/petitions/{petition.slug}")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("h1")).to_have_text(TITLE["ru"])
    page.get_by_label("Имя", exact=True).fill("Мария" if news else "Пётр")
    page.get_by_label("Фамилия", exact=True).fill("Новостная" if news else "Тихий")
    page.get_by_label("Адрес электронной почты", exact=True).fill(email)
    page.locator("#country").select_option("DE")
    page.locator("#city").fill("Берлин")
    page.locator("#consent").check()
    news_box = page.get_by_label("Присылайте мне новости об этой петиции")
    expect(news_box).not_to_be_checked()  # never ticked for the signer
    if news:
        news_box.check()
        snap(live_server, page, "sign-ru")
    page.get_by_role("button", name="Подписать", exact=True).click()
    expect(page.locator("h1")).to_have_text("Проверьте почту")
    page.goto(link_in(live_server.wait_for_mail(email), live_server.url))
    expect(page.locator("h1")).to_have_text("Спасибо: ваша подпись подтверждена")


def print_sheets_in_belarusian(page: Page, live_server: LiveServer, petition: Petition) -> None:
    page.goto(f"{live_server.url}/organise/petitions/{petition.id}/paper")
    expect(page.locator("h1")).to_have_text("Подписи на бумаге")
    page.get_by_label("Язык листа").select_option("be")
    page.get_by_label("Число листов").fill("2")
    snap(live_server, page, "paper-ru")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Скачать листы (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "free-ales-sheets-be-0001.pdf"
    data = Path(download.path()).read_bytes()
    first, second = flat(page_text(data, 0)), flat(page_text(data, 1))
    assert TITLE["be"] in first
    assert f"Адрасат: {TARGET_BE}" in first
    assert "Аркуш free-ales-0001" in first
    assert "Аркуш free-ales-0002" in second


def enter_forty_rows(page: Page, live_server: LiveServer, petition: Petition) -> None:
    page.goto(f"{live_server.url}/organise/petitions/{petition.id}/paper")
    page.get_by_role("link", name="Построчно, с листов").click()
    page.get_by_label("Мероприятие").fill("Пикет у посольства, Берлин")
    page.get_by_label("Место (город)").fill("Берлин")
    page.get_by_label("Страна", exact=True).select_option("DE")
    page.get_by_label("Серийные номера листов").fill("free-ales-0001, free-ales-0002")

    def fill_row(number: int) -> None:
        page.get_by_label(f"Имя, {number}", exact=True).fill(f"Имя{number}")
        page.get_by_label(f"Фамилия, {number}", exact=True).fill(f"Фамилия{number}")
        page.get_by_label(f"Город, {number}", exact=True).fill("Берлин")

    for number in range(1, 21):
        fill_row(number)
    # The form shows 20 rows; the next 20 come with "add more rows", keeping what was typed.
    page.get_by_role("button", name="Добавить строки").click()
    expect(page.get_by_label("Имя, 40", exact=True)).to_be_visible()
    expect(page.get_by_label("Имя, 20", exact=True)).to_have_value("Имя20")
    for number in range(21, ROWS):
        fill_row(number)
    # The last row as the keyboard form is used: Enter in the last row adds one (JavaScript).
    page.get_by_label(f"Имя, {ROWS}", exact=True).fill(f"Имя{ROWS}")
    page.get_by_label(f"Фамилия, {ROWS}", exact=True).fill(f"Фамилия{ROWS}")
    page.get_by_label(f"Город, {ROWS}", exact=True).fill("Potsdam")
    page.get_by_label(f"Код страны, {ROWS}", exact=True).fill("de")
    page.get_by_label(f"Код страны, {ROWS}", exact=True).press("Enter")
    expect(page.get_by_label(f"Имя, {ROWS + 1}", exact=True)).to_be_focused()
    snap(live_server, page, "rows-ru")
    page.get_by_role("button", name="Внести пачку").click()
    expect(page).to_have_url(re.compile(r"/paper/batches/\d+$"))
    expect(page.locator("main")).to_contain_text("40")


def import_csv(page: Page, live_server: LiveServer, petition: Petition) -> None:
    lines = ["first_name,last_name,city,country"]
    lines += [BAD_LINES.get(line, f"Name{line},Surname{line},Minsk,by") for line in range(2, 2002)]
    data = ("\r\n".join(lines) + "\r\n").encode()

    page.goto(f"{live_server.url}/organise/petitions/{petition.id}/paper")
    page.get_by_role("link", name="Из файла CSV").click()
    page.get_by_label("Мероприятие").fill("Подписи из Амстердама")
    page.get_by_label("Файл CSV").set_input_files(
        files=[{"name": "amsterdam.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.get_by_role("button", name="Загрузить и посмотреть").click()
    expect(page.locator("h1")).to_have_text("Предпросмотр импорта")
    assert digits(page.locator("#to-import").inner_text()) == "1990"
    assert digits(page.locator("#error-count").inner_text()) == "10"
    errors = page.locator("#line-errors li")
    expect(errors).to_have_count(10)
    listed = errors.all_inner_texts()
    for number, text in zip(sorted(BAD_LINES), listed, strict=True):
        assert text.startswith(f"Строка {number}: "), listed
    snap(live_server, page, "import-preview-ru")
    page.get_by_role("button", name=re.compile(r"^Импортировать 1\s?990 подпис")).click()
    expect(page).to_have_url(re.compile(r"/paper/batches/\d+$"))


def record_hand_in(page: Page, live_server: LiveServer, petition: Petition) -> None:
    page.goto(f"{live_server.url}/organise/petitions/{petition.id}/hand-ins")
    expect(page.locator("h1")).to_have_text("Передачи подписей")
    page.get_by_role("link", name="Записать передачу подписей").click()
    # A new hand-in starts from the counts: 2 online, 40 + 1,990 on paper.
    expect(page.get_by_label("Подписи, собранные онлайн")).to_have_value("2")
    expect(page.get_by_label("Подписи, собранные на бумаге")).to_have_value("2030")
    page.get_by_label("Дата", exact=True).fill("2026-12-04")
    page.get_by_label("Место", exact=True).fill("Посольство Республики Беларусь, Берлин")
    page.get_by_label("Результат").select_option("left_in_mailbox")
    page.get_by_label("Заметка (Markdown, необязательно)").fill(
        "Делегацию не приняли; открытое письмо оставили в почтовом ящике."
    )
    page.get_by_role("button", name="Сохранить как черновик").click()
    expect(page).to_have_url(re.compile(r"/organise/hand-ins/\d+$"))

    photo = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 40, 40)).save(photo, "JPEG", quality=85)
    page.get_by_label("Фотография (JPEG, PNG или WebP)").set_input_files(
        files=[{"name": "embassy.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}]
    )
    page.get_by_label("Описание для тех, кто не видит фотографию", exact=True).fill(
        "Коробки с подписями у двери посольства"
    )
    page.get_by_role("button", name="Добавить фотографию").click()
    expect(page.locator("#photos img")).to_have_count(1)
    page.get_by_role("button", name="Опубликовать передачу подписей").click()
    snap(live_server, page, "hand-in-ru")
    page.get_by_role("link", name="Сообщить подписавшим, которые просили присылать новости").click()


def write_update(page: Page, live_server: LiveServer, organiser: User) -> str:
    """The update's form, prefilled from the hand-in: the texts in four languages, a test."""
    expect(page.locator("fieldset[lang]")).to_have_count(4)
    ru = page.locator("fieldset[lang=ru]")
    # The first draft tells the hand-in, in Russian, with the counts as they are now.
    expect(ru.get_by_label("Тема", exact=True)).to_have_value(
        "Подписи переданы: Посольство Республики Беларусь, Берлин"
    )
    draft = ru.get_by_label("Текст", exact=True).input_value()
    assert re.sub(r"[\u00a0\u202f]", " ", draft).startswith(
        "4 декабря 2026 г. мы передали подписи (всего: 2 032; онлайн: 2, на бумаге: 2 030)."
    ), draft
    for locale, (subject, body) in UPDATE.items():
        fieldset = page.locator(f"fieldset[lang={locale}]")
        fieldset.get_by_label("Тема", exact=True).fill(subject)
        fieldset.get_by_label("Текст", exact=True).fill(body)
    page.get_by_role("button", name="Предпросмотр").click()
    expect(page.locator("main")).to_contain_text("2032 подписи")
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page).to_have_url(re.compile(r"/organise/news/\d+$"))
    page.get_by_role("button", name="Отправить мне тестовое письмо").click()
    # One test per language, marked as a test.
    mail_number(live_server, organiser.email, len(UPDATE))
    subjects = sorted(str(m["Subject"]) for m in live_server.mailbox.to(organiser.email))
    assert len(subjects) == len(UPDATE), subjects
    for subject, _body in UPDATE.values():
        assert any(s.startswith("[") and s.endswith(f"] {subject}") for s in subjects), subjects
    snap(live_server, page, "update-ru")
    return page.url.split("?")[0]  # the update's page, without a "test sent" note


def test_after_the_signature_in_russian(
    live_server: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    petition, organiser, admin = petition_in_four_languages()
    wants_news, no_news = unique_email(), unique_email()

    # 1. Two supporters sign in Russian; one ticks the news box.
    supporter = new_context(**RUSSIAN).new_page()
    sign(supporter, live_server, petition, wants_news, news=True)
    sign(new_context(**RUSSIAN).new_page(), live_server, petition, no_news, news=False)

    # 2. The organiser: sheets, 40 rows, the CSV import, the hand-in, the update.
    page = new_context(**RUSSIAN).new_page()
    sign_in_russian(page, live_server, organiser)
    print_sheets_in_belarusian(page, live_server, petition)
    enter_forty_rows(page, live_server, petition)
    import_csv(page, live_server, petition)
    expect(page.locator("main")).to_contain_text("1 990")
    record_hand_in(page, live_server, petition)
    update_url = write_update(page, live_server, organiser)

    approver = new_context(**RUSSIAN).new_page()
    sign_in_russian(approver, live_server, admin)
    approve = approver.get_by_role("button", name="Утвердить и отправить")
    # The button shows once the test is recorded as sent (just after its e-mails went out).
    deadline = time.monotonic() + 10
    approver.goto(update_url)
    while not approve.count() and time.monotonic() < deadline:
        time.sleep(0.2)
        approver.goto(update_url)
    approve.click()
    expect(approver.locator("main")).to_contain_text(
        "Утверждено: новость опубликована и отправляется."
    )

    news = mail_number(live_server, wants_news, 2)  # after the confirmation
    assert news["Subject"] == "Подписи у посольства"
    text = plain_text(news)
    assert "Мы оставили" in text and "2032 подписи" in text
    unsubscribe = re.search(re.escape(live_server.url) + r"/news/unsubscribe/\S+", text)
    assert unsubscribe, text
    assert news["List-Unsubscribe"] == f"<{unsubscribe.group(0)}>"
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    approver.reload()
    expect(approver.locator("main")).to_contain_text("Отправлено писем: 1 из 1")
    assert len(live_server.mailbox.to(no_news)) == 1  # the confirmation only

    # 3. One click stops the news; a mail program's one-click POST (no cookies) is answered too.
    supporter.goto(unsubscribe.group(0))
    expect(supporter.locator("h1")).to_have_text("Отказаться от новостей об этой петиции?")
    snap(live_server, supporter, "unsubscribe-ru")
    supporter.get_by_role("button", name="Отказаться от новостей").click()
    expect(supporter.locator("h1")).to_have_text("Новостей больше не будет")
    expect(supporter.locator("main")).to_contain_text(
        "Вы больше не будете получать писем об этой петиции."
    )
    request = urllib.request.Request(
        unsubscribe.group(0), data=b"List-Unsubscribe=One-Click", method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # loopback, no cookie jar
        assert answer.status == 200
    db.session.expire_all()
    consents = [
        (row.news_consent_at is not None, row.news_withdrawn_at is not None)
        for row in db.session.scalars(
            select(Signature).where(
                Signature.petition_id == petition.id,
                Signature.source == SignatureSource.ONLINE,
            )
        )
    ]
    assert sorted(consents) == [(False, False), (True, True)]  # asked for news, then stopped

    # 4. The public page, and a recount that finds no drift and the same counts by source.
    supporter.goto(f"{live_server.url}/petitions/{petition.slug}")
    sources = supporter.locator("#count-sources")
    expect(sources).to_contain_text("онлайн +")
    assert re.sub(r"[\s\u00a0\u202f]", "", sources.inner_text()) == "2онлайн+2030набумаге"
    hand_in = supporter.locator("main").get_by_role("img", name="Коробки с подписями")
    expect(hand_in).to_be_visible()
    expect(supporter.locator("section.news")).to_contain_text("Подписи у посольства")
    snap(live_server, supporter, "petition-ru")
    # The summary under the title, not over it (a petition without a portrait).
    title_box = supporter.locator("h1").bounding_box()
    summary_box = supporter.locator(".petition-hero .lead").bounding_box()
    assert title_box and summary_box
    assert summary_box["y"] >= title_box["y"] + title_box["height"], (title_box, summary_box)

    result = live_server.app.test_cli_runner().invoke(
        args=["petitions", "recount", petition.slug, "--check"]
    )
    assert result.exit_code == 0, result.output
    assert "free-ales: counts match the rows." in result.output
    db.session.expire_all()
    counts = counting.read_counts(db.session, petition.id)
    assert (counts.online, counts.on_paper) == (2, 2030)
    rows = counting.count_rows(db.session, petition.id)
    assert counting.cell_drift(counts, rows) == {}
