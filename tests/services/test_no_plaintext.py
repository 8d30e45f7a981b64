"""A leaked database holds no plaintext: a unique canary is searched in the raw storage."""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import make_url

from reporting.domain.evidence import TEXT
from reporting.domain.roles import ChannelKind, Role
from reporting.services import followup
from reporting.services.casework import post_staff_message, staff_keys
from reporting.services.evidence import CleanFile
from reporting.services.reports import reporter_keys
from tests import factories
from tests.services.test_reports import private_key


def encodings(canary: str) -> dict[str, bytes]:
    """Every way the app might have written the canary: text, UTF-16, base64, hex."""
    raw = canary.encode()
    forms = {"utf-8": raw, "utf-16-le": canary.encode("utf-16-le"),
             "utf-16-be": canary.encode("utf-16-be"), "hex": raw.hex().encode(),
             "HEX": raw.hex().upper().encode()}
    for shift in range(3):  # base64 of the canary at each alignment inside a longer value
        encoded = base64.b64encode(b"x" * shift + raw)[4:-4]
        forms[f"base64+{shift}"] = encoded
        forms[f"urlsafe+{shift}"] = base64.urlsafe_b64encode(b"x" * shift + raw)[4:-4]
    return forms


def raw_storage(engine) -> bytes:
    """The database as an attacker holding a copy would see it."""
    url = make_url(engine.url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database)
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"))
                        if p.exists())
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump is needed to read the PostgreSQL database as an attacker would"
    return subprocess.run([pg_dump, "--data-only", dsn], check=True,  # noqa: S603 - our own URL
                          capture_output=True,
                          env={**os.environ, "PGCONNECT_TIMEOUT": "10"}).stdout


def test_canary_is_nowhere_in_the_raw_database(session, school, engine):
    """After a report with a canary everywhere, is the canary absent in every encoding?"""
    canary = f"CANARY{secrets.token_hex(8)}"
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    submitted = factories.make_report(
        session, school, narrative=f"It was {canary} on the ward.",
        identity={"name": f"Name {canary}", "student_id": canary, "contact": f"{canary}@x.org"},
        share_identity_with=frozenset({ChannelKind.PASTORAL}),
        other_ground=f"other {canary}",
        files=(CleanFile(f"{canary}.txt", TEXT, f"file says {canary}".encode()),),
    )
    session.commit()
    case = submitted.case
    post_staff_message(session, officer, staff_keys(session, officer, private_key(officer), case),
                       case, f"Staff reply {canary}")
    access_key = factories.reporter_wrapping_key(session, school, submitted.receipt)
    followup.reply(session, case, reporter_keys(session, submitted.report, access_key),
                   f"Student reply {canary}")
    session.commit()
    with engine.connect() as connection:  # make SQLite write everything to the file
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
    storage = raw_storage(engine)
    assert storage, "nothing was read from the database"
    assert submitted.report.id.encode() in storage  # the scan does see the data
    found = [name for name, pattern in encodings(canary).items() if pattern in storage]
    assert found == [], f"canary found in the raw database as {found}"


def test_no_totp_secret_is_in_the_raw_database(session, school, engine):
    """With accounts of three roles enrolled, is any of their TOTP secrets
    in the raw database, in any encoding (base32 as apps show it, bytes, hex, base64)?"""
    officers = [factories.make_staff(session, school, role, email=f"{role.value}@x.example")
                for role in (Role.PASTORAL_OFFICER, Role.PEER_SUPPORTER, Role.ADMIN)]
    session.commit()
    secrets_held = [factories.totp_secret(officer) for officer in officers]
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
    storage = raw_storage(engine)
    assert officers[0].email.encode() in storage  # the scan does see the staff rows
    for secret in secrets_held:
        decoded = base64.b32decode(secret)
        forms = {**encodings(secret), "raw": decoded, "raw-hex": decoded.hex().encode()}
        found = [name for name, pattern in forms.items() if pattern in storage]
        assert found == [], f"a TOTP secret is in the raw database as {found}"
