"""`flask prisoners ...` commands."""

from __future__ import annotations

import json

import click
from sqlalchemy import select

from campaign_app.extensions import db
from campaign_app.prisoners import bp
from campaign_app.prisoners.models import Prisoner
from campaign_app.prisoners.tallies import recount_cards_sent


@bp.cli.command("refresh-registry")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def refresh_registry(as_json: bool) -> None:
    """Rebuild every prisoner's search keys and cards-sent tally (after a bulk load, or a
    change to the spelling rules); prints how many changed."""
    keys = 0
    for prisoner in db.session.scalars(select(Prisoner)):
        before = (prisoner.search_key, prisoner.search_plain)
        prisoner.refresh_search_keys()
        keys += before != (prisoner.search_key, prisoner.search_plain)
    db.session.flush()
    tallies = recount_cards_sent(db.session)
    db.session.commit()
    if as_json:
        click.echo(json.dumps({"search_keys_changed": keys, "tallies_changed": tallies}))
        return
    click.echo(f"Search keys rebuilt for {keys} prisoners; cards-sent tally fixed for {tallies}.")
