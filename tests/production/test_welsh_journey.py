"""Welsh over https in production mode: a browser asking for Welsh reports by keyboard (every
step's form posting to its Welsh address through nginx, CSRF and the origin check), keeps its
receipt and comes back with it, in Welsh throughout."""

from __future__ import annotations

import secrets

from tests.browser.conftest import (
    assert_welsh,
    press_button,
    tab_to,
    tick,
    walk_to_review,
)
from tests.web.welsh import cy


def test_a_report_in_welsh_over_https(harness, https_browser):
    context = https_browser.new_context(base_url=harness.base_url, locale="cy-GB")
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/s/northfield/")  # Accept-Language: cy-GB picks Welsh
        assert_welsh(page)
        walk_to_review(page, f"Gwawdiwyd fy acen ar y ward ({secrets.token_hex(4)}).",
                       say=cy, on_each_step=assert_welsh)
        press_button(page, cy("Send my report"))
        page.wait_for_selector("#receipt-code")
        assert_welsh(page)
        receipt = page.locator("#receipt-code").inner_text().strip()
        tick(page, "kept", "y")
        press_button(page, cy("Continue"))
        assert_welsh(page)

        back = https_browser.new_context(base_url=harness.base_url, locale="cy-GB")
        try:
            again = back.new_page()
            again.goto("/s/northfield/return")
            assert_welsh(again)
            tab_to(again, "#receipt")
            again.keyboard.type(receipt)
            with again.expect_navigation():
                again.keyboard.press("Enter")
            again.wait_for_url("**/your-report")
            assert_welsh(again)
        finally:
            back.close()
    finally:
        context.close()
