"""The decoding budget of an image, read from its header before any pixel is decoded.

A small file can describe a huge picture: a 190 KB all-zero PNG of 7000 x 7000 pixels
takes seconds and most of a gigabyte to decode. So the size, the memory the pixels
would take and the number of frames are read here, in plain Python, from the first
bytes of the file, and an image over the budget is refused before an image library
ever sees it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from reporting.domain.evidence import RejectedFile
from reporting.domain.words import N_

MAX_PIXELS = 25_000_000  # a 24-megapixel phone photo fits; a 7000 x 7000 one does not
MAX_UPLOAD_PIXELS = 64_000_000  # all the images of one upload: five 12-megapixel photos fit
MAX_DECODED_BYTES = 4 * MAX_PIXELS  # an image at the pixel limit held as RGBA, 4 bytes a pixel
MAX_JPEG_SCANS = 100  # a progressive JPEG has about ten; each scan re-reads every pixel
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class ImageTooLarge(RejectedFile):
    """An image that would cost more to decode than the budget allows."""


class _Unreadable(Exception):
    """The header does not describe an image we can check."""


@dataclass(frozen=True)
class ImageHeader:
    """What an image's header says it holds."""

    width: int
    height: int
    bytes_per_pixel: int  # as the decoder holds it in memory
    frames: int = 1
    scans: int = 1

    @property
    def pixels(self) -> int:
        return self.width * self.height

    @property
    def decoded_bytes(self) -> int:
        return self.pixels * self.bytes_per_pixel


def check_budget(filename: str, header: ImageHeader, already: int = 0) -> None:
    """Refuse (ImageTooLarge), in plain words, an image too costly to decode, alone or with
    the `already` pixels of the images sent with it."""
    if header.width < 1 or header.height < 1:
        raise RejectedFile(N_("%(name)s could not be read as an image.") % {"name": filename})
    if header.pixels > MAX_PIXELS or header.decoded_bytes > MAX_DECODED_BYTES:
        raise ImageTooLarge(N_(
            "%(name)s is %(width)s by %(height)s pixels, larger than we can check safely (up "
            "to %(megapixels)s megapixels). A smaller copy or a screenshot will do.") % {
                "name": filename, "width": f"{header.width:,}",
                "height": f"{header.height:,}", "megapixels": MAX_PIXELS // 1_000_000})
    if already + header.pixels > MAX_UPLOAD_PIXELS:
        raise ImageTooLarge(N_("%(name)s was not added: with the other images chosen, it is "
                               "more than we can check at once. Add it on its own afterwards, "
                               "from your report's page.") % {"name": filename})
    if header.frames > 1:
        raise ImageTooLarge(N_("%(name)s is an animated image, and we can keep still images "
                               "only. A screenshot of the part that matters will do.") % {
                                   "name": filename})
    if header.scans > MAX_JPEG_SCANS:
        raise ImageTooLarge(N_("%(name)s is built in more layers than we can check safely. "
                               "A screenshot of it, or saving it again, will do.") % {
                                   "name": filename})


def read_header(filename: str, content_type: str, data: bytes) -> ImageHeader:
    """The header of a PNG, JPEG or WebP file (RejectedFile if it cannot be read)."""
    reader = {"image/png": _png, "image/jpeg": _jpeg, "image/webp": _webp}.get(content_type)
    try:
        if reader is None:
            raise _Unreadable(content_type)
        return reader(data)
    except (_Unreadable, struct.error, IndexError, ValueError):
        raise RejectedFile(N_("%(name)s could not be read as an image.") % {
            "name": filename}) from None


def _png(data: bytes) -> ImageHeader:
    """IHDR is the first chunk; an animation control chunk (APNG) comes before the pixels."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise _Unreadable("it has no PNG header")
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    # Grey or palette: one byte a pixel (two for 16-bit grey); every other kind four.
    per_pixel = (2 if depth == 16 else 1) if colour in (0, 3) else 4
    frames, offset = 1, 8
    while offset + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if kind in (b"IDAT", b"IEND"):
            break
        if kind == b"acTL":
            frames = struct.unpack(">I", data[offset + 8:offset + 12])[0]
        offset += 12 + length
    return ImageHeader(width, height, per_pixel, frames=frames)


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg(data: bytes) -> ImageHeader:
    """Walk the markers to the frame header (SOFn); count the scans (SOS) in the file.

    Inside compressed data a 0xFF byte is always followed by 0x00 or a restart marker, so
    0xFF 0xDA marks only a scan start (an embedded thumbnail's scans count too).
    """
    if not data.startswith(b"\xff\xd8"):
        raise _Unreadable("it has no JPEG header")
    offset = 2
    while True:
        while data[offset] == 0xFF and data[offset + 1] == 0xFF:  # fill bytes
            offset += 1
        if data[offset] != 0xFF:
            raise _Unreadable("its markers are malformed")
        marker = data[offset + 1]
        length = struct.unpack(">H", data[offset + 2:offset + 4])[0]
        if marker in _SOF:
            height, width, components = struct.unpack(">HHB", data[offset + 5:offset + 10])
            return ImageHeader(width, height, 1 if components == 1 else 4,
                               scans=data.count(b"\xff\xda"))
        if marker in (0xD9, 0xDA):  # end of image, or pixels before any frame header
            raise _Unreadable("it has no frame header")
        offset += 2 + length


def _webp(data: bytes) -> ImageHeader:
    """A simple (VP8, VP8L) or extended (VP8X) WebP; an animated one counts its frames."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise _Unreadable("it has no WebP header")
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return ImageHeader(width & 0x3FFF, height & 0x3FFF, 4)
    if chunk == b"VP8L" and data[20] == 0x2F:
        bits = struct.unpack("<I", data[21:25])[0]
        return ImageHeader((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, 4)
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        animated = bool(data[20] & 0x02)
        return ImageHeader(width, height, 4, frames=_webp_frames(data) if animated else 1)
    raise _Unreadable("it has no WebP image header")


def _webp_frames(data: bytes) -> int:
    """How many ANMF (animation frame) chunks the RIFF container holds."""
    frames, offset = 0, 12
    while offset + 8 <= len(data):
        kind, length = struct.unpack("<4sI", data[offset:offset + 8])
        frames += kind == b"ANMF"
        offset += 8 + length + (length & 1)  # chunks are padded to an even length
    return max(frames, 1)
