"""Backup and restore as an operator does it (docs/operations.md, "Backups and restore").

The backup timer's job writes a dump; the student deletes one report after it; the dump
is restored into a new database with pg_restore and the documented steps run through
belong-flask; the app server is pointed at the restored database. A receipt still opens,
a handler still reads the case, and the report deleted after the dump is purged again.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess

from tests.production.harness import SCHOOL, Harness
from tests.production.units import read_env, write_env
from tests.production.web import enrolled_staff, file_report, sign_in, token

RESTORED = "belong_restored"
SHREDDED = re.compile(r"shredded case ([0-9a-f-]{36})")


def _return_with(harness: Harness, receipt: str):
    """A browser session that came back with a receipt; its 'your report' page."""
    session = harness.session()
    form = session.get(harness.url(f"/s/{SCHOOL}/return"))
    page = session.post(harness.url(f"/s/{SCHOOL}/return"),
                        data={"receipt": receipt, "csrf_token": token(form)})
    assert page.url.endswith("/your-report"), f"receipt refused: {page.status_code}"
    return session, page


def _delete(harness: Harness, receipt: str) -> None:
    """The student deletes their report from the follow-up page."""
    session, page = _return_with(harness, receipt)
    done = session.post(harness.url(f"/s/{SCHOOL}/your-report/delete"),
                        data={"confirm": "y", "csrf_token": token(page)})
    assert done.status_code == 200 and "deleted" in done.text.lower(), done.text[:2000]
    assert done.url.endswith(f"/s/{SCHOOL}/your-report/deleted"), done.url


def _shredded_since_the_dump(harness: Harness) -> list[str]:
    """What `journalctl ... | grep 'shredded case'` gives an operator: ids, from the logs."""
    ids = set()
    for path in harness.log_files():
        for line in path.read_text(errors="replace").splitlines():
            try:
                message = json.loads(line).get("message", "")
            except (ValueError, AttributeError):
                message = line
            ids.update(SHREDDED.findall(message))
    return sorted(ids)


def _restore(harness: Harness, dump) -> dict[str, str]:
    """createdb, pg_restore, then an environment file that points at the restored copy."""
    postgres = harness.postgres
    postgres.psql(f"DROP DATABASE IF EXISTS {RESTORED}", database="postgres")
    postgres.psql(f"CREATE DATABASE {RESTORED} OWNER {postgres.user}", database="postgres")
    subprocess.run([shutil.which("pg_restore"), "--no-owner", "--dbname",  # noqa: S603
                    postgres.url(RESTORED), str(dump)], check=True, capture_output=True,
                   timeout=120)
    return {**harness.env, "DATABASE_URL": postgres.url(RESTORED)}


def _after_restore(harness: Harness, shredded: list[str]) -> None:
    """The documented steps, each through belong-flask with the restored environment."""
    for step in (["db", "upgrade"], ["purge-expired"], ["end-stale-sessions", "--all"],
                 ["purge-again", *shredded], ["audit-verify"]):
        harness.flask(*step)


def _cases(harness: Harness) -> int:
    """How many cases the restored database holds."""
    return int(harness.postgres.psql("SELECT count(*) FROM cases", database=RESTORED))


def test_a_restored_backup_opens_as_before_and_keeps_deletions(harness):
    """Backed up by the timer and restored by the documented steps, does a receipt still
    open, does a handler still read the case, and does a report the student deleted after
    the backup stay deleted?"""
    officer = enrolled_staff(harness, "pastoral_officer")
    kept_text = f"Kept through the restore ({secrets.token_hex(4)})."
    kept = file_report(harness, kept_text)
    deleted = file_report(harness, f"Deleted after the backup ({secrets.token_hex(4)}).")
    harness.run_job("backup")
    dumps = sorted(harness.backups.glob("belong-*.dump"))
    assert dumps and dumps[-1].stat().st_mode & 0o777 == 0o600
    _delete(harness, deleted)
    shredded = _shredded_since_the_dump(harness)
    assert shredded, "the deletion left no 'shredded case' line in the logs"

    original = harness.env
    write_env(harness.paths.env_file, _restore(harness, dumps[-1]))
    try:
        before = _cases(harness)
        _after_restore(harness, shredded)
        assert _cases(harness) == before - 1  # the deletion, again
        for index in range(len(harness.apps)):  # the app now serves the restored copy
            harness.stop_app(index)
            harness.start_app(index)
        assert read_env(harness.paths.env_file)["DATABASE_URL"].endswith(f"/{RESTORED}")

        _, page = _return_with(harness, kept)
        assert kept_text in page.text
        staff = sign_in(harness, officer)
        # The kept report is the newest case left (the one filed after it was purged again).
        case = harness.postgres.psql("SELECT id FROM cases ORDER BY created_at DESC LIMIT 1",
                                     database=RESTORED).strip()
        assert kept_text in staff.get(harness.url(f"/staff/cases/{case}")).text
        gone = harness.session()
        form = gone.get(harness.url(f"/s/{SCHOOL}/return"))
        again = gone.post(harness.url(f"/s/{SCHOOL}/return"),
                          data={"receipt": deleted, "csrf_token": token(form)})
        assert "does not match a report" in again.text
    finally:
        write_env(harness.paths.env_file, original)
        for index in range(len(harness.apps)):
            harness.stop_app(index)
            harness.start_app(index)
