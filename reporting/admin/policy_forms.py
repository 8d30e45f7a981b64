"""Forms for the response-time targets and the holiday calendar."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange
from wtforms.widgets import TextInput

from reporting.domain import sla
from reporting.domain.roles import ChannelKind
from reporting.fields import DayField
from reporting.services.sla_settings import (
    FIRST_HOLIDAY,
    HOLIDAY_NAME_MAX,
    LAST_HOLIDAY,
    Targets,
)
from reporting.validators import Printable

WHOLE = re.compile(r"[0-9]{1,3}")  # ASCII digits only: int() would also take '٣' or '1_0'
COUNTING = [SelectChoice("calendar", _l("Calendar days: every day counts")),
            SelectChoice("working", _l("Working days: Monday to Friday, not counting the "
                                       "school's holidays below"))]


class DaysField(IntegerField):
    """A whole number of days, between 1 and `maximum`, with plain messages (a text box with
    a numeric keypad: a number input would hide what was typed when it is refused)."""

    widget = TextInput()

    def __init__(self, label: str, maximum: int, **kwargs) -> None:
        message = _l("Enter a whole number of days from 1 to %(maximum)s.", maximum=maximum)
        super().__init__(label, validators=[InputRequired(message),
                                            NumberRange(1, maximum, message)], **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        """Anything but plain digits is no number (the range check then says so, once)."""
        raw = valuelist[0].strip() if valuelist else ""
        self.data = int(raw) if WHOLE.fullmatch(raw) else None


def _ack(kind: ChannelKind) -> DaysField:
    return DaysField(_l("%(team)s: days to acknowledge a report", team=kind.label), sla.DAYS_MAX)


class ResponseTargetsForm(FlaskForm):
    """The school's response-time targets."""

    ack_peer = _ack(ChannelKind.PEER)
    ack_pastoral = _ack(ChannelKind.PASTORAL)
    ack_institutional = _ack(ChannelKind.INSTITUTIONAL)
    urgent_ack_days = DaysField(_l("Urgent reports, any channel: days to acknowledge"),
                                sla.DAYS_MAX)
    feedback_days = DaysField(_l("Days to give the student feedback, from acknowledgement"),
                              sla.FEEDBACK_DAYS_MAX)
    counting = RadioField(_l("How are days counted?"), choices=COUNTING,
                          validators=[InputRequired(_l("Choose how days are counted."))])

    def to_targets(self) -> Targets:
        """The answers as the service's targets."""
        return Targets({kind.value: self[f"ack_{kind.value}"].data for kind in ChannelKind},
                       self.urgent_ack_days.data, self.feedback_days.data,
                       self.counting.data == "working")


def targets_form_data(targets: Targets) -> dict[str, object]:
    """What the form starts with: the targets in force."""
    return {**{f"ack_{kind}": days for kind, days in targets.ack_days.items()},
            "urgent_ack_days": targets.urgent_ack_days, "feedback_days": targets.feedback_days,
            "counting": "working" if targets.working_days else "calendar"}


class AddHolidayForm(FlaskForm):
    """One day off for the calendar."""

    day = DayField(_l("Date"), validators=[
        InputRequired(_l("Enter a date, for example 2026-12-25."))])
    name = StringField(_l("Name (optional)"), validators=[
        Length(max=HOLIDAY_NAME_MAX,
               message=_l("Keep the name under %(limit)s characters.", limit=HOLIDAY_NAME_MAX)),
        Printable()])

    def validate_day(self, field: DayField) -> None:
        if field.data is not None and not FIRST_HOLIDAY <= field.data <= LAST_HOLIDAY:
            raise ValidationError(_("Choose a date from %(first)s to %(last)s.",
                                    first=FIRST_HOLIDAY.year, last=LAST_HOLIDAY.year))


class RemoveHolidayForm(FlaskForm):
    """Take one day off the calendar."""

    day = HiddenField(validators=[InputRequired()])

    def validate_day(self, field: HiddenField) -> None:
        try:
            date.fromisoformat(field.data)
        except (TypeError, ValueError):
            raise ValidationError(_("Not a date.")) from None

    @property
    def chosen(self) -> date:
        """The day to remove (after validation)."""
        return date.fromisoformat(self.day.data)
