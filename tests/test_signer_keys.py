"""The signer-data keys: required outside debug/testing, checked for shape in every mode, kept
apart from SECRET_KEY; what the stored values look like."""

from __future__ import annotations

import base64
import os

import pytest

import campaign_app
from campaign_app.crypto import KeyConfigError, Keyring, key_id, keyring_from_config, parse_key

SECRET = "0123456789abcdef" * 4


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("CAMPAIGN_") or name in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}:
            monkeypatch.delenv(name)
    monkeypatch.setenv("CAMPAIGN_INSTANCE_PATH", str(tmp_path / "instance"))


def production(**settings):
    return campaign_app.create_app(
        {"TESTING": False, "DATABASE_URL": "sqlite://", "SECRET_KEY": SECRET, **settings}
    )


@pytest.mark.parametrize(
    "settings",
    [{}, {"SIGNER_DATA_KEYS": new_key()}, {"SIGNER_INDEX_KEY": new_key()}],
)
def test_refuses_to_start_without_the_keys(settings):
    with pytest.raises(RuntimeError) as raised:
        production(**settings)
    message = str(raised.value)
    assert "CAMPAIGN_SIGNER_DATA_KEYS" in message and "CAMPAIGN_SIGNER_INDEX_KEY" in message
    assert "base64" in message and "backups" in message


def test_starts_with_keys_from_the_environment(monkeypatch):
    monkeypatch.setenv("CAMPAIGN_SIGNER_DATA_KEYS", f"{new_key()}, {new_key()}")
    monkeypatch.setenv("CAMPAIGN_SIGNER_INDEX_KEY", new_key())
    app = production()
    assert len(app.extensions["campaign_signer_keys"].key_ids) == 2


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("SIGNER_DATA_KEYS", "too-short"),
        ("SIGNER_DATA_KEYS", SECRET),  # 64 characters, but not 32 bytes in base64
        ("SIGNER_INDEX_KEY", base64.b64encode(os.urandom(16)).decode()),
    ],
)
def test_a_malformed_key_is_refused_even_when_testing(setting, value):
    settings = {"SIGNER_DATA_KEYS": new_key(), "SIGNER_INDEX_KEY": new_key(), setting: value}
    with pytest.raises(RuntimeError, match=f"CAMPAIGN_{setting} must hold keys of 32"):
        campaign_app.create_app({"TESTING": True, "DATABASE_URL": "sqlite://", **settings})


def test_the_same_key_twice_is_refused():
    key = new_key()
    with pytest.raises(KeyConfigError, match="the same key twice"):
        keyring_from_config({"SIGNER_DATA_KEYS": f"{key},{key}", "SIGNER_INDEX_KEY": new_key()})


def test_debug_and_testing_derive_development_keys_from_the_secret_key():
    one = keyring_from_config({"TESTING": True, "SECRET_KEY": "a" * 40})
    again = keyring_from_config({"DEBUG": True, "SECRET_KEY": "a" * 40})
    other = keyring_from_config({"TESTING": True, "SECRET_KEY": "b" * 40})
    stored = one.encrypt("Алесь", b"signature.first_name")
    assert again.decrypt(stored, b"signature.first_name") == "Алесь"  # stable across starts
    assert one.primary_id != other.primary_id
    assert one.blind_index("a@example.org", "p") != other.blind_index("a@example.org", "p")


def test_keys_accept_both_base64_alphabets_and_no_padding():
    raw = os.urandom(32)
    for text in (
        base64.urlsafe_b64encode(raw).decode(),
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
        f"  {base64.urlsafe_b64encode(raw).decode()}\n",
    ):
        assert parse_key(text, "SIGNER_DATA_KEYS") == raw


def test_stored_form_names_its_key_and_hides_the_length():
    first, second = os.urandom(32), os.urandom(32)
    ring = Keyring([first, second], os.urandom(32))
    stored = ring.encrypt("Olga", b"signature.first_name")
    assert stored[0] == 1 and stored[1:5] == key_id(first)
    assert len(stored) == 1 + 4 + 12 + 16 + 16  # header, nonce, one padded block, tag
    assert len(ring.encrypt("Olga Sharko-Ivanova", b"p")) == len(stored) + 16
    assert stored != ring.encrypt("Olga", b"signature.first_name")  # a new nonce each time
    older = Keyring([second], os.urandom(32)).encrypt("Jan", b"p")
    assert ring.decrypt(older, b"p") == "Jan" and not ring.is_current(older)
    assert ring.is_current(stored) and ring.is_current(None)
    # The blind index is keyed, per purpose, and stable.
    assert ring.blind_index("a@example.org", "email") == ring.blind_index("a@example.org", "email")
    assert ring.blind_index("a@example.org", "email") != ring.blind_index("a@example.org", "x")
    assert len(ring.blind_index("a@example.org", "email")) == 32
