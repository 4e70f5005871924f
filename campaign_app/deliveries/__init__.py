"""Hand-ins: when, where and to whom a petition's signatures were handed in, what happened,
with photos; public on the petition's page and in the API once published."""

from typing import Any

from flask import Blueprint, Flask

from campaign_app.petitions.page import register_version_part

bp = Blueprint("deliveries", __name__, url_prefix="/hand-ins")


def init_app(app: Flask) -> None:
    """Register the photo route and the organiser pages."""
    # Importing the modules attaches their views to the blueprints.
    from campaign_app.deliveries import routes  # noqa: F401
    from campaign_app.deliveries.labels import outcome_label
    from campaign_app.deliveries.organise.routes import bp as organise_bp

    app.register_blueprint(bp)
    app.register_blueprint(organise_bp)
    app.jinja_env.globals["hand_in_outcome"] = outcome_label
    register_version_part(app, _petition_page_version)


def _petition_page_version(petition_id: Any, campaign_id: Any) -> list[Any]:
    """What changes when the petition's hand-ins (published or not) or their photos do."""
    from sqlalchemy import func, select

    from campaign_app.deliveries.models import Delivery, DeliveryPhoto

    of_petition = Delivery.petition_id == petition_id
    return [
        select(func.count(Delivery.id)).where(of_petition).scalar_subquery(),
        select(func.max(Delivery.updated_at)).where(of_petition).scalar_subquery(),
        # Photos are added and deleted; an edit of a photo's texts touches its hand-in's
        # updated_at (service.update_photo_texts). The translations are columns of these rows.
        select(func.count(DeliveryPhoto.id)).join(Delivery).where(of_petition).scalar_subquery(),
        select(func.max(DeliveryPhoto.id)).join(Delivery).where(of_petition).scalar_subquery(),
    ]
