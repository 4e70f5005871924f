"""Prisoner queries: single prisoners, a campaign's prisoners, and the public registry."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, case, extract, func, or_, select
from sqlalchemy.orm import contains_eager, defer, load_only, selectinload
from sqlalchemy.orm.attributes import instance_state, set_committed_value

from campaign_app.campaigns.models import Campaign, CampaignState
from campaign_app.extensions import db
from campaign_app.institutions.models import Institution, Region
from campaign_app.petitions.service import PUBLIC_CAMPAIGN_STATES
from campaign_app.prisoners.models import (
    MAIL_STATUSES,
    Prisoner,
    PrisonerAddress,
    PrisonerStatus,
)
from campaign_app.prisoners.search_keys import query_words


def public_prisoners() -> Select[Prisoner]:
    """Prisoners anyone may see and write to: in a campaign that is neither draft nor archived.

    Every public list (pages, calendar, printed stacks) starts from this query.
    """
    return select(Prisoner).join(Campaign).where(Campaign.state.in_(PUBLIC_CAMPAIGN_STATES))


def get_prisoner(slug: str) -> Prisoner | None:
    """A public prisoner by slug, with the address history."""
    return db.session.scalar(
        public_prisoners().where(Prisoner.slug == slug).options(selectinload(Prisoner.addresses))
    )


# Prebuilt with a bound parameter: every petition page and the pages after signing run it.
@cache
def _campaign_prisoners() -> Select[Any]:
    """Built on first use, not at import."""
    return (
        select(Prisoner)
        .join(Campaign)
        .where(
            Prisoner.campaign_id == bindparam("campaign_id"),
            Campaign.state != CampaignState.DRAFT,
            Campaign.state != CampaignState.ARCHIVED,
        )
        .options(selectinload(Prisoner.addresses))
        .order_by(Prisoner.surname_latin, Prisoner.id)
    )


def list_campaign_prisoners(campaign_id: int) -> list[Prisoner]:
    """The public prisoners of one campaign (those a petition of it is about), by surname."""
    return list(db.session.scalars(_campaign_prisoners(), {"campaign_id": campaign_id}))


@dataclass(frozen=True)
class RegistryInstitution:
    """An institution the registry's filter offers: what its option shows."""

    id: int
    code: str
    name_ru: str
    name_be: str
    name_latin: str
    # Whether one of its public prisoners can receive mail now (not all released).
    receives_mail: bool

    def name_in(self, locale: str) -> str:
        """As Institution.name_in: Belarusian or Russian for ru/be readers, else Latin."""
        if locale == "be" and self.name_be:
            return self.name_be
        if locale in {"ru", "be"} or not self.name_latin:
            return self.name_ru
        return self.name_latin


def registry_institutions() -> tuple[RegistryInstitution, ...]:
    """The institutions that hold at least one public prisoner, by code, and whether one of
    them can receive mail now (one query)."""
    holds_public = (
        select(Prisoner.id)
        .join(Campaign)
        .where(
            Prisoner.institution_id == Institution.id,
            Campaign.state.in_(PUBLIC_CAMPAIGN_STATES),
        )
        .exists()
    )
    rows = db.session.execute(
        select(
            Institution.id,
            Institution.code,
            Institution.name_ru,
            Institution.name_be,
            Institution.name_latin,
            holds_public.where(Prisoner.status.in_(MAIL_STATUSES)),
        )
        .where(holds_public)
        .order_by(Institution.code, Institution.id)
    ).all()
    return tuple(RegistryInstitution(*row[:5], receives_mail=bool(row[5])) for row in rows)


# The public registry ---------------------------------------------------------------------


class RegistrySort(enum.StrEnum):
    NAME = "name"  # by surname in the reader's script; matches spelled as typed first
    FEWEST_CARDS = "fewest-cards"  # fewest cards reported sent first, then by name


@dataclass(frozen=True)
class RegistryFilters:
    """What a visitor asked the registry for; the defaults list everyone by name.

    A new filter is a field here, a condition in ``_conditions``, and its parameter in
    forms.FILTER_PARAMETERS.
    """

    q: str = ""
    status: PrisonerStatus | None = None
    mail: bool | None = None  # True: can receive mail; False: cannot now
    month: int | None = None  # birthday month, 1-12
    institution: int | None = None  # an institution's id
    region: Region | None = None  # where the prisoner's institution is
    sort: RegistrySort = RegistrySort.NAME

    def query_args(self) -> dict[str, str]:
        """The query-string parameters that give these filters (defaults left out)."""
        args = {
            "q": self.q,
            "status": self.status.value if self.status else "",
            "mail": "" if self.mail is None else ("yes" if self.mail else "no"),
            "month": str(self.month) if self.month else "",
            "institution": str(self.institution) if self.institution else "",
            "region": self.region.value if self.region else "",
            "sort": self.sort.value if self.sort is not RegistrySort.NAME else "",
        }
        return {key: value for key, value in args.items() if value}

    @property
    def is_filtered(self) -> bool:
        return bool(set(self.query_args()) - {"sort"})


@dataclass(frozen=True)
class RegistryPage:
    """One page of the registry: its prisoners, and where it sits in the whole list."""

    prisoners: list[Prisoner]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def is_past_the_end(self) -> bool:
        return self.page > self.pages

    @property
    def first_number(self) -> int:
        """The position of the page's first prisoner in the list (1-based; 0 if none)."""
        return (self.page - 1) * self.per_page + 1 if self.prisoners else 0

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.prisoners) - 1 if self.prisoners else 0


def can_receive_mail() -> ColumnElement[bool]:
    """Prisoner.can_receive_mail in SQL: held, and mail not known to be stopped."""
    return and_(
        Prisoner.status.in_(MAIL_STATUSES),
        or_(
            Prisoner.is_mail_getting_through.is_(None),
            Prisoner.is_mail_getting_through.is_(True),
        ),
    )


def _contains_words(column: Any, words: list[str]) -> ColumnElement[bool]:
    # Keys are " word word "; words hold letters and digits only, so nothing to escape.
    return and_(*(column.like(f"% {word}%") for word in words))


def _conditions(filters: RegistryFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    words = query_words(filters.q)
    if filters.q and not words:
        conditions.append(Prisoner.id.is_(None))  # only punctuation: nobody is called that
    elif words:
        conditions.append(_contains_words(Prisoner.search_key, [key for key, _ in words]))
    if filters.status is not None:
        conditions.append(Prisoner.status == filters.status)
    if filters.mail is not None:
        mail = can_receive_mail()
        conditions.append(mail if filters.mail else ~mail)
    if filters.month is not None:
        conditions.append(extract("month", Prisoner.birth_date) == filters.month)
    if filters.institution is not None:
        conditions.append(Prisoner.institution_id == filters.institution)
    if filters.region is not None:
        in_region = select(Institution.id).where(Institution.region == filters.region)
        conditions.append(Prisoner.institution_id.in_(in_region.scalar_subquery()))
    return conditions


def _name_order(locale: str) -> list[Any]:
    """Surname, then given name, in the script the reader reads the names in."""
    scripts = {"ru": ("ru", "be"), "be": ("be", "ru")}.get(locale, ())

    def in_script(part: str) -> Any:
        forms = [func.nullif(getattr(Prisoner, f"{part}_{s}"), "") for s in scripts]
        latin = getattr(Prisoner, f"{part}_latin")
        return func.coalesce(*forms, latin) if forms else latin

    return [in_script("surname"), in_script("given_name")]


def _order(filters: RegistryFilters, locale: str) -> list[Any]:
    if filters.sort is RegistrySort.FEWEST_CARDS:
        return [Prisoner.cards_sent, *_name_order(locale), Prisoner.id]
    words = query_words(filters.q)
    if words:
        as_typed = _contains_words(Prisoner.search_plain, [plain for _, plain in words])
        return [case((as_typed, 0), else_=1), *_name_order(locale), Prisoner.id]
    return [*_name_order(locale), Prisoner.id]


@cache
def _page_prisoners() -> Select[Any]:
    """The prisoners of a page by id (built on first use, then reused: only the ids change),
    without what the lists never show: long texts, dates of the record, and of the campaign
    all but whether it is example data (its translations were a JSON document decoded per
    row). Not built at import: contains_eager() configures every mapper, which no process
    needs before its first query (`flask --help` never makes one)."""
    return (
        public_prisoners()
        .where(Prisoner.id.in_(bindparam("ids", expanding=True)))
        .options(
            contains_eager(Prisoner.campaign).load_only(Campaign.is_example, Campaign.state),
            defer(Prisoner.bio),
            defer(Prisoner.interests),
            defer(Prisoner.mail_note),
            defer(Prisoner.translations),
            defer(Prisoner.search_key),
            defer(Prisoner.search_plain),
            defer(Prisoner.created_at),
            defer(Prisoner.updated_at),
        )
    )


@cache
def _addresses_of() -> Select[Any]:
    """The addresses of some prisoners, newest first (as ``Prisoner.addresses`` orders them)."""
    return (
        select(PrisonerAddress)
        .where(PrisonerAddress.prisoner_id.in_(bindparam("ids", expanding=True)))
        .order_by(PrisonerAddress.as_of.desc())
        # Whether a card can be posted reads the lines only (source and translations: the
        # prisoner's page).
        .options(
            load_only(
                PrisonerAddress.prisoner_id,
                PrisonerAddress.lines_ru,
                PrisonerAddress.lines_be,
                PrisonerAddress.as_of,
            )
        )
    )


def _load_addresses(prisoners: list[Prisoner]) -> None:
    """Fill in each prisoner's ``addresses`` from one query, as selectinload would, where
    they are not loaded yet: selectinload built its query anew for every page, which cost
    more than the rest of the page's loading."""
    wanted: dict[int, list[PrisonerAddress]] = {
        prisoner.id: []
        for prisoner in prisoners
        if "addresses" not in instance_state(prisoner).dict
    }
    if not wanted:
        return
    for address in db.session.scalars(_addresses_of(), {"ids": list(wanted)}):
        wanted[address.prisoner_id].append(address)
    for prisoner in prisoners:
        if prisoner.id in wanted:
            set_committed_value(prisoner, "addresses", wanted[prisoner.id])


def search_registry(
    filters: RegistryFilters, page: int, per_page: int, locale: str, with_addresses: bool = True
) -> RegistryPage:
    """One page of the public prisoners matching ``filters``, in a stable order (every
    ordering ends with the id), with their campaigns and (unless told not to: the API shows
    none) their addresses loaded.

    The first query sorts only ids and counts the matches; the second loads the page's
    prisoners. Sorting whole rows made SQLite carry every column of 1,500 prisoners through
    the sort. A search or filter matches few: they are counted in the same pass (a window
    count). The whole list is counted apart (a subquery in the same statement): a window
    count made the databases sort all 1,500 rows, where without it they keep the first
    page's only, or read them off an index (fewest cards first). A page past the end, which
    has no rows to carry the count, counts on its own."""
    conditions = _conditions(filters)
    public = (Campaign.state.in_(PUBLIC_CAMPAIGN_STATES), *conditions)
    count: Any = func.count().over()
    if not filters.is_filtered:
        count = (
            select(func.count())
            .select_from(Prisoner)
            .join(Campaign)
            .where(*public)
            .correlate(None)
            .scalar_subquery()
        )
    rows = db.session.execute(
        select(Prisoner.id, count)
        .join(Campaign)
        .where(*public)
        .order_by(*_order(filters, locale))
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    if not rows:
        total = db.session.scalar(select(func.count(Prisoner.id)).join(Campaign).where(*public))
        return RegistryPage([], int(total or 0), page, per_page)
    ids = [row[0] for row in rows]
    loaded = {
        prisoner.id: prisoner for prisoner in db.session.scalars(_page_prisoners(), {"ids": ids})
    }
    prisoners = [loaded[i] for i in ids if i in loaded]
    if with_addresses:
        _load_addresses(prisoners)
    return RegistryPage(prisoners, int(rows[0][1]), page, per_page)


def registry_query(filters: RegistryFilters, locale: str) -> tuple[list[Any], list[Any]]:
    """The registry's conditions and order for ``filters``, for lists of other scopes (an
    organiser's list of their campaign's prisoners)."""
    return _conditions(filters), _order(filters, locale)
