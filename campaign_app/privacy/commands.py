"""`flask privacy ...` commands: the retention purge, for cron."""

from __future__ import annotations

import json
import sys

import click

from campaign_app.privacy import bp, retention


@bp.cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only report what would be done.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def purge(dry_run: bool, as_json: bool) -> None:
    """Anonymise petitions closed ANONYMISE_AFTER_DAYS ago, delete old unconfirmed
    signatures, clear old IP hashes and expired erasure requests."""
    # The bar goes to stderr so that --json output on stdout stays parseable.
    with click.progressbar(length=1, label="Purging", file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        report = retention.purge(dry_run=dry_run, via="cli", progress=progress)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, sort_keys=True))
        return
    verb = "would be" if dry_run else "were"
    click.echo(
        f"{report.petitions_anonymised} petition(s) {verb} anonymised "
        f"({report.signatures_anonymised} signature(s) erased; counts stay)."
    )
    click.echo(f"{report.unconfirmed_deleted} unconfirmed signature(s) {verb} deleted.")
    click.echo(f"{report.ip_hashes_cleared} IP hash(es) {verb} cleared.")
    click.echo(f"{report.erasure_requests_deleted} expired erasure request(s) {verb} deleted.")
    if dry_run:
        click.echo("Dry run: nothing was changed.")
