"""Checking, cleaning and sealing evidence files."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from reporting import crypto
from reporting.domain.evidence import Kind, RejectedFile, check
from reporting.models import Evidence
from reporting.models.base import new_id

MAX_PIXELS = 50_000_000  # larger images are refused before they are decoded
_PIL_FORMAT = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}


@dataclass(frozen=True)
class Upload:
    """A file as the student sent it."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class CleanFile:
    """A file we accept, with metadata stripped from images."""

    filename: str
    kind: Kind
    data: bytes


def _strip_metadata(kind: Kind, data: bytes, filename: str) -> bytes:
    """Rebuild an image from its pixels alone, so EXIF (GPS, device, owner) cannot survive."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise RejectedFile(f"{filename} is too large an image (over 50 megapixels).")
            upright = ImageOps.exif_transpose(image)
            fresh = Image.frombytes(upright.mode, upright.size, upright.tobytes())
            if upright.mode == "P":
                fresh.putpalette(upright.getpalette())
            out = io.BytesIO()
            fresh.save(out, format=_PIL_FORMAT[kind.content_type])
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise RejectedFile(f"{filename} could not be read as an image.") from exc


def clean(upload: Upload, max_bytes: int) -> CleanFile:
    """Accept a file by its content and strip image metadata, or raise RejectedFile."""
    name = "".join(ch for ch in upload.filename if ch.isprintable())[-200:] or "file"
    kind = check(name, upload.data, max_bytes)
    data = _strip_metadata(kind, upload.data, name) if kind.image else upload.data
    return CleanFile(name, kind, data)


def seal_evidence(report_id: str, content_key: bytes, file: CleanFile) -> Evidence:
    """An Evidence row whose name and bytes are sealed under the report's content key."""
    evidence_id = new_id()
    return Evidence(
        id=evidence_id,
        report_id=report_id,
        content_type=file.kind.content_type,
        size=len(file.data),
        name_sealed=crypto.seal(content_key, file.filename.encode(),
                                crypto.field_context(report_id, f"evidence-name:{evidence_id}")),
        content_sealed=crypto.seal(content_key, file.data,
                                   crypto.field_context(report_id, f"evidence:{evidence_id}")),
    )


def open_evidence_name(content_key: bytes, evidence: Evidence) -> str:
    """The original file name of a piece of evidence."""
    return crypto.unseal(content_key, evidence.name_sealed, crypto.field_context(
        evidence.report_id, f"evidence-name:{evidence.id}")).decode()
