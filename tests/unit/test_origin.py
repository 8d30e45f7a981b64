"""The cross-site check: Sec-Fetch-Site decides, else Origin must be ours, else the token does."""

from __future__ import annotations

import pytest

from reporting.origin import cross_site_reason, origin_of

OURS = frozenset({"https://belong.example.ac.uk"})


@pytest.mark.parametrize("fetch_site", ["same-origin", "none", "Same-Origin"])
def test_a_post_from_our_own_pages_goes_on(fetch_site):
    """Does a POST the browser marks as ours (or as typed by the person) go on?"""
    assert cross_site_reason("POST", fetch_site, None, OURS) is None


@pytest.mark.parametrize("fetch_site", ["cross-site", "same-site"])
def test_a_post_another_site_started_is_refused(fetch_site):
    """Is a POST from another site, even a sibling subdomain, refused?"""
    assert cross_site_reason("POST", fetch_site, "https://belong.example.ac.uk", OURS)


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://belong.example.ac.uk",
                                    "https://belong.example.ac.uk:8443"])
def test_without_fetch_metadata_a_foreign_origin_is_refused(origin):
    """With no Sec-Fetch-Site, is an Origin that is not exactly ours refused?"""
    assert cross_site_reason("POST", None, origin, OURS)


def test_our_origin_or_no_headers_at_all_goes_on():
    """Is our own Origin accepted, and a client sending neither header left to the token?"""
    assert cross_site_reason("POST", None, "https://Belong.example.ac.uk:443", OURS) is None
    assert cross_site_reason("POST", None, None, OURS) is None


def test_safe_methods_are_never_checked():
    """Are GET and HEAD untouched, whatever the headers say?"""
    assert cross_site_reason("GET", "cross-site", "https://evil.example", OURS) is None


def test_origin_of_normalises_and_never_crashes():
    """Are default ports dropped, case folded, and a nonsense port harmless?"""
    assert origin_of("HTTPS://Belong.Example.ac.uk:443/path?q") == "https://belong.example.ac.uk"
    assert origin_of("http://127.0.0.1:8080/") == "http://127.0.0.1:8080"
    assert origin_of("https://host:99999") not in OURS
