"""Pure helpers that turn what signers type into comparable, safe values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class InvalidEmail(ValueError):
    """The text is not a syntactically valid e-mail address."""


class NeedsSmtpUtf8(InvalidEmail):
    """The address has non-ASCII letters before the @, which the mail server cannot deliver."""


@dataclass(frozen=True)
class ParsedEmail:
    """An address that passed the syntax check, in the parts the rules work on."""

    # As typed, cleaned up (email-validator's normalised form): where the e-mail goes.
    address: str
    local: str  # lower case
    domain: str  # lower case
    # Non-ASCII letters before the @: deliverable only by a server with SMTPUTF8.
    needs_smtputf8: bool


def parse_email(raw: str) -> ParsedEmail:
    """Check the syntax of an address (no DNS lookup, so tests and offline installs never
    touch the network); raises InvalidEmail with email-validator's explanation."""
    from email_validator import EmailNotValidError, validate_email  # loaded on first use

    try:
        info = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidEmail(str(error)) from None
    return ParsedEmail(
        info.normalized, info.local_part.lower(), info.domain.lower(), bool(info.smtputf8)
    )


def mailbox_of(parsed: ParsedEmail, dot_insensitive_domains: Iterable[str]) -> str:
    """The normalised form that makes two spellings of one mailbox equal: lower case,
    ``+tag`` removed, and dots removed for providers that ignore them (gmail.com)."""
    local, domain = parsed.local, parsed.domain
    local = local.split("+", 1)[0] or local
    if domain == "googlemail.com":
        domain = "gmail.com"
    if domain in {d.strip().lower() for d in dot_insensitive_domains}:
        local = local.replace(".", "") or local
    return f"{local}@{domain}"


def normalize_email(
    raw: str, dot_insensitive_domains: Iterable[str], *, allow_smtputf8: bool = True
) -> tuple[str, str]:
    """Return ``(as_typed_cleaned, normalised)`` for an e-mail address (see ``parse_email``
    and ``mailbox_of``).

    With ``allow_smtputf8=False`` a non-ASCII local part (``анна@…``) raises NeedsSmtpUtf8.
    """
    parsed = parse_email(raw)
    if parsed.needs_smtputf8 and not allow_smtputf8:
        raise NeedsSmtpUtf8("non-ASCII characters before the @")
    return parsed.address, mailbox_of(parsed, dot_insensitive_domains)
