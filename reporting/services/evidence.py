"""Checking, cleaning and sealing evidence files."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from reporting import crypto
from reporting.domain import images
from reporting.domain.evidence import BY_TYPE, Kind, RejectedFile, check, stored_name
from reporting.domain.words import N_
from reporting.models import Evidence
from reporting.models.base import new_id

# Pillow's own guard, for any path that opens an image: a warning past our budget, an error
# at twice it. Ours (domain/images.py) refuses from the header before Pillow is called.
Image.MAX_IMAGE_PIXELS = images.MAX_PIXELS
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
    pixels: int = 0  # what decoding it cost (an image's width times height)


def _strip_metadata(kind: Kind, data: bytes, filename: str, already: int) -> tuple[bytes, int]:
    """Rebuild an image from its pixels alone, so EXIF (GPS, device, owner) cannot survive;
    return it with its pixel count.

    The decoding budget is checked from the header (ImageTooLarge), and the size Pillow
    reads must agree with it, before a single pixel is decoded.
    """
    header = images.read_header(filename, kind.content_type, data)
    images.check_budget(filename, header, already)
    try:
        with Image.open(io.BytesIO(data), formats=[_PIL_FORMAT[kind.content_type]]) as image:
            if image.size != (header.width, header.height):
                raise RejectedFile(N_("%(name)s could not be read as an image.") % {
                    "name": filename})
            ImageOps.exif_transpose(image, in_place=True)  # upright, if its EXIF says to turn it
            fresh = Image.new(image.mode, image.size)  # one copy of the pixels, no metadata
            fresh.paste(image)
            if image.mode in ("P", "PA"):
                fresh.putpalette(image.getpalette())
        out = io.BytesIO()
        fresh.save(out, format=_PIL_FORMAT[kind.content_type])
        return out.getvalue(), header.pixels
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise RejectedFile(N_("%(name)s could not be read as an image.") % {
            "name": filename}) from exc


def clean(upload: Upload, max_bytes: int, already_pixels: int = 0) -> CleanFile:
    """Accept a file by its content and strip image metadata, or raise RejectedFile.

    `already_pixels` is what the other images of the same upload cost to decode. The file
    keeps a safe name ending in its detected kind's extension.
    """
    name = "".join(ch for ch in upload.filename if ch.isprintable())[-200:] or "file"
    kind = check(name, upload.data, max_bytes)
    data, pixels = (_strip_metadata(kind, upload.data, name, already_pixels) if kind.image
                    else (upload.data, 0))
    return CleanFile(stored_name(name, kind), kind, data, pixels)


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


def open_evidence_data(content_key: bytes, evidence: Evidence) -> bytes:
    """The bytes of a piece of evidence."""
    return crypto.unseal(content_key, evidence.content_sealed, crypto.field_context(
        evidence.report_id, f"evidence:{evidence.id}"))


def open_evidence_name(content_key: bytes, evidence: Evidence) -> str:
    """The file name of a piece of evidence, made safe again for files stored before names
    were (so every page and download shows the extension of the detected kind)."""
    name = crypto.unseal(content_key, evidence.name_sealed, crypto.field_context(
        evidence.report_id, f"evidence-name:{evidence.id}")).decode()
    return stored_name(name, BY_TYPE.get(evidence.content_type))
