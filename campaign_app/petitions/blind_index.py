"""A signature's blind indexes: keyed hashes of its normalised address and of the domain.

The address itself is stored only encrypted; these hashes are what the database compares:
one signature per address and petition (a unique constraint), re-sending, the per-mailbox
rate limit, erasure by address, and moderation by address or domain.
"""

from __future__ import annotations

from campaign_app.crypto import blind_index

EMAIL = "signature.email"
DOMAIN = "signature.email_domain"


def email_hash(normalized: str) -> str:
    """The keyed hash of a normalised address (``normalize.normalize_email``'s second half)."""
    return blind_index(normalized, EMAIL)


def domain_of(normalized: str) -> str:
    """The domain of a normalised address ("gmail.com")."""
    return normalized.rpartition("@")[2]


def domain_hash(domain: str) -> str:
    """The keyed hash of a normalised e-mail domain."""
    return blind_index(domain, DOMAIN)
