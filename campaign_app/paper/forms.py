"""Forms of the paper pages: the sheet to print, a batch's details, a counts batch, the rows
typed in from the sheets, the CSV upload and the import's confirmation."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    Form,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from campaign_app.countries import country_codes
from campaign_app.paper.service.entering import BatchInput
from campaign_app.paper.service.rows import PaperSigner
from campaign_app.petitions.forms import CountryField
from campaign_app.validators import PlainText, clean_line, strip_filter

ROWS_SHOWN = 20  # empty rows of the row-by-row form without JavaScript; "add more" adds these
MAX_FORM_ROWS = 500
SHEETS_MAX = 200


class SheetForm(Form):
    """The signature sheet to print (a GET form: nothing personal in it)."""

    language = SelectField(_l("Language of the sheet"), validate_choice=True)
    first = IntegerField(
        _l("Serial number of the first sheet"),
        default=1,
        validators=[Optional(), NumberRange(min=1, max=99_999)],
    )
    sheets = IntegerField(
        _l("Number of sheets"),
        default=1,
        validators=[Optional(), NumberRange(min=1, max=SHEETS_MAX)],
    )


class BatchFields(FlaskForm):
    """Where the sheets were signed (shared by the three ways of entering a batch)."""

    event = StringField(
        _l("Event"),
        filters=[clean_line],
        validators=[DataRequired(_l("Please name the event.")), Length(max=200), PlainText()],
    )
    place = StringField(
        _l("Place (city)"), filters=[clean_line], validators=[Length(max=120), PlainText()]
    )
    country = CountryField(_l("Country"))
    sheet_serials = TextAreaField(
        _l("Serial numbers of the sheets"),
        filters=[strip_filter],
        validators=[Length(max=2000), PlainText(single_line=False)],
    )

    def batch_input(self) -> BatchInput:
        return BatchInput(
            event=self.event.data or "",
            place=self.place.data or "",
            country=self.country.data or "",
            sheet_serials=self.sheet_serials.data or "",
        )


class CountsForm(BatchFields):
    """A batch entered as a count of signatures."""

    signatures = IntegerField(
        _l("Signatures"),
        validators=[
            InputRequired(_l("Please give the number of signatures.")),
            NumberRange(min=1, message=_l("At least one signature.")),
        ],
    )

    def validate_country(self, field: Any) -> None:
        if not field.data:
            raise ValidationError(_l("Please choose a country from the list."))


class RowForm(Form):
    """One line of a paper sheet."""

    first_name = StringField(
        _l("First name"), filters=[clean_line], validators=[Length(max=80), PlainText()]
    )
    last_name = StringField(
        _l("Last name"), filters=[clean_line], validators=[Length(max=80), PlainText()]
    )
    city = StringField(_l("City"), filters=[clean_line], validators=[Length(max=80), PlainText()])
    country = StringField(
        _l("Country code"), filters=[clean_line], validators=[Length(max=2), PlainText()]
    )

    def is_blank(self) -> bool:
        return not any(
            (self.first_name.data, self.last_name.data, self.city.data, self.country.data)
        )


class RowsForm(BatchFields):
    """A batch typed in row by row. Each row's country code may be left blank: the batch's."""

    # Built per request with the number of rows shown (see rows_form).
    rows: Any

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        default = self.country.data or ""
        for row in self.rows:
            if row.is_blank():
                continue
            if not row.first_name.data and not row.last_name.data:
                row.first_name.errors.append(_l("A name is needed."))
                valid = False
            code = (row.country.data or "").upper() or default
            if not code:
                row.country.errors.append(_l("Give a country code, or the batch's country."))
                valid = False
            elif code not in country_codes():
                row.country.errors.append(_l("Not a country code (two letters, e.g. DE)."))
                valid = False
        return bool(valid)

    def signers(self) -> list[PaperSigner]:
        default = self.country.data or ""
        return [
            PaperSigner(
                row.first_name.data or "",
                row.last_name.data or "",
                row.city.data or "",
                (row.country.data or "").upper() or default,
            )
            for row in self.rows
            if not row.is_blank()
        ]

    def row_errors(self) -> int:
        return sum(1 for row in self.rows if any(cell.errors for cell in row))


def rows_form(count: int, formdata: Any = None) -> RowsForm:
    """The rows form with ``count`` rows (at least ROWS_SHOWN, at most MAX_FORM_ROWS)."""
    from wtforms import FieldList, FormField

    count = max(ROWS_SHOWN, min(count, MAX_FORM_ROWS))

    class _RowsForm(RowsForm):
        rows = FieldList(FormField(RowForm), min_entries=count, max_entries=MAX_FORM_ROWS)

    return _RowsForm(formdata=formdata) if formdata is not None else _RowsForm()


class UploadForm(BatchFields):
    """A CSV file of paper signatures, with where they were collected."""

    file = FileField(_l("CSV file"))


class ImportForm(FlaskForm):
    """The "import" button under a preview: what the preview showed, to check against."""

    sha256 = HiddenField()
    expected = HiddenField()
    include_duplicates = BooleanField(_l("Import the possible duplicates as well"))

    def expected_rows(self) -> int:
        try:
            return int(self.expected.data or "")
        except ValueError:
            return -1
