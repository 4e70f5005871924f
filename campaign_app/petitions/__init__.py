"""Petitions: signing with e-mail confirmation, exact counts, public pages, organiser pages."""

from flask import Blueprint, Flask

bp = Blueprint("petitions", __name__, url_prefix="/petitions", cli_group="petitions")


def init_app(app: Flask) -> None:
    """Register the public pages and CLI, the organiser's petition pages, signers' e-mail
    as a source of the mail outbox, and the job that folds the counters' shards."""
    # Importing the modules attaches their views and commands to the blueprint.
    from campaign_app.outbox import register_mail_source
    from campaign_app.petitions import commands, routes  # noqa: F401
    from campaign_app.petitions.jobs import fold_counters
    from campaign_app.petitions.organise.routes import bp as organise_bp
    from campaign_app.petitions.outbox import SignatureMail
    from campaign_app.queue import every_minute

    app.register_blueprint(bp)
    app.register_blueprint(organise_bp)
    register_mail_source(app, SignatureMail())
    every_minute(app, fold_counters)
    app.jinja_env.globals["petition_text"] = _petition_text


def _petition_text(petition: object) -> object:
    """Template helper: the petition's texts in the page's language (or the original)."""
    from flask_babel import get_locale

    from campaign_app.petitions.texts import petition_text

    return petition_text(petition, str(get_locale()))  # type: ignore[arg-type]
