"""Institutions in the organiser area: a new one, an edit whose address reaches every prisoner
held there, the address history, and transfers refused when dated in the future."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from campaign_app.campaigns.models import CampaignState
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.institutions.models import Institution
from campaign_app.letters.service import current_address
from campaign_app.prisoners.models import AddressLanguage
from tests.factories import make_campaign, make_prisoner, make_user
from tests.support.web import log_in, post_form, text_of


def institution_form(**overrides: str) -> dict[str, str]:
    return {
        "code": "ИК-2",
        "kind": "colony",
        "name_ru": "Исправительная колония № 2",
        "name_be": "Папраўчая калонія № 2",
        "name_latin": "Penal colony No. 2",
        "region": "mogilev",
        "lines_ru": "ИК-2\nул. Сикорского, 1\n213807, г. Бобруйск\nМогилёвская обл.",
        "lines_be": "ПК-2\nвул. Сікорскага, 1\n213807, г. Бабруйск\nМагілёўская вобл.",
        "lines_latin": "IK-2\nSikorskaha 1\n213807 Babruisk",
        "postcode": "213807",
        "country_line": "Republic of Belarus",
        "address_as_of": "2025-01-10",
        "address_source": "Viasna, list of institutions",
        "mail_rule": "listed-senders",
        "is_ru_be_only": "y",
        "mail_notes": "",
        "rules_as_of": "2025-01-10",
        "rules_source": "Viasna",
        "notes": "",
    } | overrides


@pytest.fixture
def team(app: Any) -> dict[str, Any]:
    campaign = make_campaign(state=CampaignState.OPEN)
    organiser = make_user(campaigns=(campaign,))
    return {"campaign": campaign, "organiser": organiser}


def test_create_edit_and_every_prisoner_follows_the_new_address(team, client):
    log_in(client, team["organiser"])
    response = post_form(client, "/organise/institutions/new", institution_form())
    assert response.status_code == 302
    institution = db.session.scalar(select(Institution))
    assert "Only from senders on the prisoner's list" in text_of(
        client.get("/organise/institutions/")
    )

    held = []
    for n in range(3):
        prisoner = make_prisoner(campaign=team["campaign"])
        url = f"/organise/prisoners/{prisoner.id}/transfers/new"
        response = post_form(
            client,
            url,
            {
                "institution_id": str(institution.id),
                "transferred_on": "2025-02-01",
                "unit_ru": f"отряд {n + 1}",
                "source": "Viasna",
            },
        )
        assert response.status_code == 302, text_of(response)
        held.append(prisoner)
    address = current_address(held[0])
    assert address is not None
    assert address.lines(AddressLanguage.RUSSIAN)[0] == "ИК-2, отряд 1"

    url = f"/organise/institutions/{institution.id}/edit"
    new_lines = "ИК-2\nул. Новая, 5\n213808, г. Бобруйск\nМогилёвская обл."
    response = post_form(
        client,
        url,
        institution_form(
            lines_ru=new_lines, lines_be="", postcode="213808", address_as_of="2025-06-01"
        ),
    )
    assert response.status_code == 302, text_of(response)
    for n, prisoner in enumerate(held):
        db.session.refresh(prisoner)
        lines = current_address(prisoner).lines(AddressLanguage.RUSSIAN)  # type: ignore[union-attr]
        assert lines == [
            f"ИК-2, отряд {n + 1}",
            "ул. Новая, 5",
            "213808, г. Бобруйск",
            "Могилёвская обл.",
        ]
    page = text_of(client.get(url))
    assert "Address history" in page and "ул. Новая, 5" in page and "ул. Сикорского, 1" in page

    from campaign_app.prisoners.addresses import address_on

    assert address_on(held[0], date(2025, 3, 1))[1] == "ул. Сикорского, 1"
    assert address_on(held[0], date(2025, 7, 1))[1] == "ул. Новая, 5"
    assert address_on(held[0], date(2025, 1, 1)) == [
        "ИК-2, отряд 14",
        "ул. Сикорского, 1",
        "213807, г. Бобруйск",
    ]


def test_a_transfer_to_a_date_in_the_future_is_refused_next_to_the_field(team, client):
    log_in(client, team["organiser"])
    post_form(client, "/organise/institutions/new", institution_form())
    institution = db.session.scalar(select(Institution))
    prisoner = make_prisoner(campaign=team["campaign"])
    url = f"/organise/prisoners/{prisoner.id}/transfers/new"
    tomorrow = (utcnow().date() + timedelta(days=1)).isoformat()
    response = post_form(
        client,
        url,
        {"institution_id": str(institution.id), "transferred_on": tomorrow, "source": "x"},
    )
    assert response.status_code == 400
    assert "A transfer to a date in the future cannot be recorded" in text_of(response)
    db.session.refresh(prisoner)
    assert prisoner.institution is None and not prisoner.transfers


def test_an_institution_with_a_bad_address_is_refused(team, client):
    log_in(client, team["organiser"])
    response = post_form(
        client,
        "/organise/institutions/new",
        institution_form(lines_ru="IK-2\nSikorskaha 1", postcode="2138"),
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "A postcode in Belarus has six digits" in page
    assert "must be in Cyrillic" in page
    assert db.session.scalar(select(Institution)) is None


def test_the_prisoner_page_shows_the_rules_and_a_newer_typed_address_ends_the_placement(
    team, client
):
    log_in(client, team["organiser"])
    post_form(client, "/organise/institutions/new", institution_form())
    institution = db.session.scalar(select(Institution))
    prisoner = make_prisoner(campaign=team["campaign"])
    post_form(
        client,
        f"/organise/prisoners/{prisoner.id}/transfers/new",
        {
            "institution_id": str(institution.id),
            "transferred_on": "2025-02-01",
            "unit_ru": "отряд 7",
            "source": "Viasna",
        },
    )
    page = text_of(client.get(f"/prisoners/{prisoner.slug}"))
    assert "Mail rules of ИК-2 Only from senders on the prisoner's list" in page
    assert "ИК-2, отряд 7 ул. Сикорского, 1 213807, г. Бобруйск" in page
    assert "Held in ИК-2" in text_of(client.get(f"/organise/prisoners/{prisoner.id}/edit"))

    response = post_form(
        client,
        f"/organise/prisoners/{prisoner.id}/addresses/new",
        {
            "lines_ru": "ИК-15\nул. Ленина, 2\n222160, г. Жодино",
            "country_line": "Republic of Belarus",
            "as_of": "2025-03-01",
            "source": "Letter from relatives",
        },
    )
    assert response.status_code == 302, text_of(response)
    db.session.refresh(prisoner)
    assert prisoner.institution is None
    assert prisoner.transfers[0].to_institution.code == "ИК-2"  # kept as history
    page = text_of(client.get(f"/prisoners/{prisoner.slug}"))
    assert "ИК-15 ул. Ленина, 2" in page and "Mail rules of" not in page
