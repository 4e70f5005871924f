"""Public prisoner pages."""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue

from campaign_app.db import utcnow
from campaign_app.prisoners import bp, service


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template("prisoners/index.html", prisoners=service.list_prisoners())


@bp.get("/<slug>")
def show(slug: str) -> ResponseReturnValue:
    prisoner = service.get_prisoner(slug) or abort(404)
    return render_template("prisoners/show.html", prisoner=prisoner, today=utcnow().date())
