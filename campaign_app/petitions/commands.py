"""`flask petitions ...` commands."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

import click
from sqlalchemy import select

from campaign_app.audit import service as audit
from campaign_app.countries import country_codes
from campaign_app.exports import FORMATS, formats
from campaign_app.extensions import db
from campaign_app.petitions import bp, service
from campaign_app.petitions.models import Petition


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


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.ClickException(
            f"{option} must be a date as YYYY-MM-DD, not {value!r}."
        ) from None


def _parse_countries(values: tuple[str, ...]) -> set[str] | None:
    codes = {value.strip().upper() for value in values}
    unknown = sorted(codes - country_codes())
    if unknown:
        raise click.ClickException(f"Unknown country code(s): {', '.join(unknown)}.")
    return codes or None


def _check_output(path: Path) -> Path:
    """Fail before reading any rows when ``path`` clearly cannot be written."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise click.ClickException(f"Cannot write {path}: it is a folder.")
    if not folder.is_dir():
        raise click.ClickException(f"Cannot write {path}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise click.ClickException(f"Cannot write {path}: the folder {folder} is not writable.")
    return folder


@bp.cli.command("export")
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The file to write (written to a temporary file first, then renamed).",
)
@click.option("--bom", is_flag=True, help="Start the CSV with a UTF-8 BOM (for Excel).")
@click.option("--all-states", is_flag=True, help="Include pending and invalidated signatures too.")
@click.option("--since", metavar="YYYY-MM-DD", help="Confirmed on or after this UTC date.")
@click.option("--until", metavar="YYYY-MM-DD", help="Confirmed on or before this UTC date.")
@click.option(
    "--country", "countries", multiple=True, metavar="CODE", help="ISO code; repeat for several."
)
def export_signatures(
    slug: str,
    fmt: str,
    output: Path,
    bom: bool,
    all_states: bool,
    since: str | None,
    until: str | None,
    countries: tuple[str, ...],
) -> None:
    """Export a petition's signatures for delivery (names as each signer allowed, no e-mails)."""
    since_day = _parse_day(since, "--since")
    until_day = _parse_day(until, "--until")
    if since_day and until_day and since_day > until_day:
        raise click.ClickException("--since must not be after --until.")
    country_filter = _parse_countries(countries)
    petition = db.session.scalar(select(Petition).where(Petition.slug == slug))
    if petition is None:
        raise click.ClickException(f"No petition with slug {slug!r}.")
    folder = _check_output(output)
    selection = formats.Selection(
        confirmed_only=not all_states,
        since=since_day,
        until=until_day,
        countries=frozenset(country_filter or ()),
    )
    length = formats.count_rows(petition.id, selection)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise click.ClickException(f"Cannot write {output}: {error.strerror or error}.") from None
    try:
        # The bar goes to stderr so that stdout carries only the summary.
        with (
            click.progressbar(length=length, label="Exporting", file=sys.stderr) as bar,
            os.fdopen(handle, "wb") as out,
        ):
            shown = 0

            def progress(done: int) -> None:
                nonlocal shown
                bar.update(done - shown)
                shown = done

            written = formats.write_export(
                petition, selection, fmt, out, bom=bom, progress=progress
            )
        os.chmod(temporary, 0o644)
        os.replace(temporary, output)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise click.ClickException(f"Cannot write {output}: {error.strerror or error}.") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    # Who took which personal data, and how much: the same entry as an export from the web.
    audit.record(
        "signatures.export",
        via="cli",
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=petition.slug,
        rows=written,
        details={"format": fmt, **selection.as_dict()},
    )
    db.session.commit()
    click.echo(f"Exported {written} signatures to {output}")
    if written == 0:
        holds = {"json": "an empty list", "pdf": "only the cover page"}.get(
            fmt, "only the header row"
        )
        click.echo(f"Note: no signature matched the selection; the file holds {holds}.")
