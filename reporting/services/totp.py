"""TOTP secrets: made, sealed at rest, opened only to check a code or show it to enrol.

A secret is sealed with AES-GCM under a server key derived from BELONG_HMAC_KEY (as the
students' reply addresses are), with the staff row's id as associated data, so a database
dump alone holds no secret and a sealed secret copied onto another account does not open.
"""

from __future__ import annotations

from datetime import datetime

import pyotp

from reporting import crypto
from reporting.models import StaffUser

STEP = 30  # seconds per code
KEY_PURPOSE = "totp-secret"


def totp_key(config: dict) -> bytes:
    """The server key that seals every TOTP secret."""
    return crypto.server_key(config["BELONG_HMAC_KEY"], KEY_PURPOSE)


def context(staff_id: int) -> bytes:
    """Associated data binding a sealed secret to one staff row."""
    return f"belong/totp-secret/{staff_id}".encode()


def random_secret() -> str:
    """A fresh 160-bit secret in base32, as authenticator apps take it."""
    return pyotp.random_base32()


def new_secret(key: bytes, user: StaffUser) -> str:
    """Give a flushed account a fresh secret, stored sealed; returns it for its QR code."""
    secret = random_secret()
    user.totp_secret_sealed = seal_secret(key, user.id, secret)
    return secret


def seal_secret(key: bytes, staff_id: int, secret: str) -> bytes:
    """Seal a secret for one staff row (also what a new authenticator waits in, unconfirmed)."""
    return crypto.seal(key, secret.encode(), context(staff_id))


def open_secret(key: bytes, staff_id: int, sealed: bytes) -> str:
    """Open a secret sealed for this staff row, or raise crypto.CryptoError."""
    return crypto.unseal(key, sealed, context(staff_id)).decode()


def secret_of(key: bytes, user: StaffUser) -> str:
    """The account's current secret."""
    return open_secret(key, user.id, user.totp_secret_sealed)


def matching_counter(secret: str, code: str, now: datetime) -> int | None:
    """The time step (now, one before or one after) whose code matches, if any."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP
    for counter in (current - 1, current, current + 1):
        if crypto.same(totp.at(counter * STEP).encode(), code.encode()):
            return counter
    return None


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// URI an authenticator app reads from a QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name="Belong")
