"""Single sign-on in Chromium against the test provider (tests/oidc_provider.py), keyboard
only, axe on every Belong page: an admin switches it on and invites an officer, who comes
in through the university's sign-in and reads a case; an uninvited identity is refused.
The steps are shared with the same journey over https (tests/production/test_sso_journey.py).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from reporting.domain.roles import Role
from tests import factories
from tests.browser.conftest import (
    assert_accessible,
    launch_chromium,
    press_button,
    set_up_authenticator,
    tab_to,
    type_into,
)
from tests.browser.test_casework_journey import _sign_in_by_keyboard
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider

NARRATIVE = "Asked where I am really from before every clinic."


@pytest.fixture(scope="module")
def sso_browser(playwright, idp):
    """Chromium that trusts the provider's certificate (its key alone). The provider's page
    asks a CDN for its stylesheet: no name but loopback resolves, so it fails at once."""
    browser = launch_chromium(
        playwright, (f"--ignore-certificate-errors-spki-list={idp.certificate.spki_sha256}",
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"))
    yield browser
    browser.close()


def switch_on_sso(page, idp: Provider) -> None:
    """A signed-in admin points the school at the provider."""
    press_button(page, "Single sign-on")
    assert_accessible(page)
    tab_to(page, "#enabled")
    page.keyboard.press("Space")
    type_into(page, "#issuer", idp.issuer)
    type_into(page, "#client_id", CLIENT_ID)
    type_into(page, "#client_secret", CLIENT_SECRET)
    press_button(page, "Save")
    page.wait_for_selector("text=Single sign-on is saved.")
    assert_accessible(page)


def invite_by_sso(page, name: str, email: str) -> None:
    """A signed-in admin invites a pastoral officer to sign in with the university."""
    press_button(page, "Staff")
    press_button(page, "Invite someone")
    assert_accessible(page)
    type_into(page, "#display_name", name)
    type_into(page, "#email", email)
    tab_to(page, "#role")
    page.keyboard.press("End")  # the last role, then up to the pastoral officer
    while page.evaluate("document.activeElement.value") != "pastoral_officer":
        page.keyboard.press("ArrowUp")
    press_button(page, "Send the invitation")  # single sign-on is the default: no password
    page.wait_for_selector(f"text={name} is invited")
    assert_accessible(page)


def link_in(body: str) -> str:
    """The path of the enrolment link in an invitation email (no password asked for)."""
    assert "university account" in body and "password your administrator" not in body
    return urlsplit("http" + body.split("http", 1)[1].split()[0]).path


def sign_in_at_provider(page, sub: str) -> None:
    """The provider's own page: its subject box has the focus."""
    page.wait_for_selector("input[name=sub]")
    page.keyboard.type(sub)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def enrol_by_sso(page, link: str, sub: str) -> None:
    """The invited officer follows the link through the provider and sets up the code."""
    page.goto(link)
    assert_accessible(page)
    press_button(page, "Continue to your university")
    sign_in_at_provider(page, sub)
    page.wait_for_url("**/auth/two-factor")
    assert_accessible(page)
    set_up_authenticator(page)


def stranger_is_refused(page, sub: str) -> None:
    """Someone the provider knows but nobody invited tries the sign-in page's link."""
    page.goto("/auth/login")
    assert_accessible(page)
    press_button(page, "Sign in with your")
    sign_in_at_provider(page, sub)
    page.wait_for_selector("text=Sign-in did not work")
    assert page.get_by_text("has no Belong invitation").is_visible()
    assert_accessible(page)
    page.goto("/staff/")
    page.wait_for_url("**/auth/login")


def test_sso_invitation_sign_in_and_a_refused_stranger(app, sso_browser, live_server, session,
                                                        school, idp, inline_mail):
    """Can an admin set up single sign-on and invite an officer who then signs in with the
    university account and Belong's code, while someone uninvited is turned away?"""
    app.config["OIDC_CA_BUNDLE"] = str(idp.ca_file)
    admin = factories.make_staff(session, school, Role.ADMIN)
    session.commit()
    page = sso_browser.new_context(base_url=live_server).new_page()
    _sign_in_by_keyboard(page, admin, landing="**/admin/")
    switch_on_sso(page, idp)
    invite_by_sso(page, "Nia Okafor", "nia@northfield.example")

    [email] = inline_mail.to("nia@northfield.example")
    idp.set_user("nia-okafor", email="nia@northfield.example", email_verified=True)
    officer = sso_browser.new_context(base_url=live_server).new_page()
    enrol_by_sso(officer, link_in(email.get_content()), "nia-okafor")
    case_id = factories.make_report(session, school, narrative=NARRATIVE).case.id
    session.commit()
    officer.goto(f"/staff/cases/{case_id}")
    assert officer.get_by_text(NARRATIVE).is_visible()
    assert_accessible(officer)

    idp.set_user("stranger", email="stranger@northfield.example", email_verified=True)
    stranger_is_refused(sso_browser.new_context(base_url=live_server).new_page(), "stranger")
    app.config["OIDC_CA_BUNDLE"] = None
