"""Erasure-link tokens: random, mailed to the signer; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """A fresh random token and the hash to store for it."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """What the database keeps of a token: a leak of it gives no working link."""
    return hashlib.sha256(token.encode()).hexdigest()
