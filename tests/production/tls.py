"""A throwaway TLS certificate for 127.0.0.1, made at test time, and what trusts it."""

from __future__ import annotations

import base64
import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class Certificate:
    """A self-signed server certificate (PEM) and its private key (PEM)."""

    cert_pem: bytes
    key_pem: bytes

    @property
    def spki_sha256(self) -> str:
        """Base64 SHA-256 of the public key, as Chromium's --ignore-certificate-errors-spki-list
        wants it: Chromium then trusts this one key and no other bad certificate."""
        cert = x509.load_pem_x509_certificate(self.cert_pem)
        spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                              serialization.PublicFormat.SubjectPublicKeyInfo)
        return base64.b64encode(hashlib.sha256(spki).digest()).decode()

    def write(self, directory: Path) -> tuple[Path, Path]:
        """Write fullchain.pem and privkey.pem (0600) into `directory`; return their paths."""
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        cert_path, key_path = directory / "fullchain.pem", directory / "privkey.pem"
        cert_path.write_bytes(self.cert_pem)
        key_path.touch(mode=0o600)
        key_path.write_bytes(self.key_pem)
        return cert_path, key_path


def self_signed(ip: str = "127.0.0.1", days: int = 2) -> Certificate:
    """A P-256 certificate for one IP address (subjectAltName IP), valid for `days` days.

    It is its own issuer and a CA, so Python's `ssl` (a CA file) can anchor on it.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Belong test {ip}")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True,
                                     content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False,
                                     crl_sign=False, encipher_only=False,
                                     decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Certificate(
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        key_pem=key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()),
    )
