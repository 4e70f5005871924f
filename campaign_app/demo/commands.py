"""`flask demo load`: create or refresh the example campaign (idempotent)."""

from __future__ import annotations

import click

from campaign_app.demo import bp, data


@bp.cli.command("load")
def load() -> None:
    """Create the Ales Bialiatski example campaign; running it again changes nothing."""
    created = data.load_demo()
    if created:
        click.echo(
            "Demo campaign created: /petitions/free-ales-bialiatski, /prisoners/ales-bialiatski"
        )
    else:
        click.echo("Demo campaign already present; nothing changed.")
