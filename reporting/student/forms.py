"""The small forms a student fills in (the report form has its own module)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from reporting.domain.report import MESSAGE_MAX
from reporting.fields import Checkboxes
from reporting.student.report_form import CHANNELS
from reporting.validators import Printable


class ReturnForm(FlaskForm):
    """The receipt, typed or pasted."""

    receipt = StringField(_l("Your receipt"), validators=[
        DataRequired(_l("Enter your receipt, for example K7QF-9XM2-P4TD-W8HN-3RCV.")),
        Length(max=64, message=_l("A receipt is 20 letters and numbers, with or without "
                                  "dashes.")),
        Printable(),
    ])


class ReceiptKeptForm(FlaskForm):
    """'I have kept my receipt' (the receipt itself stays in the session until then)."""

    kept = BooleanField(_l("I have saved my receipt somewhere safe"), validators=[
        DataRequired(_l("Tick the box once your receipt is saved. Without it, nobody can "
                        "open your report again."))])


class ReplyForm(FlaskForm):
    """A message to the people handling the report."""

    message = TextAreaField(_l("Your message"), validators=[
        DataRequired(_l("Write your message first.")),
        Length(max=MESSAGE_MAX, message=_l("Keep a message under %(max)s characters.",
                                           max=f"{MESSAGE_MAX:,}")),
        Printable(allow_newlines=True)])


class FilesForm(FlaskForm):
    """More evidence."""

    files = MultipleFileField(_l("Add files"))


class SharingForm(FlaskForm):
    """Who may see the student's name and contact details."""

    share_identity_with = Checkboxes(_l("Who may see your name and contact details?"),
                                     choices=CHANNELS)


class WithdrawForm(FlaskForm):
    """Withdraw the report, after saying so explicitly."""

    confirm = BooleanField(_l("I want to withdraw this report"), validators=[
        DataRequired(_l("Tick the box to confirm you want to withdraw your report."))])


class ConsentForm(FlaskForm):
    """The student's answer to a request to move their report to another team."""

    request_id = HiddenField(validators=[DataRequired()])
    decision = RadioField(_l("Do you agree to this move?"), choices=[
        SelectChoice("approve", _l("Yes, move my report to that team")),
        SelectChoice("decline", _l("No, keep it where it is"))],
        validators=[InputRequired(_l("Choose yes or no."))])


class LeaveForm(FlaskForm):
    """End the receipt session (a POST, so no other site can end it)."""
