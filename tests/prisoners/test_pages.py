"""Prisoner pages: names, status, birthday, and the address exactly as it must be written."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.prisoners.models import AddressLanguage, PrisonerAddress, PrisonerStatus
from tests.factories import make_campaign, make_prisoner
from tests.support.web import text_of

OLD_ADDRESS_WARNING = (
    "This address is old: check that it is still current before you post anything."
)


class AddressBlocks(HTMLParser):
    """The text of each <pre class="address ..."> block, keyed by its extra classes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: dict[str, str] = {}
        self.languages: dict[str, str | None] = {}
        self._current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == "pre" and "address" in classes:
            self._current = " ".join(c for c in classes if c != "address") or "address"
            self.blocks[self._current] = ""
            self.languages[self._current] = values.get("lang")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self.blocks[self._current] += data


def address_blocks(response) -> AddressBlocks:
    parser = AddressBlocks()
    parser.feed(response.get_data(as_text=True))
    return parser


def written_address(response) -> list[str]:
    """The lines a supporter copies onto the envelope."""
    return address_blocks(response).blocks["address"].split("\n")


def test_prisoner_page_shows_names_status_and_birthday(app, client):
    today = utcnow().date()
    prisoner = make_prisoner(
        given_name_latin="Ales",
        surname_latin="Bialiatski",
        given_name_ru="Алесь",
        patronymic_ru="Викторович",
        surname_ru="Беляцкий",
        given_name_be="Алесь",
        surname_be="Бяляцкі",
        birth_date=date(today.year - 40, 1, 1),  # 40 on every day of this year
        arrest_date=date(2011, 8, 4),
    )

    response = client.get(f"/prisoners/{prisoner.slug}")

    assert response.status_code == 200
    text = text_of(response)
    assert "Ales Bialiatski" in text
    assert "Алесь Викторович Беляцкий" in text
    assert "Алесь Бяляцкі" in text
    assert "Imprisoned" in text
    assert f"Birthday 1 January (born {today.year - 40}, age 40)" in text
    assert "Arrested August 4, 2011" in text
    assert "<title>Ales Bialiatski</title>" in response.get_data(as_text=True)


def test_age_counts_from_the_last_birthday(app):
    prisoner = make_prisoner(birth_date=date(1962, 9, 25))
    assert prisoner.age_on(date(2012, 9, 24)) == 49
    assert prisoner.age_on(date(2012, 9, 25)) == 50
    assert prisoner.age_on(date(2013, 1, 1)) == 50
    assert make_prisoner(birth_date=None).age_on(date(2012, 1, 1)) is None


def test_russian_address_is_written_exactly_in_cyrillic(app, client):
    prisoner = make_prisoner(
        full_name_dative_ru="Беляцкому Алесю Викторовичу",
        given_name_be="Алесь",
        full_name_dative_be="Бяляцкаму Алесю Віктаравічу",
    )
    address = prisoner.addresses[0]
    address.lines_ru = "ИК-2, отряд 14\nул. Сикорского, 1\n213807, г. Бобруйск\nМогилёвская обл.\n"
    address.lines_be = "ПК-2, атрад 14\nвул. Сікорскага, 1\n213807, г. Бабруйск\nМагілёўская вобл."
    address.lines_latin = "Penal colony No. 2, unit No. 14\n213807 Babruisk"
    db.session.commit()

    response = client.get(f"/prisoners/{prisoner.slug}")

    assert written_address(response) == [
        "Беляцкому Алесю Викторовичу",
        "ИК-2, отряд 14",
        "ул. Сикорского, 1",
        "213807, г. Бобруйск",
        "Могилёвская обл.",
        "REPUBLIC OF BELARUS",
    ]
    blocks = address_blocks(response)
    assert blocks.languages["address"] == "ru"
    # The Latin reading aid is shown apart, and marked as not for the envelope.
    assert "Penal colony No. 2, unit No. 14" in blocks.blocks["address-latin"]
    assert "Reading aid (do not write this on the envelope)" in text_of(response)
    assert "Бяляцкаму" not in blocks.blocks["address"]


def test_address_shows_date_source_and_old_address_warning(app, client):
    prisoner = make_prisoner()
    prisoner.addresses[0].as_of = date(2012, 9, 1)
    prisoner.addresses[0].source = "Birthday-week action, September 2012"
    db.session.commit()

    text = text_of(client.get(f"/prisoners/{prisoner.slug}"))

    assert "Address as of September 1, 2012. Source: Birthday-week action, September 2012." in text
    assert OLD_ADDRESS_WARNING in text


def test_recent_address_has_no_old_address_warning(app, client):
    prisoner = make_prisoner()
    recent = utcnow().date() - timedelta(days=30)
    prisoner.addresses[0].as_of = recent
    db.session.commit()

    response = client.get(f"/prisoners/{prisoner.slug}")

    assert OLD_ADDRESS_WARNING not in text_of(response)
    assert written_address(response)[-1] == "REPUBLIC OF BELARUS"


def test_page_shows_the_most_recent_address(app, client):
    prisoner = make_prisoner()  # has an address as of 2012-09-01
    prisoner.addresses.append(
        PrisonerAddress(
            lines_ru="СИЗО-1\nул. Володарского, 2\n220030, г. Минск",
            country_line="REPUBLIC OF BELARUS",
            as_of=date(2011, 8, 5),
            source="older",
        )
    )
    db.session.commit()
    slug = prisoner.slug
    db.session.expire_all()

    response = client.get(f"/prisoners/{slug}")

    assert written_address(response)[1] == "ИК-2, отряд 14"
    assert "СИЗО-1" not in response.get_data(as_text=True)


def test_belarusian_address_uses_the_belarusian_form(app, client):
    prisoner = make_prisoner(
        address_language=AddressLanguage.BELARUSIAN,
        given_name_be="Алесь",
        patronymic_be="Віктаравіч",
        surname_be="Бяляцкі",
        full_name_dative_be="Бяляцкаму Алесю Віктаравічу",
        full_name_dative_ru="Беляцкому Алесю Викторовичу",
    )
    prisoner.addresses[
        0
    ].lines_be = "ПК-2, атрад 14\nвул. Сікорскага, 1\n213807, г. Бабруйск\nМагілёўская вобл."
    db.session.commit()

    response = client.get(f"/prisoners/{prisoner.slug}")

    assert written_address(response) == [
        "Бяляцкаму Алесю Віктаравічу",
        "ПК-2, атрад 14",
        "вул. Сікорскага, 1",
        "213807, г. Бабруйск",
        "Магілёўская вобл.",
        "REPUBLIC OF BELARUS",
    ]
    assert address_blocks(response).languages["address"] == "be"
    page = response.get_data(as_text=True)
    assert "Беляцкому" not in page
    assert "ИК-2" not in page


def test_released_prisoner_has_no_address(app, client):
    prisoner = make_prisoner(status=PrisonerStatus.RELEASED)

    response = client.get(f"/prisoners/{prisoner.slug}")

    assert response.status_code == 200
    text = text_of(response)
    assert "Released" in text
    assert "No cards or letters can be sent" in text
    assert address_blocks(response).blocks == {}
    assert "Бобруйск" not in response.get_data(as_text=True)
    assert "Write it exactly like this" not in text


def test_prisoner_with_unknown_whereabouts_has_no_address(app, client):
    prisoner = make_prisoner(status=PrisonerStatus.UNKNOWN)
    response = client.get(f"/prisoners/{prisoner.slug}")
    assert "Whereabouts unknown" in text_of(response)
    assert "No cards or letters can be sent" in text_of(response)
    assert address_blocks(response).blocks == {}


def test_transferred_prisoner_still_shows_the_last_address(app, client):
    prisoner = make_prisoner(status=PrisonerStatus.TRANSFERRED)
    response = client.get(f"/prisoners/{prisoner.slug}")
    assert "Transferred" in text_of(response)
    assert written_address(response)[0] == "Примеру Алесю Викторовичу"


def test_page_without_belarusian_names_has_no_empty_name_line(app, client):
    prisoner = make_prisoner(given_name_ru="Алесь", surname_ru="Пример", patronymic_ru="")
    html = client.get(f"/prisoners/{prisoner.slug}").get_data(as_text=True)
    assert 'lang="be"> </p>' not in html
    assert "Алесь  Пример" not in html
    assert "Алесь Пример" in html


def test_example_campaign_is_marked(app, client):
    prisoner = make_prisoner(campaign=make_campaign(is_example=True))
    assert "Example data." in text_of(client.get(f"/prisoners/{prisoner.slug}"))
    other = make_prisoner()
    assert "Example data." not in text_of(client.get(f"/prisoners/{other.slug}"))


def test_prisoner_list_links_to_each_page(app, client):
    first = make_prisoner(surname_latin="Bialiatski")
    second = make_prisoner(surname_latin="Alsheuski", given_name_latin="Ihar")
    response = client.get("/prisoners/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'href="/prisoners/{first.slug}"' in html
    assert f'href="/prisoners/{second.slug}"' in html
    assert html.index("Ihar Alsheuski") < html.index("Ales Bialiatski")


def test_unknown_prisoner_is_a_404_page(app, client):
    response = client.get("/prisoners/nobody-of-that-name")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Page not found" in text_of(response)
