"""`flask demo load`: create or refresh the example campaign (idempotent)."""

from __future__ import annotations

import click
from sqlalchemy import select

from campaign_app.demo import bp, data
from campaign_app.demo import history as history_module
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition
from campaign_app.prisoners.models import Prisoner


@bp.cli.command("load")
@click.option(
    "--history/--no-history",
    default=True,
    show_default=True,
    help="Also add the invented 2011-2013 signatures and cards sent (example data).",
)
def load(history: bool) -> None:
    """Create the Ales Bialiatski example campaign; running it again changes nothing."""
    created = data.load_demo()
    added = history_module.History(0, 0)
    if history:
        added = history_module.load_history(
            db.session.scalar(select(Petition).where(Petition.slug == data.PETITION_SLUG)),
            db.session.scalar(select(Prisoner).where(Prisoner.slug == data.PRISONER_SLUG)),
        )
    if created:
        click.echo(
            "Demo campaign created: /petitions/free-ales-bialiatski, /prisoners/ales-bialiatski"
        )
    if added.signatures or added.cards:
        click.echo(
            f"Example history added: {added.signatures:,} confirmed signatures (2011-2013) and "
            f"{added.cards:,} cards reported sent."
        )
    if not created and not (added.signatures or added.cards):
        click.echo("Demo campaign already present; nothing changed.")
