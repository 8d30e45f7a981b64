"""The admin's single-sign-on form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from reporting.validators import Printable


class SsoSettingsForm(FlaskForm):
    """Which provider the school's staff sign in with, and whether its MFA counts."""

    enabled = BooleanField("Let staff sign in with the university's identity provider")
    issuer = StringField("Issuer address", validators=[
        DataRequired("Enter the provider's issuer address."), Length(max=300), Printable()])
    client_id = StringField("Client ID", validators=[
        DataRequired("Enter the client ID the provider gave Belong."), Length(max=300),
        Printable()])
    client_secret = PasswordField("Client secret", validators=[Optional(), Length(max=400)])
    trust_idp_mfa = BooleanField("Accept the provider's own multi-factor sign-in instead of "
                                 "Belong's authenticator code")
    acr_values = TextAreaField("Other acr values that mean multi-factor (optional)",
                               validators=[Optional(), Length(max=500), Printable()])
