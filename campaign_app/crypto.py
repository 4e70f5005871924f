"""Signer data at rest: authenticated encryption of personal columns, and keyed blind indexes.

Keys come from configuration, never from the database and never from SECRET_KEY:

- ``SIGNER_DATA_KEYS``: comma-separated AES-256 keys (32 random bytes, URL-safe base64). The
  first encrypts; every one decrypts, so a new key goes first and the old one stays listed
  until ``flask privacy rotate-key`` has re-encrypted every row under the new one.
- ``SIGNER_INDEX_KEY``: one HMAC key (same format) for the blind indexes, the keyed hashes
  that let the app find a row by a value without storing the value (the normalised e-mail
  address, its domain). It is long-lived: changing it needs ``flask signers reindex``.

A value is stored as ``version (1) | key id (4) | nonce (12) | AES-GCM ciphertext + tag``.
The key id says which key to use (no trial decryption, and rotation can tell which rows are
done without decrypting them); the column's name is authenticated with it (associated
data), so a value copied into another column does not decrypt. Plaintexts are padded to a
multiple of 16 bytes, so the stored length says little about the name or address.

In debug and testing, missing keys are derived from SECRET_KEY so that ``flask run --debug``
and the tests need no set-up; anywhere else the app refuses to start without them
(``config.check_production_ready``). This module imports no feature.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app
from sqlalchemy import LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:  # cryptography loads with the first value encrypted or read, not at start
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = 1
KEY_ID_SIZE = 4
NONCE_SIZE = 12
HEADER_SIZE = 1 + KEY_ID_SIZE
PAD_BLOCK = 16
KEY_SIZE = 32
EXTENSION = "campaign_signer_keys"

KEY_HELP = (
    'make one with: python -c "import base64, os; '
    'print(base64.urlsafe_b64encode(os.urandom(32)).decode())"'
)


class KeyConfigError(RuntimeError):
    """A signer-data key setting is missing or malformed."""


class UndecryptableValue(RuntimeError):
    """A stored value was encrypted under a key that is not configured, or was altered."""


def parse_key(text: str, setting: str) -> bytes:
    """32 bytes from base64 (URL-safe or standard, padding optional), else KeyConfigError."""
    cleaned = text.strip()
    try:
        # urlsafe_b64decode also takes the standard alphabet's + and /.
        raw = base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != KEY_SIZE:
        raise KeyConfigError(
            f"Refusing to start: CAMPAIGN_{setting} must hold keys of 32 random bytes in base64 "
            f"(44 characters each); {KEY_HELP}"
        )
    return raw


def key_id(key: bytes) -> bytes:
    """A short public name for a key, stored with each value (reveals nothing of the key)."""
    return hmac.new(key, b"campaign_app signer key id", hashlib.sha256).digest()[:KEY_ID_SIZE]


def _pad(data: bytes) -> bytes:
    # ISO/IEC 7816-4: a 0x80 byte, then zeros up to the block size.
    return data + b"\x80" + b"\x00" * ((-len(data) - 1) % PAD_BLOCK)


def _unpad(data: bytes) -> bytes:
    # Only zeros follow the marker, so the last 0x80 is it (UTF-8 text may hold others).
    return data[: data.rindex(b"\x80")]


class Keyring:
    """The configured keys: encrypt under the first, decrypt under any, hash for indexes."""

    def __init__(self, data_keys: list[bytes], index_key: bytes) -> None:
        if not data_keys:
            raise KeyConfigError("CAMPAIGN_SIGNER_DATA_KEYS holds no key.")
        self.primary_id = key_id(data_keys[0])
        self._keys: dict[bytes, bytes] = {}
        for key in data_keys:
            ident = key_id(key)
            if ident in self._keys:
                raise KeyConfigError("CAMPAIGN_SIGNER_DATA_KEYS lists the same key twice.")
            self._keys[ident] = key
        self.key_ids = tuple(self._keys)
        self._header = bytes([VERSION]) + self.primary_id
        self._index_key = index_key
        self._index_keys: dict[str, bytes] = {}

    @functools.cached_property
    def _ciphers(self) -> dict[bytes, AESGCM]:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        return {ident: AESGCM(key) for ident, key in self._keys.items()}

    @functools.cached_property
    def _primary(self) -> AESGCM:
        return self._ciphers[self.primary_id]

    @functools.cached_property
    def invalid_tag(self) -> type[Exception]:
        """cryptography's InvalidTag: what a cipher raises for a value it cannot open."""
        from cryptography.exceptions import InvalidTag

        return InvalidTag

    def encrypt(self, plaintext: str, purpose: bytes) -> bytes:
        """The stored form of ``plaintext`` for the column named by ``purpose``."""
        nonce = os.urandom(NONCE_SIZE)
        sealed = self._primary.encrypt(nonce, _pad(plaintext.encode()), self._header + purpose)
        return self._header + nonce + sealed

    def decrypt(self, stored: bytes, purpose: bytes) -> str:
        """The text of a stored value; UndecryptableValue if no configured key opens it."""
        return _unpad(self.decrypt_bytes(stored, purpose)).decode()

    def encrypt_bytes(self, data: bytes, purpose: bytes) -> bytes:
        """Like ``encrypt``, for bytes and without padding (pieces of an export file)."""
        nonce = os.urandom(NONCE_SIZE)
        return self._header + nonce + self._primary.encrypt(nonce, data, self._header + purpose)

    def decrypt_bytes(self, stored: bytes, purpose: bytes) -> bytes:
        """The bytes of a value from ``encrypt_bytes`` (or, padded, from ``encrypt``)."""
        header = stored[:HEADER_SIZE]
        cipher = self._ciphers.get(header[1:])
        if cipher is None or header[0] != VERSION:
            raise UndecryptableValue(
                "A signer's data is encrypted under a key that is not in "
                "CAMPAIGN_SIGNER_DATA_KEYS (was an old key removed before "
                "`flask privacy rotate-key` finished?)."
            )
        try:
            return cipher.decrypt(
                stored[HEADER_SIZE : HEADER_SIZE + NONCE_SIZE],
                stored[HEADER_SIZE + NONCE_SIZE :],
                header + purpose,
            )
        except self.invalid_tag:
            raise UndecryptableValue("A signer's stored data was altered or is damaged.") from None

    def can_decrypt(self, header: bytes) -> bool:
        """Whether a value starting with ``header`` (its first HEADER_SIZE bytes) is under a
        configured key."""
        return len(header) == HEADER_SIZE and header[0] == VERSION and header[1:] in self._keys

    def ciphers(self) -> dict[bytes, AESGCM]:
        """The configured keys' ciphers by key id."""
        return dict(self._ciphers)

    def is_current(self, stored: bytes | None) -> bool:
        """Whether a stored value is encrypted under the first (current) key already."""
        return stored is None or stored[1:HEADER_SIZE] == self.primary_id

    def blind_index(self, value: str, purpose: str) -> str:
        """A keyed hash of ``value`` for one ``purpose`` (128 bits, hex): comparable, not
        reversible without SIGNER_INDEX_KEY, and different for each purpose."""
        key = self._index_keys.get(purpose)
        if key is None:
            key = hmac.new(self._index_key, purpose.encode(), hashlib.sha256).digest()
            self._index_keys[purpose] = key
        return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def _development_key(secret: str, purpose: str) -> bytes:
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()


def development_key_settings(secret: str) -> dict[str, str]:
    """SIGNER_DATA_KEYS and SIGNER_INDEX_KEY as debug/testing derive them from ``secret``, in
    the settings' format: for a second process that must read the same rows."""
    data = _development_key(secret, "campaign_app development signer data key")
    index = _development_key(secret, "campaign_app development signer index key")
    return {
        "SIGNER_DATA_KEYS": base64.urlsafe_b64encode(data).decode(),
        "SIGNER_INDEX_KEY": base64.urlsafe_b64encode(index).decode(),
    }


def keyring_from_config(config: Mapping[str, Any]) -> Keyring:
    """Build the keyring from the settings; in debug/testing, missing keys come from SECRET_KEY.

    Raises KeyConfigError for a malformed key, or a missing one outside debug/testing.
    """
    data_setting = str(config.get("SIGNER_DATA_KEYS") or "")
    index_setting = str(config.get("SIGNER_INDEX_KEY") or "")
    development = bool(config.get("DEBUG") or config.get("TESTING"))
    secret = str(config.get("SECRET_KEY") or "")
    if data_setting.strip():
        data_keys = [
            parse_key(part, "SIGNER_DATA_KEYS") for part in data_setting.split(",") if part.strip()
        ]
    elif development:
        data_keys = [_development_key(secret, "campaign_app development signer data key")]
    else:
        raise KeyConfigError(missing_keys_message())
    if index_setting.strip():
        index_key = parse_key(index_setting, "SIGNER_INDEX_KEY")
    elif development:
        index_key = _development_key(secret, "campaign_app development signer index key")
    else:
        raise KeyConfigError(missing_keys_message())
    return Keyring(data_keys, index_key)


def missing_keys_message() -> str:
    return (
        "Refusing to start: signers' names and addresses are stored encrypted and "
        "CAMPAIGN_SIGNER_DATA_KEYS or CAMPAIGN_SIGNER_INDEX_KEY is not set. Set each to a "
        f"key of 32 random bytes in base64 ({KEY_HELP}) and keep them apart from the "
        "database backups: without them the signers' data cannot be read."
    )


def init_crypto(app: Flask) -> None:
    """Parse the keys once; a bad key stops the start with a clear message."""
    app.extensions[EXTENSION] = keyring_from_config(app.config)


def keyring() -> Keyring:
    """The current app's keyring."""
    ring: Keyring = current_app.extensions[EXTENSION]
    return ring


def blind_index(value: str, purpose: str) -> str:
    """A keyed hash of ``value`` under the current app's SIGNER_INDEX_KEY (see Keyring)."""
    return keyring().blind_index(value, purpose)


def raw_reader(column: Any) -> Callable[[Any], str]:
    """For a column of type EncryptedText, a function that decrypts the values as the driver
    returns them (bytes or NULL); for code that reads the driver's rows directly, such as a
    million-row export, where the per-row cost counts (the same as ``Keyring.decrypt``, with
    the associated data of each key made once)."""
    column_type = column.type
    if not isinstance(column_type, EncryptedText):
        raise TypeError(f"{column} is not an encrypted column")
    ring = keyring()
    purpose = column_type.purpose.encode()
    opening = {
        ident: (cipher, bytes([VERSION]) + ident + purpose)
        for ident, cipher in ring.ciphers().items()
    }
    invalid_tag = ring.invalid_tag

    def read(value: Any) -> str:
        if value is None:
            return ""
        if type(value) is not bytes:
            value = bytes(value)
        found = opening.get(value[1:HEADER_SIZE])
        if found is None or value[0] != VERSION:
            return ring.decrypt(value, purpose)  # raises with the explanation
        cipher, associated = found
        try:
            opened = cipher.decrypt(
                value[HEADER_SIZE : HEADER_SIZE + NONCE_SIZE],
                value[HEADER_SIZE + NONCE_SIZE :],
                associated,
            )
        except invalid_tag:
            return ring.decrypt(value, purpose)  # raises with the explanation
        return _unpad(opened).decode()

    return read


class EncryptedText(TypeDecorator[str]):
    """A text column stored encrypted (see the module docstring); the model sees plain text.

    ``purpose`` names the column ("signature.first_name") and is authenticated with each
    value. The empty string is stored as NULL and NULL reads as "": erased rows hold nothing.
    The database cannot compare, sort or search the values: find rows by a blind index or
    by other columns, then read the text. Comparing the column in SQL raises TypeError.
    """

    impl = LargeBinary
    cache_ok = True

    class Comparator(TypeDecorator.Comparator[str]):
        def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
            if op in (operators.is_, operators.is_not):
                return super().operate(op, *other, **kwargs)
            raise TypeError(
                "An encrypted column cannot be compared, sorted or searched in SQL; "
                "use its blind index or compare the decrypted values."
            )

    comparator_factory = Comparator

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose
        self._aad = purpose.encode()

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        if not value:
            return None
        return keyring().encrypt(value, self._aad)

    def process_result_value(self, value: Any, dialect: Dialect) -> str:
        if value is None:
            return ""
        return keyring().decrypt(bytes(value), self._aad)

    def copy(self, **kwargs: Any) -> EncryptedText:
        return EncryptedText(self.purpose)
