"""Forms for a staff member's own account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from reporting.services.staff import MIN_PASSWORD


class ChangePasswordForm(FlaskForm):
    """The current password, and the new one twice."""

    current = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password.")), Length(max=1024)])
    new = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Enter a new password.")),
        Length(min=MIN_PASSWORD, max=1024,  # WTForms fills in %(min)d
               message=_l("The new password needs at least %(min)d characters."))])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(_l("Enter the new password again.")),
        EqualTo("new", message=_l("The two new passwords are not the same."))])


class EndSessionForm(FlaskForm):
    """End one of your sessions (a POST: no other site can end it)."""
