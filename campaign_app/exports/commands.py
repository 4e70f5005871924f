"""`flask petitions export`: a delivery list written from the command line.

The command belongs to the petitions group, where operators look for it, and lives here with
the rest of the exports: it is declared on the petitions blueprint's CLI group, the same
``bp.cli.command`` decoration every feature's commands use, when exports.init_app imports
this module.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click
from sqlalchemy import select

from campaign_app.countries import country_codes
from campaign_app.exports.rows import Selection, count_rows
from campaign_app.exports.write import write_selection
from campaign_app.exports.writers import FORMATS
from campaign_app.extensions import db
from campaign_app.petitions import bp as petitions
from campaign_app.petitions.models import Petition
from campaign_app.translated import CONTENT_LANGUAGES


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.ClickException(
            f"{option} must be a date as YYYY-MM-DD, not {value!r}."
        ) from None


def _parse_countries(values: tuple[str, ...]) -> frozenset[str]:
    codes = {value.strip().upper() for value in values}
    unknown = sorted(codes - country_codes())
    if unknown:
        raise click.ClickException(f"Unknown country code(s): {', '.join(unknown)}.")
    return frozenset(codes)


def _check_output(path: Path) -> None:
    """Fail before reading any rows when ``path`` clearly cannot be written."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise click.ClickException(f"Cannot write {path}: it is a folder.")
    if not folder.is_dir():
        raise click.ClickException(f"Cannot write {path}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise click.ClickException(f"Cannot write {path}: the folder {folder} is not writable.")


@petitions.cli.command("export")
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
@click.option(
    "--language",
    type=click.Choice(CONTENT_LANGUAGES),
    help="The PDF's language (default: the petition's).",
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
    language: str | None,
) -> None:
    """Export a petition's signatures for delivery (names as each signer allowed, no e-mails)."""
    since_day = _parse_day(since, "--since")
    until_day = _parse_day(until, "--until")
    if since_day and until_day and since_day > until_day:
        raise click.ClickException("--since must not be after --until.")
    selection = Selection(
        confirmed_only=not all_states,
        since=since_day,
        until=until_day,
        countries=_parse_countries(countries),
    )
    petition = db.session.scalar(select(Petition).where(Petition.slug == slug))
    if petition is None:
        raise click.ClickException(f"No petition with slug {slug!r}.")
    _check_output(output)
    # The bar goes to stderr so that stdout carries only the summary.
    with click.progressbar(
        length=count_rows(petition.id, selection), label="Exporting", file=sys.stderr
    ) as bar:
        shown = 0

        def progress(done: int) -> None:
            nonlocal shown
            bar.update(done - shown)
            shown = done

        try:
            written = write_selection(
                petition,
                selection,
                output,
                fmt,
                actor=None,
                via="cli",
                target=petition.slug,
                bom=bom,
                progress=progress,
                language=language,
            )
        except OSError as error:
            raise click.ClickException(
                f"Cannot write {output}: {error.strerror or error}."
            ) from None
    db.session.commit()  # the audit entry
    click.echo(f"Exported {written} signatures to {output}")
    if written == 0:
        holds = {"json": "an empty list", "pdf": "only the cover page"}.get(
            fmt, "only the header row"
        )
        click.echo(f"Note: no signature matched the selection; the file holds {holds}.")
