"""Decompression bombs and other hostile images, made small: for tests and bench/."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(width: int = 7000, height: int = 7000) -> bytes:
    """A valid all-zero RGB PNG, compressed row by row (7000 x 7000 is about 140 KB)."""
    row, packer = b"\x00" * (3 * width + 1), zlib.compressobj(9)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                               0, 0, 0))
            + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b""))


def _saved(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def small(fmt: str, size: tuple[int, int] = (16, 16), **options) -> bytes:
    """A real, harmless image."""
    return _saved(Image.new("RGB", size, (200, 30, 30)), fmt, **options)


def animated(fmt: str, frames: int = 3) -> bytes:
    """A real animated PNG (APNG), WebP or GIF of a few tiny frames."""
    images = [Image.new("RGB", (16, 16), (40 * i, 0, 0)) for i in range(frames)]
    return _saved(images[0], fmt, save_all=True, append_images=images[1:], duration=100)


def jpeg_claiming(width: int, height: int) -> bytes:
    """A tiny JPEG whose frame header claims another size (65,500 x 65,500 at most)."""
    data = bytearray(small("JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def jpeg_with_scans(extra: int) -> bytes:
    """A progressive JPEG with its last scan repeated `extra` times (a CPU bomb)."""
    data = small("JPEG", (64, 64), progressive=True)
    last = data.rindex(b"\xff\xda")
    return data[:-2] + data[last:-2] * extra + b"\xff\xd9"


def webp_claiming(width: int, height: int) -> bytes:
    """A tiny lossless WebP (VP8L) whose header claims up to 16,384 x 16,384 pixels."""
    data = bytearray(small("WEBP", lossless=True))
    assert data[12:16] == b"VP8L"
    bits = struct.unpack("<I", data[21:25])[0] & ~0xFFFFFFF
    data[21:25] = struct.pack("<I", bits | (width - 1) | ((height - 1) << 14))
    return bytes(data)


def webp_extended_claiming(width: int, height: int) -> bytes:
    """An extended (VP8X) WebP whose canvas claims up to 16 million pixels a side."""
    inner = small("WEBP", lossless=True)[12:]  # the VP8L chunk
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + (
        (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little"))
    body = b"WEBP" + vp8x + inner
    return b"RIFF" + struct.pack("<I", len(body)) + body


def gif_claiming(width: int = 65535, height: int = 65535) -> bytes:
    """A tiny GIF whose logical screen claims 65,535 x 65,535 pixels."""
    data = bytearray(small("GIF"))
    data[6:10] = struct.pack("<HH", width, height)
    return bytes(data)
