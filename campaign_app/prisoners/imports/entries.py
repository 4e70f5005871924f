"""What an import would do, line by line: the entries of a plan and the plan itself."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from campaign_app.institutions.inputs import InstitutionInput
from campaign_app.institutions.models import Institution
from campaign_app.prisoners.models import Prisoner


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass
class InstitutionEntry:
    line: int
    code: str
    data: InstitutionInput
    existing: Institution | None
    changes: list[Change] = field(default_factory=list)


@dataclass
class TransferEntry:
    on: date
    from_code: str
    to: Institution | InstitutionEntry
    unit_ru: str
    unit_be: str
    unit_latin: str

    @property
    def to_code(self) -> str:
        return self.to.code


@dataclass
class PrisonerEntry:
    """A prisoner line: the values it sets, the prisoner it matches (None: a new one), and
    what changes for them."""

    line: int
    name: str
    values: dict[str, object]
    existing: Prisoner | None
    birth_date: date | None = None
    moved_on: date | None = None  # the transfer's date, if the line gives one
    slug: str = ""
    changes: list[Change] = field(default_factory=list)
    transfer: TransferEntry | None = None
    released_on: date | None = None
    is_released: bool = False
    similar: list[str] = field(default_factory=list)


@dataclass
class Plan:
    institutions: list[InstitutionEntry] = field(default_factory=list)
    prisoners: list[PrisonerEntry] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def new_institutions(self) -> list[InstitutionEntry]:
        return [e for e in self.institutions if e.existing is None]

    @property
    def changed_institutions(self) -> list[InstitutionEntry]:
        return [e for e in self.institutions if e.existing is not None and e.changes]

    @property
    def new_prisoners(self) -> list[PrisonerEntry]:
        return [e for e in self.prisoners if e.existing is None]

    @property
    def changed_prisoners(self) -> list[PrisonerEntry]:
        return [e for e in self.prisoners if e.existing is not None and e.changes]

    @property
    def transferred(self) -> list[PrisonerEntry]:
        return [e for e in self.prisoners if e.existing is not None and e.transfer is not None]

    @property
    def released(self) -> list[PrisonerEntry]:
        return [e for e in self.prisoners if e.is_released]

    @property
    def similar(self) -> list[PrisonerEntry]:
        return [e for e in self.prisoners if e.similar]

    @property
    def unchanged(self) -> int:
        return sum(
            1
            for e in self.prisoners
            if e.existing is not None and not (e.changes or e.transfer or e.is_released)
        )

    @property
    def has_changes(self) -> bool:
        return bool(
            self.new_institutions
            or self.changed_institutions
            or self.new_prisoners
            or self.changed_prisoners
            or self.transferred
            or self.released
        )

    def digest(self) -> str:
        """A fingerprint of everything the import would do: the commit refuses to apply a
        plan that differs from the one the organiser saw (the records changed meanwhile)."""
        # Raw values and field names only: the messages depend on the reader's language.
        parts: list[object] = []
        for entry in self.institutions:
            changed = [change.field for change in entry.changes]
            parts.append((entry.line, entry.code, entry.existing is None, changed, entry.data))
        for person in self.prisoners:
            move = person.transfer
            parts.append(
                (
                    person.line,
                    person.existing.id if person.existing is not None else person.slug,
                    [change.field for change in person.changes],
                    sorted(person.values.items()),
                    (move.on, move.from_code, move.to_code, move.unit_ru, move.unit_be)
                    if move is not None
                    else None,
                    person.is_released,
                    len(person.similar),
                )
            )
        parts.append(len(self.errors))
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]

    def summary(self) -> dict[str, int]:
        """The counts, for the audit log and ``--json``."""
        return {
            "new_institutions": len(self.new_institutions),
            "changed_institutions": len(self.changed_institutions),
            "new_prisoners": len(self.new_prisoners),
            "changed_prisoners": len(self.changed_prisoners),
            "transferred": len(self.transferred),
            "released": len(self.released),
            "possible_duplicates": len(self.similar),
            "unchanged": self.unchanged,
            "errors": len(self.errors),
        }
