"""Staff accounts, their channel memberships and their server-side sessions."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reporting.domain.roles import Role
from reporting.extensions import db
from reporting.models.base import UTCDateTime, utcnow
from reporting.models.school import Channel, School


class StaffUser(UserMixin, db.Model):
    """A member of staff or a trained peer supporter, scoped to one school."""

    __tablename__ = "staff"
    __table_args__ = (
        CheckConstraint(
            "role IN ('peer_supporter', 'pastoral_officer', 'institutional_officer', 'admin', "
            "'role_model')",
            name="role",
        ),
        CheckConstraint("key_sealing IN ('password', 'sso')", name="key_sealing"),
        UniqueConstraint("school_id", "oidc_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # One Argon2id derivation of the password gives the verifier and the key that
    # seals the X25519 private key (crypto.derive_keys). None for an account that signs in
    # with the school's identity provider: it has no Belong password.
    kdf_salt: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    kdf_params: Mapped[str | None] = mapped_column(String(64))
    password_verifier: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    # 'password': sealed under the password-derived key; 'sso': under a server key derived
    # from BELONG_HMAC_KEY and bound to this row (services/sso.py, docs/threat-model.md).
    key_sealing: Mapped[str] = mapped_column(String(10), default="password")
    private_key_sealed: Mapped[bytes] = mapped_column(LargeBinary(128))
    # The identity provider's `sub` for this person, set at their first single sign-on from
    # their invitation; unique within the school (one provider per school).
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    key_created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # AES-GCM under a server key, bound to this row's id (services/totp.py).
    totp_secret_sealed: Mapped[bytes] = mapped_column(LargeBinary(128))
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_counter: Mapped[int | None] = mapped_column(BigInteger)
    enrolment_digest: Mapped[bytes | None] = mapped_column(LargeBinary(32), unique=True)
    enrolment_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # 'immediate' or 'digest' (one email a day hides timing from anyone watching mail).
    notify_mode: Mapped[str] = mapped_column(String(10), default="immediate")
    # The handler's saved queue view: the filter's query string (never a case's content).
    queue_view: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Who invited the account from the staff pages (None: the command line, or since gone).
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    # When an admin deactivated a leaver (services/staff_admin.py); `active` is then False.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    school: Mapped[School] = relationship()
    memberships: Mapped[list[ChannelMembership]] = relationship(
        back_populates="staff", cascade="all, delete-orphan"
    )

    # Set by the user loader: the bearer token of the session this request runs in.
    session_token = None

    def get_id(self) -> str | None:
        """Flask-Login stores the session token, not the user id (alternative tokens)."""
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def uses_sso(self) -> bool:
        """Signs in with the school's identity provider, not a Belong password."""
        return self.key_sealing == "sso"

    @property
    def staff_role(self) -> Role:
        """The role as an enum member."""
        return Role(self.role)

    @property
    def channel_ids(self) -> set[int]:
        """The channels this person handles cases in."""
        return {membership.channel_id for membership in self.memberships}


class ChannelMembership(db.Model):
    """A handler's place in one channel; a lead receives escalations."""

    __tablename__ = "channel_memberships"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)

    staff: Mapped[StaffUser] = relationship(back_populates="memberships")
    channel: Mapped[Channel] = relationship()


class StaffSession(db.Model):
    """A login: the private key sealed under a key that lives only in the session cookie."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_digest: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    sealed_private_key: Mapped[bytes] = mapped_column(LargeBinary(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    second_factor_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A single sign-on: the provider's session id (`sid`, for its back-channel logout), its
    # refresh token sealed under the cookie's session key, and when the provider last said
    # the account is still live (services/sso.py).
    idp_sid: Mapped[str | None] = mapped_column(String(255), index=True)
    idp_refresh_sealed: Mapped[bytes | None] = mapped_column(LargeBinary(4096))
    idp_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    staff: Mapped[StaffUser] = relationship()


class PeerOffer(db.Model):
    """A tag a peer supporter offers to share with students (domain.peer.PEER_TAGS)."""

    __tablename__ = "peer_offers"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
