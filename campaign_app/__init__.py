"""Campaign app: petitions, letters and postcards for political prisoners."""

from __future__ import annotations

import gc
import importlib
import logging
import os
import select
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

# Importing the package imports no library (Flask, SQLAlchemy): create_app does, with the
# garbage collector paused (see there).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _asset_folder(name: str) -> str:
    """Where templates/, static/ or migrations/ are: CAMPAIGN_<NAME>_FOLDER if set; else the copy
    that an installed build (wheel, `pip install .`) carries inside the package, as pyproject.toml
    arranges; else the folder beside the package, as in a checkout or an editable install."""
    override = os.environ.get(f"CAMPAIGN_{name.upper()}_FOLDER")
    if override:
        return override
    # A checkout never has the copy inside the package, so it always gets the folder beside it;
    # an installed build must not take a folder of that name that some other distribution put
    # beside it in site-packages.
    bundled = Path(__file__).resolve().parent / name
    return str(bundled if bundled.is_dir() else PROJECT_ROOT / name)


# The features, in the order their blueprints are registered. Each is a package with an
# ``init_app(app)`` that registers its blueprints, CLI commands, periodic jobs and template
# helpers; the core (config, db, queue, mail, security, errors) knows none of them.
FEATURES = (
    "main",
    "petitions",
    "institutions",
    "prisoners",
    "api",
    "demo",
    "letters",
    "accounts",
    "audit",
    "organisers",
    "campaigns",
    "statistics",
    "moderation",
    "paper",
    "privacy",
    "exports",
    "sharing",
    "deliveries",
    "news",
    "replies",
    "appeals",
)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, instance/config.py, CAMPAIGN_* variables, then test_config."""
    # Building the app imports the libraries and every feature and maps every model: hundreds
    # of thousands of long-lived objects, over which the cyclic garbage collector would run
    # again and again (about a tenth of `flask --help`'s CPU) and find nothing to free. It
    # runs again after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        app = _build_app(test_config)
        if test_config is None:
            # The process's own app (a web worker, the queue worker, a command): it and the
            # modules live as long as the process, so the collector stops scanning them
            # (Python's advice for servers that fork, too). Each full collection would go
            # over them all again for nothing: one right after start-up and several while
            # the interpreter exits, a third of `flask --help`'s CPU. Tests build many apps
            # (with test_config) and need them collectable.
            gc.freeze()
        return app
    finally:
        if collecting:
            gc.enable()


def _build_app(test_config: Mapping[str, Any] | None) -> Flask:
    from campaign_app import config as settings
    from campaign_app.application import CampaignFlask

    app = CampaignFlask(
        __name__,
        instance_relative_config=True,
        instance_path=os.environ.get("CAMPAIGN_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        template_folder=_asset_folder("templates"),
        static_folder=_asset_folder("static"),
    )
    app.config.from_object(settings.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(settings.from_environment(os.environ))
    if test_config is not None:
        app.config.update(test_config)
    settings.check_production_ready(app.config)
    os.makedirs(app.instance_path, exist_ok=True)

    _configure_logging(app)
    _configure_database(app)
    _init_core(app)
    _configure_templates(app)
    for name in FEATURES:
        importlib.import_module(f"campaign_app.{name}").init_app(app)
    return app


def _configure_templates(app: Flask) -> None:
    """Helpers every template may use; features add their own in their init_app."""
    from flask_babel import format_datetime, format_percent, get_locale

    from campaign_app.countries import country_name
    from campaign_app.db import utcnow
    from campaign_app.fragments import init_app as init_fragments
    from campaign_app.labels import state_label
    from campaign_app.markdown import render_markdown
    from campaign_app.translated import init_app as init_translated

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals.update(
        now=utcnow,
        country_name=country_name,
        format_datetime=format_datetime,
        format_percent=format_percent,
        get_locale=get_locale,
        state_label=state_label,
    )
    init_translated(app)
    init_fragments(app)


def _configure_logging(app: Flask) -> None:
    level = getattr(logging, str(app.config["LOG_LEVEL"]).upper(), logging.INFO)
    logging.getLogger("campaign_app").setLevel(level)
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _configure_database(app: Flask) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from campaign_app import config as settings

    # On the Engine class (every engine of the process), once: create_app may run many times.
    for name, listener in (("connect", _sqlite_pragmas), ("checkout", _replace_closed_connection)):
        if not event.contains(Engine, name, listener):
            event.listen(Engine, name, listener)
    uri = settings.database_uri(app.config["DATABASE_URL"], app.instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    # hide_parameters: database errors in the log must not carry signers' names or e-mails.
    # No pre-ping (a SELECT 1 before every request's first statement): connections are
    # replaced on a timer, and one the server has closed is replaced at checkout (below).
    options: dict[str, Any] = {
        "pool_recycle": int(app.config["DATABASE_POOL_RECYCLE"]),
        "hide_parameters": True,
    }
    if uri.startswith("sqlite"):
        # Writes take the lock up front (no deadlocked lock upgrades); readers never wait.
        options = {
            "hide_parameters": True,
            "connect_args": {"timeout": 30, "isolation_level": "IMMEDIATE"},
        }
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", options)


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    if type(dbapi_connection).__module__ == "sqlite3":
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _replace_closed_connection(
    dbapi_connection: Any, connection_record: Any, connection_proxy: Any
) -> None:
    """Give a request a fresh connection instead of one the server has closed.

    An idle PostgreSQL connection never has anything to read, unless the server has sent
    something since: when it ends a session (a restart, ``pg_terminate_backend``, an idle
    timeout) it sends an error and closes the socket. So a readable socket at checkout, a
    system call with no round trip, says the connection is gone (or, rarely, holds a
    notice): raising DisconnectionError makes the pool replace it and try once more.
    A connection lost without a word (a network cut) fails its request; the pool then
    replaces every connection older than the failure.
    """
    if type(dbapi_connection).__module__.startswith("psycopg") and _has_pending_input(
        dbapi_connection
    ):
        from sqlalchemy.exc import DisconnectionError

        raise DisconnectionError("the server has closed this connection")


def _has_pending_input(dbapi_connection: Any) -> bool:
    if dbapi_connection.closed:
        return True  # closed on our side already
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _init_core(app: Flask) -> None:
    """The extensions and services every feature builds on."""
    from campaign_app.crypto import init_crypto
    from campaign_app.errors import init_error_handlers
    from campaign_app.extensions import csrf, db, login_manager
    from campaign_app.form_messages import init_app as init_form_messages
    from campaign_app.i18n import init_i18n
    from campaign_app.lazy_cli import init_migrate
    from campaign_app.microcache import init_microcache
    from campaign_app.outbox import init_outbox
    from campaign_app.queue import init_queue
    from campaign_app.ratelimits import init_rate_limits
    from campaign_app.security import init_security

    init_crypto(app)
    db.init_app(app)
    init_migrate(app, db, directory=_asset_folder("migrations"))
    init_i18n(app)
    init_form_messages(app)
    init_rate_limits(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    init_queue(app)
    init_outbox(app)
    init_microcache(app)
    init_security(app)
    init_error_handlers(app)
