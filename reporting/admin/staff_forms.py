"""Forms of the admin's staff pages (each field named for its form: one page holds three)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from reporting.domain.roles import Role
from reporting.services.staff import MIN_PASSWORD
from reporting.validators import Printable

PASSWORD_HINT = (f"At least {MIN_PASSWORD} characters. Give it to them yourself, in person "
                 "or by phone: never by email, where the link goes.")


SIGN_IN_CHOICES = [SelectChoice("sso", "With their university account (single sign-on)"),
                   SelectChoice("password", "With a Belong password you give them")]


def _needed_unless_sso(choice: str):
    """A password is needed unless the form offers single sign-on and it is chosen."""
    def check(form, field) -> None:
        if choice in form and form[choice].data == "sso":
            field.data = None
            raise StopValidation()
        if not field.data:
            raise StopValidation("Choose a password for them.")
    return check


def _password(label: str, choice: str) -> PasswordField:
    return PasswordField(label, validators=[
        _needed_unless_sso(choice),
        Length(min=MIN_PASSWORD, max=1024,
               message=f"The password needs at least {MIN_PASSWORD} characters.")])


def _sign_in(label: str = "How they sign in") -> RadioField:
    """Shown only while the school's single sign-on is on (the view removes it otherwise)."""
    return RadioField(label, choices=SIGN_IN_CHOICES, default="sso")


def without_sso(form: FlaskForm, choice: str) -> FlaskForm:
    """The form as a school without single sign-on sees it: password only."""
    delattr(form, choice)
    return form


def _passphrase(label: str = "Escrow passphrase") -> PasswordField:
    return PasswordField(label, validators=[Optional(), Length(max=1024)])


class InviteStaffForm(FlaskForm):
    """A new account: who, in which role, and how they sign in (single sign-on, or the
    password to hand over separately)."""

    display_name = StringField("Name", validators=[
        DataRequired("Enter their name."), Length(max=120), Printable()])
    email = EmailField("Email address", validators=[
        DataRequired("Enter their email address."), Length(max=254)])
    role = SelectField("Role", choices=[SelectChoice(role.value, role.label) for role in Role])
    lead = BooleanField("Lead of their channel (receives escalations)")
    sign_in = _sign_in()
    password = _password("First password", "sign_in")


class DeactivateStaffForm(FlaskForm):
    """End a leaver's access; with the passphrase, give their cases to the team now."""

    confirm = BooleanField("End this person's access now", validators=[
        DataRequired("Tick the box to confirm.")])
    deactivate_passphrase = _passphrase()


class MoveStaffForm(FlaskForm):
    """Another channel; with the passphrase, its earlier cases are granted."""

    channel = SelectField("New channel", coerce=int, validators=[
        DataRequired("Choose a channel.")])
    move_passphrase = _passphrase()


class ResetStaffForm(FlaskForm):
    """A new password (or single sign-on) and enrolment; with the passphrase, earlier
    cases are granted again."""

    reset_sign_in = _sign_in("How they sign in from now on")
    reset_password = _password("New password", "reset_sign_in")
    reset_passphrase = _passphrase()
