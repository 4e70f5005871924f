"""The "Send me news" box: unticked and optional, stored with its wording's version on both
paths of the signing POST; stopping the news by the page's button or the one-click POST."""

from __future__ import annotations

import re

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from campaign_app.extensions import db
from campaign_app.news.tokens import make_unsubscribe_token
from campaign_app.petitions.models import Signature, SignatureState
from campaign_app.privacy.erasure import erase
from tests.factories import make_petition
from tests.support.news import news_signer, unsubscribe_path
from tests.support.petitions import sign
from tests.support.web import text_of


def _signature(email: str) -> Signature:
    db.session.expire_all()
    found = db.session.scalars(select(Signature)).all()
    [signature] = [s for s in found if s.email == email]
    return signature


def test_the_news_box_is_offered_unticked_with_the_limit_and_the_way_out(app, client):
    petition = make_petition()
    page = client.get(f"/petitions/{petition.slug}").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="news"[^>]*>', page)
    assert box, "no news box on the signing form"
    assert "checked" not in box.group(0) and "required" not in box.group(0)
    assert "Send me news about this petition" in page
    assert "At most 3 e-mails about this petition" in page
    assert "stop them at any time" in page


def test_signing_without_the_box_stores_no_consent(app, client, mailbox):
    petition = make_petition()
    assert sign(client, petition.slug, email="quiet@example.org").status_code == 302
    signature = _signature("quiet@example.org")
    assert signature.news_consent_at is None and signature.news_consent_version is None
    app.extensions["campaign_outbox"].drain()
    [message] = mailbox.to("quiet@example.org")
    assert "/news/unsubscribe/" not in message.get_body(preferencelist=("plain",)).get_content()


def test_ticking_the_box_stores_the_time_and_the_wordings_version(app, client, mailbox):
    from campaign_app.petitions.forms import NEWS_CONSENT_VERSION

    petition = make_petition()
    assert sign(client, petition.slug, email="news@example.org", news="y").status_code == 302
    signature = _signature("news@example.org")
    assert signature.news_consent_at is not None
    assert signature.news_consent_version == NEWS_CONSENT_VERSION
    # The confirmation e-mail already says how to stop the news, one blank line after the
    # rest (not two).
    app.extensions["campaign_outbox"].drain()
    [message] = mailbox.to("news@example.org")
    assert unsubscribe_path(message).startswith("/news/unsubscribe/")
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert "deleted.\n\nYou asked for news about this petition. To stop it" in text


def test_the_form_and_the_quick_path_read_the_box_alike(app):
    from campaign_app.petitions.forms import (
        NEWS_CONSENT_VERSION,
        SignForm,
        quick_signature_input,
    )

    fields = {
        "first_name": "Alesia",
        "last_name": "Test",
        "email": "same@example.org",
        "country": "NL",
        "city": "",
        "display": "first_name_country",
        "consent": "y",
    }
    for news, expected in (("y", NEWS_CONSENT_VERSION), (None, None), ("", None)):
        data = dict(fields) | ({} if news is None else {"news": news})
        with app.test_request_context("/petitions/x", method="POST", data=data):
            from flask_wtf.csrf import generate_csrf

            token = generate_csrf()
        with app.test_request_context(
            "/petitions/x", method="POST", data=data | {"csrf_token": token}
        ) as context:
            context.session.update({"csrf_token": _session_token(app, token)})
            form = SignForm()
            assert form.validate(), form.errors
            assert form.to_input().news_consent_version == expected
            quick = quick_signature_input(MultiDict(data | {"csrf_token": token}))
            assert quick is not None and quick.news_consent_version == expected


def _session_token(app, signed: str) -> str:
    from itsdangerous import URLSafeTimedSerializer

    serializer = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
    return str(serializer.loads(signed))


def test_a_get_of_the_link_never_unsubscribes(app, client):
    signature = news_signer(make_petition())
    response = client.get(f"/news/unsubscribe/{make_unsubscribe_token(signature.id)}")
    assert response.status_code == 200
    assert "Stop the news" in text_of(response)
    db.session.refresh(signature)
    assert signature.news_withdrawn_at is None


def test_the_button_withdraws_consent_and_keeps_the_signature(app, client):
    signature = news_signer(make_petition())
    response = client.post(f"/news/unsubscribe/{make_unsubscribe_token(signature.id)}")
    assert response.status_code == 200
    assert "You will get no more e-mails about this petition" in text_of(response)
    db.session.refresh(signature)
    assert signature.news_withdrawn_at is not None
    assert signature.news_consent_at is not None  # what was agreed to stays on record
    assert signature.state is SignatureState.CONFIRMED


def test_one_click_post_needs_no_session_and_no_csrf_token(app):
    signature = news_signer(make_petition())
    fresh_client = app.test_client(use_cookies=False)
    response = fresh_client.post(
        f"/news/unsubscribe/{make_unsubscribe_token(signature.id)}",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    db.session.refresh(signature)
    assert signature.news_withdrawn_at is not None


def test_a_damaged_or_foreign_token_changes_nothing(app, client):
    from campaign_app.petitions.tokens import make_confirmation_token

    signature = news_signer(make_petition())
    for token in ("nonsense", make_confirmation_token(signature.id)):
        assert client.post(f"/news/unsubscribe/{token}").status_code == 404
        assert client.get(f"/news/unsubscribe/{token}").status_code == 404
    db.session.refresh(signature)
    assert signature.news_withdrawn_at is None


def test_the_token_holds_an_id_and_no_address(app):
    signature = news_signer(make_petition(), email="secret-person@example.org")
    token = make_unsubscribe_token(signature.id)
    import base64

    payload = token.split(".")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert decoded == str(signature.id).encode()


def test_erasing_a_signer_ends_the_consent(app):
    signature = news_signer(make_petition())
    erase([signature.id])
    db.session.expire_all()
    erased = db.session.get(Signature, signature.id)
    assert erased is not None and erased.erased_at is not None
    assert erased.news_consent_at is None and erased.news_consent_version is None


def test_anonymising_a_closed_petition_ends_every_consent(app):
    from campaign_app.petitions.models import Petition, PetitionState
    from campaign_app.privacy.retention import anonymise_petition

    petition = make_petition(state=PetitionState.CLOSED)
    signature = news_signer(petition)
    anonymise_petition(petition.id)
    db.session.expire_all()
    erased = db.session.get(Signature, signature.id)
    assert erased is not None and erased.news_consent_at is None
    assert db.session.get(Petition, petition.id).anonymised_at is not None


def test_signing_again_with_the_box_ticked_subscribes_nobody(app, client, mailbox):
    petition = make_petition()
    signature = news_signer(petition, email="already@example.org", news_consent_at=None)
    signature.news_consent_version = None
    signature_id = signature.id
    db.session.commit()  # signing again rolls back its failed INSERT: keep the row apart
    sign(client, petition.slug, email="already@example.org", news="y")
    db.session.expire_all()
    assert db.session.get(Signature, signature_id).news_consent_at is None
    app.extensions["campaign_outbox"].drain()
    [message] = mailbox.to("already@example.org")  # "you have already signed"
    assert "/news/unsubscribe/" not in message.get_body(preferencelist=("plain",)).get_content()


def test_the_already_signed_mail_of_a_news_signer_says_how_to_stop(app, client, mailbox):
    petition = make_petition()
    news_signer(petition, email="subscribed@example.org")
    db.session.commit()  # signing again rolls back its failed INSERT: keep the row apart
    sign(client, petition.slug, email="subscribed@example.org")
    app.extensions["campaign_outbox"].drain()
    [message] = mailbox.to("subscribed@example.org")
    assert unsubscribe_path(message).startswith("/news/unsubscribe/")
