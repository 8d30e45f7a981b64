"""Admin forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField
from wtforms.validators import DataRequired, Length


class GrantForm(FlaskForm):
    """Open the escrow key and give a handler the keys of earlier cases in their channels."""

    handler = SelectField("Handler", coerce=int)
    passphrase = PasswordField("Escrow passphrase", validators=[
        DataRequired("Enter the school's escrow passphrase."), Length(max=1024)])
