"""Forms of the batch-printing page and the calendar's sender-country choice."""

from __future__ import annotations

from typing import Any

from flask_babel import format_number, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, ValidationError

from campaign_app.institutions.labels import REGION_LABELS
from campaign_app.institutions.models import Region
from campaign_app.letters.designs import VARIED, design_choices
from campaign_app.letters.labels import occasion_name
from campaign_app.letters.models import Occasion
from campaign_app.letters.printing import MAX_CARDS_PER_REQUEST, BatchInput
from campaign_app.letters.printing_choices import MAX_CHOSEN
from campaign_app.prisoners.forms import InstitutionChoice, ListedChoice, institutions_offered
from campaign_app.prisoners.models import Prisoner


class _LocalNumber:
    """A number written the reader's way ("1,000", "1 000") when the message is shown."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __str__(self) -> str:
        return str(format_number(self.value))


COUNT_MESSAGE = _l(
    "Choose between 1 and %(max)s cards per request.", max=_LocalNumber(MAX_CARDS_PER_REQUEST)
)


# "scope" when the page listed prisoners to tick: none ticked is then a mistake, not "everyone".
CHOSEN = "chosen"


class PrintInstitution(InstitutionChoice):
    """The registry's institution filter: an id, or a code from a link (?institution=ИК-2)."""

    def pre_validate(self, form: Any) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(
                _l("There is no such institution in the registry: please choose one from the list.")
            ) from None


class PrintRegion(ListedChoice):
    def pre_validate(self, form: Any) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(
                _l("There is no such region: please choose one from the list.")
            ) from None


class PrintForm(FlaskForm):
    """Who, which occasion, how many, and how the sheets are laid out.

    Who: up to printing_choices.SELECT_MAX prisoners are all offered in ``prisoners``; past it, the
    page offers ``institution`` and ``region`` instead, and ``prisoners`` holds only those
    chosen by link (ticked boxes, ``scope`` set to CHOSEN)."""

    # No Optional(): it would stop validate_prisoners when no box is ticked.
    prisoners = SelectMultipleField(
        _l("Prisoners (none chosen: everyone who can receive mail)"), choices=[]
    )
    scope = HiddenField(default="")
    # The prisoners the page listed to tick (hidden): unticked ones stay listed after a mistake.
    listed = SelectMultipleField(choices=[], validate_choice=False)
    institution = PrintInstitution(_l("Institution"), default="")
    region = PrintRegion(_l("Region"), default="")
    occasion = SelectField(
        _l("Occasion"), validators=[InputRequired(_l("Please choose an occasion."))], choices=[]
    )
    count = IntegerField(
        _l("Number of cards"),
        default=20,
        validators=[
            InputRequired(COUNT_MESSAGE),
            NumberRange(min=1, max=MAX_CARDS_PER_REQUEST, message=COUNT_MESSAGE),
        ],
    )
    design = SelectField(_l("Design of the fronts"), choices=[], default=VARIED)
    language = RadioField(
        _l("Language of the cards"),
        choices=[
            SelectChoice("", _l("Each prisoner's usual language")),
            SelectChoice("be", _l("Belarusian, where the prisoner accepts it")),
            SelectChoice("ru", _l("Russian, where the prisoner accepts it")),
        ],
        default="",
    )
    layout = RadioField(
        _l("Paper"),
        choices=[
            SelectChoice("a4-4up", _l("A4, four A6 cards a sheet")),
            SelectChoice("letter-2up", _l("US Letter, two A6 cards a sheet")),
        ],
        default="a4-4up",
    )
    mode = RadioField(
        _l("Printing"),
        choices=[
            SelectChoice("duplex", _l("Both sides (duplex): fronts and backs")),
            SelectChoice(
                "message-only", _l("Message and address side only (for plain or bought cards)")
            ),
        ],
        default="duplex",
    )

    def set_choices(self, prisoners: list[Prisoner], occasions: list[Occasion]) -> None:
        """The prisoners offered (all, or those chosen by link), occasions, designs, places."""
        locale = str(get_locale())
        self.prisoners.choices = [SelectChoice(p.slug, p.name_in(locale)) for p in prisoners]
        self.occasion.choices = [SelectChoice(o.slug, occasion_name(o)) for o in occasions]
        self.design.choices = [
            SelectChoice(VARIED, _l("Varied, to suit the occasion")),
            *design_choices(),
        ]
        self.institution.choices = [SelectChoice("", _l("Any institution"))] + [
            SelectChoice(str(place.id), f"{place.code} · {place.name_in(locale)}")
            for place in institutions_offered()
            if place.receives_mail  # not those whose prisoners have all been released
        ]
        self.region.choices = [SelectChoice("", _l("Any region"))] + [
            SelectChoice(region.value, REGION_LABELS[region]) for region in Region
        ]

    def validate_prisoners(self, field: SelectMultipleField) -> None:
        if len(field.data or ()) > MAX_CHOSEN:
            raise ValidationError(
                _l(
                    "Choose at most %(max)s prisoners by name; for more, choose an institution"
                    " or a region.",
                    max=MAX_CHOSEN,
                )
            )
        if self.scope.data == CHOSEN and not field.data:
            raise ValidationError(
                _l("Tick at least one prisoner, or print for an institution or a region instead.")
            )

    def to_input(self) -> BatchInput:
        return BatchInput(
            prisoner_slugs=tuple(self.prisoners.data or ()),
            occasion_slug=str(self.occasion.data),
            count=int(self.count.data or 0),
            layout=str(self.layout.data),
            mode=str(self.mode.data),
            design=str(self.design.data or VARIED),
            language=str(self.language.data or ""),
            institution_id=int(self.institution.data) if self.institution.data else None,
            region=str(self.region.data or ""),
        )
