"""An organiser erases a signer everywhere, by e-mail address (after seeing the matches)."""

from __future__ import annotations

from campaign_app.accounts.models import User
from campaign_app.privacy.erasure import (
    ErasureResult,
    PetitionMatch,
    address_hash,
    erase_matches,
    find_signatures,
)


def find_signer(email: str) -> list[PetitionMatch]:
    """The petitions holding a signature of this address; InvalidEmailAddress if none."""
    return find_signatures(address_hash(email))


def erase_signer(email: str, *, actor: User | None = None, via: str = "web") -> ErasureResult:
    """Erase every signature of this address on every petition (commits; audited)."""
    return erase_matches(find_signer(email), actor=actor, via=via)
