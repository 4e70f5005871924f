"""Issue 14's journey, as a supporter on a phone in Russian and an organiser at a desk.

The organiser loads a registry of 1,500 prisoners in 60 institutions from a CSV list through
the import page; a supporter new to the site finds Ales Bialiatski by the Belarusian spelling
of his name, narrows the list to September birthdays, writes him a birthday card (its PDF has
the colony's address) and reports a reply; the organiser moves ten prisoners to another colony
with one more list, and the next card prints the new address; the supporter prints an appeal
to the Prosecutor General and gets the link that opens it in their own mail program.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader
from sqlalchemy import func, select

from campaign_app.accounts.models import Role
from campaign_app.demo.appeals_data import load_appeals_demo
from campaign_app.demo.letters_data import load_letters_demo
from campaign_app.demo.registry import institutions, prisoners, write_csv
from campaign_app.extensions import db
from campaign_app.institutions.models import Institution
from campaign_app.prisoners.models import Prisoner
from campaign_app.replies.models import ReplyReport
from tests.factories import PASSWORD, make_campaign, make_user
from tests.support.browser import LiveServer

# Commits: the live server answers in threads of its own, on connections of their own.
pytestmark = [pytest.mark.browser, pytest.mark.commits]

PHONE = {
    "viewport": {"width": 375, "height": 800},
    "locale": "ru-RU",
    "extra_http_headers": {"Accept-Language": "ru-RU,ru;q=0.9"},
    "accept_downloads": True,
}
DESK = PHONE | {"viewport": {"width": 1280, "height": 900}}
BIALIATSKI = {
    "record": "prisoner",
    "slug": "ales-bialiatski",
    "surname_ru": "Беляцкий",
    "given_name_ru": "Алесь",
    "patronymic_ru": "Викторович",
    "surname_be": "Бяляцкі",
    "given_name_be": "Алесь",
    "patronymic_be": "Віктаравіч",
    "surname_latin": "Bialiatski",
    "given_name_latin": "Ales",
    "dative_ru": "Беляцкому Алесю Викторовичу",
    "dative_be": "Бяляцкаму Алесю Віктаравічу",
    "birth_date": "1962-09-25",
    "institution": "ИК-2",
    "unit_ru": "отряд 9",
    "status": "imprisoned",
}
NEW_COLONY = "ИК-9"  # a colony in Gorki: "ул. Сикорского, 9"


@pytest.fixture
def width() -> int:
    """One run per database: the supporter's phone and the organiser's desk are both in it."""
    return 375


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def open_page(browser: Browser, contexts: list[BrowserContext], options: dict) -> Page:
    context = browser.new_context(**options)
    context.set_default_timeout(20_000)
    contexts.append(context)
    return context.new_page()


def registry_list() -> tuple[bytes, list[dict[str, str]]]:
    """The list a human-rights group publishes: 60 institutions, 1,500 prisoners."""
    places = institutions(60)
    people = [BIALIATSKI, *prisoners(1499, [row["code"] for row in places])]
    return write_csv([*places, *people]), people


def moved(people: list[dict[str, str]], to: str, on: date) -> bytes:
    """The next edition of the list: ten prisoners (Bialiatski first) in another colony."""
    movers = [p for p in people if p["institution"] not in (to,)][:10]
    assert movers[0]["slug"] == "ales-bialiatski"
    rows = [
        p | {"institution": to, "unit_ru": "отряд 3", "transferred_on": on.isoformat()}
        for p in movers
    ]
    return write_csv(rows)


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def fits(live_server: LiveServer, page: Page, name: str) -> None:
    """A screenshot, and nothing scrolls sideways."""
    live_server.screenshot(page, f"registry-journey-{name}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: {overflow} px wider than the window"


def sign_in(page: Page, live_server: LiveServer, email: str) -> None:
    page.goto(f"{live_server.url}/account/login")
    page.get_by_label("Адрес электронной почты", exact=True).fill(email)
    page.get_by_label("Пароль", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(f"{live_server.url}/organise/")


def import_list(
    page: Page, live_server: LiveServer, campaign_id: int, content: bytes, source: str
) -> None:
    page.goto(f"{live_server.url}/organise/campaigns/{campaign_id}/prisoners/import")
    expect(page.locator("h1")).to_have_text("Импорт заключённых и учреждений")
    page.locator("input[type=file]").set_input_files(
        {"name": "spisok.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_label("Источник").fill(source)
    page.get_by_role("button", name="Предпросмотр").click()
    expect(page.locator("h1")).to_have_text("Предпросмотр импорта")


def write_birthday_card(page: Page, name: str = "Алесь Беляцкий") -> str:
    """From the prisoner's page: the phrasebook in Russian, a name, the A6 postcard's text."""
    page.get_by_role("link", name=f"Написать открытку: {name}").first.click()
    expect(page.locator("h1")).to_have_text(f"Написать открытку: {name}")
    page.get_by_label("Повод", exact=True).select_option("birthday")
    page.get_by_role("button", name="Показать фразы").click()
    page.get_by_label("Желаем вам крепкого здоровья.").check()
    page.get_by_label("Подпишитесь именем или псевдонимом").fill("Мария")
    with page.expect_download() as download:
        page.get_by_role("button", name="Открытка A6 (PDF)").click()
    return pdf_text(Path(download.value.path()))


def test_registry_journey_in_russian(
    live_server: LiveServer, browser: Browser, contexts: list[BrowserContext]
) -> None:
    campaign = make_campaign(slug="viasna", name="Вясна")
    organiser = make_user(role=Role.ORGANISER, campaigns=(campaign,))
    load_letters_demo()  # the phrasebook, the occasions and the postal routes
    db.session.commit()
    content, people = registry_list()

    # 1. The organiser loads the list: preview, then all of it.
    desk = open_page(browser, contexts, DESK)
    sign_in(desk, live_server, organiser.email)
    import_list(desk, live_server, campaign.id, content, "Вясна, список политзаключённых")
    main = desk.locator("main")
    expect(main).to_contain_text("Новых учреждений: 60")
    expect(main).to_contain_text("Новых заключённых: 1500")
    expect(main).to_contain_text("Ошибок: 0")
    desk.get_by_role("button", name="Импортировать").click()
    expect(main).to_contain_text("Импортировано: новых 1500")
    expect(main).to_contain_text("учреждений: новых 60")
    assert db.session.scalar(select(func.count()).select_from(Prisoner)) == 1500
    assert db.session.scalar(select(func.count()).select_from(Institution)) == 60
    load_appeals_demo(campaign)
    db.session.commit()

    # 2. A supporter, new here, on a phone: the registry from the home page.
    phone = open_page(browser, contexts, PHONE)
    phone.goto(f"{live_server.url}/")
    phone.get_by_role("link", name="Весь реестр: 1500 заключённых").click()
    phone.get_by_label("Имя").fill("Бяляцкі")
    phone.get_by_label("Месяц дня рождения").select_option("9")
    phone.get_by_role("button", name="Показать").click()
    expect(phone.get_by_role("heading", name="1 заключённый")).to_be_visible()
    fits(live_server, phone, "found")
    phone.get_by_role("link", name="Алесь Беляцкий", exact=True).click()
    expect(phone.locator("h1")).to_contain_text("Алесь Беляцкий")
    fits(live_server, phone, "prisoner")

    card = write_birthday_card(phone)
    assert "Беляцкому Алесю Викторовичу" in card
    assert "ул. Сикорского, 2" in card and "отряд 9" in card

    # The reply, months later: the date and the country, nothing else.
    phone.goto(f"{live_server.url}/prisoners/ales-bialiatski")
    reply = phone.get_by_role("region", name="Мне пришёл ответ")
    reply.get_by_label("Когда пришёл ответ?").fill((date.today() - timedelta(days=3)).isoformat())
    reply.get_by_role("combobox").select_option("LT")
    reply.get_by_role("button", name="Мне пришёл ответ").click()
    expect(phone.locator("main")).to_contain_text("Спасибо: ответ учтён.")
    fits(live_server, phone, "reply")
    assert db.session.scalar(select(func.count()).select_from(ReplyReport)) == 1

    # 3. The next list moves ten prisoners to another colony; the preview says so.
    on = date.today()  # the list of the day (a date before the first import is refused)
    import_list(desk, live_server, campaign.id, moved(people, NEW_COLONY, on), "Вясна, переводы")
    expect(main).to_contain_text("Переведённых: 10")
    expect(main).to_contain_text("Новых заключённых: 0")
    desk.get_by_role("button", name="Импортировать").click()
    expect(main).to_contain_text("переведённых 10")

    phone.goto(f"{live_server.url}/prisoners/ales-bialiatski")
    card = write_birthday_card(phone)
    assert "ул. Сикорского, 9" in card and "отряд 3" in card
    assert "ул. Сикорского, 2" not in card
    db.session.expire_all()
    in_new_colony = db.session.scalars(
        select(Prisoner.slug).join(Institution).where(Institution.code == NEW_COLONY)
    ).all()
    movers = [p["slug"] for p in people if p["institution"] != NEW_COLONY][:10]
    assert set(movers) <= set(in_new_colony)
    last = next(p for p in people if p["slug"] == movers[-1])
    phone.goto(f"{live_server.url}/prisoners/{last['slug']}")
    card = write_birthday_card(phone, f"{last['given_name_ru']} {last['surname_ru']}")
    assert "ул. Сикорского, 9" in card and "отряд 3" in card

    # 4. An appeal to the Prosecutor General: the letter to print, the link to the mail program.
    phone.goto(f"{live_server.url}/prisoners/ales-bialiatski")
    appeals = phone.get_by_role("region", name="Напишите властям о заключённом: Алесь Беляцкий")
    appeals.get_by_role("link", name="Обращение: Генеральный прокурор Республики Беларусь").click()
    expect(phone.locator("h1")).to_have_text("Обращение: Генеральный прокурор Республики Беларусь")
    phone.get_by_label("Ваше имя").fill("Мария Иванова")
    phone.get_by_role("button", name="Показать моё обращение").click()
    fits(live_server, phone, "appeal")
    with phone.expect_download() as download:
        phone.get_by_role("button", name="Скачать письмо (PDF, A4)").click()
    letter = pdf_text(Path(download.value.path()))
    assert "Генеральному прокурору Республики Беларусь" in letter
    assert "ул. Интернациональная, 22" in letter
    assert "Мария Иванова" in letter and "Беляцкому Алесю" in letter

    # A Russian text percent-encoded is longer than browsers pass to a mail program (about
    # 2,000 characters): the link fills in the address and subject; the text is one tap away.
    expect(phone.locator("#mailto-too-long")).to_be_visible()
    mailto = phone.get_by_role("link", name="Открыть в моей почтовой программе (адрес и тема)")
    parts = urlsplit(mailto.get_attribute("href") or "")
    assert parts.scheme == "mailto"
    assert unquote(parts.path) == "prosecutor-general@example.org"
    assert parse_qs(parts.query) == {"subject": ["Обращение в защиту политического заключённого"]}
    body = phone.get_by_label("Текст", exact=True)
    signed = re.compile(r"^Уважаемый Генеральный прокурор!.*Мария Иванова$", re.S)
    expect(body).to_have_value(signed)
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"])
    phone.get_by_role("button", name="Скопировать текст").click()
    expect(phone.get_by_role("button", name="Скопировано")).to_be_visible()
    copied = phone.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Уважаемый Генеральный прокурор!") and "Беляцкому Алесю" in copied
    fits(live_server, phone, "appeal-mail")

    # 5. The organiser sees the reply beside the cards, per prisoner.
    desk.goto(f"{live_server.url}/organise/campaigns/{campaign.id}/prisoners")
    expect(desk.locator("#prisoners-count")).to_have_text("1–50 из 1\u00a0500 заключённых")
    desk.get_by_label("Имя").fill("Byalyatsky")
    desk.get_by_role("button", name="Показать").click()
    expect(desk.locator("#prisoners-count")).to_have_text("1 заключённый")
    row = desk.locator("#prisoners tbody tr")
    expect(row).to_contain_text("Алесь Беляцкий")
    expect(row).to_contain_text("1 ответ")
    expect(row).to_contain_text("последний ответ")
    expect(row).to_contain_text("ИК-9, отряд 3")
