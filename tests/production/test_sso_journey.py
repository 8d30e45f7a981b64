"""Single sign-on over https in production mode: the app servers (Gunicorn behind nginx)
reach the test identity provider, which serves the harness's own certificate (the
environment file's BELONG_OIDC_CA_BUNDLE trusts it, and so does the harness's Chromium).
The provider's back-channel logout goes through nginx like any request."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_sso_journey import (
    enrol_by_sso,
    invite_by_sso,
    link_in,
    stranger_is_refused,
    switch_on_sso,
)
from tests.oidc_provider import serve
from tests.production.harness import SCHOOL
from tests.production.web import (
    emailed_link,
    enrol,
    file_report,
    newest_case,
    sign_in_by_keyboard,
)


@pytest.fixture
def harness_idp(certificate, harness, tmp_path_factory):
    """The test provider on its own loopback port, with the harness's certificate; single
    sign-on is off again afterwards (the harness's other journeys invite with passwords)."""
    with serve(certificate, tmp_path_factory.mktemp("harness-idp")) as provider:
        yield provider
    harness.postgres.psql("UPDATE sso_providers SET enabled = false")


def test_sso_over_https_from_invitation_to_back_channel_logout(open_page, harness,
                                                                harness_idp):
    """Can an admin switch single sign-on on, an invited officer come in through the
    provider and read a case, the provider sign them out of Belong by back-channel logout,
    and a stranger be refused, all over https with the production configuration?"""
    admin = enrol(harness, harness.create_staff("admin"))
    page = open_page(harness)
    sign_in_by_keyboard(page, admin, landing="**/admin/")
    switch_on_sso(page, harness_idp)
    address = "sso.officer@northfield.ac.uk"
    invite_by_sso(page, "Sam Adeyemi", address)

    harness_idp.set_user("sam-adeyemi", email=address, email_verified=True)
    officer = open_page(harness)
    link = emailed_link(harness, address)
    [email] = harness.mail.to(address)
    assert link_in(email.get_content()) == urlsplit(link).path
    enrol_by_sso(officer, link, "sam-adeyemi")
    narrative = "Left off the theatre list again."
    file_report(harness, narrative)
    officer.goto(f"/staff/cases/{newest_case(harness)}")
    assert officer.get_by_text(narrative).is_visible()
    assert_accessible(officer)

    provider = harness.session()  # the provider's server: no cookie, no CSRF token
    sent = provider.post(harness.url(f"/auth/sso/{SCHOOL}/backchannel-logout"),
                         data={"logout_token": harness_idp.logout_token(sub="sam-adeyemi")})
    assert sent.status_code == 200, sent.text
    officer.goto("/staff/")
    officer.wait_for_url("**/auth/login")

    harness_idp.set_user("stranger", email="stranger@northfield.ac.uk", email_verified=True)
    stranger_is_refused(open_page(harness), "stranger")
