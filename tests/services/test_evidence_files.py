"""Evidence files: image bombs are refused before decoding; stored names are safe."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from reporting.domain.evidence import JPEG, PDF, PNG, TEXT, WEBP, RejectedFile
from reporting.domain.images import MAX_PIXELS, MAX_UPLOAD_PIXELS, ImageTooLarge
from reporting.services.evidence import Upload, clean
from tests import bombs

MAX_BYTES = 10 * 1024 * 1024
BOMBS = {
    "PNG 7000 x 7000, all zero": ("zeros.png", bombs.png_bomb, "7,000 by 7,000 pixels"),
    "JPEG claiming 60,000 x 60,000": ("big.jpg", lambda: bombs.jpeg_claiming(60_000, 60_000),
                                      "60,000 by 60,000 pixels"),
    "WebP (lossless) claiming 16,384 x 16,384": (
        "big.webp", lambda: bombs.webp_claiming(16_384, 16_384), "16,384 by 16,384 pixels"),
    "WebP (extended) claiming 20,000 x 20,000": (
        "big.webp", lambda: bombs.webp_extended_claiming(20_000, 20_000),
        "20,000 by 20,000 pixels"),
    "animated PNG": ("moving.png", lambda: bombs.animated("PNG"), "animated image"),
    "animated WebP": ("moving.webp", lambda: bombs.animated("WEBP"), "animated image"),
    "progressive JPEG with 300 scans": ("layers.jpg", lambda: bombs.jpeg_with_scans(300),
                                        "more layers than we can check"),
}


@pytest.fixture
def opened(monkeypatch):
    """Every file Pillow is asked to open (Pillow allocates, and for WebP decodes, there)."""
    seen: list[object] = []
    real_open = Image.open

    def spying_open(fp, *args, **kwargs):
        seen.append(fp)
        return real_open(fp, *args, **kwargs)

    monkeypatch.setattr(Image, "open", spying_open)
    return seen


@pytest.mark.parametrize("case", list(BOMBS))
def test_image_bombs_are_refused_from_their_header_before_decoding(case, opened, capsys):
    """Is each bomb refused with a plain reason, without Pillow ever opening it?"""
    name, make, words = BOMBS[case]
    data = make()
    start = time.perf_counter()
    with pytest.raises(ImageTooLarge, match=words) as refused:
        clean(Upload(name, data), MAX_BYTES)
    elapsed = (time.perf_counter() - start) * 1000
    assert opened == []  # never handed to the decoder
    assert str(refused.value).startswith(name) and "will do" in str(refused.value)
    with capsys.disabled():
        print(f"\n  {case} ({len(data):,} bytes): refused in {elapsed:.2f} ms")


@pytest.mark.parametrize("data", [bombs.gif_claiming(), bombs.animated("GIF", frames=200)])
def test_gifs_are_refused_as_a_kind_we_do_not_take(data, opened):
    """Is a GIF, even one claiming 65,535 x 65,535 or of 200 frames, refused unread?"""
    with pytest.raises(RejectedFile, match="is not a PDF, PNG, JPEG, WebP or plain text file"):
        clean(Upload("funny.gif", data), MAX_BYTES)
    assert opened == []


def test_an_image_at_the_limit_is_kept_and_one_pixel_more_is_not(opened):
    """Is the limit where it says: 5,000 x 5,000 kept, 5,000 x 5,001 refused?"""
    assert 5_000 * 5_000 == MAX_PIXELS
    kept = clean(Upload("wide.png", bombs.png_bomb(5_000, 5_000)), MAX_BYTES)
    assert kept.kind is PNG and kept.pixels == MAX_PIXELS and len(opened) == 1
    with pytest.raises(ImageTooLarge):
        clean(Upload("wider.png", bombs.png_bomb(5_000, 5_001)), MAX_BYTES)
    assert len(opened) == 1


def test_the_images_of_one_upload_share_a_budget(opened):
    """Past the upload's budget, is the next image refused unread, saying how to add it?"""
    spent = MAX_UPLOAD_PIXELS - 100
    assert clean(Upload("a.png", bombs.small("PNG", (10, 10))), MAX_BYTES, spent).pixels == 100
    with pytest.raises(ImageTooLarge, match="on its own afterwards"):
        clean(Upload("b.png", bombs.small("PNG", (10, 11))), MAX_BYTES, spent)
    assert len(opened) == 1


def test_a_header_we_cannot_read_is_refused_unread(opened):
    """Is an image whose header cannot be checked refused, not handed to Pillow to try?"""
    data = bytearray(bombs.small("PNG"))
    data[12:16] = b"IHDX"  # a PNG must start with IHDR
    with pytest.raises(RejectedFile, match="could not be read as an image"):
        clean(Upload("odd.png", bytes(data)), MAX_BYTES)
    assert opened == []


@pytest.mark.parametrize("fmt,kind,name", [("PNG", PNG, "shot.png"), ("JPEG", JPEG, "p.jpg"),
                                           ("WEBP", WEBP, "p.webp")])
def test_ordinary_images_are_still_kept(fmt, kind, name):
    """Are small real PNG, JPEG and WebP files kept, re-encoded as the same kind?"""
    kept = clean(Upload(name, bombs.small(fmt, (40, 30))), MAX_BYTES)
    assert kept.kind is kind and kept.filename == name and kept.pixels == 1200
    with Image.open(io.BytesIO(kept.data)) as image:
        assert image.format == fmt and image.size == (40, 30)


def test_a_photo_taken_sideways_is_kept_upright():
    """Does the EXIF orientation still turn the picture before the EXIF is dropped?"""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to view
    data = bombs.small("JPEG", (40, 20), exif=exif)
    with Image.open(io.BytesIO(clean(Upload("side.jpg", data), MAX_BYTES).data)) as image:
        assert image.size == (20, 40) and not image.getexif()


SCRIPTED = {
    "HTML with a script": ("page.html", b"<html><body><script>alert(1)</script></body></html>"),
    "SVG with onload": ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" '
                                    b'onload="alert(1)"><rect width="9" height="9"/></svg>'),
    "XHTML under a text name": ("notes.xhtml", b"<?xml version='1.0'?><html><script>x()"
                                               b"</script></html>"),
}


@pytest.mark.parametrize("case", list(SCRIPTED))
def test_text_that_a_browser_would_run_is_kept_only_as_txt(case):
    """Is HTML or SVG text kept byte for byte, but under a .txt name?"""
    name, data = SCRIPTED[case]
    kept = clean(Upload(name, data), MAX_BYTES)
    assert kept.kind is TEXT and kept.data == data
    assert kept.filename == name.rsplit(".", 1)[0] + ".txt"


@pytest.mark.parametrize("data", [
    b"%PDF-1.4\n<html><script>fetch('/staff/')</script></html>\n%%EOF",
    b"%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj\n"
    b"2 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n%%EOF",
    b"%PDF-1.7\n1 0 obj << /S /J#61vaScript /J#53 (app.alert(1)) >> endobj\n%%EOF",
    b"%PDF-1.7\n1 0 obj << /Type /Action /S /Launch /F (cmd.exe) >> endobj\n%%EOF",
    b"%PDF-1.7\n1 0 obj << /Names << /EmbeddedFiles 2 0 R >> >> endobj\n%%EOF",
], ids=["HTML polyglot named .html", "JavaScript action", "escaped JavaScript name",
        "Launch action", "attached file"])
def test_pdfs_that_carry_script_or_attachments_are_refused(data):
    """Is a %PDF- polyglot, or a PDF with script, launch or attachments, refused kindly?"""
    with pytest.raises(RejectedFile, match="contains scripts or attached files") as refused:
        clean(Upload("statement.html", data), MAX_BYTES)
    assert "makes a copy we can accept" in str(refused.value)


def test_a_plain_pdf_is_kept_under_a_pdf_name_whatever_it_was_called():
    """Is an ordinary PDF (its compressed streams not searched) kept, named .pdf?"""
    data = (b"%PDF-1.7\n1 0 obj << /Length 9 >>\nstream\n/JS \x00\xff/JS\nendstream\nendobj\n"
            b"%%EOF")
    kept = clean(Upload("letter.html", data), MAX_BYTES)
    assert kept.kind is PDF and kept.filename == "letter.pdf" and kept.data == data
