"""The appeal composer: a supporter writes to an official, prints the letter and envelope,
or opens it in their own mail program, and says "I sent it"; nothing they type is stored."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from sqlalchemy import select

from campaign_app.appeals.models import AppealSent, AppealTarget, SentBy
from campaign_app.appeals.text import MAILTO_MAX
from campaign_app.demo.data import load_demo
from campaign_app.extensions import db
from tests.support.pdf import flat, page_sizes, page_text
from tests.support.web import csrf_token, text_of

PAGE = "/appeals/prosecutor-general"


def compose(client, **fields):
    form = {
        "csrf_token": csrf_token(client, PAGE),
        "prisoner": "ales-bialiatski",
        "language": "ru",
        "name": "Анна Петрова",
        "city": "Амстердам",
        "action": "preview",
        "envelope_size": "DL",
    }
    form.update(fields)
    return client.post(PAGE, data=form)


def mailto_of(response) -> str:
    match = re.search(r'id="mailto-link" href="([^"]+)"', response.get_data(as_text=True))
    assert match, "no mailto link on the page"
    return unescape(match.group(1))


@pytest.fixture
def demo(app):
    load_demo()


def test_the_appeals_page_lists_the_officials_apart_from_cards(app, client, demo):
    page = text_of(client.get("/appeals/"))
    assert "Appeals to the authorities" in page
    assert "Prosecutor General of the Republic of Belarus" in page
    assert "Administration of the President of the Republic of Belarus" in page
    assert "ул. Интернациональная, 22" in page
    russian = text_of(client.get("/appeals/", headers={"Accept-Language": "ru"}))
    assert "Генеральный прокурор Республики Беларусь" in russian
    assert "Обращения к властям" in russian
    form = text_of(client.get(PAGE))
    assert "Генеральному прокурору Республики Беларусь" in form
    assert "Card to the prisoner" in form and "Write a card to Ales Bialiatski" in form
    # ... and the prisoner's page and the card composer lead to the appeals.
    prisoner_page = client.get("/prisoners/ales-bialiatski").get_data(as_text=True)
    assert 'href="/appeals/prosecutor-general?prisoner=ales-bialiatski"' in prisoner_page
    assert "Write to the officials about Ales Bialiatski" in unescape(prisoner_page)
    composer = client.get("/letters/write/ales-bialiatski").get_data(as_text=True)
    assert 'href="/appeals/president-administration?prisoner=ales-bialiatski"' in composer


def test_the_preview_fills_in_the_supporter_and_the_prisoner(app, client, demo):
    response = compose(client)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = text_of(response)
    assert "Обращение в защиту политического заключённого" in page
    assert "политического заключённого: Беляцкий Алесь Викторович." in page
    assert "вернуть свободу Беляцкому Алесю Викторовичу" in page
    assert "Амстердам, " in page and "Анна Петрова" in page


def test_the_answer_opens_where_the_preview_or_the_mistakes_are(app, client, demo):
    """The composer posts to #appeal-result: the preview when it worked, the list of mistakes
    when not (on a phone both are far below the top of the page)."""
    form = client.get(PAGE).get_data(as_text=True)
    assert f'action="{PAGE}#appeal-result"' in form
    assert 'id="appeal-result"' not in form
    preview = compose(client).get_data(as_text=True)
    assert preview.count('id="appeal-result"') == 1
    assert re.search(r'<section[^>]*id="appeal-result"[^>]*>\s*<h2 id="preview-heading"', preview)
    mistakes = compose(client, name="")
    assert mistakes.status_code == 400
    html = mistakes.get_data(as_text=True)
    assert html.count('id="appeal-result"') == 1
    assert "Please give your name: an appeal is signed." in html.split('id="appeal-result"')[1]
    # "I sent it" with a mistake opens at its own box.
    assert f'action="{PAGE}/sent#appeal-sent-heading"' in form


def test_the_mailto_link_decodes_to_the_subject_and_text(app, client, demo):
    response = compose(client, language="en", name="Anna Peters", city="Leiden")
    link = mailto_of(response)
    assert len(link) <= MAILTO_MAX
    parts = urlsplit(link)
    assert parts.scheme == "mailto"
    assert unquote(parts.path) == "prosecutor-general@example.org"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Appeal on behalf of a political prisoner"]
    body = query["body"][0]
    assert body.startswith("Dear Prosecutor General,\r\n\r\nI am writing to you about the")
    assert "the political prisoner Ales Bialiatski." in body
    assert body.endswith("Yours faithfully,\r\n\r\nAnna Peters\r\nLeiden")
    assert "\n" not in body.replace("\r\n", "")  # every line break is CRLF


def test_a_cyrillic_text_too_long_for_a_link_offers_copying(app, client, demo):
    response = compose(client)
    page = text_of(response)
    assert "This text is too long for a link to your mail program" in page
    link = mailto_of(response)
    query = parse_qs(urlsplit(link).query)
    assert query["subject"] == ["Обращение в защиту политического заключённого"]
    assert "body" not in query
    html = unescape(response.get_data(as_text=True))
    assert re.search(r'<textarea id="copy-body"[^>]*>Уважаемый Генеральный прокурор!', html)


def test_a_short_cyrillic_text_fits_the_link_and_survives_decoding(app, client, demo):
    target = db.session.scalar(
        select(AppealTarget).where(AppealTarget.slug == "prosecutor-general")
    )
    template = target.template_in("be")
    template.body = (
        "Паважаны Генеральны пракурор!\n\nВярніце свабоду {prisoner_dative}.\n\nЗ павагай,"
    )
    db.session.flush()
    response = compose(client, language="be", name="Ганна", city="")
    query = parse_qs(urlsplit(mailto_of(response)).query)
    assert query["body"] == [
        "Паважаны Генеральны пракурор!\r\n\r\nВярніце свабоду Бяляцкаму Алесю Віктаравічу."
        "\r\n\r\nЗ павагай,\r\n\r\nГанна"
    ]


def test_the_printed_letter_has_the_cyrillic_address_and_the_supporters_text(app, client, demo):
    response = compose(client, action="letter")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert page_sizes(response.data) == [(595.28, 841.89)]
    text = flat(page_text(response.data, 0))
    for expected in (
        "Генеральному прокурору Республики Беларусь",
        "ул. Интернациональная, 22",
        "220030, г. Минск",
        "REPUBLIC OF BELARUS",
        "Анна Петрова",
        "Амстердам",
        "Обращение в защиту политического заключённого",
        "Уважаемый Генеральный прокурор!",
        "вернуть свободу Беляцкому Алесю Викторовичу",
        "С уважением,",
    ):
        assert expected in text, expected


@pytest.mark.parametrize(("size", "expected"), [("DL", (623.62, 311.81)), ("C5", (649.13, 459.21))])
def test_the_envelope_is_addressed_to_the_official(app, client, demo, size, expected):
    response = compose(client, action="envelope", envelope_size=size)
    assert response.status_code == 200
    assert page_sizes(response.data) == [expected]
    text = flat(page_text(response.data, 0))
    assert "Генеральному прокурору Республики Беларусь" in text
    assert "220030, г. Минск REPUBLIC OF BELARUS" in text
    assert "Анна Петрова" in text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "А" * 10_000}, "Please keep the name under 80 characters."),
        ({"name": "Анна\x07Петрова"}, "Please remove special or invisible characters."),
        ({"name": "Анна\x00Петрова"}, "The request could not be understood"),
        ({"name": "Анна\u202eПетрова"}, "Please remove special or invisible characters."),
        ({"name": ""}, "Please give your name: an appeal is signed."),
        ({"city": "Г" * 10_000}, "Please keep the town under 80 characters."),
        ({"city": "Амстердам 🙂"}, "These characters cannot be printed: 🙂. Please remove them."),
        ({"prisoner": ""}, "This appeal is about a prisoner: please choose whom."),
        ({"prisoner": "somebody-else"}, "Not a valid choice"),
        ({"language": "de"}, "Not a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_message_and_no_pdf(app, client, demo, fields, message):
    for action in ("preview", "letter"):
        response = compose(client, action=action, **fields)
        assert response.status_code == 400
        assert "text/html" in response.headers["Content-Type"]
        assert message in text_of(response)


def test_an_unknown_action_or_target_is_refused(app, client, demo):
    assert compose(client, action="fax").status_code == 400
    assert client.get("/appeals/nobody").status_code == 404


def test_i_sent_it_counts_per_target(app, client, demo):
    sent_url = f"{PAGE}/sent"
    token = csrf_token(client, PAGE)
    response = client.post(sent_url, data={"csrf_token": token, "count": "2", "sent_by": "email"})
    assert response.status_code == 303
    # The thanks is at the top of the content: the redirect opens there, not further down.
    assert response.headers["Location"].endswith("#main")
    page = text_of(client.get(response.headers["Location"]))
    assert "Thank you: 2 appeals are now counted." in page
    assert "2 appeals reported sent" in page
    client.post(
        sent_url, data={"csrf_token": token, "count": "1", "sent_by": "post", "country": "NL"}
    )
    assert "3 appeals reported sent" in text_of(client.get("/appeals/"))
    assert "No appeal reported sent yet: yours can be the first." in text_of(
        client.get("/appeals/president-administration")
    )
    rows = db.session.scalars(select(AppealSent).order_by(AppealSent.id)).all()
    assert [(r.count, r.sent_by, r.sender_country) for r in rows] == [
        (2, SentBy.EMAIL, None),
        (1, SentBy.POST, "NL"),
    ]
    for bad in ({"count": "0"}, {"count": "51"}, {"sent_by": "pigeon"}, {"country": "XX"}):
        response = client.post(
            sent_url, data={"csrf_token": token, "sent_by": "post", "count": "1"} | bad
        )
        assert response.status_code == 400
    assert client.post(sent_url, data={"csrf_token": "forged", "count": "1"}).status_code == 400
    assert len(db.session.scalars(select(AppealSent)).all()) == 2


def test_nothing_the_supporter_types_is_stored(app, client, demo):
    compose(client, action="letter", name="Уникальноеимя", city="Уникальныйгород")
    for table in ("appeal_sent", "reply_report", "audit_event"):
        rows = db.session.execute(db.text(f"SELECT * FROM {table}")).all()
        assert "Уникальноеимя" not in repr(rows)


def test_appeal_reports_are_rate_limited_per_ip(make_app):
    app = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        APPEAL_SENT_RATE_LIMIT_PER_IP="2/minute",
    )
    with app.app_context():
        load_demo()
        client = app.test_client()
        token = csrf_token(client, PAGE)
        codes = [
            client.post(
                f"{PAGE}/sent", data={"csrf_token": token, "count": "1", "sent_by": "post"}
            ).status_code
            for _ in range(3)
        ]
        assert codes == [303, 303, 429]


def test_ids_on_the_composer_are_unique(app, client, demo):
    for response in (client.get(PAGE), compose(client)):
        ids = re.findall(r'\sid="([^"]+)"', response.get_data(as_text=True))
        assert len(ids) == len(set(ids))
