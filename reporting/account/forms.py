"""Forms for a staff member's own account."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from reporting.services.staff import MIN_PASSWORD


class ChangePasswordForm(FlaskForm):
    """The current password, and the new one twice."""

    current = PasswordField("Current password", validators=[
        DataRequired("Enter your current password."), Length(max=1024)])
    new = PasswordField("New password", validators=[
        DataRequired("Enter a new password."),
        Length(min=MIN_PASSWORD, max=1024,
               message=f"The new password needs at least {MIN_PASSWORD} characters.")])
    confirm = PasswordField("New password again", validators=[
        DataRequired("Enter the new password again."),
        EqualTo("new", message="The two new passwords are not the same.")])


class EndSessionForm(FlaskForm):
    """End one of your sessions (a POST: no other site can end it)."""
