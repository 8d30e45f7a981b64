"""The admin's single-sign-on form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from reporting.domain.words import N_
from reporting.validators import Printable


class SsoSettingsForm(FlaskForm):
    """Which provider the school's staff sign in with, and whether its MFA counts (words with
    an apostrophe are N_: Flask-Babel's lazy string would print it unescaped)."""

    enabled = BooleanField(N_("Let staff sign in with the university's identity provider"))
    issuer = StringField(_l("Issuer address"), validators=[
        DataRequired(N_("Enter the provider's issuer address.")), Length(max=300), Printable()])
    client_id = StringField(_l("Client ID"), validators=[
        DataRequired(_l("Enter the client ID the provider gave Belong.")), Length(max=300),
        Printable()])
    client_secret = PasswordField(_l("Client secret"), validators=[Optional(), Length(max=400)])
    trust_idp_mfa = BooleanField(N_("Accept the provider's own multi-factor sign-in instead of "
                                    "Belong's authenticator code"))
    acr_values = TextAreaField(_l("Other acr values that mean multi-factor (optional)"),
                               validators=[Optional(), Length(max=500), Printable()])
