"""Configuration: secret key check, cookie defaults, CAMPAIGN_* variables, database URLs."""

from __future__ import annotations

import os
from http.cookies import SimpleCookie

import pytest

import campaign_app
from campaign_app.config import DEV_SECRET_KEY, database_uri, from_environment
from campaign_app.extensions import db
from tests.factories import make_petition

GOOD_KEY = "0123456789abcdef" * 4  # 64 characters
# Signer-data keys (32 bytes in base64), required outside debug/testing like SECRET_KEY.
SIGNER_KEYS = {
    "SIGNER_DATA_KEYS": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    "SIGNER_INDEX_KEY": "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=",
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No CAMPAIGN_* or platform variables from the shell; a throw-away instance folder."""
    for name in list(os.environ):
        if name.startswith("CAMPAIGN_") or name in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}:
            monkeypatch.delenv(name)
    monkeypatch.setenv("CAMPAIGN_INSTANCE_PATH", str(tmp_path / "instance"))


def production(**settings):
    """create_app as a production server would call it (not testing, not debug)."""
    return campaign_app.create_app(
        {"TESTING": False, "DATABASE_URL": "sqlite://", **SIGNER_KEYS, **settings}
    )


# Secret key -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["short", "", DEV_SECRET_KEY, "x" * 31])
def test_refuses_to_start_without_a_real_secret_key(key):
    with pytest.raises(RuntimeError) as raised:
        production(SECRET_KEY=key)
    assert "CAMPAIGN_SECRET_KEY" in str(raised.value)
    assert "at least 32 characters" in str(raised.value)


def test_refuses_the_built_in_development_key_by_default():
    with pytest.raises(RuntimeError, match="CAMPAIGN_SECRET_KEY"):
        production()


def test_starts_with_a_long_random_key():
    app = production(SECRET_KEY=GOOD_KEY)
    assert app.config["SECRET_KEY"] == GOOD_KEY
    assert not app.testing


@pytest.mark.parametrize("variable", ["CAMPAIGN_SECRET_KEY", "SECRET_KEY"])
def test_secret_key_from_the_environment(monkeypatch, variable):
    monkeypatch.setenv(variable, GOOD_KEY)
    assert production().config["SECRET_KEY"] == GOOD_KEY


def test_debug_and_testing_may_use_the_development_key():
    assert campaign_app.create_app({"TESTING": True, "DATABASE_URL": "sqlite://"}).testing
    app = campaign_app.create_app({"DEBUG": True, "DATABASE_URL": "sqlite://"})
    assert app.config["SECRET_KEY"] == DEV_SECRET_KEY


# Session cookie -------------------------------------------------------------------------


def test_session_cookie_is_secure_by_default():
    config = production(SECRET_KEY=GOOD_KEY).config
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_session_cookie_header_on_the_sign_form(make_app):
    app = make_app(TESTING=False, SECRET_KEY=GOOD_KEY, **SIGNER_KEYS)
    with app.app_context():
        slug = make_petition().slug
        db.session.commit()  # the requests below run in app contexts of their own
    response = app.test_client().get(f"/petitions/{slug}")
    assert response.status_code == 200
    assert 'name="csrf_token"' in response.get_data(as_text=True)

    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    cookie = SimpleCookie(header)["session"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"


# Environment variables ------------------------------------------------------------------


def test_campaign_variables_override_defaults_with_their_type(monkeypatch):
    monkeypatch.setenv("CAMPAIGN_COUNTER_SHARDS", "7")
    monkeypatch.setenv("CAMPAIGN_SESSION_COOKIE_SECURE", "no")
    monkeypatch.setenv("CAMPAIGN_QUEUE_RETRY_BACKOFF", "1.5")
    monkeypatch.setenv("CAMPAIGN_MAIL_SENDER", "Viasna <campaign@example.org>")
    app = production(SECRET_KEY=GOOD_KEY)
    assert app.config["COUNTER_SHARDS"] == 7
    assert type(app.config["COUNTER_SHARDS"]) is int
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["QUEUE_RETRY_BACKOFF"] == 1.5
    assert app.config["MAIL_SENDER"] == "Viasna <campaign@example.org>"


def test_the_test_dict_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("CAMPAIGN_COUNTER_SHARDS", "7")
    app = production(SECRET_KEY=GOOD_KEY, COUNTER_SHARDS=3)
    assert app.config["COUNTER_SHARDS"] == 3


def test_unknown_variables_are_ignored(monkeypatch):
    monkeypatch.setenv("CAMPAIGN_NOT_A_SETTING", "1")
    assert "NOT_A_SETTING" not in production(SECRET_KEY=GOOD_KEY).config


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CAMPAIGN_COUNTER_SHARDS", "many"),
        ("CAMPAIGN_SESSION_COOKIE_SECURE", "perhaps"),
        ("CAMPAIGN_QUEUE_RETRY_BACKOFF", "fast"),
    ],
)
def test_invalid_values_give_a_clear_error(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(RuntimeError) as raised:
        production(SECRET_KEY=GOOD_KEY)
    assert f"Setting {variable} is invalid" in str(raised.value)
    assert value in str(raised.value)


def test_from_environment_reads_prefixed_and_platform_names():
    settings = from_environment(
        {
            "DATABASE_URL": "postgres://platform/db",
            "REDIS_URL": "redis://cache:6379/0",
            "CAMPAIGN_COUNTER_SHARDS": "32",
            "COUNTER_SHARDS": "99",  # only the listed platform names work unprefixed
        }
    )
    assert settings == {
        "DATABASE_URL": "postgres://platform/db",
        "REDIS_URL": "redis://cache:6379/0",
        "COUNTER_SHARDS": 32,
    }
    assert from_environment(
        {"CAMPAIGN_DATABASE_URL": "sqlite:///a", "DATABASE_URL": "sqlite:///b"}
    ) == {"DATABASE_URL": "sqlite:///a"}


# Database URL ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@db:5432/campaign", "postgresql+psycopg://u:p@db:5432/campaign"),
        ("postgresql://u@db/campaign", "postgresql+psycopg://u@db/campaign"),
        ("postgresql+psycopg://u@db/campaign", "postgresql+psycopg://u@db/campaign"),
        ("sqlite:////var/lib/campaign.sqlite3", "sqlite:////var/lib/campaign.sqlite3"),
    ],
)
def test_database_uri(url, expected):
    assert database_uri(url, "/srv/instance") == expected


def test_database_defaults_to_sqlite_in_the_instance_folder():
    assert database_uri("", "/srv/instance") == "sqlite:////srv/instance/campaign.sqlite3"


def test_app_maps_database_url_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.internal/campaign")
    app = campaign_app.create_app({"TESTING": False, "SECRET_KEY": GOOD_KEY, **SIGNER_KEYS})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.internal/campaign"
