"""An update from draft to signers' inboxes: written by an organiser, tested, approved by an
admin, sent through the outbox to exactly the signers who asked for news, each in their
language, with one-click unsubscribing; public afterwards, with no counts."""

from __future__ import annotations

from sqlalchemy import select, update

from campaign_app.accounts.models import Role
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.news.models import NewsDelivery, UpdateState
from campaign_app.news.service import list_updates
from campaign_app.petitions.models import Petition, PetitionTranslation, Signature, SignatureState
from campaign_app.privacy.erasure import erase
from tests.factories import make_petition, make_signature, make_user
from tests.support.news import (
    latest_update,
    news_signer,
    post_on_update_page,
    unsubscribe_path,
    update_form,
    write_update,
)
from tests.support.organise import audit_events, page_token
from tests.support.queue import run_queue
from tests.support.web import log_in, text_of

EN = ("Ales was visited in prison", "His lawyer **saw him** on Monday.\n\nThank you for signing.")
RU = ("Алеся навестили в колонии", "Адвокат **видел его** в понедельник.")


def _petition_in_two_languages() -> Petition:
    petition = make_petition(title="Free Ales", language="en")
    db.session.add(PetitionTranslation(petition_id=petition.id, locale="ru", title="Свободу Алесю"))
    db.session.flush()
    return petition


def _outbox(app):
    return app.extensions["campaign_outbox"]


def _approved_update(app, client, petition, texts=None, **options):
    """Written and tested by the campaign's organiser, approved by an admin; the client is
    left signed in as the admin."""
    organiser = make_user(campaigns=(petition.campaign,))
    admin = make_user(role=Role.ADMIN)
    log_in(client, organiser)
    assert write_update(client, petition, texts or {"en": EN}, **options).status_code == 302
    news = latest_update(petition)
    assert post_on_update_page(client, news.id, "test").status_code == 302
    run_queue(app)
    client.post("/account/logout", data={"csrf_token": _token(client)})
    log_in(client, admin)
    assert post_on_update_page(client, news.id, "approve").status_code == 302
    return news


def _token(client) -> str:
    import re

    page = client.get("/organise/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_whole_way_to_exactly_the_signers_who_asked_in_their_language(app, client, mailbox):
    petition = _petition_in_two_languages()
    english = news_signer(petition, email="en@example.org", locale="en", first_name="Anna")
    russian = news_signer(petition, email="ru@example.org", locale="ru", first_name="Алеся")
    french = news_signer(petition, email="fr@example.org", locale="fr")  # no French text
    make_signature(petition, email="no-news@example.org")  # did not tick the box
    news_signer(petition, email="pending@example.org", state=SignatureState.PENDING)
    news_signer(petition, email="withdrawn@example.org", news_withdrawn_at=utcnow())
    gone = news_signer(petition, email="erased@example.org")
    erase([gone.id])
    news_signer(make_petition(), email="other-petition@example.org")

    organiser = make_user(campaigns=(petition.campaign,))
    admin = make_user(role=Role.ADMIN)
    log_in(client, organiser)
    hub = client.get(f"/organise/petitions/{petition.id}").get_data(as_text=True)
    assert f"/organise/petitions/{petition.id}/news" in hub
    # Preview: as the e-mail and as on the page, in each language.
    from tests.support.web import csrf_token

    url = f"/organise/petitions/{petition.id}/news/new"
    preview = client.post(
        url,
        data={
            **update_form({"en": EN, "ru": RU}),
            "preview": "1",
            "csrf_token": csrf_token(client, url),
        },
    )
    assert preview.status_code == 200
    shown = text_of(preview)
    assert "As the e-mail" in shown and "As on the petition's page" in shown
    assert "Адвокат" in shown and "<strong>saw him</strong>" in preview.get_data(as_text=True)

    assert write_update(client, petition, {"en": EN, "ru": RU}).status_code == 302
    news = latest_update(petition)
    assert news.state is UpdateState.DRAFT
    # The organiser cannot approve: no button, and the POST is refused.
    page = text_of(client.get(f"/organise/news/{news.id}"))
    assert "Approve and send" not in page and "An admin approves the update" in page

    assert post_on_update_page(client, news.id, "test").status_code == 302
    run_queue(app)
    tests = mailbox.to(organiser.email)
    assert sorted(str(m["Subject"]) for m in tests) == sorted(
        [f"[Test] {EN[0]}", f"[Тест] {RU[0]}"]
    )
    assert mailbox.to("en@example.org") == []
    assert post_on_update_page(client, news.id, "approve").status_code == 403
    assert latest_update(petition).state is UpdateState.DRAFT

    client.post("/account/logout", data={"csrf_token": _token(client)})
    log_in(client, admin)
    assert post_on_update_page(client, news.id, "approve").status_code == 302
    news = latest_update(petition)
    assert news.state is UpdateState.SENDING
    recipients = db.session.scalars(
        select(NewsDelivery.signature_id).where(NewsDelivery.update_id == news.id)
    ).all()
    assert sorted(recipients) == sorted([english.id, russian.id, french.id])

    mailbox.messages.clear()
    result = _outbox(app).drain()
    assert result.sent == 3
    assert sorted(str(m["To"]) for m in mailbox.messages) == [
        "en@example.org",
        "fr@example.org",
        "ru@example.org",
    ]
    [en_mail] = mailbox.to("en@example.org")
    [ru_mail] = mailbox.to("ru@example.org")
    [fr_mail] = mailbox.to("fr@example.org")
    assert en_mail["Subject"] == EN[0] and fr_mail["Subject"] == EN[0]  # no French text
    assert ru_mail["Subject"] == RU[0]
    ru_body = ru_mail.get_body(preferencelist=("plain",)).get_content()
    assert "Здравствуйте, Алеся!" in ru_body and "Адвокат **видел его**" in ru_body
    ru_html = ru_mail.get_body(preferencelist=("html",)).get_content()
    assert "<strong>видел его</strong>" in ru_html
    en_body = en_mail.get_body(preferencelist=("plain",)).get_content()
    assert "Hello Anna," in en_body and "Free Ales" in en_body
    for message in (en_mail, ru_mail, fr_mail):
        path = unsubscribe_path(message)
        assert message["List-Unsubscribe"] == f"<http://campaign.test{path}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Done: the update is finished, with its counts in the audit log only.
    assert _outbox(app).drain().claimed == 0
    assert latest_update(petition).state is UpdateState.SENT
    [started] = audit_events("news.sending_started")
    assert started.rows == 3
    [finished] = audit_events("news.finished")
    assert finished.details["sent"] == 3 and finished.details["recipients"] == 3
    [approved] = audit_events("news.approved")
    assert approved.details["own_update"] is False
    assert audit_events("news.written") and audit_events("news.test_sent")
    organiser_page = text_of(client.get(f"/organise/news/{news.id}"))
    assert "E-mails sent: 3 of 3" in organiser_page

    # Public: listed on the petition's page and on its own, in the reader's language.
    public = client.get(f"/petitions/{petition.slug}")
    assert EN[0] in text_of(public) and "saw him" in text_of(public)
    own = client.get(f"/petitions/{petition.slug}/news/{news.id}?lang=ru")
    assert own.status_code == 200 and RU[0] in text_of(own)
    assert "3" not in text_of(own).replace(str(news.approved_at.year), "")


def test_one_click_unsubscribing_keeps_the_next_update_away(app, client, mailbox):
    petition = make_petition()
    news_signer(petition, email="stays@example.org")
    news_signer(petition, email="leaves@example.org")
    _approved_update(app, client, petition)
    _outbox(app).drain()
    [message] = mailbox.to("leaves@example.org")
    response = app.test_client(use_cookies=False).post(
        unsubscribe_path(message),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    mailbox.messages.clear()

    second = ("A second update", "More news.")
    organiser = make_user(campaigns=(petition.campaign,))
    client.post("/account/logout", data={"csrf_token": _token(client)})
    log_in(client, organiser)
    assert write_update(client, petition, {"en": second}).status_code == 302
    news = latest_update(petition)
    post_on_update_page(client, news.id, "test")
    run_queue(app)
    client.post("/account/logout", data={"csrf_token": _token(client)})
    log_in(client, make_user(role=Role.ADMIN))
    post_on_update_page(client, news.id, "approve")
    _outbox(app).drain()
    assert [str(m["To"]) for m in mailbox.messages if m["Subject"] == second[0]] == [
        "stays@example.org"
    ]


def test_a_signer_erased_after_approval_is_not_mailed(app, client, mailbox):
    petition = make_petition()
    news_signer(petition, email="keeps@example.org")
    leaving = news_signer(petition, email="erased-later@example.org")
    _approved_update(app, client, petition)
    erase([leaving.id])
    result = _outbox(app).drain()
    assert (result.claimed, result.sent) == (2, 1)
    assert mailbox.to("erased-later@example.org") == []
    assert len(mailbox.to("keeps@example.org")) == 1


def test_an_anonymised_petition_mails_nobody(app, client, mailbox):
    petition = make_petition()
    news_signer(petition, email="anon@example.org")
    news = _approved_update(app, client, petition)
    db.session.execute(
        update(Petition).where(Petition.id == petition.id).values(anonymised_at=utcnow())
    )
    assert _outbox(app).drain().sent == 0
    assert mailbox.to("anon@example.org") == []
    assert news.id


def test_approval_needs_a_test_of_the_latest_version(app, client):
    petition = make_petition()
    admin = make_user(role=Role.ADMIN)
    log_in(client, admin)
    assert write_update(client, petition, {"en": EN}).status_code == 302
    news = latest_update(petition)
    page = text_of(client.get(f"/organise/news/{news.id}"))
    assert "Send a test of this version first" in page
    response = post_on_update_page(client, news.id, "test")
    run_queue(app)
    assert response.status_code == 302
    # An edit after the test needs another one.
    from tests.support.web import csrf_token

    url = f"/organise/news/{news.id}/edit"
    edited = client.post(
        url,
        data={
            **update_form({"en": ("New subject", "New text")}),
            "csrf_token": csrf_token(client, url),
        },
    )
    assert edited.status_code == 302
    approve = client.post(
        f"/organise/news/{news.id}/approve", data={"csrf_token": csrf_token(client, url)}
    )
    assert approve.status_code == 302
    assert latest_update(petition).state is UpdateState.DRAFT
    assert "Send a test of this version first" in text_of(client.get(f"/organise/news/{news.id}"))
    post_on_update_page(client, news.id, "test")
    run_queue(app)
    response = post_on_update_page(client, news.id, "approve")
    assert latest_update(petition).state is UpdateState.SENDING, text_of(
        client.get(response.location)
    )
    # An admin approving their own update is allowed, and the log says so.
    [approved] = audit_events("news.approved")
    assert approved.details["own_update"] is True


def test_just_after_asking_for_a_test_the_page_says_it_is_on_its_way(app, client):
    petition = make_petition()
    log_in(client, make_user(role=Role.ADMIN))
    assert write_update(client, petition, {"en": EN}).status_code == 302
    news = latest_update(petition)
    response = post_on_update_page(client, news.id, "test")
    # Before the worker has sent it, the page neither asks for a test again nor offers the
    # approval yet: it says the test is being sent and reloads itself.
    waiting = client.get(response.location)
    page = text_of(waiting)
    assert "Your test is being sent" in page
    assert "Send a test of this version first" not in page
    assert "Approve and send" not in page
    assert '<meta http-equiv="refresh" content="5">' in waiting.get_data(as_text=True)
    run_queue(app)
    db.session.expire_all()  # the worker's write, as the next request would read it
    sent = client.get(response.location)
    assert "Approve and send" in text_of(sent)
    assert "Your test is being sent" not in text_of(sent)
    assert 'http-equiv="refresh"' not in sent.get_data(as_text=True)


def test_the_limit_of_updates_per_petition_is_kept_with_a_clear_message(app, client):
    app.config["NEWS_MAX_UPDATES_PER_PETITION"] = 1
    petition = make_petition()
    _approved_update(app, client, petition)
    response = client.get(f"/organise/petitions/{petition.id}/news/new", follow_redirects=True)
    assert "This petition has sent its 1 update: no more can be written." in text_of(response)
    index_url = f"/organise/petitions/{petition.id}/news"
    refused = client.post(
        f"{index_url}/new",
        data={
            **update_form({"en": ("Another", "Text")}),
            "csrf_token": page_token(client, index_url),
        },
        follow_redirects=True,
    )
    assert "no more can be written" in text_of(refused)
    assert len(list_updates(petition.id)) == 1
    index = text_of(client.get(f"/organise/petitions/{petition.id}/news"))
    assert "no more can be written" in index and "Write an update" not in index


def test_the_list_of_updates_names_each_in_the_organisers_language(app, client):
    petition = _petition_in_two_languages()
    log_in(client, make_user(campaigns=(petition.campaign,)))
    assert write_update(client, petition, {"en": EN, "ru": RU}).status_code == 302
    url = f"/organise/petitions/{petition.id}/news"
    assert "Ales was visited in prison" in text_of(client.get(url))
    russian = client.get(f"{url}?lang=ru").get_data(as_text=True)
    assert 'lang="ru">Алеся навестили в колонии</a>' in russian
    # Belarusian was not written: the petition's own language, marked as such.
    belarusian = client.get(f"{url}?lang=be").get_data(as_text=True)
    assert 'lang="en">Ales was visited in prison</a>' in belarusian


def test_the_neutral_subject_does_not_name_the_cause(app, client, mailbox):
    petition = make_petition()
    news_signer(petition, email="careful@example.org")
    _approved_update(app, client, petition, neutral=True)
    _outbox(app).drain()
    [message] = mailbox.to("careful@example.org")
    assert message["Subject"] == "News from the campaign you supported"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert EN[0] in body  # the text is unchanged


def test_the_update_form_explains_what_is_missing(app, client):
    petition = _petition_in_two_languages()
    log_in(client, make_user(campaigns=(petition.campaign,)))
    response = write_update(client, petition, {"en": ("", ""), "ru": ("Только тема", "")})
    assert response.status_code == 400
    shown = text_of(response)
    assert "Please enter a subject." in shown and "Please write the text." in shown


def test_organisers_of_another_campaign_see_nothing(app, client):
    petition = make_petition()
    news = _approved_update(app, client, petition)
    client.post("/account/logout", data={"csrf_token": _token(client)})
    log_in(client, make_user(campaigns=()))
    assert client.get(f"/organise/news/{news.id}").status_code == 403
    assert client.get(f"/organise/petitions/{petition.id}/news").status_code == 403


def test_signature_rows_stay_whatever_the_signer_does(app, client, mailbox):
    petition = make_petition()
    signer = news_signer(petition, email="counted@example.org")
    _approved_update(app, client, petition)
    _outbox(app).drain()
    [message] = mailbox.to("counted@example.org")
    client.post(unsubscribe_path(message))
    db.session.expire_all()
    assert db.session.get(Signature, signer.id).state is SignatureState.CONFIRMED


def test_an_update_ready_for_approval_waits_on_the_admins_dashboard(app, client):
    """Once its test went out after the last change, an update is listed for admins (not for
    the organiser who wrote it), and leaves the list when approved."""
    petition = make_petition()
    organiser = make_user(role=Role.ORGANISER, campaigns=(petition.campaign,))
    admin = make_user(role=Role.ADMIN)
    log_in(client, organiser)
    assert write_update(client, petition, {"en": EN}).status_code == 302
    news = latest_update(petition)
    assert "Waiting for you" not in text_of(client.get("/organise/"))
    post_on_update_page(client, news.id, "test")
    run_queue(app)
    assert "Waiting for you" not in text_of(client.get("/organise/"))  # not an admin

    admins = app.test_client()
    log_in(admins, admin)
    dashboard = admins.get("/organise/")
    assert f"Update to approve: “{EN[0]}”" in text_of(dashboard)
    assert f'href="/organise/news/{news.id}"' in dashboard.get_data(as_text=True)
    post_on_update_page(admins, news.id, "approve")
    assert "Waiting for you" not in text_of(admins.get("/organise/"))
