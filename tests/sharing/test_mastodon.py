"""Sharing on Mastodon: the supporter names their server; only a plain host name is accepted."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from campaign_app.petitions.models import PetitionState
from campaign_app.sharing.service import InvalidInstance, mastodon_instance
from tests.factories import make_petition
from tests.support.security import csp_directives
from tests.support.web import text_of


@pytest.fixture
def petition(app):
    return make_petition(title="Свабоду Алесю")


def ask(client, petition, instance):
    return client.get(
        "/share/mastodon", query_string={"petition": petition.slug, "instance": instance}
    )


def test_form_asks_for_the_server(client, petition):
    response = client.get("/share/mastodon", query_string={"petition": petition.slug})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<label for="instance">Your Mastodon server</label>' in html
    assert 'name="petition" type="hidden" value="' + petition.slug + '"' in html
    # The redirect after the form goes to another host: this page alone allows it.
    assert csp_directives(response.headers["Content-Security-Policy"])["form-action"] == [
        "'self'",
        "https:",
    ]
    assert csp_directives(response.headers["Content-Security-Policy"])["frame-ancestors"] == [
        "'none'"
    ]


@pytest.mark.parametrize(
    ("typed", "host"),
    [
        ("mastodon.social", "mastodon.social"),
        ("  Mastodon.Social  ", "mastodon.social"),
        ("https://mstdn.io/", "mstdn.io"),
        ("@me@social.example.org", "social.example.org"),
        ("me@fosstodon.org", "fosstodon.org"),
        ("пример.рф", "xn--e1afmkfd.xn--p1ai"),
    ],
)
def test_a_server_name_leads_to_its_share_page(client, petition, typed, host):
    response = ask(client, petition, typed)
    assert response.status_code == 303
    target = urlsplit(response.headers["Location"])
    assert (target.scheme, target.hostname, target.path) == ("https", host, "/share")
    assert parse_qs(target.query) == {
        "text": [f"Свабоду Алесю http://campaign.test/petitions/{petition.slug}"]
    }


@pytest.mark.parametrize(
    "typed",
    [
        "javascript:alert(1)",
        "http://mastodon.social",
        "ftp://mastodon.social",
        "//evil.example",
        "evil.example/path",
        "evil.example:8443",
        "evil.example?x=1",
        "localhost",
        "127.0.0.1",
        "10.0.0.1",
        "mastodon..social",
        "-bad.example",
        "ex ample.com",
        "data:text/html,hi",
        "a" * 64 + ".example",
    ],
)
def test_anything_but_a_host_name_gets_a_message_and_no_redirect(client, petition, typed):
    response = ask(client, petition, typed)
    assert response.status_code == 400
    assert "Location" not in response.headers
    html = response.get_data(as_text=True)
    assert 'id="instance-error"' in html
    assert "just the server" in text_of(response)
    assert 'aria-invalid="true"' in html


def test_an_empty_server_is_asked_for_again_with_the_entry_kept(client, petition):
    response = ask(client, petition, "")
    assert response.status_code == 400
    assert "Please enter your Mastodon server" in text_of(response)
    kept = ask(client, petition, "not a host")
    assert 'value="not a host"' in kept.get_data(as_text=True)


def test_unknown_or_draft_petition_is_404(client, app):
    draft = make_petition(state=PetitionState.DRAFT)
    assert client.get("/share/mastodon").status_code == 404
    assert client.get("/share/mastodon?petition=nope&instance=mastodon.social").status_code == 404
    response = client.get(f"/share/mastodon?petition={draft.slug}&instance=mastodon.social")
    assert response.status_code == 404


def test_instance_check_on_its_own():
    assert mastodon_instance("HTTPS://Mastodon.Social") == "mastodon.social"
    for bad in ("", "social", "1.2.3.4", "host.example:80", "x" * 254 + ".org"):
        with pytest.raises(InvalidInstance):
            mastodon_instance(bad)
