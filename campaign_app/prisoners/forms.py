"""The public registry's search and filters, read from the query string (shape only).

The page's form and ``/api/v1/prisoners`` read the same parameters (``q``, ``status``,
``mail``, ``month``, ``institution``, ``region``, ``sort``, ``page``): a filtered list is a
link anyone can share, and it holds no personal data (only what a visitor typed as a name to
look for).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from babel.dates import get_month_names
from flask import g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SearchField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from campaign_app.institutions.labels import REGION_LABELS
from campaign_app.institutions.models import Region
from campaign_app.prisoners import registry_cache
from campaign_app.prisoners.models import PrisonerStatus
from campaign_app.prisoners.service import (
    RegistryFilters,
    RegistryInstitution,
    RegistrySort,
    registry_institutions,
)

# Longer than any name with its patronymic in two scripts; a longer search is refused (400).
MAX_QUERY_LENGTH = 200
PER_PAGE = 24
MAX_PER_PAGE = 100
# Far past any registry's last page; a bigger number is refused rather than counted past.
MAX_PAGE = 10_000
_WHOLE_NUMBER = re.compile(r"^[0-9]{1,6}$")
MAIL_CHOICES = {"yes": True, "no": False}
_OFFERED = "registry_institutions_offered"
# The query-string parameters of the filters (page and per_page are read on their own).
FILTER_PARAMETERS = ("q", "status", "mail", "month", "institution", "region", "sort")


def clean_query(value: Any) -> Any:
    """A search as typed: NFC, invisible characters (zero-width spaces, direction marks)
    dropped, white space collapsed. Control characters never get here: the app answers 400
    for them in any query string (security.refuse_malformed_input)."""
    if not isinstance(value, str):
        return value
    visible = "".join(
        char
        for char in unicodedata.normalize("NFC", value)
        if unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    return " ".join(visible.split())


class ListedChoice(SelectField):
    """A select whose unknown values are refused with a message a visitor understands."""

    def pre_validate(self, form: Any) -> None:
        if self.data not in {str(choice.value) for choice in self.choices or ()}:
            raise ValidationError(_l("Please choose one of the listed options."))


def institutions_offered() -> tuple[RegistryInstitution, ...]:
    """The institutions the filter offers (those holding a public prisoner): one query per
    registry version (registry_cache) and process, so pages kept under a version offer
    that version's institutions."""
    offered: tuple[RegistryInstitution, ...] | None = g.get(_OFFERED)
    if offered is None:
        offered = registry_cache.kept(("institutions",), registry_institutions)
        setattr(g, _OFFERED, offered)
    return offered


class InstitutionChoice(ListedChoice):
    """The institution filter: the select sends an id; a code (any case) is taken too."""

    data: Any

    def pre_validate(self, form: Any) -> None:
        value = str(self.data or "").strip()
        if value and not value.isdigit():
            folded = value.casefold()
            for institution in institutions_offered():
                if institution.code.casefold() == folded:
                    self.data = str(institution.id)
                    break
        super().pre_validate(form)


def _institution_choices(locale: str) -> list[SelectChoice]:
    return [SelectChoice("", str(_l("Any institution")))] + [
        SelectChoice(str(institution.id), f"{institution.code} · {institution.name_in(locale)}")
        for institution in institutions_offered()
    ]


def _region_choices() -> list[SelectChoice]:
    return [SelectChoice("", str(_l("Any region")))] + [
        SelectChoice(region.value, str(REGION_LABELS[region])) for region in Region
    ]


def _month_choices() -> list[SelectChoice]:
    names = get_month_names("wide", context="stand-alone", locale=str(get_locale() or "en"))
    return [SelectChoice("", str(_l("Any month")))] + [
        SelectChoice(str(month), str(names[month]).capitalize()) for month in range(1, 13)
    ]


class RegistryForm(FlaskForm):
    """Search and filters of the public registry (GET; no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Name"),
        [
            Length(
                max=MAX_QUERY_LENGTH,
                message=_l(
                    "Please shorten the name to %(max)d characters or fewer.",
                    max=MAX_QUERY_LENGTH,
                ),
            )
        ],
        [clean_query],
    )
    status = ListedChoice(
        _l("Status"),
        choices=[
            SelectChoice("", _l("Any status")),
            SelectChoice(PrisonerStatus.IMPRISONED.value, _l("Imprisoned")),
            SelectChoice(PrisonerStatus.TRANSFERRED.value, _l("Transferred")),
            SelectChoice(PrisonerStatus.RELEASED.value, _l("Released")),
            SelectChoice(PrisonerStatus.UNKNOWN.value, _l("Whereabouts unknown")),
        ],
        default="",
    )
    mail = ListedChoice(
        _l("Mail"),
        choices=[
            SelectChoice("", _l("Any")),
            SelectChoice("yes", _l("Can receive mail")),
            SelectChoice("no", _l("Cannot receive mail now")),
        ],
        default="",
    )
    month = ListedChoice(_l("Birthday in"), default="")
    institution = InstitutionChoice(_l("Institution"), default="")
    region = ListedChoice(_l("Region"), default="")
    sort = ListedChoice(
        _l("Order"),
        choices=[
            SelectChoice(RegistrySort.NAME.value, _l("By name")),
            SelectChoice(RegistrySort.FEWEST_CARDS.value, _l("Fewest cards sent first")),
        ],
        default=RegistrySort.NAME.value,
    )

    def __init__(self, args: MultiDict[str, str], **kwargs: Any) -> None:
        super().__init__(formdata=_present(args), **kwargs)
        self.month.choices = _month_choices()
        self.institution.choices = _institution_choices(str(get_locale() or "en"))
        self.region.choices = _region_choices()
        for name in ("status", "mail", "month", "institution", "region", "sort"):
            field = getattr(self, name)
            if field.data is None:
                field.data = field.default

    def to_filters(self) -> RegistryFilters:
        """The validated filters (call after ``validate()``)."""
        return RegistryFilters(
            q=str(self.q.data or ""),
            status=PrisonerStatus(self.status.data) if self.status.data else None,
            mail=MAIL_CHOICES.get(self.mail.data or ""),
            month=int(self.month.data) if self.month.data else None,
            institution=int(self.institution.data) if self.institution.data else None,
            region=Region(self.region.data) if self.region.data else None,
            sort=RegistrySort(self.sort.data or RegistrySort.NAME.value),
        )


def registry_args(args: MultiDict[str, str], *others: str) -> tuple[tuple[str, str], ...]:
    """The registry's parameters (and ``others``) in a query string, as given (the first
    value of each): with the language, all a registry page or API answer depends on of the
    request, so the key it is kept under. Other parameters change nothing."""
    return tuple((name, args[name]) for name in (*FILTER_PARAMETERS, *others) if name in args)


def _present(args: MultiDict[str, str]) -> MultiDict[str, str]:
    """Our parameters from the query string (the first value of each); others are ignored."""
    return MultiDict([(key, args.get(key, "")) for key in FILTER_PARAMETERS if key in args])


def parse_page(value: str | None, maximum: int = MAX_PAGE) -> int | None:
    """A page number from the query string (absent: 1), or None when it is not one."""
    if value is None or value == "":
        return 1
    if not _WHOLE_NUMBER.match(value):
        return None
    number = int(value)
    return number if 1 <= number <= maximum else None


def parse_per_page(value: str | None) -> int | None:
    """Results per page for the API (absent: PER_PAGE), or None outside 1..MAX_PER_PAGE."""
    return parse_page(value or str(PER_PAGE), MAX_PER_PAGE)
