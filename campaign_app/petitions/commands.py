"""`flask petitions ...` commands."""

from __future__ import annotations

import json
import sys

import click
from sqlalchemy import select

from campaign_app.extensions import db
from campaign_app.petitions import bp, service
from campaign_app.petitions.models import Petition


@bp.cli.command("fold-counters")
def fold_counters() -> None:
    """Fold the counters' shards into one row each now (the worker does it every minute)."""
    from campaign_app.petitions.jobs import fold_counters as fold

    click.echo(f"Folded {fold()} counter shards.")


@bp.cli.command("recount")
@click.argument("slug", required=False)
@click.option("--fix/--check", default=True, help="Repair drift (default) or only report it.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def recount(slug: str | None, fix: bool, as_json: bool) -> None:
    """Recompute counts from the signature rows and report any drift (all petitions by default)."""
    query = select(Petition).order_by(Petition.id)
    if slug:
        query = query.where(Petition.slug == slug)
    petitions = list(db.session.scalars(query))
    if slug and not petitions:
        raise click.ClickException(f"No petition with slug {slug!r}.")
    results: dict[str, dict[str, int]] = {}
    # The bar goes to stderr so that --json output on stdout stays parseable.
    with click.progressbar(petitions, label="Recounting", file=sys.stderr) as bar:
        for petition in bar:
            results[petition.slug] = service.recount(petition, fix=fix)
    if as_json:
        click.echo(json.dumps({"fixed": fix, "drift": results}, indent=2, sort_keys=True))
        return
    for petition_slug, differences in results.items():
        if not differences:
            click.echo(f"{petition_slug}: counts match the rows.")
            continue
        total = sum(differences.values())
        detail = ", ".join(f"{country} {delta:+d}" for country, delta in differences.items())
        verb = "fixed" if fix else "found"
        click.echo(f"{petition_slug}: drift {total:+d} {verb} ({detail}).")
