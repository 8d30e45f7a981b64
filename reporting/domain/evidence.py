"""Evidence files: which kinds are accepted, recognised by content, never by name."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from reporting.domain.errors import BelongError


class RejectedFile(BelongError):
    """A file that is too large, empty, or not a kind we accept."""


@dataclass(frozen=True)
class Kind:
    """An accepted file kind."""

    content_type: str
    label: str
    image: bool = False


PDF = Kind("application/pdf", "PDF")
PNG = Kind("image/png", "PNG image", image=True)
JPEG = Kind("image/jpeg", "JPEG photo", image=True)
WEBP = Kind("image/webp", "WebP image", image=True)
TEXT = Kind("text/plain", "plain text")
ACCEPTED = (PDF, PNG, JPEG, WEBP, TEXT)
ACCEPTED_WORDS = "PDF, PNG, JPEG, WebP or plain text"


def sniff(data: bytes) -> Kind | None:
    """Recognise a file by its first bytes; None if it is not an accepted kind."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    return TEXT if _is_text(data) else None


def _is_text(data: bytes) -> bool:
    """UTF-8 throughout, with no control characters but line breaks and tabs."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f" for ch in text)


def check(filename: str, data: bytes, max_bytes: int) -> Kind:
    """Accept a file or say, in plain words, why not."""
    if not data:
        raise RejectedFile(f"{filename} is empty.")
    if len(data) > max_bytes:
        raise RejectedFile(f"{filename} is larger than {max_bytes // (1024 * 1024)} MB.")
    kind = sniff(data)
    if kind is None:
        raise RejectedFile(f"{filename} is not a {ACCEPTED_WORDS} file.")
    return kind
