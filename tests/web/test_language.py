"""Choosing the language: the URL carries it, Accept-Language picks the first page's, the
link keeps the page, the report form keeps every answer, and nothing sets a cookie."""

from __future__ import annotations

import re

from tests.web.reporting_pages import ANSWERS, post_step, start
from tests.web.welsh import cy

HTML_LANG = re.compile(r'<html lang="([^"]+)">')
SWITCH = re.compile(r'<p class="language-switch"><a href="([^"]+)" lang="(\w+)"')


def _lang(response) -> str:
    return HTML_LANG.search(response.get_data(as_text=True)).group(1)


def test_accept_language_picks_the_first_pages_language(client, school):
    """Does a browser asking for Welsh get Welsh, one asking for anything else English?"""
    assert _lang(client.get("/s/northfield/", headers={"Accept-Language": "cy"})) == "cy"
    assert _lang(client.get("/s/northfield/",
                            headers={"Accept-Language": "fr, cy;q=0.5"})) == "cy"
    assert _lang(client.get("/s/northfield/", headers={"Accept-Language": "fr"})) == "en-GB"
    assert _lang(client.get("/s/northfield/")) == "en-GB"


def test_the_url_wins_and_a_made_up_language_is_ignored(client, school):
    assert _lang(client.get("/s/northfield/?lang=en",
                            headers={"Accept-Language": "cy"})) == "en-GB"
    assert _lang(client.get("/s/northfield/?lang=cy")) == "cy"
    made_up = client.get("/s/northfield/?lang=xx%3Cscript%3E")
    assert made_up.status_code == 200 and _lang(made_up) == "en-GB"


def test_the_link_keeps_the_page_and_sets_no_cookie(client, school):
    """Does "Cymraeg" lead to this same page (its filter too) in Welsh, and back, with no
    cookie at any point?"""
    english = client.get("/s/northfield/support?kind=wellbeing")
    href, lang = SWITCH.search(english.get_data(as_text=True)).groups()
    assert lang == "cy" and href.startswith("/s/northfield/support?")
    assert "kind=wellbeing" in href and "lang=cy" in href
    welsh = client.get(href.replace("&amp;", "&"))
    assert _lang(welsh) == "cy"
    back, lang = SWITCH.search(welsh.get_data(as_text=True)).groups()
    assert lang == "en" and "lang=en" in back and "kind=wellbeing" in back
    for response in (english, welsh, client.get(back.replace("&amp;", "&"))):
        assert "Set-Cookie" not in response.headers
    assert not client.get_cookie("session")


def test_every_link_and_form_carries_the_choice(client, school):
    page = client.get("/s/northfield/?lang=cy").get_data(as_text=True)
    links = re.findall(r'href="(/s/northfield/[^"]*)"', page)
    assert links and [link for link in links if "lang=cy" not in link] == [
        "/s/northfield/?lang=en"]  # the one way back to English
    assert 'href="/exit?lang=cy"' in page


def test_the_report_form_carries_welsh_through_every_step(client, school):
    """Is each step of a report begun in Welsh in Welsh, sent to a URL that keeps it?"""
    data = {**start(client), **ANSWERS}
    for step, button in (("safety", "Continue"), ("what", "Continue"),
                         ("about", "Continue"), ("wishes", "Send my report")):
        shown = client.post("/s/northfield/report?lang=cy", data={**data, "step": step})
        assert shown.status_code == 200 and _lang(shown) == "cy"
        assert f">{cy(button)}<" in shown.get_data(as_text=True)


def test_switching_language_mid_report_keeps_every_answer(client, school):
    """Does the language button show the same step again, in Welsh, with every answer, even
    ones not checked yet, and no error?"""
    data = {**start(client), **ANSWERS, "setting": ""}
    post_step(client, "safety", data)
    shown = client.post("/s/northfield/report?lang=cy",
                        data={**data, "step": "what", "action": "stay"})
    page = shown.get_data(as_text=True)
    assert _lang(shown) == "cy" and 'name="step" value="what"' in page
    assert ANSWERS["narrative"] in page and "error-summary" not in page
    assert "Set-Cookie" not in shown.headers


def test_a_page_no_route_matched_keeps_its_own_path(client):
    """On a 404 the link leads to the same address in Welsh, never off the site."""
    page = client.get("/s/nowhere/at-all?x=1").get_data(as_text=True)
    assert SWITCH.search(page).group(1) == "/s/nowhere/at-all?x=1&amp;lang=cy"
    href = SWITCH.search(client.get("///evil.example/x").get_data(as_text=True)).group(1)
    assert href.startswith("/") and "//" not in href

