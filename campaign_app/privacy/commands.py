"""`flask privacy ...` commands: the retention purge, for cron; the signer-data key rotation."""

from __future__ import annotations

import json
import sys

import click

from campaign_app.privacy import bp, retention
from campaign_app.privacy.service import rotating


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


@bp.cli.command("rotate-key")
@click.option("--check", is_flag=True, help="Only count the rows still under an older key.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def rotate_key(check: bool, as_json: bool) -> None:
    """Re-encrypt signers' names, e-mails and cities under the first key of
    CAMPAIGN_SIGNER_DATA_KEYS, in batches. Safe to stop and run again; when it reports
    nothing left, the older keys can be removed from the setting."""
    if check:
        left = rotating.count_stale()
        if as_json:
            click.echo(json.dumps({"rows_under_older_keys": left}))
        else:
            click.echo(f"{left} row(s) hold data encrypted under an older key.")
        return
    with click.progressbar(length=1, label="Re-encrypting", file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        report = rotating.rotate_key(progress=progress)
    # Rows written meanwhile by a server still running with the old setting show up here.
    left = rotating.count_stale()
    if as_json:
        click.echo(json.dumps(report.as_dict() | {"rows_left": left}, indent=2, sort_keys=True))
        return
    click.echo(f"{report.rows} row(s) re-encrypted under the current key.")
    if left:
        click.echo(
            f"{left} row(s) were written under an older key meanwhile: make sure every server "
            "and worker runs with the new key first, then run this again."
        )
        return
    click.echo(
        "Every row is under the current key now: the older keys can be removed from "
        "CAMPAIGN_SIGNER_DATA_KEYS."
    )
