"""Home page, privacy note and the health check used by load balancers."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from campaign_app.extensions import db
from campaign_app.main import bp
from campaign_app.petitions import service as petitions
from campaign_app.prisoners import service as prisoners


@bp.get("/")
def home() -> ResponseReturnValue:
    return render_template(
        "main/home.html",
        petitions=petitions.list_public_petitions(),
        prisoners=prisoners.list_prisoners(),
    )


@bp.get("/privacy")
def privacy() -> ResponseReturnValue:
    return render_template("main/privacy.html")


@bp.get("/healthz")
def health() -> ResponseReturnValue:
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}, 200, {"Cache-Control": "no-store"}
