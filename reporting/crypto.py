"""Every cryptographic operation in Belong, behind one small API.

This is the only module that imports `cryptography` or `argon2`. Stored blobs
start with a two-byte header (format version, algorithm id) that is also bound
into the associated data, so parameters can be raised later and old records
still open, and a blob can never be reinterpreted under another algorithm.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
FORMAT_VERSION = 1
ALG_AES_GCM = 1  # symmetric: a field, a private key, a reporter's wrapped data key
ALG_SEALED_BOX = 2  # X25519 ephemeral + HKDF-SHA256 + AES-256-GCM


class CryptoError(Exception):
    """A blob would not open: wrong key, wrong context, wrong format or tampered."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters, stored beside every derived value."""

    time_cost: int
    memory_kib: int
    parallelism: int

    def encode(self) -> str:
        """Serialise as a short string for a database column."""
        return f"argon2id$m={self.memory_kib},t={self.time_cost},p={self.parallelism}"

    @classmethod
    def decode(cls, text: str) -> KdfParams:
        """Parse the string written by encode()."""
        try:
            name, rest = text.split("$", 1)
            parts = dict(item.split("=", 1) for item in rest.split(","))
            if name != "argon2id":
                raise ValueError(name)
            return cls(int(parts["t"]), int(parts["m"]), int(parts["p"]))
        except (ValueError, KeyError) as exc:
            raise CryptoError(f"unknown KDF parameters {text!r}") from exc

    @classmethod
    def from_config(cls, config: dict) -> KdfParams:
        """Read the parameters from app.config."""
        return cls(config["KDF_TIME_COST"], config["KDF_MEMORY_KIB"], config["KDF_PARALLELISM"])


@dataclass(frozen=True)
class DerivedKeys:
    """The two outputs of one Argon2id derivation: a stored verifier and a never-stored key."""

    verifier: bytes
    key: bytes


def random_key() -> bytes:
    """A fresh 256-bit key (a report's data key, a session key)."""
    return secrets.token_bytes(KEY_BYTES)


def random_salt() -> bytes:
    """A fresh salt for a key derivation."""
    return secrets.token_bytes(SALT_BYTES)


def _hkdf(material: bytes, info: bytes, salt: bytes | None = None) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive(
        material
    )


def derive_keys(secret: str | bytes, salt: bytes, params: KdfParams) -> DerivedKeys:
    """Run Argon2id once and split its output into a verifier and a key.

    This is the deliberate cost of a login or a receipt use; callers must do it
    exactly once per attempt. The C implementation releases the GIL, so
    concurrent requests derive in parallel: there is no lock here.
    """
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    raw = hash_secret_raw(
        secret,
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )
    return DerivedKeys(
        verifier=_hkdf(raw, b"belong/v1/verifier"),
        key=_hkdf(raw, b"belong/v1/wrapping-key"),
    )


def same(a: bytes, b: bytes) -> bool:
    """Compare two secrets in constant time."""
    return hmac.compare_digest(a, b)


def _header(alg: int) -> bytes:
    return bytes((FORMAT_VERSION, alg))


def _check_header(blob: bytes, alg: int, minimum: int) -> None:
    if len(blob) < minimum or blob[0] != FORMAT_VERSION or blob[1] != alg:
        raise CryptoError("unrecognised or truncated blob")


def seal(key: bytes, plaintext: bytes, context: bytes) -> bytes:
    """Encrypt with AES-256-GCM; `context` is bound as associated data."""
    header = _header(ALG_AES_GCM)
    nonce = secrets.token_bytes(NONCE_BYTES)
    return header + nonce + AESGCM(key).encrypt(nonce, plaintext, header + context)


def unseal(key: bytes, blob: bytes, context: bytes) -> bytes:
    """Decrypt what seal() made, or raise CryptoError."""
    _check_header(blob, ALG_AES_GCM, 2 + NONCE_BYTES + 16)
    header, nonce, body = blob[:2], blob[2 : 2 + NONCE_BYTES], blob[2 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, header + context)
    except (InvalidTag, ValueError) as exc:
        raise CryptoError("could not decrypt") from exc


def field_context(report_id: str, field: str) -> bytes:
    """Associated data binding a ciphertext to one report and one field."""
    return f"belong/field/{report_id}/{field}".encode()


def generate_keypair() -> tuple[bytes, bytes]:
    """A fresh X25519 key pair as (private, public) raw bytes."""
    private = X25519PrivateKey.generate()
    return private.private_bytes_raw(), private.public_key().public_bytes_raw()


def _box_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return _hkdf(shared, b"belong/v1/sealed-box" + ephemeral_public + recipient_public)


def wrap_key(recipient_public: bytes, data_key: bytes, context: bytes) -> bytes:
    """Seal a data key so only the holder of the recipient's private key can open it."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    header = _header(ALG_SEALED_BOX)
    nonce = secrets.token_bytes(NONCE_BYTES)
    box = AESGCM(_box_key(shared, ephemeral_public, recipient_public))
    return header + ephemeral_public + nonce + box.encrypt(nonce, data_key, header + context)


def unwrap_key(private_key: bytes, blob: bytes, context: bytes) -> bytes:
    """Open what wrap_key() made with the recipient's private key, or raise CryptoError."""
    _check_header(blob, ALG_SEALED_BOX, 2 + KEY_BYTES + NONCE_BYTES + 16)
    ephemeral_public = blob[2 : 2 + KEY_BYTES]
    nonce = blob[2 + KEY_BYTES : 2 + KEY_BYTES + NONCE_BYTES]
    body = blob[2 + KEY_BYTES + NONCE_BYTES :]
    try:
        private = X25519PrivateKey.from_private_bytes(private_key)
        recipient_public = private.public_key().public_bytes_raw()
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        box = AESGCM(_box_key(shared, ephemeral_public, recipient_public))
        return box.decrypt(nonce, body, blob[:2] + context)
    except (InvalidTag, ValueError) as exc:
        raise CryptoError("could not unwrap key") from exc


def server_key(secret: str, purpose: str) -> bytes:
    """A 256-bit key for one purpose, derived from a server secret in configuration."""
    return _hkdf(secret.encode(), f"belong/v1/server/{purpose}".encode())


def token_digest(token: str) -> bytes:
    """Digest of a high-entropy bearer token (session or enrolment) for storage."""
    return hashlib.sha256(token.encode()).digest()


def keyed_digest(key: str, value: str) -> str:
    """A keyed pseudonym for a low-entropy value (an IP address) that is never stored raw."""
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]
