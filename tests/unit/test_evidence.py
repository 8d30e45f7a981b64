"""Evidence files are recognised by their content, not their names."""

from __future__ import annotations

import pytest

from reporting.domain.evidence import (
    JPEG,
    PDF,
    PNG,
    TEXT,
    WEBP,
    RejectedFile,
    check,
    sniff,
    stored_name,
)


@pytest.mark.parametrize("data,kind", [
    (b"%PDF-1.7\n...", PDF),
    (b"\x89PNG\r\n\x1a\n....", PNG),
    (b"\xff\xd8\xff\xe0....", JPEG),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", WEBP),
    ("Plain notes, with unicode: café ✓".encode(), TEXT),
])
def test_accepted_kinds_are_recognised(data, kind):
    """Is each accepted kind recognised from its first bytes?"""
    assert sniff(data) is kind


@pytest.mark.parametrize("data", [
    b"MZ\x90\x00 a Windows program",
    b"PK\x03\x04 a zip or office file",
    b"\x7fELF a Linux program",
    b"\xff\xfe\x00\x00 binary with NULs",
    b"\xc3\x28 invalid utf-8 in the middle of a longer text file " * 3,
])
def test_other_content_is_refused_whatever_its_name(data):
    """Are programs, archives and binary data refused, even named .pdf?"""
    assert sniff(data) is None
    with pytest.raises(RejectedFile, match="is not a PDF"):
        check("invoice.pdf", data, 1024)


def test_text_cut_mid_character_is_still_text():
    """Is a long UTF-8 text whose sample ends inside a character still accepted?"""
    assert sniff(("a" * 8191 + "é").encode()) is TEXT


def test_size_and_emptiness_are_checked():
    """Are empty and oversized files refused with their names in the message?"""
    with pytest.raises(RejectedFile, match="notes.txt is empty"):
        check("notes.txt", b"", 10)
    with pytest.raises(RejectedFile, match="larger than"):
        check("big.txt", b"x" * 11, 10)


@pytest.mark.parametrize("name,kind,stored", [
    ("notes.html", TEXT, "notes.txt"),
    ("logo.SVG", TEXT, "logo.txt"),
    ("statement.html", PDF, "statement.pdf"),
    ("Photo.JPEG", JPEG, "Photo.jpeg"),
    ("photo.jpg", JPEG, "photo.jpg"),
    ("screenshot", PNG, "screenshot.png"),
    ("C:\\Users\\me\\Desktop\\ward notes.pdf", PDF, "ward notes.pdf"),
    ("../../etc/passwd", TEXT, "passwd.txt"),
    ("invoice\u202egpj.exe", PNG, "invoice_gpj.png"),  # a right-to-left override
    ("..hidden.txt", TEXT, "hidden.txt"),
    ("<script>.txt", TEXT, "script.txt"),
    ("Llythyr gan y Gofrestrfa – Medi.pdf", PDF, "Llythyr gan y Gofrestrfa _ Medi.pdf"),
    ("日本語のメモ.txt", TEXT, "日本語のメモ.txt"),
    ("...", TEXT, "file.txt"),
    ("x" * 300 + ".pdf", PDF, "x" * 100 + ".pdf"),
    ("old.exe", None, "old.bin"),
])
def test_stored_names_are_safe_and_end_in_the_detected_kind(name, kind, stored):
    """Does a stored name lose paths, controls and odd characters, and take the kind's
    extension?"""
    assert stored_name(name, kind) == stored
