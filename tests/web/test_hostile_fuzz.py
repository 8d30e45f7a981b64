"""Hand-made requests never cause a 500, on any route, at any report step, for anyone.

First a sweep: every path segment and every field the app's own pages send (tests/web/
surface.py finds them) takes each hostile value in turn, everything else real. Then
Hypothesis mixes arbitrary segments, ids, query strings, forms and hidden report answers.
Both run in the SQLite and the PostgreSQL pass, with a bounded number of examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporting.domain.directory import EntryFields
from reporting.domain.evidence import TEXT
from reporting.domain.roles import Role
from reporting.extensions import limiter
from reporting.services.directory import create_entry
from reporting.services.evidence import CleanFile
from reporting.services.role_models import profiles, threads
from reporting.services.spaces.sessions import create_session
from reporting.staff.actions import ACTIONS as STAFF_ACTIONS
from tests import factories
from tests.conftest import CSRF, post_form
from tests.services.test_role_models import fields as role_model_fields
from tests.services.test_spaces import session_fields
from tests.web.reporting_pages import ANSWERS, STEPS, start
from tests.web.surface import Surface

HUGE = "99999999999999999999"
COMBINING = "a" + "\u0301" * 8000
# An overflowing id, a non-ASCII digit, and a NUL (which PostgreSQL refuses) in 8,000
# combining characters.
SWEEP = [HUGE, "²", "a\x00" + COMBINING]
NASTY = st.one_of(
    st.sampled_from([*SWEEP, COMBINING, "\x00", "a\x00b", "-" + HUGE, "-1", "0", "9" * 400,
                     "٣", "1_0", " 1", "", "..", "%00", "\ud7ff\ue000", "<script>", "' OR 1=1 --",
                     "2026-02-30", "0000-00", "00000000-0000-0000-0000-000000000000",
                     "review", "y"]),
    st.text(max_size=30),
)
SESSION_ENDING = ("student.act_on_report", "auth.logout", "student.leave", "student.quick_exit")
# Fields no page shows until there is something to show (a holiday, a consent request).
SEEDS = {"admin.holiday_remove": {"day": "2026-12-25"},
         "student.act_on_report": {"request_id": "1", "decision": "approve",
                                   "share_identity_with": "pastoral"},
         "auth.second_factor": {"code": "123456"}}
QUERY_SEEDS = {"entry": "1", "page": "2"}  # ids in links only some pages show (a pager)
PATHS = {"student.act_on_report": ["reply", "files", "sharing", "consent", "withdraw", "delete"],
         "staff.case_action": sorted(STAFF_ACTIONS)}
LAST = ("/withdraw", "/delete")  # forms whose success ends what later ones need
PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@dataclass
class World:
    """Signed-in visitors, their CSRF tokens, real path values and the app's surface."""

    clients: dict
    tokens: dict[str, str]
    real: dict[str, str]
    surface: Surface


def _rules(app):
    """Every rule; the ones that end a session (or delete the report) last."""
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint in SESSION_ENDING, r.rule))


def _visitor(rule) -> str:
    """Who gets furthest into a route: the admin, a handler, the receipt holder, or nobody."""
    for prefix, who in (("/admin", "admin"), ("/staff", "pastoral_officer"), ("/s/", "student"),
                        ("/volunteer", "role_model")):
        if rule.rule.startswith(prefix):
            return who
    return "anonymous"


@pytest.fixture
def world(app, session, school, login_as) -> World:
    """A report with a file, a directory entry, a session to meet, every kind of visitor,
    and the surface."""
    clients = {"anonymous": app.test_client(), "student": app.test_client()}
    for role in (Role.PASTORAL_OFFICER, Role.PEER_SUPPORTER, Role.ADMIN, Role.ROLE_MODEL):
        clients[role.value] = login_as(role)
    submitted = factories.make_report(session, school, files=(CleanFile("a.txt", TEXT, b"hi"),))
    entry = create_entry(session, "cli", school, EntryFields(
        kind="wellbeing", name="Night line", offers="Listening.", url="https://nl.example"))
    space = create_session(session, "cli", school, session_fields("Meet-up", ("race",)))
    profile = profiles.save_profile(session, clients["role_model"].user, role_model_fields())
    profiles.approve_profile(session, clients["admin"].user, profile)
    thread = threads.start_thread(session, school, profile, "Hello").thread
    session.commit()
    assert post_form(clients["student"], "/s/northfield/return",
                     {"receipt": submitted.receipt}).status_code == 302
    # The receipt holder has also just sent a peer request: its receipt waits on its own
    # page (student.receipt, with the "I have kept my receipt" form) and what-next after it.
    asked = post_form(clients["student"], "/s/northfield/peer", {"tags": ["race"]},
                      from_url="/s/northfield/peer")
    assert asked.status_code == 303, asked.get_data(as_text=True)
    real = {"slug": "northfield", "case_id": submitted.case.id, "action": "reply", "token": "x",
            "evidence_id": submitted.report.evidence[0].id, "filename": "css/belong.css",
            "handle": asked.location.rsplit("/", 1)[1], "session_id": "999999",
            "space_id": str(space.id), "profile_id": str(profile.id), "thread_id": thread.id,
            "staff_id": str(clients["peer_supporter"].user.id)}  # the person the staff pages act on
    surface = Surface()
    for rule in _rules(app):
        if "GET" in rule.methods and rule.endpoint not in SESSION_ENDING + ("static",):
            url = rule.build(real, append_unknown=False)[1]
            for client in clients.values():
                page = client.get(url, query_string={"entry": entry.id})
                if page.status_code == 200 and page.mimetype == "text/html":
                    surface.visit(app, url, page.get_data(as_text=True))
    for endpoint, fields in SEEDS.items():
        surface.form[endpoint].update(fields)
    tokens = {name: CSRF.search(client.get("/s/northfield/return").get_data(
        as_text=True)).group(1) for name, client in clients.items()}
    return World(clients, tokens, real, surface)


def _path(rule, values: dict[str, str]) -> str:
    path = rule.rule
    for arg in rule.arguments:
        path = re.sub(rf"<(?:\w+:)?{arg}>", quote(values[arg], safe=""), path)
    return path


def _send(app, world: World, rule, who: str, method: str, path_values: dict, query: dict,
          form: dict):
    client = app.test_client() if rule.endpoint in SESSION_ENDING[1:] else world.clients[who]
    limiter.reset()
    return client.open(_path(rule, path_values), method=method, query_string=query,
                       data=form if method == "POST" else None)


def test_the_surface_reaches_the_forms_and_ids(app, world):
    """Did visiting every page find the fields the sweep must reach?"""
    assert "entry" in world.surface.query["admin.directory_edit"]
    assert {"version", "reason", "to"} <= set(world.surface.form["staff.case_action"])
    assert {"user", "case"} <= set(world.surface.query["admin.audit_log"])
    assert {"entry", "csrf_token"} <= set(world.surface.form["admin.directory_retire"])
    assert {"kept", "csrf_token"} <= set(world.surface.form["student.receipt"])
    assert "session" in world.surface.query["admin.spaces_edit"]
    assert {"title", "day", "starts", "join_details"} <= set(
        world.surface.form["admin.spaces_new"])
    assert "token" in world.surface.form["student.space_interest"]


def _targets(rule, world: World) -> list[tuple[str, str, dict, dict]]:
    """Each (method, path, query, form) a real page sends to this rule, everything real."""
    query = world.surface.query.get(rule.endpoint, {}) | QUERY_SEEDS
    method = "GET" if "GET" in rule.methods else "POST"
    targets = [(method, _path(rule, world.real), query,
                world.surface.form.get(rule.endpoint, {}) if method == "POST" else {})]
    if "POST" in rule.methods:
        posts = dict(world.surface.posts.get(rule.endpoint, {}))
        posts = posts or {_path(rule, world.real): world.surface.form.get(rule.endpoint, {})}
        seen: set[frozenset[str]] = set()  # forms with the same fields share their code
        for path in sorted(posts, key=lambda p: p.endswith(LAST)):
            form = posts[path] | SEEDS.get(rule.endpoint, {})
            if frozenset(form) not in seen or path.endswith(LAST):
                seen.add(frozenset(form))
                targets.append(("POST", path, {}, form))
    return targets


def test_every_segment_and_field_of_every_route_takes_hostile_values(app, world, capsys):
    """Does each path segment, query field and form field of every route, given an
    overflowing id, a non-ASCII digit or a NUL in 8,000 combining characters (everything
    else as a real page sends it), get an answer below 500?"""
    failures, sent = [], 0

    def send(rule, who, method, path, query, form, what):
        nonlocal sent
        client = (app.test_client() if rule.endpoint in SESSION_ENDING[1:]
                  else world.clients[who])
        limiter.reset()
        response = client.open(path, method=method, query_string=query,
                               data={**form, "csrf_token": world.tokens[who]}
                               if method == "POST" else None)
        sent += 1
        if response.status_code >= 500:
            failures.append(f"{who} {method} {path} {what}: {response.status_code}")

    for rule in _rules(app):
        who = _visitor(rule)
        for value in SWEEP:
            for arg in sorted(rule.arguments):
                method, _, query, form = _targets(rule, world)[0]
                path = _path(rule, world.real | {arg: value})
                send(rule, who, method, path, query, form, f"<{arg}>={value[:12]!r}")
        for method, path, query, form in _targets(rule, world):
            for part, fields in (("query", query), ("form", form)):
                for name in sorted(set(fields) - {"csrf_token"}):  # (the property mixes it)
                    for value in SWEEP:
                        send(rule, who, method, path,
                             query | ({name: value} if part == "query" else {}),
                             form | ({name: value} if part == "form" else {}),
                             f"{part} {name}={value[:12]!r}")
    with capsys.disabled():
        print(f"\n  hostile sweep: {sent} requests, {len(failures)} at 500 or more")
    assert not failures, "\n".join(failures)


@given(data=st.data())
@PROPERTY
def test_no_hand_made_request_to_any_route_causes_a_500(app, world, data):
    """Do arbitrary mixes of path segments, ids, query strings and forms, sent by anyone,
    with a valid CSRF token or none, always get an answer below 500?"""
    rule = data.draw(st.sampled_from(_rules(app)))
    method = data.draw(st.sampled_from(sorted(rule.methods - {"OPTIONS"})))
    who = data.draw(st.sampled_from([_visitor(rule), *sorted(world.clients)]))
    values = {arg: data.draw(st.one_of(st.sampled_from(PATHS.get(rule.endpoint, [None])).map(
        lambda real, arg=arg: real or world.real[arg]), NASTY)) for arg in sorted(rule.arguments)}

    def mixed(fields: dict[str, str]) -> dict[str, object]:
        """Each field left out, real, or hostile (sometimes several values)."""
        out: dict[str, object] = {}
        for name, real in fields.items():
            choice = data.draw(st.sampled_from(["out", "real", "nasty"]))
            if choice != "out":
                out[name] = real if choice == "real" else data.draw(
                    st.one_of(NASTY, st.lists(NASTY, min_size=2, max_size=3)))
        return out

    query = mixed(world.surface.query.get(rule.endpoint, {}) | QUERY_SEEDS)
    form = mixed(world.surface.form.get(rule.endpoint, {}))
    if data.draw(st.booleans()):
        form["csrf_token"] = world.tokens[who]
    response = _send(app, world, rule, who, method, values, query, form)
    assert response.status_code < 500, f"{who} {method} {rule.rule} {values} {query} {form}"


ANSWER_FIELDS = ["safe", "narrative", "occurred_kind", "occurred_date", "occurred_month",
                 "setting", "responsible", "grounds", "other_ground", "impact", "urgency",
                 "wants", "identity", "name", "student_id", "contact", "notify_me",
                 "share_identity_with", "chosen_channel", "also_shown", "submission_id"]
ANSWER = st.one_of(st.none(), st.just("valid"), NASTY, st.lists(NASTY, max_size=3))
STEP_ACTIONS = st.one_of(st.none(), st.sampled_from(
    ["next", "back", *(f"change:{s}" for s in STEPS), "change:", "change:../x"]), NASTY)


@given(step=st.one_of(st.sampled_from(STEPS), NASTY), action=STEP_ACTIONS,
       answers=st.fixed_dictionaries({name: ANSWER for name in ANSWER_FIELDS}),
       with_token=st.booleans(), method=st.sampled_from(["POST", "POST", "HEAD"]))
@PROPERTY
def test_no_hidden_answers_at_any_report_step_cause_a_500(client, school, step, action,
                                                          answers, with_token, method):
    """Does any mix of missing, valid and hostile hidden answers, at any step, with Back,
    Change, Next or an expired token (or as a HEAD), give a page, never a 500?"""
    limiter.reset()
    data = {"step": step, **({"action": action} if action is not None else {})}
    for name, value in answers.items():
        value = ANSWERS.get(name) if value == "valid" else value
        if value is not None:
            data[name] = value
    if with_token:
        data["csrf_token"] = start(client)["csrf_token"]
    response = client.open("/s/northfield/report", method=method, data=data)
    assert response.status_code < 500, data
