"""Bad input on the petition pages: a clear message, the typed text kept, nothing stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition, PetitionState, Signature
from tests.factories import make_petition
from tests.support.petitions import sign
from tests.support.web import csrf_token, text_of


def stored_signatures() -> int:
    return db.session.scalar(select(func.count()).select_from(Signature)) or 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"first_name": ""}, "Please enter your first name."),
        ({"last_name": '=HYPERLINK("http://x")'}, "A name cannot start with = + - or @."),
        ({"first_name": "+Anna"}, "A name cannot start with = + - or @."),
        ({"first_name": "@anna"}, "A name cannot start with = + - or @."),
        ({"first_name": "Anna\x07"}, "Please remove special or invisible characters."),
        ({"first_name": "Anna\u200bX"}, "Please remove special or invisible characters."),
        ({"first_name": "A" * 81}, "Field cannot be longer than 80 characters."),
        ({"first_name": "R2D2"}, "Please use letters only"),
        ({"email": "not-an-address"}, "Please enter a valid e-mail address"),
        ({"email": "a@b@example.org"}, "Please enter a valid e-mail address"),
        ({"email": ""}, "Please enter your e-mail address."),
        ({"country": ""}, "Please choose your country."),
        ({"country": "XX"}, "Please choose a country from the list."),
        ({"city": "-Minsk"}, "A name cannot start with = + - or @."),
        ({"consent": ""}, "Please tick the box to agree"),
        ({"display": "everything"}, "Not a valid choice"),
    ],
)
def test_invalid_field_is_explained_and_nothing_stored(client, app, fields, message):
    petition = make_petition()
    response = sign(client, petition.slug, **fields)
    assert response.status_code == 400
    page = text_of(response)
    assert message in page
    assert "Please correct the marked fields." in page
    assert stored_signatures() == 0


def test_typed_values_are_kept_after_an_error(client, app):
    petition = make_petition()
    response = sign(
        client,
        petition.slug,
        first_name="Алесь",
        last_name="Бяляцкі",
        email="bad",
        city="Мінск",
        country="BY",
    )
    html = response.get_data(as_text=True)
    assert 'value="Алесь"' in html
    assert 'value="Бяляцкі"' in html
    assert 'value="Мінск"' in html
    assert '<option value="BY" selected>Belarus</option>' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="email-hint email-error"' in html
    assert 'id="email-error"' in html


def test_post_without_csrf_token_is_refused_and_form_kept(client, app):
    petition = make_petition()
    response = sign(client, petition.slug, csrf_token="forged", first_name="Anna")
    assert response.status_code == 400
    assert "The form had expired" in text_of(response)
    assert 'value="Anna"' in response.get_data(as_text=True)
    assert stored_signatures() == 0


def test_unknown_petition_is_a_404_page(client, app):
    response = client.get("/petitions/no-such-petition")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    assert client.post("/petitions/no-such-petition", data={}).status_code == 404


def test_draft_petition_is_not_public(client, app):
    petition = make_petition(state=PetitionState.DRAFT)
    assert client.get(f"/petitions/{petition.slug}").status_code == 404


def test_closed_petition_hides_form_and_refuses_posts(client, app):
    petition = make_petition()
    token = csrf_token(client, f"/petitions/{petition.slug}")  # taken while it was open
    petition.state = PetitionState.CLOSED
    db.session.commit()

    page = client.get(f"/petitions/{petition.slug}")
    assert "This petition is closed" in text_of(page)
    assert 'name="first_name"' not in page.get_data(as_text=True)

    response = sign(client, petition.slug, csrf_token=token)
    assert response.status_code == 409
    assert "not accepting signatures now" in text_of(response)
    assert stored_signatures() == 0


def test_petition_past_its_closing_date_refuses_posts(client, app):
    petition = make_petition(
        opens_at=utcnow() - timedelta(days=10), closes_at=utcnow() - timedelta(minutes=1)
    )
    token = csrf_token(client, f"/petitions/{make_petition().slug}")
    assert "This petition is closed" in text_of(client.get(f"/petitions/{petition.slug}"))
    assert sign(client, petition.slug, csrf_token=token).status_code == 409
    assert stored_signatures() == 0


def test_not_yet_open_petition_says_when_it_opens(client, app):
    petition = make_petition(opens_at=utcnow() + timedelta(days=3))
    page = client.get(f"/petitions/{petition.slug}")
    assert "This petition opens on" in text_of(page)
    assert 'name="first_name"' not in page.get_data(as_text=True)
    token = csrf_token(client, f"/petitions/{make_petition().slug}")
    assert sign(client, petition.slug, csrf_token=token).status_code == 409


def test_oversized_body_is_refused_with_413(client, app):
    petition = make_petition()
    response = client.post(f"/petitions/{petition.slug}", data={"first_name": "A" * 70_000})
    assert response.status_code == 413
    assert "too large" in text_of(response)
    assert "Traceback" not in response.get_data(as_text=True)
    assert stored_signatures() == 0


def test_database_errors_never_log_personal_data(make_app, caplog):
    """An unexpected database error is logged without the row values the driver quotes."""
    app = make_app()
    row = {
        "first_name": "Secretname",
        "last_name": "X",
        "email": "secret@example.org",
        "email_hash": "secret@example.org",  # what a unique violation quotes
        "country": "NL",
    }

    def insert_twice():
        petition_id = db.session.scalar(select(Petition.id))
        for _ in range(2):
            db.session.add(Signature(petition_id=petition_id, **row))
            db.session.commit()

    app.add_url_rule("/boom-db", view_func=insert_twice)
    with app.app_context():
        make_petition()
        with caplog.at_level("ERROR"):
            response = app.test_client().get("/boom-db")
    assert response.status_code == 500
    assert "Something went wrong on our side" in text_of(response)
    logged = caplog.text
    assert "IntegrityError" in logged and "insert_twice" in logged  # useful for debugging
    assert "secret@example.org" not in logged
    assert "Secretname" not in logged


def test_error_summary_links_to_each_field(client, app):
    petition = make_petition()
    html = sign(client, petition.slug, first_name="", email="bad").get_data(as_text=True)
    assert '<a href="#first_name">First name: Please enter your first name.</a>' in html
    assert 'href="#email"' in html
    assert 'action="/petitions/' in html and '#sign-heading"' in html
