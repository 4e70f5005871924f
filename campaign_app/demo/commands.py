"""`flask demo load`: create or refresh the example campaign (idempotent); `flask demo
registry`: an invented registry of prisoners in institutions, at a real campaign's scale."""

from __future__ import annotations

import sys
from pathlib import Path

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


@bp.cli.command("registry")
@click.option(
    "--prisoners", "prisoner_count", type=click.IntRange(1, 20_000), default=1500, show_default=True
)
@click.option(
    "--institutions",
    "institution_count",
    type=click.IntRange(1, 500),
    default=60,
    show_default=True,
)
@click.option(
    "--campaign",
    "campaign_slug",
    default=data.CAMPAIGN_SLUG,
    show_default=True,
    help="The campaign the prisoners join (the demo campaign is created if missing).",
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Only write the CSV list to this file (import it with `flask prisoners import`).",
)
def registry(
    prisoner_count: int, institution_count: int, campaign_slug: str, csv_path: Path | None
) -> None:
    """Load an invented registry of prisoners in institutions (a CSV import), to try the
    registry at a real campaign's scale."""
    from campaign_app.campaigns.models import Campaign
    from campaign_app.demo.registry import registry_csv
    from campaign_app.prisoners.imports import service

    content = registry_csv(prisoner_count, institution_count)
    if csv_path is not None:
        csv_path.write_bytes(content)
        click.echo(
            f"Wrote {prisoner_count:,} prisoners in {institution_count} institutions to {csv_path}."
        )
        return
    if campaign_slug == data.CAMPAIGN_SLUG:
        data.load_demo()
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == campaign_slug))
    if campaign is None:
        raise click.ClickException(f"No campaign {campaign_slug!r}.")
    source = "Invented demo registry (flask demo registry)"
    try:
        with click.progressbar(length=prisoner_count, label="Importing", file=sys.stderr) as bar:
            done = service.commit_import(
                campaign,
                content,
                source,
                file_name="demo-registry.csv",
                accept_similar=True,
                via="cli",
                on_progress=bar.update,
            )
    except service.ImportRefused as refused:
        problems = "; ".join(f"line {p.line}: {p.message}" for p in refused.plan.errors[:5])
        raise click.ClickException(f"The registry was not loaded: {problems}") from None
    counts = done.summary
    click.echo(
        f"Registry loaded into {campaign_slug}: {counts['new_prisoners']:,} new prisoners,"
        f" {counts['new_institutions']} new institutions, {counts['unchanged']:,} unchanged."
    )
