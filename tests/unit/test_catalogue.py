"""The Welsh catalogue is whole: every message the code marks has Welsh, in every plural
form, with the same placeholders and markup, and it compiles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from reporting.i18n import TRANSLATIONS, compile_catalogues

ROOT = Path(__file__).resolve().parents[2]
WELSH = TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
TAG = re.compile(r"</?[a-z]+")


@pytest.fixture(scope="module")
def marked() -> Catalog:
    """Every message the code marks, extracted as `pybabel extract -F babel.cfg` does."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "N_": None, "_l": None}
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
            ROOT, method_map, options_map, keywords=keywords):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


@pytest.fixture(scope="module")
def welsh() -> Catalog:
    with WELSH.open("rb") as source:
        return read_po(source, locale="cy")


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_a_great_many_messages_are_marked(marked):
    """Is the extraction finding the app's words (a broken babel.cfg would find none)?"""
    assert len(marked) > 500


def test_every_message_has_welsh(marked, welsh):
    """Does each marked message have a Welsh translation, in every plural form, not fuzzy?"""
    missing = [message.id for message in marked if message.id and (
        (found := welsh.get(message.id)) is None or not all(_strings(found))
        or found.fuzzy)]
    assert not missing, f"{len(missing)} without Welsh, e.g. {missing[:10]}"


def test_the_catalogue_holds_no_stale_messages(marked, welsh):
    """Is every Welsh entry still used (a changed English text leaves its old entry)?"""
    stale = [message.id for message in welsh if message.id and message.id not in marked]
    assert not stale, f"{len(stale)} stale, e.g. {stale[:10]}"


def test_welsh_keeps_each_placeholder_and_tag(welsh):
    """Can every Welsh text be filled in as the English is (no placeholder the code does not
    pass; singular forms keep them all), and does it keep the English's markup?"""
    wrong = []
    for message in welsh:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(PLACEHOLDER.findall(" ".join(english)))
        tags = sorted(TAG.findall(english[0]))
        for text in _strings(message):
            found = set(PLACEHOLDER.findall(text))
            if not found <= wanted or (not message.pluralizable and found != wanted):
                wrong.append((english[0], text))
            if sorted(TAG.findall(text)) != tags:
                wrong.append((english[0], text))
    assert not wrong, wrong[:10]
    assert not [error for error in welsh.check()]


def test_welsh_has_its_six_plural_forms(welsh):
    assert welsh.num_plurals == 6


def test_the_catalogue_compiles(tmp_path):
    """Does the source compile to the `.mo` the app reads, and only when it changed?"""
    target = tmp_path / "cy" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "messages.po").write_bytes(WELSH.read_bytes())
    assert compile_catalogues(tmp_path) == [target / "messages.mo"]
    assert compile_catalogues(tmp_path) == []
