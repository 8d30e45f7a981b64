"""Admin forms for placement providers and the rising-pattern threshold."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from reporting.domain.placements import NAME_MAX, THRESHOLD_MAX
from reporting.domain.words import N_
from reporting.validators import Printable


# Words with an apostrophe are N_ (escaped as any text): Flask-Babel's lazy string counts as
# safe HTML, so its ' would print unescaped.
class AddProviderForm(FlaskForm):
    """Add a provider (an NHS trust, a hospital, a GP practice) to the school's list."""

    name = StringField(N_("Provider's name"), validators=[
        InputRequired(N_("Enter the provider's name.")),
        Length(max=NAME_MAX, message=_l("Keep the name under %(max)s characters.", max=NAME_MAX)),
        Printable()])


class RenameProviderForm(AddProviderForm):
    """Give a provider a new name (its reports follow it)."""

    name = StringField(_l("New name"), validators=AddProviderForm.name.kwargs["validators"])


class RetireProviderForm(FlaskForm):
    """Take a provider off the report form (its reports stay counted)."""

    provider = HiddenField(validators=[InputRequired()])


class ThresholdForm(FlaskForm):
    """Reports in one term about one provider, setting or ground that trigger an alert."""

    threshold = StringField(N_("Alert me when a term's reports about one provider, setting or "
                               "ground reach"), validators=[Optional(), Length(max=len(
                                str(THRESHOLD_MAX)) + 2)])


class ExportProviderForm(FlaskForm):
    """Which provider's figures to export, and for which year."""

    provider = SelectField(_l("Provider"), validators=[InputRequired()])
    year = SelectField(_l("Academic year"), validators=[InputRequired()])
