"""The forms of spaces to meet: an organiser's session, naming leads, and the student's
filter and "I might come"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
from reporting.domain.spaces.fields import ACCESS_LABELS, WELSH, SessionFields
from reporting.fields import Checkboxes, DayField

TAG_CHOICES = [SelectChoice(value, label) for value, label in TAG_LABELS.items()]


class ClockTime(TimeField):
    """A time of day, with a plain message for anything else."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(_l("Enter a time on the 24-hour clock, for example 12:30.")) \
                from exc


class EditSessionForm(FlaskForm):
    """A session, as an organiser publishes or changes it."""

    title = StringField(_l("Title"))
    about = TextAreaField(_l("What it is about (optional)"))
    tags = Checkboxes(_l("Who is it for?"), choices=TAG_CHOICES, validate_choice=False,
                      description=_l("Tick none for a session open to every student."))
    day = DayField(_l("Day"), validators=[Optional()],
                   description=_l("On the school's clock. If you type it: year, month, day, "
                                  "like 2026-03-01."))
    starts = ClockTime(_l("Starts"), validators=[Optional()],
                       description=_l("For example 12:30."))
    ends = ClockTime(_l("Ends"), validators=[Optional()], description=_l("For example 14:00."))
    online = RadioField(_l("Where is it?"), default="in_person", choices=[
        SelectChoice("in_person", _l("In person")), SelectChoice("online", _l("Online"))])
    area = StringField(_l("Where, in general (optional, shown to everyone)"),
                       description=_l("For example: Medical School, Worsley Building."))
    join_details = StringField(
        _l("How to join: the room, or the https:// link for an online session"),
        description=_l("Shown only to students who say they might come."))
    facilitator = StringField(_l("Who will run it"))
    access = Checkboxes(_l("Accessibility"), validate_choice=False, choices=[
        SelectChoice(value, label) for value, label in ACCESS_LABELS.items()])
    access_notes = StringField(_l("Anything else about access (optional)"),
                               description=_l("For example: a hearing loop, or how to ask "
                                              "for an interpreter."))
    # The same words in Welsh, for Welsh pages (each optional: "" shows the English).
    title_cy = StringField(_l("Title, in Welsh"), render_kw={"lang": "cy"})
    about_cy = TextAreaField(_l("What it is about, in Welsh"))
    area_cy = StringField(_l("Where, in general, in Welsh"), render_kw={"lang": "cy"})
    join_details_cy = StringField(
        _l("How to join, in Welsh (for a room; an online session's link needs no Welsh)"),
        render_kw={"lang": "cy"})
    facilitator_cy = StringField(_l("Who will run it, in Welsh"), render_kw={"lang": "cy"})
    access_notes_cy = StringField(_l("Anything else about access, in Welsh"),
                                  render_kw={"lang": "cy"})

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
            access_notes=self.access_notes.data or "",
            **{f"{name}_cy": getattr(self, f"{name}_cy").data or "" for name in WELSH})


def session_form_data(fields: SessionFields) -> dict:
    """The edit form's values for a stored session."""
    return {"title": fields.title, "about": fields.about, "tags": list(fields.tags),
            "day": fields.day, "starts": fields.starts, "ends": fields.ends,
            "online": "online" if fields.online else "in_person", "area": fields.area,
            "join_details": fields.join_details, "facilitator": fields.facilitator,
            "access": [name for name in ACCESS_LABELS if getattr(fields, name)],
            "access_notes": fields.access_notes,
            **{f"{name}_cy": getattr(fields, f"{name}_cy") for name in WELSH}}


class CancelSessionForm(FlaskForm):
    """Call off one session."""

    session = HiddenField(validators=[InputRequired()])


class NameLeadForm(FlaskForm):
    """Let a member of staff publish sessions."""

    staff = SelectField(_l("Member of staff"), coerce=str,
                        validators=[InputRequired(_l("Choose a member of staff."))])


class RemoveLeadForm(FlaskForm):
    """Stop a lead publishing sessions."""

    staff = HiddenField(validators=[InputRequired()])


class FilterSessionsForm(FlaskForm):
    """Who the sessions are for (a GET form: no token, no cookie)."""

    class Meta:
        csrf = False

    tag = SelectMultipleField(
        _l("Who is it for?"), validate_choice=False, choices=TAG_CHOICES,
        description=_l("Tick any that apply to you. Sessions open to every student are "
                       "always shown too."))

    def validate_tag(self, field: SelectMultipleField) -> None:
        if set(field.data or ()) - set(TAG_LABELS):
            raise ValidationError(_l("Choose from the list."))


class MightComeForm(FlaskForm):
    """ "I might come": its token is signed, not kept in a cookie (spaces/form_token.py)."""

    class Meta:
        csrf = False

    token = HiddenField()
