"""Staff sign-in forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from reporting.validators import Printable


class SignInForm(FlaskForm):
    """Email and password."""

    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter your email address.")), Length(max=254), Printable(),
        Regexp(r"^[^@\s]+@[^@\s]+$",
               message=_l("Enter an email address, like name@school.ac.uk.")),
    ])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter your password.")), Length(max=1024)])


class PasswordHelpForm(FlaskForm):
    """The address of the account whose password was forgotten."""

    email = SignInForm.email


class SecondFactorForm(FlaskForm):
    """A six-digit code from the authenticator app."""

    code = StringField(_l("6-digit code from your authenticator app"), validators=[
        DataRequired(_l("Enter the 6-digit code.")),
        Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message=_l("The code is 6 digits, like 123456.")),
    ])


class EnrolmentForm(FlaskForm):
    """The password an admin gave, to prove the enrolment link is in the right hands."""

    password = PasswordField(_l("Password you were given"), validators=[
        DataRequired(_l("Enter the password you were given.")), Length(max=1024)])


class SignOutForm(FlaskForm):
    """Sign out (a POST, so no other site can sign someone out)."""
