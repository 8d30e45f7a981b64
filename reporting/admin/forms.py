"""Admin forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
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

    handler = SelectField(_l("Handler"), coerce=int)
    passphrase = PasswordField(_l("Escrow passphrase"), validators=[
        DataRequired(_l("Enter the school's escrow passphrase.")), Length(max=1024)])


def _options(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


def _limit(limit: int, message: str) -> Length:
    """At most `limit` characters, else `message` (it says %(limit)s; translated when shown)."""
    return Length(max=limit, message=LazyString(
        lambda: str(message) % {"limit": f"{limit:,}"}))


URGENT_CONTACT_MAX = 500  # the column's size
WELSH = {"lang": "cy"}  # a box for Welsh: spell-checked, read aloud, as Welsh
YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


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
    kind = RadioField(_l("What kind of support is it?"), choices=_options(rules.KIND_LABELS),
                      validators=[InputRequired(_l("Choose what kind of support it is."))])
    name = StringField(_l("Name"), description=_l("Up to %(limit)s characters.",
                                                  limit=rules.NAME_MAX), validators=[
        InputRequired(_l("Enter the name of the service.")),
        _limit(rules.NAME_MAX, _l("Keep the name under %(limit)s characters.")), Printable(),
        Checked(rules.text_problem)])
    offers = TextAreaField(
        _l("What it offers"), description=_l("What a student can get from it, in plain words. "
                                             "Up to %(limit)s characters.",
                                             limit=f"{rules.OFFERS_MAX:,}"),
        validators=[InputRequired(_l("Say what it offers.")),
                    _limit(rules.OFFERS_MAX, _l("Keep what it offers under %(limit)s characters.")),
                    Printable(allow_newlines=True),
                    Checked(lambda text: rules.text_problem(text, allow_newlines=True))])
    tags = SelectMultipleField(
        _l("Who is it especially for?"), choices=_options(rules.TAG_LABELS),
        validate_choice=False,
        description=_l("Tick any that apply. Leave them all unticked if it is for every "
                       "student."))
    channels = SelectMultipleField(
        _l("Which reports does it relate to?"), choices=_options(rules.CHANNEL_VALUES),
        validate_choice=False,
        description=_l("Students who send a report to these channels see it on their receipt. "
                       "Leave them all unticked if it suits any report."))
    url = StringField(_l("Web address"), description=_l(
        "Starting with https://. Up to %(limit)s characters.", limit=rules.URL_MAX),
        validators=[Printable(), Checked(rules.url_problem)])
    phone = StringField(_l("Phone number"), description=_l(
        "For example 0113 496 0000 or +44 113 496 0000: digits, spaces, +, brackets and "
        "hyphens, 3 to 20 digits."), validators=[Printable(), Checked(rules.phone_problem)])
    email = StringField(_l("Email address"), description=_l(
        "For example wellbeing@school.ac.uk. Up to %(limit)s characters.",
        limit=rules.EMAIL_MAX), validators=[Printable(), Checked(rules.email_problem)])
    hours = StringField(_l("Opening hours"), description=_l(
        "For example: Monday to Friday, 9am to 5pm. Up to %(limit)s characters.",
        limit=rules.HOURS_MAX),
        validators=[_limit(rules.HOURS_MAX,
                           _l("Keep the opening hours under %(limit)s characters.")),
                    Printable(), Checked(rules.text_problem)])
    # The same words in Welsh, optional: where one is empty, Welsh pages show the English
    # with a note, and the directory list marks the entry "No Welsh yet".
    name_cy = StringField(render_kw=WELSH, label=_l("Name in Welsh (optional)"), description=_l(
        "Up to %(limit)s characters.", limit=rules.NAME_MAX), validators=[
        _limit(rules.NAME_MAX, _l("Keep the Welsh name under %(limit)s characters.")), Printable(),
        Checked(rules.text_problem)])
    offers_cy = TextAreaField(
        render_kw=WELSH, label=_l("What it offers, in Welsh (optional)"), description=_l(
        "Up to %(limit)s characters.", limit=f"{rules.OFFERS_MAX:,}"), validators=[
        _limit(rules.OFFERS_MAX,
               _l("Keep the Welsh for what it offers under %(limit)s characters.")),
        Printable(allow_newlines=True),
        Checked(lambda text: rules.text_problem(text, allow_newlines=True))])
    hours_cy = StringField(
        render_kw=WELSH, label=_l("Opening hours in Welsh (optional)"), description=_l(
        "For example: Dydd Llun i ddydd Gwener, 9am i 5pm. Up to %(limit)s characters.",
        limit=rules.HOURS_MAX), validators=[
        _limit(rules.HOURS_MAX, _l("Keep the Welsh opening hours under %(limit)s characters.")),
        Printable(), Checked(rules.text_problem)])
    confidential = RadioField(_l("Is it confidential?"), choices=YES_NO, validators=[
        InputRequired(_l("Say whether it is confidential."))])
    creates_record = RadioField(_l("Does using it create a record at the school?"),
                                choices=YES_NO,
                                validators=[InputRequired(_l("Say whether using it creates a "
                                                             "record at the school."))])

    def validate_tags(self, field: SelectMultipleField) -> None:
        if set(field.data or ()) - set(rules.TAG_LABELS):
            raise ValidationError(_l("Choose who it is for from the list."))

    def validate_channels(self, field: SelectMultipleField) -> None:
        if set(field.data or ()) - set(rules.CHANNEL_VALUES):
            raise ValidationError(_l("Choose the kinds of report from the list."))

    def to_fields(self) -> rules.EntryFields:
        """The answers as the directory's fields."""
        return rules.EntryFields(
            kind=self.kind.data or "", name=self.name.data or "", offers=self.offers.data or "",
            tags=tuple(self.tags.data or ()), channels=tuple(self.channels.data or ()),
            url=self.url.data or "", phone=self.phone.data or "", email=self.email.data or "",
            hours=self.hours.data or "", confidential=self.confidential.data == "yes",
            creates_record=self.creates_record.data == "yes", name_cy=self.name_cy.data or "",
            offers_cy=self.offers_cy.data or "", hours_cy=self.hours_cy.data or "")


def entry_form_data(fields: rules.EntryFields, revision_id: int) -> dict[str, object]:
    """What the edit form starts with: the entry as it is now."""
    return {**{name: getattr(fields, name) for name in (
        "kind", "name", "offers", "url", "phone", "email", "hours", "name_cy", "offers_cy",
        "hours_cy")},
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

    on = DayField(_l("Date"), validators=[
        InputRequired(_l("Enter a date, for example 2026-03-01."))])

    def day(self, today: date) -> date | None:
        """The chosen day, if it is a real date no later than `today` (the school's today)."""
        if not self.validate():
            return None
        if self.on.data > today:
            self.on.errors = [*self.on.errors, _l("Choose today or an earlier date.")]
            return None
        return self.on.data


class UrgentContactForm(FlaskForm):
    """The school's own urgent contact, shown to students with the emergency numbers."""

    urgent_contact = StringField(_l("Urgent contact"), description=_l(
        "For example: Student Wellbeing duty line: 0113 496 0000. Up to %(limit)s characters.",
        limit=URGENT_CONTACT_MAX), validators=[
        _limit(URGENT_CONTACT_MAX, _l("Keep the urgent contact under %(limit)s characters.")),
        Printable(), Checked(rules.text_problem)])
    urgent_contact_cy = StringField(
        render_kw=WELSH, label=_l("Urgent contact in Welsh (optional)"), description=_l(
        "For example: Llinell ddyletswydd Lles Myfyrwyr: 0113 496 0000. Up to %(limit)s "
        "characters.", limit=URGENT_CONTACT_MAX), validators=[
        _limit(URGENT_CONTACT_MAX, _l("Keep the Welsh urgent contact under %(limit)s characters.")),
        Printable(), Checked(rules.text_problem)])

    def validate_urgent_contact_cy(self, field: StringField) -> None:
        if (field.data or "").strip() and not (self.urgent_contact.data or "").strip():
            raise ValidationError(_l("Give the urgent contact in English too, or leave the "
                                     "Welsh empty."))
