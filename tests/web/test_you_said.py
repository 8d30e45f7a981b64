"""The public 'You said, we did' page: readable with no cookie, only once published, and
linked from the student home page then."""

from __future__ import annotations

from reporting.domain.roles import Role
from tests.conftest import post_form

PUBLIC = "/s/northfield/you-said-we-did"


def test_an_admin_publishes_and_any_student_reads_it_without_a_cookie(app, login_as, school):
    admin = login_as(Role.ADMIN)
    student = app.test_client()
    assert b"You said, we did:" not in student.get("/s/northfield/").data
    draft = post_form(admin, "/admin/pack/you-said",
                      {"year": "2026/27", "body": "We rewrote the placement induction."},
                      from_url="/admin/pack")
    assert draft.status_code == 302
    assert b"rewrote" not in student.get(PUBLIC).data
    post_form(admin, "/admin/pack/you-said", {"year": "2026/27", "publish": "y",
                                              "body": "We rewrote the placement induction."},
              from_url="/admin/pack")
    page = student.get(PUBLIC)
    assert page.status_code == 200 and b"We rewrote the placement induction." in page.data
    assert "Set-Cookie" not in page.headers
    assert b"You said, we did:" in student.get("/s/northfield/").data
    assert b"rewrote" in admin.get("/admin/pack?year=2026/27").data  # in the pack too


def test_a_problem_keeps_what_the_admin_typed(login_as, school):
    admin = login_as(Role.ADMIN)
    refused = post_form(admin, "/admin/pack/you-said",
                        {"year": "2026/27", "publish": "y", "body": "   "},
                        from_url="/admin/pack")
    assert refused.status_code == 400 and b"before you publish" in refused.data
    long = "A" * 6001
    refused = post_form(admin, "/admin/pack/you-said", {"year": "2026/27", "body": long},
                        from_url="/admin/pack")
    assert refused.status_code == 400 and long.encode() in refused.data
    assert post_form(admin, "/admin/pack/you-said", {"year": "not a year", "body": "x"},
                     from_url="/admin/pack").status_code == 400
