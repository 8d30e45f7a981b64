"""Admin forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from reporting.domain import directory as rules
from reporting.fields import DayField
from reporting.validators import Printable


class GrantForm(FlaskForm):
    """Open the escrow key and give a handler the keys of earlier cases in their channels."""

    handler = SelectField("Handler", coerce=int)
    passphrase = PasswordField("Escrow passphrase", validators=[
        DataRequired("Enter the school's escrow passphrase."), Length(max=1024)])


def _options(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


def _limit(limit: int, what: str) -> Length:
    return Length(max=limit, message=f"Keep {what} under {limit:,} characters.")


YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


class Checked:
    """Apply one of the directory's rules (a function returning a problem or None)."""

    def __init__(self, problem: Callable[[str], str | None]) -> None:
        self.problem = problem

    def __call__(self, form: FlaskForm, field: StringField) -> None:
        if message := self.problem((field.data or "").strip()):
            raise ValidationError(message)


class EditSupportEntryForm(FlaskForm):
    """One entry of the support directory, checked by the rules the service applies again."""

    revision = HiddenField()  # the revision the admin started from
    kind = RadioField("What kind of support is it?", choices=_options(rules.KIND_LABELS),
                      validators=[InputRequired("Choose what kind of support it is.")])
    name = StringField("Name", description=f"Up to {rules.NAME_MAX} characters.", validators=[
        InputRequired("Enter the name of the service."),
        _limit(rules.NAME_MAX, "the name"), Printable(), Checked(rules.text_problem)])
    offers = TextAreaField(
        "What it offers", description=("What a student can get from it, in plain words. Up to "
                                       f"{rules.OFFERS_MAX:,} characters."),
        validators=[InputRequired("Say what it offers."),
                    _limit(rules.OFFERS_MAX, "what it offers"), Printable(allow_newlines=True),
                    Checked(lambda text: rules.text_problem(text, allow_newlines=True))])
    tags = SelectMultipleField(
        "Who is it especially for?", choices=_options(rules.TAG_LABELS), validate_choice=False,
        description="Tick any that apply. Leave them all unticked if it is for every student.")
    channels = SelectMultipleField(
        "Which reports does it relate to?", choices=_options(rules.CHANNEL_VALUES),
        validate_choice=False,
        description=("Students who send a report to these channels see it on their receipt. "
                     "Leave them all unticked if it suits any report."))
    url = StringField("Web address", description=(
        f"Starting with https://. Up to {rules.URL_MAX} characters."),
        validators=[Printable(), Checked(rules.url_problem)])
    phone = StringField("Phone number", description=(
        "For example 0113 496 0000 or +44 113 496 0000: digits, spaces, +, brackets and "
        "hyphens, 3 to 20 digits."), validators=[Printable(), Checked(rules.phone_problem)])
    email = StringField("Email address", description=(
        f"For example wellbeing@school.ac.uk. Up to {rules.EMAIL_MAX} characters."),
        validators=[Printable(), Checked(rules.email_problem)])
    hours = StringField("Opening hours", description=(
        f"For example: Monday to Friday, 9am to 5pm. Up to {rules.HOURS_MAX} characters."),
        validators=[_limit(rules.HOURS_MAX, "the opening hours"), Printable(),
                    Checked(rules.text_problem)])
    confidential = RadioField("Is it confidential?", choices=YES_NO, validators=[
        InputRequired("Say whether it is confidential.")])
    creates_record = RadioField("Does using it create a record at the school?", choices=YES_NO,
                                validators=[InputRequired("Say whether using it creates a "
                                                          "record at the school.")])

    def validate_tags(self, field: SelectMultipleField) -> None:
        if set(field.data or ()) - set(rules.TAG_LABELS):
            raise ValidationError("Choose who it is for from the list.")

    def validate_channels(self, field: SelectMultipleField) -> None:
        if set(field.data or ()) - set(rules.CHANNEL_VALUES):
            raise ValidationError("Choose the kinds of report from the list.")

    def to_fields(self) -> rules.EntryFields:
        """The answers as the directory's fields."""
        return rules.EntryFields(
            kind=self.kind.data or "", name=self.name.data or "", offers=self.offers.data or "",
            tags=tuple(self.tags.data or ()), channels=tuple(self.channels.data or ()),
            url=self.url.data or "", phone=self.phone.data or "", email=self.email.data or "",
            hours=self.hours.data or "", confidential=self.confidential.data == "yes",
            creates_record=self.creates_record.data == "yes")


def entry_form_data(fields: rules.EntryFields, revision_id: int) -> dict[str, object]:
    """What the edit form starts with: the entry as it is now."""
    return {**{name: getattr(fields, name) for name in (
        "kind", "name", "offers", "url", "phone", "email", "hours")},
        "tags": list(fields.tags), "channels": list(fields.channels),
        "confidential": "yes" if fields.confidential else "no",
        "creates_record": "yes" if fields.creates_record else "no",
        "revision": str(revision_id)}


class RetireSupportEntryForm(FlaskForm):
    """Take an entry out of the directory (its history stays)."""

    entry = HiddenField(validators=[InputRequired()])


class PickDirectoryDateForm(FlaskForm):
    """Which day's directory to show (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    on = DayField("Date", validators=[InputRequired("Enter a date, for example 2026-03-01.")])

    def day(self, today: date) -> date | None:
        """The chosen day, if it is a real date no later than `today` (the school's today)."""
        if not self.validate():
            return None
        if self.on.data > today:
            self.on.errors = [*self.on.errors, "Choose today or an earlier date."]
            return None
        return self.on.data
