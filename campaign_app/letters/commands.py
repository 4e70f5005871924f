"""`flask letters ...` commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from campaign_app.institutions.models import Region
from campaign_app.letters import bp, designs, printing, printing_choices
from campaign_app.letters.models import Artwork


@bp.cli.command("postcards")
@click.option(
    "--prisoner",
    "prisoners",
    multiple=True,
    metavar="SLUG",
    help="A prisoner's slug; repeat for several (round-robin). Default: all who accept mail.",
)
@click.option(
    "--institution",
    metavar="CODE",
    help="Only the prisoners held in this institution (its code, e.g. ИК-2, or its id).",
)
@click.option(
    "--region",
    type=click.Choice([region.value for region in Region]),
    help="Only the prisoners held in an institution of this region.",
)
@click.option("--occasion", required=True, metavar="SLUG", help="e.g. birthday, new-year.")
@click.option(
    "--count",
    type=int,
    default=4,
    show_default=True,
    help=f"Cards to print, 1..{printing.MAX_CARDS_PER_REQUEST}.",
)
@click.option("--layout", type=click.Choice(printing.LAYOUTS), default="a4-4up", show_default=True)
@click.option("--mode", type=click.Choice(printing.MODES), default="duplex", show_default=True)
@click.option(
    "--design",
    type=click.Choice([designs.VARIED, *(a.value for a in Artwork)]),
    default=designs.VARIED,
    show_default=True,
    help="The fronts' design; varied: those that suit the occasion, card by card.",
)
@click.option(
    "--language",
    type=click.Choice(["ru", "be"]),
    default=None,
    help="Print the cards in this language where the prisoner accepts it. Default: each "
    "prisoner's usual language.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The PDF to write (written to a temporary file first, then renamed).",
)
def postcards(
    prisoners: tuple[str, ...],
    institution: str | None,
    region: str | None,
    occasion: str,
    count: int,
    layout: str,
    mode: str,
    design: str,
    language: str | None,
    output: Path,
) -> None:
    """Print a stack of postcards for one or several prisoners, or those of an institution or
    region, as one PDF (round-robin, fewest cards sent first)."""
    place = None
    if institution:
        place = printing_choices.find_institution(institution)
        if place is None:
            raise click.ClickException(f"No institution {institution!r} in the registry.")
    data = printing.BatchInput(
        prisoners,
        occasion,
        count,
        layout=layout,
        mode=mode,
        design=design,
        language=language or "",
        institution_id=place.id if place else None,
        region=region or "",
    )
    try:
        printing.check_output_path(output)
        batch = printing.plan_batch(data)
        for skipped in batch.skipped:
            click.echo(f"Skipped {skipped.slug}: {skipped.reason}.", err=True)
        # The bar goes to stderr so that stdout carries only the summary.
        with click.progressbar(
            length=len(batch.cards), label="Drawing cards", file=sys.stderr
        ) as bar:

            def advance(done: int) -> None:
                bar.update(done - bar.pos)

            pages = printing.write_batch_file(batch, output, on_progress=advance)
    except printing.PrintingError as error:
        raise click.ClickException(str(error)) from None
    shares = ", ".join(f"{share.slug} {share.count}" for share in batch.shares)
    click.echo(f"Wrote {output}: {len(batch.cards)} cards on {pages} pages ({shares}).")
    click.echo("Print at 100% / actual size.")
    if mode == "duplex":
        click.echo("Print on both sides, flipping on the long edge.")
