"""The printing page and the appeal composer when the campaign holds a registry (more
prisoners than one list can offer), in Chromium: axe, no sideways scrolling, and the PDF
an activist downloads by institution, by region and for the prisoners a link chose."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from campaign_app.campaigns.models import Campaign
from campaign_app.demo.data import CAMPAIGN_SLUG, PRISONER_SLUG, load_demo
from campaign_app.extensions import db
from campaign_app.institutions.models import Institution, InstitutionKind, Region
from tests.factories import make_prisoner
from tests.support.browser import LiveServer, axe_violations, describe_violations

pytestmark = [pytest.mark.browser, pytest.mark.commits]
ADDRESSEE = re.compile(r"Заключённому ИК-\d+ номер \d+")


def load_registry() -> None:
    """The demo campaign, and 45 more prisoners in two colonies (Gomel and Grodno regions)."""
    load_demo()
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == CAMPAIGN_SLUG))
    for n, (code, region, town) in enumerate(
        (("ИК-3", Region.GOMEL, "246000, г. Гомель"), ("ИК-11", Region.GRODNO, "230000, г. Гродно"))
    ):
        place = Institution(
            code=code,
            kind=InstitutionKind.COLONY,
            name_ru=f"Исправительная колония {code}",
            name_be=f"Папраўчая калонія {code}",
            name_latin=f"Penal colony {code}",
            region=region,
            lines_ru=f"{code}\nул. Садовая, 1\n{town}",
            postcode=town[:6],
            country_line="REPUBLIC OF BELARUS",
            address_as_of=date(2025, 1, 10),
            address_source="Viasna",
        )
        db.session.add(place)
        for k in range(1, 24 - n):  # 23 in Gomel, 22 in Hrodna
            make_prisoner(
                slug=f"{code.lower()}-{k}",
                surname_latin=f"Reg{n}{k:02d}",
                full_name_dative_ru=f"Заключённому {code} номер {k}",
                campaign=campaign,
                institution=place,
            )
    db.session.commit()  # for the live server's threads


def check(live_server: LiveServer, page: Page, path: str) -> list[str]:
    """Open ``path``; axe's serious findings and sideways scrolling, as lines of a report."""
    response = page.goto(live_server.url + path)
    assert response is not None and response.ok, (path, response and response.status)
    problems = []
    if violations := axe_violations(page):
        problems.append(f"{path}\n{describe_violations(violations)}")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > live_server.width:
        problems.append(f"{path}: {width} px wide")
    return problems


def downloaded_text(page: Page, button: str) -> str:
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    with open(download.value.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())


def test_printing_by_place_and_for_prisoners_chosen_by_link(
    live_server: LiveServer, page: Page
) -> None:
    load_registry()
    chosen = f"/letters/print?prisoner={PRISONER_SLUG}&prisoner=ик-3-5"
    problems = check(live_server, page, "/letters/print") + check(live_server, page, chosen)
    assert not problems, "\n\n".join(problems)
    live_server.screenshot(page, "print-chosen-by-link")

    # Untick the colony's prisoner: the stack goes to Bialiatski alone.
    page.get_by_label("Ales Reg005").uncheck()
    page.get_by_label("Number of cards").fill("3")
    text = downloaded_text(page, "Download the PDF")
    assert text.count("Беляцкому Алесю Викторовичу") == 3
    assert "Заключённому" not in text

    # A region: each of its prisoners gets a card before anyone gets a second.
    page.goto(f"{live_server.url}/letters/print")
    page.get_by_label("Region").select_option(label="Grodno region")
    page.get_by_label("Number of cards").fill("22")
    names = ADDRESSEE.findall(downloaded_text(page, "Download the PDF"))
    assert sorted(names) == sorted(f"Заключённому ИК-11 номер {k}" for k in range(1, 23))

    # An institution.
    page.goto(f"{live_server.url}/letters/print")
    page.get_by_label("Institution").select_option(label="ИК-3 · Penal colony ИК-3")
    page.get_by_label("Number of cards").fill("4")
    names = ADDRESSEE.findall(downloaded_text(page, "Download the PDF"))
    assert len(set(names)) == 4 and all(name.startswith("Заключённому ИК-3 ") for name in names)


def test_the_appeal_composer_takes_the_prisoner_from_their_page(
    live_server: LiveServer, page: Page
) -> None:
    load_registry()
    problems = check(live_server, page, "/appeals/prosecutor-general")
    assert not problems, "\n\n".join(problems)
    live_server.screenshot(page, "appeal-registry-nobody")

    page.goto(f"{live_server.url}/prisoners/ик-11-3")
    page.get_by_role("link", name=re.compile("Prosecutor General")).click()
    expect(page.locator("#prisoner")).to_contain_text("Ales Reg103")
    problems = check(live_server, page, page.url.removeprefix(live_server.url))
    assert not problems, "\n\n".join(problems)
    page.get_by_label("Your name").fill("Мария")
    page.get_by_role("button", name="Show my appeal").click()
    expect(page.locator(".appeal-preview")).to_contain_text("Заключённому ИК-11 номер 3")
    live_server.screenshot(page, "appeal-registry-preview")
    page.get_by_role("link", name="Choose another prisoner").click()
    expect(page).to_have_url(f"{live_server.url}/prisoners/")
