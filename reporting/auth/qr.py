"""The QR code an authenticator app scans, drawn as inline SVG (no script, no image request)."""

from __future__ import annotations

import segno
from flask_babel import gettext as _
from markupsafe import Markup

from reporting.services import totp


def qr_code(secret: str, email: str) -> Markup:
    """The secret's otpauth:// URI as an SVG QR code."""
    svg = segno.make(totp.provisioning_uri(secret, email)).svg_inline(
        scale=5, title=_("QR code for your authenticator app"), svgclass="qr")
    return Markup(svg)  # noqa: S704 - SVG made by segno from our own otpauth URI
