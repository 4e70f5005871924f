"""Campaign app: petitions, letters and postcards for political prisoners."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from campaign_app import config as settings

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


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, instance/config.py, CAMPAIGN_* variables, then test_config."""
    app = Flask(
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
    _configure_rate_limits(app)
    _init_extensions(app)
    _register_blueprints(app)
    _configure_templates(app)
    return app


def _configure_templates(app: Flask) -> None:
    from flask_babel import format_date, format_datetime, format_number, format_percent, get_locale

    from campaign_app.countries import country_name
    from campaign_app.db import utcnow
    from campaign_app.labels import occasion_name, state_label
    from campaign_app.markdown import render_markdown

    app.after_request(_remember_language)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals.update(
        now=utcnow,
        country_name=country_name,
        format_date=format_date,
        format_datetime=format_datetime,
        format_number=format_number,
        format_percent=format_percent,
        get_locale=get_locale,
        offered_languages=offered_languages,
        state_label=state_label,
        occasion_name=occasion_name,
        language_names=LANGUAGE_NAMES,
    )


def _configure_logging(app: Flask) -> None:
    level = getattr(logging, str(app.config["LOG_LEVEL"]).upper(), logging.INFO)
    logging.getLogger("campaign_app").setLevel(level)
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _configure_database(app: Flask) -> None:
    uri = settings.database_uri(app.config["DATABASE_URL"], app.instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    # hide_parameters: database errors in the log must not carry signers' names or e-mails.
    options: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}
    if uri.startswith("sqlite"):
        # Writes take the lock up front (no deadlocked lock upgrades); readers never wait.
        options = {
            "hide_parameters": True,
            "connect_args": {"timeout": 30, "isolation_level": "IMMEDIATE"},
        }
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", options)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    if type(dbapi_connection).__module__ == "sqlite3":
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _configure_rate_limits(app: Flask) -> None:
    if not app.config["RATELIMIT_STORAGE_URI"]:
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or "memory://"


def _init_extensions(app: Flask) -> None:
    from campaign_app.accounts.service import load_user
    from campaign_app.errors import init_error_handlers
    from campaign_app.extensions import babel, csrf, db, limiter, login_manager, migrate
    from campaign_app.microcache import init_microcache
    from campaign_app.queue import init_queue
    from campaign_app.security import init_security

    db.init_app(app)
    migrate.init_app(app, db, directory=_asset_folder("migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    # Forms check their own token and re-render with the entries kept; the organiser area's
    # button-only forms are checked by accounts.routes (see _check_csrf).
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    init_queue(app)
    init_microcache(app)
    init_security(app)
    init_error_handlers(app)


LANGUAGE_COOKIE = "lang"
# Each language's name in itself, for the switcher.
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "be": "Беларуская", "fr": "Français"}


def offered_languages() -> list[str]:
    """The interface languages of this installation (LANGUAGES), first one the fallback."""
    from flask import current_app

    return [
        code.strip() for code in str(current_app.config["LANGUAGES"]).split(",") if code.strip()
    ]


def select_locale() -> str | None:
    """``?lang=`` in the URL, then the language chosen before (a cookie), then the browser's
    Accept-Language, then the first offered language. Unknown codes are ignored."""
    from flask import request

    offered = offered_languages()
    for candidate in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if candidate in offered:
            return candidate
    return request.accept_languages.best_match(offered) or (offered[0] if offered else None)


def _remember_language(response: Any) -> Any:
    """A language picked with ``?lang=`` is kept in a cookie for the next pages."""
    from flask import request

    chosen = request.args.get("lang")
    if "public" in response.headers.get("Cache-Control", ""):
        return response  # shared caches (the embed, the share image) must get no cookie
    if chosen and chosen in offered_languages() and request.cookies.get(LANGUAGE_COOKIE) != chosen:
        response.set_cookie(
            LANGUAGE_COOKIE,
            chosen,
            max_age=365 * 86400,
            samesite="Lax",
            httponly=True,
            secure=bool(request.is_secure),
        )
    return response


def _register_blueprints(app: Flask) -> None:
    from campaign_app import (
        accounts,
        api,
        audit,
        campaigns,
        demo,
        exports,
        letters,
        main,
        moderation,
        organisers,
        petitions,
        prisoners,
        privacy,
        sharing,
        statistics,
    )

    app.register_blueprint(main.bp)
    petitions.init_app(app)
    prisoners.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(demo.bp)
    letters.init_app(app)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(organisers.bp)
    campaigns.init_app(app)
    app.register_blueprint(statistics.bp)
    app.register_blueprint(moderation.bp)
    app.register_blueprint(privacy.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(sharing.bp)
