"""itsdangerous serializers that keep their signers: the session cookie and the CSRF tokens.

Every new visitor of the petition page gets a session cookie and a CSRF token, two signed
values per request. itsdangerous builds a new signer for every value it signs or checks, and
the signer derives its key from the secret key and the salt (an HMAC or a hash) each time,
though neither ever changes for one serializer. These subclasses keep the signer of each salt
and the key of each secret key; the values they sign and accept are exactly those of the
plain classes (same format, keys, salts, digest, key derivation and time checks).
"""

from __future__ import annotations

from typing import Any

from itsdangerous import Signer, TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import want_bytes


class KeptKeysSigner(TimestampSigner):
    """itsdangerous' TimestampSigner, with each secret key's derived key computed once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._derived: dict[bytes, bytes] = {}

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        key = self.secret_keys[-1] if secret_key is None else want_bytes(secret_key)
        derived = self._derived.get(key)
        if derived is None:
            # The same value every time for one signer (salt, derivation and digest are
            # fixed); a race only computes it twice.
            derived = self._derived[key] = super().derive_key(key)
        return derived


class KeptSignerSerializer(URLSafeTimedSerializer):
    """itsdangerous' URLSafeTimedSerializer, with one signer per salt, built once.

    Build one per secret key (and fallbacks) and keep it; the signers are immutable once
    built, so one serializer serves every thread."""

    default_signer = KeptKeysSigner

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signers: dict[bytes | None, Signer] = {}

    def make_signer(self, salt: str | bytes | None = None) -> Signer:
        key = None if salt is None else want_bytes(salt)
        signer = self._signers.get(key)
        if signer is None:
            signer = self._signers[key] = super().make_signer(salt)
        return signer
