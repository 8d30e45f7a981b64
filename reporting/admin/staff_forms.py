"""Forms of the admin's staff pages (each field named for its form: one page holds three)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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

from reporting.domain.roles import ROLE_LABELS, Role
from reporting.domain.words import N_
from reporting.services.staff import MIN_PASSWORD
from reporting.validators import Printable

PASSWORD_HINT = _l("At least %(min)s characters. Give it to them yourself, in person or by "
                   "phone: never by email, where the link goes.", min=MIN_PASSWORD)


SIGN_IN_CHOICES = [SelectChoice("sso", _l("With their university account (single sign-on)")),
                   SelectChoice("password", _l("With a Belong password you give them"))]


def _needed_unless_sso(choice: str):
    """A password is needed unless the form offers single sign-on and it is chosen."""
    def check(form, field) -> None:
        if choice in form and form[choice].data == "sso":
            field.data = None
            raise StopValidation()
        if not field.data:
            raise StopValidation(_l("Choose a password for them."))
    return check


def _password(label: str, choice: str) -> PasswordField:
    return PasswordField(label, validators=[
        _needed_unless_sso(choice),
        Length(min=MIN_PASSWORD, max=1024,
               message=_l("The password needs at least %(min)s characters.", min=MIN_PASSWORD))])


def _sign_in(label: str = _l("How they sign in")) -> RadioField:
    """Shown only while the school's single sign-on is on (the view removes it otherwise)."""
    return RadioField(label, choices=SIGN_IN_CHOICES, default="sso")


def without_sso(form: FlaskForm, choice: str) -> FlaskForm:
    """The form as a school without single sign-on sees it: password only."""
    delattr(form, choice)
    return form


def _passphrase(label: str = _l("Escrow passphrase")) -> PasswordField:
    return PasswordField(label, validators=[Optional(), Length(max=1024)])


class InviteStaffForm(FlaskForm):
    """A new account: who, in which role, and how they sign in (single sign-on, or the
    password to hand over separately)."""

    display_name = StringField(_l("Name"), validators=[
        DataRequired(_l("Enter their name.")), Length(max=120), Printable()])
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter their email address.")), Length(max=254)])
    role = SelectField(_l("Role"), choices=[SelectChoice(role.value, ROLE_LABELS[role])
                                             for role in Role])
    lead = BooleanField(_l("Lead of their channel (receives escalations)"))
    sign_in = _sign_in()
    password = _password(_l("First password"), "sign_in")


class DeactivateStaffForm(FlaskForm):
    """End a leaver's access; with the passphrase, give their cases to the team now."""

    # N_: Flask-Babel's lazy string would print the apostrophe unescaped.
    confirm = BooleanField(N_("End this person's access now"), validators=[
        DataRequired(_l("Tick the box to confirm."))])
    deactivate_passphrase = _passphrase()


class MoveStaffForm(FlaskForm):
    """Another channel; with the passphrase, its earlier cases are granted."""

    channel = SelectField(_l("New channel"), coerce=int, validators=[
        DataRequired(_l("Choose a channel."))])
    move_passphrase = _passphrase()


class ResetStaffForm(FlaskForm):
    """A new password (or single sign-on) and enrolment; with the passphrase, earlier
    cases are granted again."""

    reset_sign_in = _sign_in(_l("How they sign in from now on"))
    reset_password = _password(_l("New password"), "reset_sign_in")
    reset_passphrase = _passphrase()
