"""`flask prisoners ...`: import a list of prisoners and institutions, refresh the registry."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from sqlalchemy import select

from campaign_app.campaigns.models import Campaign
from campaign_app.extensions import db
from campaign_app.prisoners import bp
from campaign_app.prisoners.imports import service
from campaign_app.prisoners.imports.csvfile import FileRefused
from campaign_app.prisoners.imports.plan import Plan
from campaign_app.prisoners.models import Prisoner
from campaign_app.prisoners.tallies import recount_cards_sent


def _echo_plan(plan: Plan) -> None:
    counts = plan.summary()
    for name, count in counts.items():
        click.echo(f"{name.replace('_', ' ')}: {count}", err=True)
    for entry in plan.transferred[:50]:
        move = entry.transfer
        assert move is not None
        click.echo(
            f"  transfer line {entry.line}: {move.from_code or '-'} -> {move.to_code}", err=True
        )
    for entry in plan.similar:
        click.echo(
            f"  possible duplicate line {entry.line}: similar to {'; '.join(entry.similar)}",
            err=True,
        )
    for problem in plan.errors:
        click.echo(f"  error line {problem.line}: {problem.message}", err=True)
    for problem in plan.warnings[:50]:
        click.echo(f"  warning line {problem.line}: {problem.message}", err=True)


@bp.cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--campaign", "campaign_slug", required=True, metavar="SLUG")
@click.option("--source", default="", help="Where the list comes from (default: the file name).")
@click.option("--dry-run", is_flag=True, help="Show what would change; store nothing.")
@click.option("--yes", is_flag=True, help="Import without asking after the preview.")
@click.option(
    "--accept-similar",
    is_flag=True,
    help="Add lines flagged as possible duplicates under another spelling as new prisoners.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON on stdout.")
def import_command(
    file: Path,
    campaign_slug: str,
    source: str,
    dry_run: bool,
    yes: bool,
    accept_similar: bool,
    as_json: bool,
) -> None:
    """Import prisoners and institutions from FILE (CSV, UTF-8; see the README's columns),
    all or nothing, after a preview."""
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == campaign_slug))
    if campaign is None:
        raise click.ClickException(f"No campaign {campaign_slug!r}.")
    content = file.read_bytes()
    source = source or file.name
    try:
        plan = service.plan_file(campaign, content, source)
    except FileRefused as error:
        raise click.ClickException(error.message) from None
    _echo_plan(plan)
    if plan.errors:
        raise click.ClickException("The file has errors: nothing was imported.")
    if plan.similar and not accept_similar:
        raise click.ClickException(
            "Some lines may be prisoners on record under another spelling: check them, then"
            " run again with --accept-similar if they are different people. Nothing was imported."
        )
    if dry_run or not plan.has_changes:
        click.echo("Nothing imported" + (" (dry run)." if dry_run else ": no changes."), err=True)
        if as_json:
            click.echo(json.dumps(plan.summary()))
        return
    if not yes and not click.confirm("Import these changes?", err=True):
        raise click.ClickException("Nothing was imported.")
    with click.progressbar(length=len(plan.prisoners), label="Importing", file=sys.stderr) as bar:
        done = service.commit_import(
            campaign,
            content,
            source,
            file_name=file.name,
            accept_similar=accept_similar,
            via="cli",
            on_progress=bar.update,
        )
    click.echo("Imported.", err=True)
    if as_json:
        click.echo(json.dumps(done.summary))


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
