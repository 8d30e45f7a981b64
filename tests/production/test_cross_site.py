"""CSRF over real https: a same-site form without a Referer goes through, another site's
form is refused (the journeys show the same-site direction in Chromium at length)."""

from __future__ import annotations

import pytest

from tests.production.harness import Harness
from tests.production.web import token

ATTACKER = "https://attacker.test"


def _login_post(harness: Harness, **headers: str) -> int:
    session = harness.session()
    form = session.get(harness.url("/auth/login"))
    return session.post(harness.url("/auth/login"), headers=headers, data={
        "email": "nobody@northfield.ac.uk", "password": "wrong", "csrf_token": token(form)},
        allow_redirects=False).status_code


def test_a_same_site_post_without_referer_is_accepted(harness: Harness):
    """Does a same-origin form with no Referer (our referrer policy) reach the view?"""
    assert _login_post(harness, **{"Sec-Fetch-Site": "same-origin",
                                   "Origin": harness.base_url}) == 200
    assert _login_post(harness, Origin=harness.base_url) == 200


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"},
                                     {"Sec-Fetch-Site": "same-site"},
                                     {"Origin": ATTACKER}],
                         ids=["fetch-cross-site", "fetch-same-site", "foreign-origin"])
def test_a_cross_site_post_is_refused_even_with_a_token(harness: Harness, headers):
    """Is a POST another site started refused (403), even carrying a valid token?"""
    assert _login_post(harness, **headers) == 403


def test_another_sites_form_is_refused_in_chromium(https_browser, harness: Harness):
    """Does a form on another site, posting to Belong in a real browser, get "not sent"?"""
    context = https_browser.new_context()
    page = context.new_page()
    page.route(f"{ATTACKER}/**", lambda route: route.fulfill(
        content_type="text/html",
        body=f'<!doctype html><html lang="en"><title>Win a prize</title>'
             f'<form method="post" action="{harness.url("/auth/login")}">'
             f'<input name="email" value="victim@northfield.ac.uk">'
             f'<input name="password" value="guess"><button>Claim</button></form></html>'))
    page.goto(f"{ATTACKER}/prize")
    with page.expect_navigation() as navigation:
        page.click("button")
    assert navigation.value.status == 403
    assert page.get_by_role("heading", name="That was not sent").is_visible()
    context.close()
