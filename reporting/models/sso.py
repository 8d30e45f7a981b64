"""A school's OpenID Connect provider: single sign-on for its staff (services/sso.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reporting.extensions import db
from reporting.models.base import UTCDateTime, utcnow
from reporting.models.school import School


class SsoProvider(db.Model):
    """The identity provider a school's staff may sign in with, set on the admin's page."""

    __tablename__ = "sso_providers"

    school_id: Mapped[int] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # The issuer identifier: discovery reads <issuer>/.well-known/openid-configuration and
    # every ID token must name exactly this issuer.
    issuer: Mapped[str] = mapped_column(String(300))
    client_id: Mapped[str] = mapped_column(String(300))
    # AES-GCM under a server key derived from BELONG_HMAC_KEY, bound to the school.
    client_secret_sealed: Mapped[bytes] = mapped_column(LargeBinary(600))
    # Take the provider's own multi-factor sign-in (`amr` "mfa", or one of these `acr`
    # values) instead of Belong's authenticator code.
    trust_idp_mfa: Mapped[bool] = mapped_column(Boolean, default=False)
    mfa_acr_values: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    school: Mapped[School] = relationship()

    @property
    def acr_values(self) -> frozenset[str]:
        """The `acr` values that count as multi-factor, one per line or space apart."""
        return frozenset(self.mfa_acr_values.split())
