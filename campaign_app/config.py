"""Configuration: defaults, then instance/config.py, then environment variables.

Every setting can be given as an environment variable ``CAMPAIGN_<NAME>``; ``DATABASE_URL``,
``REDIS_URL`` and ``SECRET_KEY`` are also read without the prefix because hosting platforms
set them that way. The README's configuration table lists every one of them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from campaign_app.crypto import missing_keys_message

DEV_SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 - refused outside debug/testing


class Defaults:
    """Settings with their defaults; names here are the only ones read from the environment."""

    SECRET_KEY = DEV_SECRET_KEY
    # Signers' names, e-mails and cities are stored encrypted (campaign_app.crypto): AES-256
    # keys in base64, comma-separated, the first encrypts; and the key of the blind indexes.
    SIGNER_DATA_KEYS = ""  # empty: refused outside debug/testing (derived from SECRET_KEY there)
    SIGNER_INDEX_KEY = ""
    DATABASE_URL = ""  # empty: SQLite file in the instance folder
    REDIS_URL = ""  # empty: no Redis; queue in SQLite, rate limits in memory
    # Seconds a pooled PostgreSQL connection is used before it is replaced by a fresh one.
    DATABASE_POOL_RECYCLE = 300

    BASE_URL = "http://127.0.0.1:5000"  # used for links in emails (never the Host header)
    MAX_CONTENT_LENGTH = 64 * 1024
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 3600 * 12
    PROXY_FIX_X_FOR = 0  # number of trusted proxies setting X-Forwarded-For
    PROXY_FIX_X_PROTO = 0
    LOG_LEVEL = "INFO"

    # Petitions
    CONFIRM_TOKEN_MAX_AGE = 7 * 24 * 3600
    CONFIRM_RESEND_INTERVAL = 600
    COUNTER_SHARDS = 16
    COUNT_CACHE_SECONDS = 10  # Cache-Control max-age of the count API
    MICROCACHE_SECONDS = 3  # each worker reuses a rendered petition page / API answer this long
    LATEST_SIGNERS_SHOWN = 10
    DOT_INSENSITIVE_EMAIL_DOMAINS = "gmail.com,googlemail.com"
    SIGN_RATE_LIMIT_PER_IP = "20/minute;300/hour"
    SIGN_RATE_LIMIT_PER_EMAIL = "5/hour"
    CONFIRM_RATE_LIMIT_PER_IP = "60/minute"
    PRINT_RATE_LIMIT_PER_IP = "10/minute;100/hour"  # batch postcard PDFs
    CARD_SENT_RATE_LIMIT_PER_IP = "10/minute;60/hour"  # "I sent it" reports
    REPLY_RATE_LIMIT_PER_IP = "10/minute;60/hour"  # "I got a reply" reports
    APPEAL_SENT_RATE_LIMIT_PER_IP = "10/minute;60/hour"  # "I sent it" for appeals
    APPEAL_PDF_RATE_LIMIT_PER_IP = "20/minute;200/hour"  # appeal letters and envelopes

    # News to signers who asked for it (campaign_app.news): updates a petition may send
    NEWS_MAX_UPDATES_PER_PETITION = 3

    # Rate limiting (Flask-Limiter); storage follows REDIS_URL unless set.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = ""
    RATELIMIT_HEADERS_ENABLED = True

    # Mail
    MAIL_TRANSPORT = "outbox"  # "outbox" (.eml files in instance/outbox) or "smtp"
    MAIL_SENDER = "Campaign <campaign@localhost>"
    MAIL_SMTP_HOST = "127.0.0.1"
    MAIL_SMTP_PORT = 25
    MAIL_SMTP_USER = ""
    MAIL_SMTP_PASSWORD = ""
    MAIL_SMTP_TLS = "none"  # "none", "starttls" or "ssl"
    MAIL_SMTP_TIMEOUT = 20
    MAIL_SMTPUTF8 = False  # the server delivers to addresses with non-Latin letters before @
    # The mail outbox (signers' e-mail): dispatchers claim this many at a time, hold them this
    # long while sending (a dispatcher killed mid-batch frees them after it), and look for new
    # mail this often when idle. `flask queue work` runs MAIL_DISPATCHERS of them as threads.
    MAIL_BATCH = 200
    MAIL_LEASE_SECONDS = 120.0
    MAIL_IDLE_SECONDS = 0.5
    MAIL_DISPATCHERS = 1

    # Task queue (Huey)
    QUEUE_BACKEND = ""  # "", "sqlite", "redis" or "memory" (tests); "" picks redis if REDIS_URL
    QUEUE_RETRIES = 12
    QUEUE_RETRY_DELAY = 30
    QUEUE_RETRY_BACKOFF = 2.0
    QUEUE_WORKERS = 2

    # Organiser accounts
    PASSWORD_MIN_LENGTH = 12
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a werkzeug method name, not a password
    PASSWORD_RESET_MAX_AGE = 3600  # seconds a password-reset link works
    LOGIN_RATE_LIMIT_PER_IP = "10/minute;100/hour"
    LOGIN_MAX_FAILURES = 5  # wrong passwords or codes in a row before the account locks
    LOGIN_LOCKOUT_MINUTES = 15
    ORGANISER_IDLE_MINUTES = 60  # an organiser session ends after this long without a request
    ORGANISER_SESSION_HOURS = 12  # and after this long in any case

    # Moderation: a name condition reads (decrypts) at most this many signatures at once
    MODERATION_NAME_SCAN_LIMIT = 50_000

    # Paper signatures: the largest CSV file and the most rows one import takes
    PAPER_IMPORT_MAX_ROWS = 100_000
    PAPER_IMPORT_MAX_BYTES = 8 * 1024 * 1024
    PAPER_IMPORT_KEEP_HOURS = 24  # an uploaded file not imported is deleted after this
    PAPER_ROWS_MAX_BYTES = 512 * 1024  # the row-by-row form (up to 500 rows) may be this large

    # Prisoner imports: the largest CSV file an organiser may upload (bytes)
    PRISONER_IMPORT_MAX_BYTES = 5 * 1024 * 1024

    # Exports and privacy
    ORGANISATION_NAME = ""  # printed on delivery packages: "Handed in by: <name>"
    EXPORT_STORAGE = "auto"  # "folder", "database", or "auto": database on PostgreSQL
    EXPORT_FOLDER = ""  # empty: instance/exports
    EXPORT_KEEP_HOURS = 24  # export files built in the browser are deleted after this
    ANONYMISE_AFTER_DAYS = 180  # signers of a closed petition are anonymised after this
    UNCONFIRMED_RETENTION_DAYS = 30  # unconfirmed signatures are deleted after this
    IP_HASH_RETENTION_DAYS = 30  # signatures' IP hashes are blanked after this
    ERASURE_LINK_MAX_AGE = 24 * 3600  # seconds an e-mailed "erase my data" link works
    ERASURE_RATE_LIMIT_PER_IP = "5/hour"

    # Hand-ins (deliveries): photos per hand-in, bytes per uploaded file, pixels an upload may
    # declare (more is refused before decoding: decompression bombs), longest side kept.
    DELIVERY_MAX_PHOTOS = 4
    DELIVERY_PHOTO_MAX_BYTES = 10 * 1024 * 1024
    DELIVERY_PHOTO_MAX_PIXELS = 50_000_000
    DELIVERY_PHOTO_MAX_SIDE = 1600

    LANGUAGES = "en,ru,be,fr"  # offered interface languages, the first is the fallback
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    WTF_CSRF_TIME_LIMIT = 3600 * 12


ALIASES = {"DATABASE_URL": "DATABASE_URL", "REDIS_URL": "REDIS_URL", "SECRET_KEY": "SECRET_KEY"}


def _coerce(default: Any, raw: str) -> Any:
    """Turn an environment string into the type of the default."""
    if isinstance(default, bool):
        if raw.strip().lower() in {"1", "true", "yes", "on"}:
            return True
        if raw.strip().lower() in {"0", "false", "no", "off", ""}:
            return False
        raise ValueError(f"expected a yes/no value, got {raw!r}")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Read ``CAMPAIGN_<NAME>`` (and the unprefixed aliases) for every known setting."""
    settings: dict[str, Any] = {}
    for name in dir(Defaults):
        if not name.isupper():
            continue
        raw = environ.get(f"CAMPAIGN_{name}")
        if raw is None and name in ALIASES:
            raw = environ.get(ALIASES[name])
        if raw is None:
            continue
        try:
            settings[name] = _coerce(getattr(Defaults, name), raw)
        except ValueError as error:
            raise RuntimeError(f"Setting CAMPAIGN_{name} is invalid: {error}") from None
    return settings


def database_uri(url: str, instance_path: str) -> str:
    """Map DATABASE_URL to a SQLAlchemy URI, defaulting to SQLite in the instance folder."""
    if not url:
        return "sqlite:///" + os.path.join(instance_path, "campaign.sqlite3")
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the psycopg 3 driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def check_production_ready(config: Mapping[str, Any]) -> None:
    """Refuse to run outside debug/testing with a missing or weak SECRET_KEY, or without the
    signer-data keys (their format is checked by ``crypto.init_crypto`` in every mode)."""
    if config.get("DEBUG") or config.get("TESTING"):
        return
    key = config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < 32:
        raise RuntimeError(
            "Refusing to start: SECRET_KEY is not set or too short. Set CAMPAIGN_SECRET_KEY "
            "(or SECRET_KEY) to a random value of at least 32 characters, for example the "
            'output of: python -c "import secrets; print(secrets.token_hex(32))"'
        )
    if (
        not str(config.get("SIGNER_DATA_KEYS") or "").strip()
        or not str(config.get("SIGNER_INDEX_KEY") or "").strip()
    ):
        raise RuntimeError(missing_keys_message())
