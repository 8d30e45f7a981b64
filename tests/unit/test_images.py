"""The decoding budget, read from image headers in plain Python."""

from __future__ import annotations

import pytest

from reporting.domain.evidence import RejectedFile
from reporting.domain.images import (
    MAX_DECODED_BYTES,
    MAX_JPEG_SCANS,
    ImageHeader,
    ImageTooLarge,
    check_budget,
    read_header,
)
from tests import bombs


@pytest.mark.parametrize("content_type,data,expected", [
    ("image/png", bombs.png_bomb(300, 200), ImageHeader(300, 200, 4)),
    ("image/png", bombs.animated("PNG", frames=4), ImageHeader(16, 16, 4, frames=4)),
    ("image/jpeg", bombs.jpeg_claiming(1234, 567), ImageHeader(1234, 567, 4)),
    ("image/jpeg", bombs.jpeg_with_scans(5), ImageHeader(64, 64, 4, scans=15)),
    ("image/webp", bombs.small("WEBP", (30, 20)), ImageHeader(30, 20, 4)),
    ("image/webp", bombs.webp_claiming(16_384, 9), ImageHeader(16_384, 9, 4)),
    ("image/webp", bombs.webp_extended_claiming(70_000, 3), ImageHeader(70_000, 3, 4)),
    ("image/webp", bombs.animated("WEBP", frames=5), ImageHeader(16, 16, 4, frames=5)),
])
def test_headers_are_read_without_decoding(content_type, data, expected):
    """Are size, memory per pixel, frames and scans read from the first bytes?"""
    assert read_header("f", content_type, data) == expected


@pytest.mark.parametrize("content_type,data", [
    ("image/png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIH"),
    ("image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
    ("image/jpeg", b"\xff\xd8\xff\xda\x00\x08" + b"\x00" * 20),
    ("image/webp", b"RIFF\x00\x00\x00\x00WEBPVP8 "),
    ("image/gif", bombs.gif_claiming()),
])
def test_cut_short_or_unknown_headers_are_refused(content_type, data):
    """Is a header cut short, with pixels before the frame header, or of another kind refused?"""
    with pytest.raises(RejectedFile, match="could not be read as an image"):
        read_header("f", content_type, data)


@pytest.mark.parametrize("header,words", [
    (ImageHeader(7000, 7000, 4), "7,000 by 7,000"),
    (ImageHeader(5000, 5000, MAX_DECODED_BYTES // 25_000_000 + 1), "5,000 by 5,000"),
    (ImageHeader(10, 10, 4, frames=2), "animated"),
    (ImageHeader(10, 10, 4, scans=MAX_JPEG_SCANS + 1), "more layers"),
])
def test_over_the_budget_is_refused_in_plain_words(header, words):
    """Is each way over the budget refused with its own reason and a way forward?"""
    with pytest.raises(ImageTooLarge, match=words) as refused:
        check_budget("photo.png", header)
    assert str(refused.value).startswith("photo.png ") and "will do" in str(refused.value)


def test_within_the_budget_passes():
    """Does a 24-megapixel photo, progressive and still, pass?"""
    check_budget("photo.jpg", ImageHeader(5712, 4284, 4, scans=MAX_JPEG_SCANS))


def test_a_zero_sized_image_is_unreadable():
    """Is an image that claims no pixels refused as unreadable?"""
    with pytest.raises(RejectedFile, match="could not be read"):
        check_budget("empty.png", ImageHeader(0, 10, 4))
