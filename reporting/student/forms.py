"""Forms a student fills in."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from reporting.validators import Printable


class ReturnForm(FlaskForm):
    """The receipt, typed or pasted."""

    receipt = StringField("Your receipt", validators=[
        DataRequired("Enter your receipt, for example K7QF-9XM2-P4TD-W8HN-3RCV."),
        Length(max=64, message="A receipt is 20 letters and numbers, with or without dashes."),
        Printable(),
    ])


class LeaveForm(FlaskForm):
    """End the receipt session (a POST, so no other site can end it)."""
