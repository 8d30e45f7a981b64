"""Evidence files: which kinds are accepted, recognised by content, never by name."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from reporting.domain.errors import BelongError
from reporting.domain.words import N_


class RejectedFile(BelongError):
    """A file that is too large, empty, or not a kind we accept."""


@dataclass(frozen=True)
class Kind:
    """An accepted file kind, and the extensions a file of that kind may be stored under."""

    content_type: str
    label: str
    extensions: tuple[str, ...]  # the first is given to a name that has none of them
    image: bool = False


PDF = Kind("application/pdf", "PDF", (".pdf",))
PNG = Kind("image/png", "PNG image", (".png",), image=True)
JPEG = Kind("image/jpeg", "JPEG photo", (".jpg", ".jpeg"), image=True)
WEBP = Kind("image/webp", "WebP image", (".webp",), image=True)
# Text is kept as .txt whatever it holds: HTML, SVG or CSV opened under their own names
# could run script in a browser or formulas in a spreadsheet.
TEXT = Kind("text/plain", "plain text", (".txt",))
ACCEPTED = (PDF, PNG, JPEG, WEBP, TEXT)
ACCEPTED_WORDS = N_("PDF, PNG, JPEG, WebP or plain text")
BY_TYPE = {kind.content_type: kind for kind in ACCEPTED}
NAME_MAX = 100
# In a PDF: markup a browser would run (an HTML polyglot), and, outside the (compressed)
# streams, the actions and attachments a PDF reader would run or open; names may hide
# letters as #xx escapes. A heuristic: downloads are never shown inline in any case.
_MARKUP = re.compile(rb"<\s*(?:script|iframe|object|embed|svg|html)\b|javascript:",
                     re.IGNORECASE)
_PDF_STREAM = re.compile(rb"\bstream\r?\n.*?\bendstream\b", re.DOTALL)
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|RichMedia|EmbeddedFiles?)(?![A-Za-z0-9])")
_PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


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


def _active_pdf(data: bytes) -> bool:
    """Does a PDF carry script, actions that launch things, or attached files?"""
    if _MARKUP.search(data):
        return True
    names = _PDF_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]),
                            _PDF_STREAM.sub(b"", data))
    return bool(_PDF_ACTIVE.search(names))


def check(filename: str, data: bytes, max_bytes: int) -> Kind:
    """Accept a file or say, in plain words, why not."""
    if not data:
        raise RejectedFile(N_("%(name)s is empty.") % {"name": filename})
    if len(data) > max_bytes:
        raise RejectedFile(N_("%(name)s is larger than %(mb)s MB.") % {
            "name": filename, "mb": max_bytes // (1024 * 1024)})
    kind = sniff(data)
    if kind is None:
        raise RejectedFile(N_("%(name)s is not a %(kinds)s file.") % {
            "name": filename, "kinds": ACCEPTED_WORDS})
    if kind is PDF and _active_pdf(data):
        raise RejectedFile(N_("%(name)s contains scripts or attached files, which we cannot "
                              "accept, to keep safe the people who open it. Printing it to a "
                              "new PDF, or a screenshot, makes a copy we can accept.") % {
                                  "name": filename})
    return kind


def stored_name(filename: str, kind: Kind | None) -> str:
    """A name safe to save to any disk, ending in an extension of the file's detected kind.

    Only letters, digits, spaces and - _ . ( ) survive (no path, control or direction-
    changing characters); `notes.html` holding text becomes `notes.txt`.
    """
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    allowed = kind.extensions if kind else (".bin",)
    ending = f".{extension.lower()}" if f".{extension.lower()}" in allowed else allowed[0]
    cleaned = "".join(ch if unicodedata.category(ch)[0] in "LN" or ch in " -_.()" else "_"
                      for ch in unicodedata.normalize("NFC", stem))
    cleaned = re.sub(r"_{2,}", "_", cleaned).strip(" ._")[:NAME_MAX].strip(" ._")
    return (cleaned or "file") + ending
