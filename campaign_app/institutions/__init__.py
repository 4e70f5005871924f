"""Institutions: penal colonies and remand prisons, their postal addresses and mail rules.

A prisoner held in an institution gets the institution's address plus a unit line; a change
of the institution's address or rules reaches all its prisoners at once.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the organiser's institution pages and the labels of kinds, regions and rules."""
    from campaign_app.institutions.labels import (
        institution_name,
        kind_label,
        mail_rule_label,
        region_label,
    )
    from campaign_app.institutions.routes import bp

    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        institution_kind_label=kind_label,
        institution_name=institution_name,
        region_label=region_label,
        mail_rule_label=mail_rule_label,
    )
