"""Institution and InstitutionAddress tables: where prisoners are held, how to write there."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign_app.db import Base, UTCDateTime, enum_column, utcnow


class InstitutionKind(enum.StrEnum):
    COLONY = "colony"  # исправительная колония, ИК / ПК
    REMAND = "remand"  # следственный изолятор, СИЗО
    PRISON = "prison"  # тюрьма
    OTHER = "other"  # "open-type" institutions, medical colonies, ...


class Region(enum.StrEnum):
    """The six oblasts of Belarus and the city of Minsk."""

    BREST = "brest"
    VITEBSK = "vitebsk"
    GOMEL = "gomel"
    GRODNO = "grodno"
    MINSK_REGION = "minsk-region"
    MOGILEV = "mogilev"
    MINSK_CITY = "minsk-city"


class MailRule(enum.StrEnum):
    """Which mail the institution hands over, as last reported."""

    ACCEPTS = "accepts"
    LISTED_SENDERS = "listed-senders"  # only from senders on the prisoner's list
    NONE = "none"  # no mail handed over (incommunicado)
    UNKNOWN = "unknown"


class Institution(Base):
    """A penal colony, remand prison or prison: names, code, region, the address printed now,
    and its mail rules; each with the date it was last confirmed and its source."""

    __tablename__ = "institution"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The code people use, e.g. "ИК-2", "СИЗО-1"; unique, compared case-folded.
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[InstitutionKind] = mapped_column(enum_column(InstitutionKind))
    name_ru: Mapped[str] = mapped_column(String(200))
    name_be: Mapped[str] = mapped_column(String(200), default="")
    name_latin: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[Region] = mapped_column(enum_column(Region), index=True)

    # The address printed now (one line per printed line, no addressee, no country);
    # every change also goes into ``addresses`` (the history, for "the address on date D").
    lines_ru: Mapped[str] = mapped_column(Text)
    lines_be: Mapped[str] = mapped_column(Text, default="")
    lines_latin: Mapped[str] = mapped_column(Text, default="")  # reading aid, never printed
    postcode: Mapped[str] = mapped_column(String(6))
    country_line: Mapped[str] = mapped_column(String(80))
    address_as_of: Mapped[date] = mapped_column(Date)
    address_source: Mapped[str] = mapped_column(Text)

    mail_rule: Mapped[MailRule] = mapped_column(enum_column(MailRule), default=MailRule.UNKNOWN)
    is_ru_be_only: Mapped[bool] = mapped_column(default=True)  # letters in ru/be only
    mail_notes: Mapped[str] = mapped_column(Text, default="")
    rules_as_of: Mapped[date | None] = mapped_column(Date)
    rules_source: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")  # for organisers

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    addresses: Mapped[list[InstitutionAddress]] = relationship(
        back_populates="institution",
        order_by="(InstitutionAddress.as_of.desc(), InstitutionAddress.id.desc())",
        cascade="all, delete-orphan",
    )

    def lines(self, language: str) -> list[str]:
        """The address lines printed now in ``language`` ("ru" or "be")."""
        return split_lines(self.lines_be if language == "be" else self.lines_ru)

    def name_in(self, locale: str) -> str:
        if locale == "be" and self.name_be:
            return self.name_be
        if locale in {"ru", "be"} or not self.name_latin:
            return self.name_ru
        return self.name_latin


class InstitutionAddress(Base):
    """One version of an institution's address, with the date it held from and its source."""

    __tablename__ = "institution_address"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True
    )
    lines_ru: Mapped[str] = mapped_column(Text)
    lines_be: Mapped[str] = mapped_column(Text, default="")
    lines_latin: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(6))
    country_line: Mapped[str] = mapped_column(String(80))
    as_of: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    institution: Mapped[Institution] = relationship(back_populates="addresses")

    def lines(self, language: str) -> list[str]:
        return split_lines(self.lines_be if language == "be" else self.lines_ru)


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def with_unit(lines: list[str], unit: str) -> list[str]:
    """The institution's lines with the unit joined to the first: "ИК-2, отряд 14"."""
    if not unit.strip() or not lines:
        return lines
    return [f"{lines[0]}, {unit.strip()}", *lines[1:]]
