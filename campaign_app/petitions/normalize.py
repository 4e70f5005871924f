"""Pure helpers that turn what signers type into comparable, safe values."""

from __future__ import annotations

from collections.abc import Iterable

from email_validator import EmailNotValidError, validate_email


class InvalidEmail(ValueError):
    """The text is not a syntactically valid e-mail address."""


class NeedsSmtpUtf8(InvalidEmail):
    """The address has non-ASCII letters before the @, which the mail server cannot deliver."""


def normalize_email(
    raw: str, dot_insensitive_domains: Iterable[str], *, allow_smtputf8: bool = True
) -> tuple[str, str]:
    """Return ``(as_typed_cleaned, normalised)`` for an e-mail address.

    The normalised form is what makes two spellings of one mailbox equal: lower case,
    ``+tag`` removed, and dots removed for providers that ignore them (gmail.com).
    Syntax only: no DNS lookup, so tests and offline installs never touch the network.
    With ``allow_smtputf8=False`` a non-ASCII local part (``анна@…``) raises NeedsSmtpUtf8.
    """
    try:
        info = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidEmail(str(error)) from None
    if info.smtputf8 and not allow_smtputf8:
        raise NeedsSmtpUtf8("non-ASCII characters before the @")
    local, domain = info.local_part.lower(), info.domain.lower()
    local = local.split("+", 1)[0] or local
    if domain == "googlemail.com":
        domain = "gmail.com"
    if domain in {d.strip().lower() for d in dot_insensitive_domains}:
        local = local.replace(".", "") or local
    return info.normalized, f"{local}@{domain}"
