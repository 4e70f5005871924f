"""Batch printing: stacks of postcards for stalls and writing evenings, as one PDF.

Who gets the cards: the chosen prisoners (or everyone who accepts mail), minus those who are
released or have no address to print. The cards go round-robin, starting with the prisoner
who has had the fewest cards reported sent (``CardSent`` sums), so every chosen prisoner gets
a share and the odd cards left over go to those who got fewest.

What the cards say, each card in one language its prisoner accepts (the language asked for
when the prisoner accepts it): the occasion's greeting on the front (on top of the message
when only the message side is printed); on the back a few of the occasion's reviewed phrases
(two of its own, two for any occasion: see letters/phrasebook.py) and, as the signature, a
dash and a line to sign on by hand: each activist signs the card they post with their own
first name, and no name is printed or stored.

A stack looks hand-made: card n gets the n-th phrase set and the n-th design of those that
suit the occasion (letters/designs.py), so neighbouring cards differ and the same request
always gives the same stack. letters/printing_cards.py builds the cards from the picks.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import selectinload

from campaign_app.db import utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.institutions.models import Institution, Region
from campaign_app.letters import designs, phrasebook, printing_cards
from campaign_app.letters.models import Artwork, CardSent, Occasion
from campaign_app.prisoners.models import MAIL_STATUSES, Prisoner
from campaign_app.prisoners.service import public_prisoners

if TYPE_CHECKING:
    from campaign_app.letters.pdf import Card

log = logging.getLogger(__name__)

# Per request (web or CLI): a bigger print run is several requests.
MAX_CARDS_PER_REQUEST = 1_000
LAYOUTS = ("a4-4up", "letter-2up")
MODES = ("duplex", "message-only", "fronts-only")
CARD_LANGUAGES = ("", "ru", "be")  # "": each prisoner's usual language
PDF_MIMETYPE = "application/pdf"


class PrintingError(CampaignError):
    """A batch that cannot be printed; ``str(error)`` is a message for the activist."""


class CountOutOfRange(PrintingError):
    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__(
            f"Choose between 1 and {MAX_CARDS_PER_REQUEST:,} cards per request (not {count})."
        )


class UnknownPrisoners(PrintingError):
    def __init__(self, slugs: Sequence[str]) -> None:
        self.slugs = tuple(slugs)
        super().__init__(f"No prisoner with the slug {', '.join(map(repr, self.slugs))}.")


class UnknownInstitution(PrintingError):
    def __init__(self, institution: int | str) -> None:
        self.institution = institution
        super().__init__(f"No institution {institution!r} in the registry.")


class UnknownRegion(PrintingError):
    def __init__(self, region: str) -> None:
        self.region = region
        choices = ", ".join(item.value for item in Region)
        super().__init__(f"No region {region!r}: choose {choices}.")


class PrisonersAndPlace(PrintingError):
    """Prisoners chosen by name and an institution or region: the cards would go to whom?"""

    def __init__(self) -> None:
        super().__init__("Choose prisoners by name or by institution and region, not both.")


class UnknownOccasion(PrintingError):
    def __init__(self, slug: str) -> None:
        self.slug = slug
        super().__init__(f"No active occasion with the slug {slug!r}.")


class NoPhrases(PrintingError):
    def __init__(self, occasion: Occasion) -> None:
        self.occasion = occasion
        super().__init__(f"The occasion {occasion.name_en!r} has no reviewed phrases to print yet.")


class NoWritablePrisoners(PrintingError):
    def __init__(self, skipped: Sequence[Skipped], *, by_place: bool = False) -> None:
        self.skipped = tuple(skipped)
        self.by_place = by_place  # chosen by institution or region
        reasons = "; ".join(f"{item.name}: {item.reason}" for item in self.skipped)
        if by_place and not reasons:
            reasons = "nobody there accepts mail now"
        super().__init__(
            "None of the chosen prisoners can receive a card"
            + (f" ({reasons})." if reasons else " (nobody accepts mail now).")
        )


class CardRefused(PrintingError):
    """The renderer refused a card (a glyph the font lacks, a message that cannot fit)."""

    def __init__(
        self, message: str, characters: tuple[str, ...] = (), excess_chars: int = 0
    ) -> None:
        super().__init__(message)
        self.characters = characters
        self.excess_chars = excess_chars


class OutputNotWritable(PrintingError):
    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(f"Cannot write {path}: {reason}.")


@dataclass(frozen=True)
class BatchInput:
    """What the activist asked for; no slugs means everyone who accepts mail (in the
    institution and region, when one is given)."""

    prisoner_slugs: tuple[str, ...]
    occasion_slug: str
    count: int
    layout: str = "a4-4up"
    mode: str = "duplex"
    design: str = designs.VARIED
    language: str = ""  # "ru" or "be" where the prisoner accepts it; "": the usual one
    institution_id: int | None = None  # only the prisoners held there
    region: str = ""  # only the prisoners held in an institution of this Region

    @property
    def is_by_place(self) -> bool:
        return self.institution_id is not None or bool(self.region)


@dataclass(frozen=True)
class Skipped:
    slug: str
    name: str
    reason: str


@dataclass(frozen=True)
class Share:
    slug: str
    name: str
    count: int


@dataclass(frozen=True)
class Batch:
    """The cards to print, in order, and who gets how many."""

    occasion: Occasion
    layout: str
    mode: str
    cards: tuple[Card, ...]
    shares: tuple[Share, ...]
    skipped: tuple[Skipped, ...]

    @property
    def filename(self) -> str:
        return f"cards-{self.occasion.slug}-{len(self.cards)}-{self.layout}-{self.mode}.pdf"


# Queries --------------------------------------------------------------------------------


def list_printable_prisoners() -> list[Prisoner]:
    """Prisoners a card can be posted to now, for the form's choices."""
    prisoners = db.session.scalars(
        public_prisoners()
        .options(selectinload(Prisoner.addresses))
        .order_by(Prisoner.surname_latin)
    )
    return [prisoner for prisoner in prisoners if why_not_printable(prisoner) is None]


def _place_conditions(institution_id: int | None, region: str) -> list[ColumnElement[bool]]:
    """Held in the institution, and in one of the region's institutions (checked inputs)."""
    conditions: list[ColumnElement[bool]] = []
    if institution_id is not None:
        if db.session.get(Institution, institution_id) is None:
            raise UnknownInstitution(institution_id)
        conditions.append(Prisoner.institution_id == institution_id)
    if region:
        try:
            in_region = select(Institution.id).where(Institution.region == Region(region))
        except ValueError:
            raise UnknownRegion(region) from None
        conditions.append(Prisoner.institution_id.in_(in_region.scalar_subquery()))
    return conditions


def list_occasions() -> list[Occasion]:
    return list(
        db.session.scalars(
            select(Occasion)
            .where(Occasion.is_active.is_(True))
            .order_by(Occasion.position, Occasion.id)
        )
    )


def cards_sent(prisoner_ids: Sequence[int]) -> dict[int, int]:
    """Cards reported sent per prisoner (all occasions), 0 for none."""
    totals = dict.fromkeys(prisoner_ids, 0)
    if prisoner_ids:
        rows = db.session.execute(
            select(CardSent.prisoner_id, func.sum(CardSent.count))
            .where(CardSent.prisoner_id.in_(prisoner_ids))
            .group_by(CardSent.prisoner_id)
        )
        for prisoner_id, total in rows:
            totals[prisoner_id] = int(total or 0)
    return totals


def why_not_printable(prisoner: Prisoner) -> str | None:
    """Why no card can go to ``prisoner`` now (for the command's output), or None."""
    if not prisoner.accepts_mail:
        return f"status is {prisoner.status.value}, no card can be posted"
    address = prisoner.latest_address
    if address is None or not address.lines(prisoner.address_language):
        return "no address on record"
    if not prisoner.addressee():
        return "no addressee name in the printed form"
    return None


# Use cases ------------------------------------------------------------------------------


def check_count(count: int) -> None:
    if not 1 <= count <= MAX_CARDS_PER_REQUEST:
        raise CountOutOfRange(count)


def round_robin(prisoners: Sequence[Prisoner], sent: dict[int, int], count: int) -> list[Prisoner]:
    """``count`` picks, cycling through prisoners ordered by fewest cards sent, then name."""
    order = sorted(prisoners, key=lambda p: (sent.get(p.id, 0), p.surname_latin, p.slug))
    return [order[index % len(order)] for index in range(count)]


def plan_batch(data: BatchInput) -> Batch:
    """Choose who gets each card and build the cards (reads only; nothing is stored)."""
    check_count(data.count)
    if data.layout not in LAYOUTS:
        raise PrintingError(f"Unknown layout {data.layout!r}: choose {', '.join(LAYOUTS)}.")
    if data.mode not in MODES:
        raise PrintingError(f"Unknown mode {data.mode!r}: choose {', '.join(MODES)}.")
    if data.design != designs.VARIED and data.design not in {a.value for a in Artwork}:
        raise PrintingError(f"Unknown design {data.design!r}.")
    if data.language not in CARD_LANGUAGES:
        raise PrintingError(f"Unknown card language {data.language!r}: choose ru or be.")
    occasion = db.session.scalar(
        select(Occasion).where(Occasion.slug == data.occasion_slug, Occasion.is_active.is_(True))
    )
    if occasion is None:
        raise UnknownOccasion(data.occasion_slug)
    candidates = _chosen_prisoners(data)
    skipped = []
    writable = []
    for prisoner in candidates:
        reason = why_not_printable(prisoner)
        if reason is None:
            writable.append(prisoner)
        else:
            skipped.append(Skipped(prisoner.slug, prisoner.name_latin, reason))
    if not writable:
        raise NoWritablePrisoners(skipped, by_place=data.is_by_place)
    picks = round_robin(writable, cards_sent([p.id for p in writable]), data.count)
    phrases = phrasebook.list_phrases(occasion, utcnow().date())
    if not phrases:
        raise NoPhrases(occasion)
    sets = phrasebook.phrase_sets(phrases, occasion)
    cards = printing_cards.build_cards(
        picks, occasion, sets, mode=data.mode, design=data.design, language=data.language
    )
    counts = Counter(pick.id for pick in picks)
    shares = tuple(Share(p.slug, p.name_latin, counts[p.id]) for p in writable if counts[p.id])
    return Batch(
        occasion=occasion,
        layout=data.layout,
        mode=data.mode,
        cards=cards,
        shares=shares,
        skipped=tuple(skipped),
    )


def _chosen_prisoners(data: BatchInput) -> list[Prisoner]:
    """The prisoners chosen by slug, or everyone who accepts mail (in the place chosen)."""
    query = public_prisoners().options(selectinload(Prisoner.addresses)).order_by(Prisoner.id)
    place = _place_conditions(data.institution_id, data.region)
    if data.prisoner_slugs and place:
        raise PrisonersAndPlace()
    if not data.prisoner_slugs:
        return list(db.session.scalars(query.where(Prisoner.status.in_(MAIL_STATUSES), *place)))
    wanted = list(dict.fromkeys(data.prisoner_slugs))
    found = {p.slug: p for p in db.session.scalars(query.where(Prisoner.slug.in_(wanted)))}
    unknown = [slug for slug in wanted if slug not in found]
    if unknown:
        raise UnknownPrisoners(unknown)
    return [found[slug] for slug in wanted]


def write_batch(
    batch: Batch, out: BinaryIO, *, on_progress: Callable[[int], None] | None = None
) -> int:
    """Render the batch's sheets into ``out``; returns the number of pages."""
    from campaign_app.letters import pdf

    try:
        pages: int = pdf.sheets_pdf(
            batch.cards,
            out,
            layout=batch.layout,  # type: ignore[arg-type]
            mode=batch.mode,  # type: ignore[arg-type]
            on_progress=on_progress,
        )
    except pdf.MissingGlyphs as error:
        raise CardRefused(
            "A card has characters the font cannot print: "
            + ", ".join(repr(char) for char in error.characters)
            + ". Ask an organiser to correct the phrase or the address.",
            characters=tuple(error.characters),
        ) from None
    except pdf.MessageTooLong as error:
        raise CardRefused(
            f"The occasion's phrases do not fit on a card (about {error.excess_chars} "
            "characters too many). Ask an organiser to shorten or unreview a phrase.",
            excess_chars=int(error.excess_chars),
        ) from None
    log.info(
        "Batch printed: occasion %s, %s cards, %s pages, %s prisoners",
        batch.occasion.id,
        len(batch.cards),
        pages,
        len(batch.shares),
    )
    return pages


def check_output_path(path: Path) -> None:
    """Fail early, before any drawing, when ``path`` clearly cannot be written."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputNotWritable(path, "it is a folder")
    if not folder.is_dir():
        raise OutputNotWritable(path, f"the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputNotWritable(path, f"the folder {folder} is not writable")


def write_batch_file(
    batch: Batch, path: Path, *, on_progress: Callable[[int], None] | None = None
) -> int:
    """Write the batch to ``path`` atomically: a temporary file beside it, then a rename."""
    check_output_path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise OutputNotWritable(path, error.strerror or str(error)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            pages = write_batch(batch, out, on_progress=on_progress)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputNotWritable(path, error.strerror or str(error)) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return pages
