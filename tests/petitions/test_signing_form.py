"""The signing POST's happy path skips building the form: it must accept exactly what the
form accepts, give the same input, and leave every refusal to the form (400, explained,
what was typed kept)."""

from __future__ import annotations

import pytest
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict

from campaign_app.petitions.forms import SignForm, quick_signature_input
from tests.factories import make_petition
from tests.support.petitions import sign
from tests.support.web import text_of

GOOD = {
    "first_name": "Алесь",
    "last_name": "Бяляцкі",
    "email": "Supporter+petitions@Example.org",
    "country": "BY",
    "city": "Мінск",
    "display": "first_name_country",
    "consent": "y",
}

SUBMISSIONS = [
    {},
    {"city": ""},
    {"city": None},  # not sent at all
    {"first_name": "  Anna   Maria ", "last_name": "O’Neill-Smith"},
    {"email": "  name.surname@gmail.com "},
    {"display": "anonymous"},
    {"consent": "on"},
    {"first_name": ""},
    {"first_name": None},
    {"first_name": "A" * 81},
    {"first_name": "R2D2"},
    {"last_name": "=cmd"},
    {"first_name": "Anna\u200bX"},
    {"email": "not-an-address"},
    {"email": "a@b@example.org"},
    {"email": "анна@пример.рф"},  # SMTPUTF8 is off in the tests
    {"email": "x" * 250 + "@example.org"},
    {"email": None},
    {"country": ""},
    {"country": "XX"},
    {"country": "by"},
    {"display": "everything"},
    {"display": ""},
    {"display": None},
    {"consent": ""},
    {"consent": "false"},
    {"consent": None},
]


def _posted(changes: dict[str, str | None], token: str) -> MultiDict[str, str]:
    fields = {**GOOD, **changes, "csrf_token": token}
    return MultiDict({name: value for name, value in fields.items() if value is not None})


@pytest.mark.parametrize("changes", SUBMISSIONS)
def test_the_happy_path_accepts_exactly_what_the_form_accepts(app, changes):
    with app.test_request_context("/petitions/p", method="POST"):
        formdata = _posted(changes, generate_csrf())
        form = SignForm(formdata=formdata)
        expected = form.to_input() if form.validate_on_submit() else None

        assert quick_signature_input(formdata) == expected


def test_a_forged_or_missing_token_goes_to_the_form(app):
    with app.test_request_context("/petitions/p", method="POST"):
        generate_csrf()
        assert quick_signature_input(_posted({}, "forged")) is None
        assert quick_signature_input(MultiDict(GOOD)) is None


def test_a_refused_field_shows_the_page_with_every_error_and_what_was_typed(client, app):
    petition = make_petition()
    response = sign(
        client, petition.slug, first_name="R2D2", email="not-an-address", city="Мінск", consent=""
    )

    assert response.status_code == 400
    text = text_of(response)
    assert "Please correct the marked fields." in text
    assert "Please use letters only" in text
    assert "Please enter a valid e-mail address, like name@example.org." in text
    assert "Please tick the box to agree" in text
    html = response.get_data(as_text=True)
    assert 'value="R2D2"' in html and 'value="not-an-address"' in html
    assert 'value="Мінск"' in html


def test_a_good_submission_signs(client, app, mailbox):
    petition = make_petition()
    response = sign(client, petition.slug, **GOOD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/petitions/{petition.slug}/check-email")
