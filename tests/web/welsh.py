"""What of a page is in English when it should be Welsh: the catalogue's English texts that
show outside any element marked lang="en" (the school's own words without Welsh are)."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

from babel.messages.pofile import read_po

from reporting.i18n import TRANSLATIONS

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
READ = ("aria-label", "alt", "placeholder", "title")
MARKUP = re.compile(r"%\(\w+\)[sd]|<[^>]+>|%%")


class Texts(HTMLParser):
    """The text a person reads or hears, with the language each piece is marked in."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.html_lang = ""
        self.texts: list[tuple[str, str]] = []  # (language, text)

    def _lang(self) -> str:
        return self.stack[-1][1] if self.stack else ""

    def handle_starttag(self, tag, attrs):
        attr = {name: value or "" for name, value in attrs}
        lang = attr.get("lang", self._lang())
        if tag == "html":
            self.html_lang = lang
        for name in READ:
            if attr.get(name):
                self.texts.append((lang, attr[name]))
        if tag in ("input", "button") and attr.get("type") in ("submit", "button"):
            self.texts.append((lang, attr.get("value", "")))
        if tag not in VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] in ("script", "style"):
            return
        if text := " ".join(data.split()):
            self.texts.append((self._lang(), text))


@cache
def _welsh():
    with (TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale="cy")


@cache
def english_of_welsh() -> tuple[frozenset[str], tuple[str, ...]]:
    """The catalogue's English texts the Welsh replaces: whole texts (a button's "Continue"),
    and the runs of three or more words between placeholders and tags."""
    whole, runs = set(), set()
    for message in _welsh():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        welsh = " ".join(message.string) if isinstance(message.string, tuple) else message.string
        for english in ids:
            plain = " ".join(english.split()).strip(" .,:;")
            if not MARKUP.search(english) and plain and plain not in welsh:
                whole.add(plain)
            for run in MARKUP.split(english):
                run = " ".join(run.split()).strip(" .,:;")
                if len(run.split()) >= 3 and run not in welsh:
                    runs.add(run)
    return frozenset(whole), tuple(sorted(runs, key=len, reverse=True))


def english_on(html: str) -> list[str]:
    """The catalogue's English that a Welsh page shows outside lang="en", and a wrong lang."""
    page = Texts()
    page.feed(html)
    found = [] if page.html_lang == "cy" else [f'<html lang="{page.html_lang}">']
    whole, runs = english_of_welsh()
    shown = [text for lang, text in page.texts if not lang.startswith("en")]
    for text in shown:
        if text.strip(" .,:;") in whole:
            found.append(text)
    joined = " | ".join(shown)
    found += [run for run in runs if run in joined]
    return list(dict.fromkeys(found))


@cache
def _catalogue() -> dict[str, str]:
    return {message.id: message.string for message in _welsh() if isinstance(message.id, str)}


def cy(english: str) -> str:
    """The catalogue's Welsh for an English text (a test presses the button a person sees)."""
    return _catalogue()[english]
