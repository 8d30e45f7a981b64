"""The forms of spaces to meet: an organiser's session, naming leads, and the student's
filter and "I might come"."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from reporting.domain.directory import TAG_LABELS
from reporting.domain.spaces.fields import ACCESS_LABELS, SessionFields
from reporting.fields import Checkboxes, DayField

TAG_CHOICES = [SelectChoice(value, label) for value, label in TAG_LABELS.items()]


class ClockTime(TimeField):
    """A time of day, with a plain message for anything else."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("Enter a time on the 24-hour clock, for example 12:30.") from exc


class EditSessionForm(FlaskForm):
    """A session, as an organiser publishes or changes it."""

    title = StringField("Title")
    about = TextAreaField("What it is about (optional)")
    tags = Checkboxes("Who is it for?", choices=TAG_CHOICES, validate_choice=False,
                      description="Tick none for a session open to every student.")
    day = DayField("Day", validators=[Optional()],
                   description="On the school's clock. If you type it: year, month, day, "
                               "like 2026-03-01.")
    starts = ClockTime("Starts", validators=[Optional()], description="For example 12:30.")
    ends = ClockTime("Ends", validators=[Optional()], description="For example 14:00.")
    online = RadioField("Where is it?", default="in_person", choices=[
        SelectChoice("in_person", "In person"), SelectChoice("online", "Online")])
    area = StringField("Where, in general (optional, shown to everyone)",
                       description="For example: Medical School, Worsley Building.")
    join_details = StringField(
        "How to join: the room, or the https:// link for an online session",
        description="Shown only to students who say they might come.")
    facilitator = StringField("Who will run it")
    access = Checkboxes("Accessibility", validate_choice=False, choices=[
        SelectChoice(value, label) for value, label in ACCESS_LABELS.items()])
    access_notes = StringField("Anything else about access (optional)",
                               description="For example: a hearing loop, or how to ask for "
                                           "an interpreter.")

    def to_fields(self) -> SessionFields:
        """What was entered, for the service to check."""
        access = set(self.access.data or ())
        return SessionFields(
            title=self.title.data or "", about=self.about.data or "",
            tags=tuple(self.tags.data or ()), day=self.day.data, starts=self.starts.data,
            ends=self.ends.data, online=self.online.data == "online",
            area=self.area.data or "", join_details=self.join_details.data or "",
            facilitator=self.facilitator.data or "", step_free="step_free" in access,
            captions="captions" in access, quiet_room="quiet_room" in access,
            access_notes=self.access_notes.data or "")


def session_form_data(fields: SessionFields) -> dict:
    """The edit form's values for a stored session."""
    return {"title": fields.title, "about": fields.about, "tags": list(fields.tags),
            "day": fields.day, "starts": fields.starts, "ends": fields.ends,
            "online": "online" if fields.online else "in_person", "area": fields.area,
            "join_details": fields.join_details, "facilitator": fields.facilitator,
            "access": [name for name in ACCESS_LABELS if getattr(fields, name)],
            "access_notes": fields.access_notes}


class CancelSessionForm(FlaskForm):
    """Call off one session."""

    session = HiddenField(validators=[InputRequired()])


class NameLeadForm(FlaskForm):
    """Let a member of staff publish sessions."""

    staff = SelectField("Member of staff", coerce=str,
                        validators=[InputRequired("Choose a member of staff.")])


class RemoveLeadForm(FlaskForm):
    """Stop a lead publishing sessions."""

    staff = HiddenField(validators=[InputRequired()])


class FilterSessionsForm(FlaskForm):
    """Who the sessions are for (a GET form: no token, no cookie)."""

    class Meta:
        csrf = False

    tag = SelectMultipleField(
        "Who is it for?", validate_choice=False, choices=TAG_CHOICES,
        description="Tick any that apply to you. Sessions open to every student are always "
                    "shown too.")

    def validate_tag(self, field: SelectMultipleField) -> None:
        if set(field.data or ()) - set(TAG_LABELS):
            raise ValidationError("Choose from the list.")


class MightComeForm(FlaskForm):
    """ "I might come": its token is signed, not kept in a cookie (spaces/form_token.py)."""

    class Meta:
        csrf = False

    token = HiddenField()
