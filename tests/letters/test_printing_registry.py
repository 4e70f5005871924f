"""Printing for a registry (more prisoners than one list can offer): by institution or region,
or for the prisoners a link chose; what the activist sees and what the PDF says."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from pypdf import PdfReader

from campaign_app.campaigns.models import CampaignState
from campaign_app.extensions import db
from campaign_app.institutions.models import Institution, InstitutionKind, Region
from campaign_app.letters import printing, printing_choices
from campaign_app.prisoners.models import PrisonerStatus
from tests.factories import (
    make_campaign,
    make_card_sent,
    make_occasion,
    make_phrase,
    make_prisoner,
)
from tests.support.web import csrf_token, text_of

PAGE = "/letters/print"
S = re.S
BOX = re.compile(r'<input type="checkbox" name="prisoners" [^>]*value="([^"]+)" checked>')


def make_institution(code: str, region: Region, town: str) -> Institution:
    institution = Institution(
        code=code,
        kind=InstitutionKind.COLONY,
        name_ru=f"Исправительная колония {code}",
        name_be=f"Папраўчая калонія {code}",
        name_latin=f"Penal colony {code}",
        region=region,
        lines_ru=f"{code}\nул. Садовая, 1\n{town}",
        postcode="246000",
        country_line="REPUBLIC OF BELARUS",
        address_as_of=date(2025, 1, 10),
        address_source="Viasna",
    )
    db.session.add(institution)
    db.session.flush()
    return institution


@pytest.fixture
def registry(app: Any) -> dict[str, Any]:
    """45 prisoners who can receive mail (past SELECT_MAX): 20 in ИК-2 (Mogilev region), 20 in
    ИК-11 (Grodno region), 5 in ИК-3 (Gomel region); one released prisoner in ИК-3; an occasion
    with a phrase. Each prisoner's dative name tells the cards apart: "Могилёву 1" etc."""
    campaign = make_campaign(state=CampaignState.OPEN)
    places = {
        "mogilev": make_institution("ИК-2", Region.MOGILEV, "213807, г. Бобруйск"),
        "grodno": make_institution("ИК-11", Region.GRODNO, "230000, г. Гродно"),
        "gomel": make_institution("ИК-3", Region.GOMEL, "246000, г. Гомель"),
    }
    prisoners: dict[str, Any] = {}
    for key, dative, count in (
        ("mogilev", "Могилёву", 20),
        ("grodno", "Гродно", 20),
        ("gomel", "Гомелю", 5),
    ):
        for n in range(1, count + 1):
            prisoners[f"{key}-{n}"] = make_prisoner(
                slug=f"{key}-{n}",
                surname_latin=f"{key.capitalize()}{n:02d}",
                surname_ru=f"{dative}ов",
                given_name_ru=f"Пётр{n}",
                full_name_dative_ru=f"{dative} Петру {n}",
                campaign=campaign,
                institution=places[key],
            )
    prisoners["freed"] = make_prisoner(
        slug="freed-one",
        surname_latin="Freed",
        given_name_latin="Ivan",
        status=PrisonerStatus.RELEASED,
        campaign=campaign,
        institution=places["gomel"],
    )
    occasion = make_occasion(slug="spring")
    make_phrase(occasion_id=occasion.id, text_ru="Весна придёт.")
    assert printing_choices.count_printable() > printing_choices.SELECT_MAX
    return {"places": places, "prisoners": prisoners, "occasion": occasion}


def post_print(client: FlaskClient, **fields: Any) -> Any:
    form: dict[str, Any] = {
        "occasion": "spring",
        "count": "4",
        "layout": "a4-4up",
        "mode": "message-only",
        "csrf_token": csrf_token(client, PAGE),
    }
    form.update(fields)
    return client.post(PAGE, data=form)


def pdf_text(response: Any) -> str:
    assert response.status_code == 200, text_of(response)[:2000]
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def addressees(text: str) -> list[str]:
    return re.findall(r"(?:Могилёву|Гродно|Гомелю) Петру \d+", text)


def test_past_forty_the_page_offers_institution_and_region_not_everyone(
    registry: dict[str, Any], client: FlaskClient
) -> None:
    # Everyone once held in ИК-9 has been released: nobody there to print for.
    emptied = make_institution("ИК-9", Region.MINSK_REGION, "222000, г. Минск")
    make_prisoner(
        slug="freed-two",
        surname_latin="Freed",
        given_name_latin="Olga",
        status=PrisonerStatus.RELEASED,
        campaign=registry["prisoners"]["freed"].campaign,
        institution=emptied,
    )
    response = client.get(PAGE)
    html = response.get_data(as_text=True)
    page = text_of(response)

    assert response.status_code == 200
    assert 'name="prisoners"' not in html  # neither a select of everyone nor boxes to tick
    assert "Mogilev01" not in page and "Пётр1" not in page
    assert "Who gets the cards" in page
    assert "Leave “Any institution” and “Any region” to print for all 45 prisoners" in page
    institution = re.search(r'<select id="institution" name="institution">(.*?)</select>', html, S)
    assert institution, "no institution filter"
    options = re.findall(r"<option[^>]*>([^<]*)</option>", institution.group(1))
    assert options == [
        "Any institution",
        "ИК-11 · Penal colony ИК-11",
        "ИК-2 · Penal colony ИК-2",
        "ИК-3 · Penal colony ИК-3",
    ]
    # The registry's own filter still offers it: people look for released prisoners too.
    assert "ИК-9 · Penal colony ИК-9" in text_of(client.get("/prisoners/"))
    region = re.search(r'<select id="region" name="region">(.*?)</select>', html, S)
    assert region and "Gomel region" in region.group(1) and "Minsk city" in region.group(1)
    assert 'href="/prisoners/"' in html and "Find a prisoner in the registry" in page
    assert len(html) < 20_000


def test_the_page_in_russian_and_belarusian(registry: dict[str, Any], client: FlaskClient) -> None:
    russian = text_of(client.get(f"{PAGE}?lang=ru"))
    assert "Кому отправить открытки" in russian
    assert "Любое учреждение" in russian and "Гомельская область" in russian
    assert "для всех, кому можно писать: это 45 заключённых." in russian
    assert "ИК-2 · Исправительная колония ИК-2" in russian
    belarusian = text_of(client.get(f"{PAGE}?lang=be"))
    assert "Каму даслаць паштоўкі" in belarusian
    assert "ИК-2 · Папраўчая калонія ИК-2" in belarusian
    assert "для ўсіх, каму можна пісаць: гэта 45 зняволеных." in belarusian


def test_cards_for_a_region_go_to_its_prisoners_fewest_cards_first(
    registry: dict[str, Any], client: FlaskClient
) -> None:
    prisoners = registry["prisoners"]
    for n, sent in ((1, 9), (2, 3), (3, 0), (4, 5), (5, 1)):
        if sent:
            make_card_sent(prisoners[f"gomel-{n}"], count=sent)

    text = pdf_text(post_print(client, region="gomel", count="3"))

    assert addressees(text) == ["Гомелю Петру 3", "Гомелю Петру 5", "Гомелю Петру 2"]
    assert "246000, г. Гомель" in text and "Весна придёт." in text


def test_cards_for_an_institution_by_its_code_in_a_link(
    registry: dict[str, Any], client: FlaskClient
) -> None:
    ik11 = registry["places"]["grodno"]
    page = client.get(f"{PAGE}?institution=ик-11&occasion=spring").get_data(as_text=True)
    assert f'<option selected value="{ik11.id}">' in page or f'value="{ik11.id}" selected' in page

    text = pdf_text(post_print(client, institution=str(ik11.id), count="8"))

    names = addressees(text)
    assert len(names) == 8 and all(name.startswith("Гродно Петру") for name in names)
    assert len(set(names)) == 8  # nobody gets two while others there have none


def test_everyone_when_no_place_is_chosen(registry: dict[str, Any], client: FlaskClient) -> None:
    names = addressees(pdf_text(post_print(client, count="45")))
    assert len(set(names)) == 45


def test_a_place_where_nobody_can_receive_cards_is_explained(
    registry: dict[str, Any], client: FlaskClient
) -> None:
    response = post_print(client, region="brest")
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert "Nobody held in the chosen institution or region can receive a card now" in text_of(
        response
    )
    # ИК-2 is in the Mogilev region, not in Grodno's.
    mogilev = registry["places"]["mogilev"]
    response = post_print(client, institution=str(mogilev.id), region="grodno")
    assert response.status_code == 422


def test_prisoners_chosen_by_link_are_listed_to_untick(
    registry: dict[str, Any], client: FlaskClient
) -> None:
    response = client.get(f"{PAGE}?prisoner=gomel-2&prisoner=grodno-7&occasion=spring")
    html = response.get_data(as_text=True)
    page = text_of(response)

    assert response.status_code == 200
    boxes = BOX.findall(html)
    assert boxes == ["gomel-2", "grodno-7"]
    assert "Пётр2 Гомелюов" not in page  # the page is in English: the Latin names
    assert "Ales Gomel02 ИК-3 · Penal colony ИК-3" in page
    assert "Ales Grodno07 ИК-11 · Penal colony ИК-11" in page
    assert "Untick a prisoner to leave them out." in page
    assert 'name="institution"' not in html and 'name="region"' not in html
    assert 'href="/letters/print?occasion=spring"' in html
    assert "Print for an institution or a region instead" in page

    text = pdf_text(post_print(client, prisoners=["grodno-7"], listed=boxes, scope="chosen"))
    assert set(addressees(text)) == {"Гродно Петру 7"}


def test_unticking_everyone_is_not_printing_for_everyone(
    registry: dict[str, Any], client: FlaskClient
) -> None:
    listed = ["gomel-2", "grodno-7"]
    response = post_print(client, prisoners=[], listed=listed, scope="chosen")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert "Who gets the cards: Tick at least one prisoner, or print for an institution" in page
    # Both are still listed, unticked, for the activist to tick again.
    assert "Ales Gomel02" in page and "Ales Grodno07" in page
    assert re.findall(r'name="prisoners" [^>]*value="([^"]+)">', html) == listed
    assert BOX.findall(html) == []
    response = post_print(client, prisoners=["grodno-7"], listed=listed, scope="chosen")
    assert set(addressees(pdf_text(response))) == {"Гродно Петру 7"}


def test_the_prisoner_page_leads_to_a_stack_for_them(
    registry: dict[str, Any], client: FlaskClient
) -> None:
    page = client.get("/prisoners/gomel-1").get_data(as_text=True)
    assert 'href="/letters/print?prisoner=gomel-1"' in page
    assert "Print a stack of cards" in page
    assert "Print a stack of cards" not in client.get("/prisoners/freed-one").get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("prisoner=nobody-here", 400, "Not found in the registry: nobody-here."),
        (
            "prisoner=freed-one&prisoner=gomel-1",
            200,
            "Cannot receive a card now (released, or no address on record): Ivan Freed.",
        ),
        ("region=mars", 400, "There is no such region: please choose one from the list."),
        (
            "institution=ИК-999",
            400,
            "There is no such institution in the registry: please choose one from the list.",
        ),
        ("institution=123456", 400, "There is no such institution in the registry"),
    ],
)
def test_a_bad_link_gets_a_clear_message(
    registry: dict[str, Any], client: FlaskClient, query: str, status: int, message: str
) -> None:
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == status
    assert message in text_of(response)
    assert 'name="csrf_token"' in response.get_data(as_text=True)  # the form is still there


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"region": "mars"}, 400, "There is no such region"),
        ({"institution": "99999"}, 400, "There is no such institution in the registry"),
        ({"institution": "ИК-"}, 400, "There is no such institution in the registry"),
        ({"prisoners": ["freed-one"], "scope": "chosen"}, 400, "is not a valid choice"),
        ({"prisoners": ["nobody"], "scope": "chosen"}, 400, "is not a valid choice"),
        (
            {"prisoners": ["gomel-1"], "scope": "chosen", "region": "gomel"},
            422,
            "Choose prisoners by name or by institution and region, not both.",
        ),
    ],
)
def test_bad_posts_get_a_clear_message_and_no_pdf(
    registry: dict[str, Any], client: FlaskClient, fields: dict[str, Any], status: int, message: str
) -> None:
    response = post_print(client, **fields)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert message in text_of(response)


def test_plan_batch_takes_the_place_filters(registry: dict[str, Any]) -> None:
    mogilev = registry["places"]["mogilev"]

    def plan(**kwargs: Any) -> printing.Batch:
        return printing.plan_batch(printing.BatchInput((), "spring", 30, **kwargs))

    by_institution = plan(institution_id=mogilev.id)
    assert {share.slug for share in by_institution.shares} == {f"mogilev-{n}" for n in range(1, 21)}
    assert {share.count for share in by_institution.shares} == {1, 2}
    by_region = plan(region="gomel")
    assert {share.slug: share.count for share in by_region.shares} == {
        f"gomel-{n}": 6 for n in range(1, 6)
    }
    assert [item.slug for item in by_region.skipped] == []  # the released are not candidates
    with pytest.raises(printing.UnknownInstitution):
        plan(institution_id=999_999)
    with pytest.raises(printing.UnknownRegion, match="'mars'"):
        plan(region="mars")
    with pytest.raises(printing.NoWritablePrisoners, match="nobody there accepts mail"):
        plan(region="brest")
    with pytest.raises(printing.PrisonersAndPlace):
        printing.plan_batch(printing.BatchInput(("gomel-1",), "spring", 1, region="gomel"))


def postcards(runner: FlaskCliRunner, *args: str) -> Any:
    return runner.invoke(args=["letters", "postcards", "--occasion", "spring", *args])


def test_the_command_prints_for_a_region_or_an_institution(
    registry: dict[str, Any], runner: FlaskCliRunner, tmp_path: Any
) -> None:
    out = tmp_path / "gomel.pdf"
    result = postcards(
        runner, "--region", "gomel", "--count", "5", "--mode", "message-only", "--output", str(out)
    )
    assert result.exit_code == 0, result.output
    reader = PdfReader(str(out))
    text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    assert sorted(addressees(text)) == [f"Гомелю Петру {n}" for n in range(1, 6)]

    result = postcards(
        runner, "--institution", "ик-11", "--count", "2", "--output", str(tmp_path / "ik11.pdf")
    )
    assert result.exit_code == 0, result.output
    assert "grodno-" in result.output
    result = postcards(runner, "--institution", "ИК-999", "--output", str(tmp_path / "none.pdf"))
    assert result.exit_code != 0
    assert "No institution 'ИК-999' in the registry." in result.output


def test_forty_prisoners_are_still_offered_in_one_list(app: Any, client: FlaskClient) -> None:
    campaign = make_campaign(state=CampaignState.OPEN)
    for n in range(printing_choices.SELECT_MAX):
        make_prisoner(slug=f"few-{n}", campaign=campaign)
    html = client.get(PAGE).get_data(as_text=True)
    assert re.search(r'<select [^>]*id="prisoners" multiple name="prisoners">', html)
    assert 'name="region"' not in html

    make_prisoner(slug="one-more", campaign=campaign)
    html = client.get(PAGE).get_data(as_text=True)
    assert 'name="prisoners"' not in html
    assert '<select id="region" name="region">' in html
