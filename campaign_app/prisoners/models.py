"""Prisoner, PrisonerAddress and PrisonerTransfer tables: who is held where, as of when, says who.

A prisoner held in an institution (``institution_id``) gets its address from it, plus the unit
line; ``transfers`` keeps every dated move. Prisoners without an institution keep hand-typed
addresses (``addresses``), the newest of which is current.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign_app.campaigns.models import Campaign
from campaign_app.db import Base, Translatable, UTCDateTime, enum_column, utcnow
from campaign_app.institutions.models import Institution, split_lines, with_unit
from campaign_app.prisoners.search_keys import name_key, plain_key


class PrisonerStatus(enum.StrEnum):
    IMPRISONED = "imprisoned"
    TRANSFERRED = "transferred"
    RELEASED = "released"
    UNKNOWN = "unknown"


# The statuses in which a prisoner is held somewhere a card can be posted to.
MAIL_STATUSES = (PrisonerStatus.IMPRISONED, PrisonerStatus.TRANSFERRED)


class AddressLanguage(enum.StrEnum):
    RUSSIAN = "ru"
    BELARUSIAN = "be"


class CardLanguages(enum.StrEnum):
    """The languages a prisoner receives cards in; with both, the sender chooses."""

    RUSSIAN = "ru"
    BELARUSIAN = "be"
    BOTH = "both"


class Prisoner(Translatable, Base):
    """A political prisoner, with names in Latin, Russian and Belarusian Cyrillic.

    The biography, interests and mail note are translated into other languages
    (``translations``).
    """

    __tablename__ = "prisoner"
    __table_args__ = (
        Index("ix_prisoner_cards_sent", "cards_sent"),
        # The registry's content version reads the newest edit (prisoners.registry_cache).
        Index("ix_prisoner_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)

    given_name_latin: Mapped[str] = mapped_column(String(80))
    surname_latin: Mapped[str] = mapped_column(String(80))
    given_name_ru: Mapped[str] = mapped_column(String(80), default="")
    patronymic_ru: Mapped[str] = mapped_column(String(80), default="")
    surname_ru: Mapped[str] = mapped_column(String(80), default="")
    # The dative ("to whom") form is typed by the organiser: declension is unreliable.
    full_name_dative_ru: Mapped[str] = mapped_column(String(200), default="")
    given_name_be: Mapped[str] = mapped_column(String(80), default="")
    patronymic_be: Mapped[str] = mapped_column(String(80), default="")
    surname_be: Mapped[str] = mapped_column(String(80), default="")
    full_name_dative_be: Mapped[str] = mapped_column(String(200), default="")

    birth_date: Mapped[date | None] = mapped_column(Date)
    arrest_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[PrisonerStatus] = mapped_column(
        enum_column(PrisonerStatus),
        default=PrisonerStatus.IMPRISONED,
    )
    address_language: Mapped[AddressLanguage] = mapped_column(
        enum_column(AddressLanguage, length=5),
        default=AddressLanguage.RUSSIAN,
    )
    card_languages: Mapped[CardLanguages] = mapped_column(
        enum_column(CardLanguages, length=5),
        default=CardLanguages.BOTH,
        server_default=CardLanguages.BOTH.value,
    )
    bio: Mapped[str] = mapped_column(Text, default="")
    interests: Mapped[str] = mapped_column(Text, default="")
    mail_note: Mapped[str] = mapped_column(Text, default="")
    mail_note_as_of: Mapped[date | None] = mapped_column(Date)
    # None: not known. Shown with mail_note_as_of: "mail is (not) getting through, as of".
    is_mail_getting_through: Mapped[bool | None] = mapped_column()
    photo_url: Mapped[str] = mapped_column(String(300), default="", server_default="")
    released_on: Mapped[date | None] = mapped_column(Date)
    # Where the prisoner is held now (None: the hand-typed addresses apply), the unit line in
    # both Cyrillic forms and the reading aid, since when and says who (the latest transfer).
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    unit_ru: Mapped[str] = mapped_column(String(80), default="", server_default="")
    unit_be: Mapped[str] = mapped_column(String(80), default="", server_default="")
    unit_latin: Mapped[str] = mapped_column(String(80), default="", server_default="")
    placed_on: Mapped[date | None] = mapped_column(Date)
    placement_source: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # The registry's search (search_keys): every name form folded to spelling-blind words,
    # and the same words as typed; both set from the names whenever a prisoner is saved.
    search_key: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_plain: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Cards reported sent ("I sent it"), all occasions: kept by prisoners.tallies as reports
    # are stored, so that "fewest cards first" sorts without summing the reports.
    cards_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    campaign: Mapped[Campaign] = relationship(back_populates="prisoners")
    addresses: Mapped[list[PrisonerAddress]] = relationship(
        back_populates="prisoner",
        order_by="PrisonerAddress.as_of.desc()",
        cascade="all, delete-orphan",
    )
    institution: Mapped[Institution | None] = relationship(lazy="joined")
    transfers: Mapped[list[PrisonerTransfer]] = relationship(
        back_populates="prisoner",
        order_by="(PrisonerTransfer.transferred_on.desc(), PrisonerTransfer.id.desc())",
        cascade="all, delete-orphan",
        foreign_keys="PrisonerTransfer.prisoner_id",
    )

    @property
    def name_forms(self) -> tuple[str, ...]:
        """Every name part in every script: what the registry's search looks through."""
        return (
            self.given_name_latin,
            self.surname_latin,
            self.given_name_ru,
            self.patronymic_ru,
            self.surname_ru,
            self.given_name_be,
            self.patronymic_be,
            self.surname_be,
        )

    def refresh_search_keys(self) -> None:
        """Set the search columns from the names (on every insert and update, see below)."""
        # Before an insert, a name part left out is still None (its default comes later).
        forms = [form or "" for form in self.name_forms]
        self.search_key = name_key(forms)
        self.search_plain = plain_key(forms)

    @property
    def name_latin(self) -> str:
        return f"{self.given_name_latin} {self.surname_latin}"

    def name_in(self, locale: str) -> str:
        """The name as a reader of ``locale`` writes it: Cyrillic for Russian and
        Belarusian readers (given name and surname, as in the press; the other Cyrillic
        form if one is missing), else the Latin spelling."""
        forms = {
            "ru": (self.given_name_ru, self.surname_ru),
            "be": (self.given_name_be, self.surname_be),
        }
        for form in {"ru": ("ru", "be"), "be": ("be", "ru")}.get(locale, ()):
            given, surname = forms[form]
            if surname:
                return " ".join(part for part in (given, surname) if part)
        return self.name_latin

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        had_birthday = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if had_birthday else 1)

    def addressee(self, language: AddressLanguage | None = None) -> str:
        """The addressee line (dative case) in ``language``, by default the chosen form."""
        if (language or self.address_language) is AddressLanguage.BELARUSIAN:
            return self.full_name_dative_be
        return self.full_name_dative_ru

    @property
    def card_language_options(self) -> tuple[AddressLanguage, ...]:
        """The languages a card to this prisoner may be printed in, the address's form first."""
        if self.card_languages is CardLanguages.BOTH:
            other = (set(AddressLanguage) - {self.address_language}).pop()
            return (self.address_language, other)
        return (AddressLanguage(self.card_languages.value),)

    @property
    def accepts_mail(self) -> bool:
        return self.status in MAIL_STATUSES

    @property
    def can_receive_mail(self) -> bool:
        """Held, and mail not known to be stopped (the registry's "can receive mail")."""
        return self.accepts_mail and self.is_mail_getting_through is not False

    @property
    def latest_address(self) -> PrisonerAddress | PlacementAddress | None:
        """The address printed now: the institution's plus the unit when the prisoner is held
        in one, else the most recent hand-typed address (which may be historical: check
        ``as_of``)."""
        if self.institution is not None:
            return PlacementAddress.of(self.institution, self)
        return self.addresses[0] if self.addresses else None

    def unit(self, language: AddressLanguage) -> str:
        return self.unit_be if language is AddressLanguage.BELARUSIAN else self.unit_ru


@event.listens_for(Prisoner, "before_insert")
@event.listens_for(Prisoner, "before_update")
def _keep_search_keys(_mapper: object, _connection: object, prisoner: Prisoner) -> None:
    # Whoever changes a name (organiser's form, import, demo, a script) keeps the keys true.
    prisoner.refresh_search_keys()


class PrisonerAddress(Translatable, Base):
    """One known postal address of a prisoner, in both Cyrillic forms, with date and source.

    The source is translated into other languages (``translations``).
    """

    __tablename__ = "prisoner_address"

    id: Mapped[int] = mapped_column(primary_key=True)
    prisoner_id: Mapped[int] = mapped_column(ForeignKey("prisoner.id"), index=True)
    # One printed line per text line, without the addressee and without the country.
    lines_ru: Mapped[str] = mapped_column(Text, default="")
    lines_be: Mapped[str] = mapped_column(Text, default="")
    lines_latin: Mapped[str] = mapped_column(Text, default="")  # reading aid, never printed
    country_line: Mapped[str] = mapped_column(String(80))
    as_of: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    prisoner: Mapped[Prisoner] = relationship(back_populates="addresses")

    def lines(self, language: AddressLanguage) -> list[str]:
        text = self.lines_be if language is AddressLanguage.BELARUSIAN else self.lines_ru
        return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class PlacementAddress:
    """The address of a prisoner held in an institution: the institution's lines with the
    unit joined to the first. It reads like a PrisonerAddress (``lines``, ``country_line``,
    ``as_of``, ``source``), so pages and cards print either the same way.

    ``as_of`` is the newer of the transfer's date and the institution address's; the source
    is that fact's.
    """

    lines_ru: str
    lines_be: str
    lines_latin: str
    country_line: str
    as_of: date
    source: str
    institution: Institution
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    id: None = None

    @classmethod
    def of(cls, institution: Institution, prisoner: Prisoner) -> PlacementAddress:
        placed_on = prisoner.placed_on or institution.address_as_of
        if placed_on > institution.address_as_of:
            as_of, source = placed_on, prisoner.placement_source
        else:
            as_of, source = institution.address_as_of, institution.address_source
        return cls(
            lines_ru="\n".join(with_unit(institution.lines("ru"), prisoner.unit_ru)),
            lines_be="\n".join(with_unit(institution.lines("be"), prisoner.unit_be)),
            lines_latin="\n".join(
                with_unit(split_lines(institution.lines_latin), prisoner.unit_latin)
            )
            if institution.lines_latin
            else "",
            country_line=institution.country_line,
            as_of=as_of,
            source=source or institution.address_source,
            institution=institution,
        )

    def lines(self, language: AddressLanguage) -> list[str]:
        text = self.lines_be if language is AddressLanguage.BELARUSIAN else self.lines_ru
        return [line.strip() for line in text.splitlines() if line.strip()]

    def translated(self, name: str, locale: str) -> str:
        return str(getattr(self, name) or "")


class PrisonerTransfer(Base):
    """One dated move of a prisoner into an institution (from another, or from none), with
    the unit and the source; never edited, kept as history."""

    __tablename__ = "prisoner_transfer"

    id: Mapped[int] = mapped_column(primary_key=True)
    prisoner_id: Mapped[int] = mapped_column(
        ForeignKey("prisoner.id", ondelete="CASCADE"), index=True
    )
    transferred_on: Mapped[date] = mapped_column(Date)
    from_institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    to_institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    unit_ru: Mapped[str] = mapped_column(String(80), default="")
    unit_be: Mapped[str] = mapped_column(String(80), default="")
    unit_latin: Mapped[str] = mapped_column(String(80), default="")
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    prisoner: Mapped[Prisoner] = relationship(back_populates="transfers")
    from_institution: Mapped[Institution | None] = relationship(foreign_keys=[from_institution_id])
    to_institution: Mapped[Institution] = relationship(foreign_keys=[to_institution_id])
