"""Searching a petition's signatures by each condition; bad input; keyset pages."""

from __future__ import annotations

from datetime import timedelta

from campaign_app.db import utcnow
from campaign_app.petitions.models import SignatureState
from tests.factories import make_signature
from tests.support.moderation import results, search, setup, signed_in
from tests.support.web import text_of

HASH_A = "a" * 32
HASH_B = "b" * 32


def people(s):
    """Five signers that differ in one condition each."""
    now = utcnow()
    return {
        "gmail": make_signature(
            s.petition,
            first_name="Alena",
            last_name="Dots",
            email="Alena.Dots@gmail.com",
            email_normalized="alenadots@gmail.com",
            country="BY",
            ip_hash=HASH_A,
            created_at=now - timedelta(hours=3),
        ),
        "cyrillic": make_signature(
            s.petition,
            first_name="Алесь",
            last_name="Бяляцкі",
            email="ales@viasna.example",
            email_normalized="ales@viasna.example",
            country="BY",
            ip_hash=HASH_B,
            created_at=now - timedelta(days=2),
        ),
        "spam1": make_signature(
            s.petition,
            first_name="Bot",
            last_name="One",
            email="bot1@spam.example",
            email_normalized="bot1@spam.example",
            country="NL",
            ip_hash=HASH_A,
            state=SignatureState.PENDING,
            created_at=now - timedelta(minutes=5),
        ),
        "spam2": make_signature(
            s.petition,
            first_name="Bot",
            last_name="Two",
            email="bot2@spam.example",
            email_normalized="bot2@spam.example",
            country="FR",
            ip_hash=HASH_A,
            created_at=now - timedelta(minutes=4),
        ),
        "gone": make_signature(
            s.petition,
            first_name="Wim",
            last_name="Old",
            email="wim@example.nl",
            email_normalized="wim@example.nl",
            country="NL",
            state=SignatureState.INVALIDATED,
            created_at=now - timedelta(hours=1),
        ),
    }


def found(client, s, **conditions) -> set[str]:
    page = text_of(results(client, s, **conditions))
    names = {
        "gmail": "Alena Dots",
        "cyrillic": "Алесь Бяляцкі",
        "spam1": "Bot One",
        "spam2": "Bot Two",
        "gone": "Wim Old",
    }
    return {key for key, name in names.items() if name in page}


def test_each_condition_finds_its_signatures(app, client):
    s = setup()
    people(s)
    other = make_signature(s.outsider_petition, first_name="Bot", last_name="Elsewhere")
    signed_in(client, s)
    # The same mailbox spelt differently: compared on the normalised form.
    assert found(client, s, email="  alena.dots+petition@GoogleMail.com ") == {"gmail"}
    assert found(client, s, email="nobody@example.org") == set()
    assert found(client, s, domain="spam.example") == {"spam1", "spam2"}
    assert found(client, s, domain="@SPAM.example") == {"spam1", "spam2"}
    assert found(client, s, domain="googlemail.com") == {"gmail"}
    assert found(client, s, name="bot") == {"spam1", "spam2"}
    assert found(client, s, name="алесь БЯЛ") == {"cyrillic"}  # case-insensitive, Cyrillic too
    assert found(client, s, country="BY") == {"gmail", "cyrillic"}
    start = (utcnow() - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    assert found(client, s, signed_from=start) == {"spam1", "spam2", "gone"}
    end = (utcnow() - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    assert found(client, s, signed_from=start, signed_to=end) == {"gone"}
    day = (utcnow() - timedelta(days=2)).strftime("%Y-%m-%d")
    assert found(client, s, signed_from=day, signed_to=day) == {"cyrillic"}
    assert found(client, s, ip_hash=HASH_A) == {"gmail", "spam1", "spam2"}
    assert found(client, s, ip_hash=HASH_A.upper(), country="NL") == {"spam1"}
    assert found(client, s, state="pending") == {"spam1"}
    assert found(client, s, state="invalidated") == {"gone"}
    assert found(client, s) == {"gmail", "cyrillic", "spam1", "spam2", "gone"}
    assert "Elsewhere" not in text_of(results(client, s, name="bot"))
    assert other.id


def test_results_show_emails_and_hash_prefixes_but_no_addresses(app, client):
    s = setup()
    people(s)
    signed_in(client, s)
    page = results(client, s, domain="spam.example")
    text = text_of(page)
    assert "bot1@spam.example" in text and "bot2@spam.example" in text
    assert HASH_A[:12] in text
    assert "Preview invalidating all that match" in text


def test_the_results_url_carries_an_opaque_id_only(app, client):
    s = setup()
    people(s)
    signed_in(client, s)
    response = search(client, s, email="bot1@spam.example", name="Bot")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "bot1" not in location and "spam" not in location and "Bot" not in location
    assert location.startswith(f"{s.base}?search=")
    page = client.get(location)
    assert "Bot One" in text_of(page)
    html = page.get_data(as_text=True)
    assert 'value="bot1@spam.example"' in html  # the form shows the conditions again


def test_bad_input_is_shown_next_to_the_field_and_kept(app, client):
    s = setup()
    people(s)
    signed_in(client, s)
    response = search(
        client, s, signed_from="yesterday-ish", country="XX", domain="not a domain", ip_hash="zz"
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="signed_from-error"' in html
    assert "Please enter a date and time in UTC like 2026-12-02 14:30" in html
    assert 'value="yesterday-ish"' in html
    assert 'id="country-error"' in html and "Please choose a country from the list." in html
    assert '<option value="">Any country</option>' in html
    assert 'id="domain-error"' in html and 'value="not a domain"' in html
    assert 'id="ip_hash-error"' in html
    reversed_window = search(client, s, signed_from="2026-05-02", signed_to="2026-05-01 10:00")
    assert reversed_window.status_code == 400
    assert "The end is before the start." in text_of(reversed_window)
    bad_email = search(client, s, email="not-an-address")
    assert bad_email.status_code == 400
    assert 'id="email-error"' in bad_email.get_data(as_text=True)


def test_results_come_in_keyset_pages_of_fifty(app, client):
    s = setup()
    for n in range(120):
        make_signature(s.petition, first_name="Page", last_name=f"Person{n:03d}")
    signed_in(client, s)
    first = results(client, s, name="page")
    html = first.get_data(as_text=True)
    assert html.count("/invalidate") == 50
    assert "Person119" in text_of(first) and "Person070" in text_of(first)
    assert "Person069" not in text_of(first)
    older = html.split('href="')[-1]
    links = [part.split('"')[0] for part in html.split('href="') if "before=" in part[:200]]
    assert len(links) == 1, older
    second = client.get(links[0].replace("&amp;", "&"))
    assert second.get_data(as_text=True).count("/invalidate") == 50
    assert "Person069" in text_of(second) and "Person020" in text_of(second)
    third_link = [
        p.split('"')[0]
        for p in second.get_data(as_text=True).split('href="')
        if "before=" in p[:200]
    ]
    third = client.get(third_link[0].replace("&amp;", "&"))
    assert third.get_data(as_text=True).count("/invalidate") == 20
    assert "Older" not in text_of(third)


def test_an_unknown_search_id_asks_to_search_again(app, client):
    s = setup()
    signed_in(client, s)
    response = client.get(f"{s.base}?search=forgotten", follow_redirects=True)
    assert "no longer remembered" in text_of(response)
