"""Paper signatures: sheets to print, batches entered as counts, row by row or from a CSV
file, and their invalidation as a whole. Organiser side only; the public pages read the
counts by source (petitions.counting)."""

from flask import Blueprint, Flask

bp = Blueprint("paper", __name__, url_prefix="/organise")

from campaign_app.paper import models  # noqa: E402, F401 (the tables)


def init_app(app: Flask) -> None:
    """Register the organiser pages, and the job that deletes uploads left unimported."""
    # Importing the module attaches the views to the blueprint.
    from campaign_app.paper.jobs import delete_expired_imports
    from campaign_app.paper.labels import kind_label, state_label
    from campaign_app.paper.organise import routes  # noqa: F401
    from campaign_app.queue import every_minute

    app.register_blueprint(bp)
    every_minute(app, delete_expired_imports)
    app.jinja_env.globals.update(paper_kind_label=kind_label, paper_state_label=state_label)
