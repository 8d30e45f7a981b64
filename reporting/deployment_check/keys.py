"""The strength of SECRET_KEY and BELONG_HMAC_KEY. Their values are never printed."""

from __future__ import annotations

from pathlib import Path

from reporting.deployment_check.result import Result, fail, ok

MINIMUM_LENGTH = 32
MINIMUM_DISTINCT = 12
PLACEHOLDER_MARK = "CHANGE-ME"
SECRETS = ("SECRET_KEY", "BELONG_HMAC_KEY")
MAKE_ONE = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
# What replacing each one costs, so the advice is honest.
CHANGING = {
    "SECRET_KEY": "changing it signs everyone out",
    "BELONG_HMAC_KEY": "changing it makes the reply addresses students left unreadable and "
                       "every staff authenticator stop working, so do it before anyone uses "
                       "the install (docs/deployment.md)",
}


def placeholders(example: Path) -> set[str]:
    """The secret values of the example environment file (deploy/belong.env.example)."""
    try:
        lines = example.read_text().splitlines()
    except OSError:
        return set()
    found = set()
    for line in lines:
        key, sep, value = line.strip().partition("=")
        if sep and key in SECRETS and value:
            found.add(value)
    return found


def weakness(value: str, known_placeholders: set[str]) -> str | None:
    """Why a secret is not good enough, or None."""
    if not value:
        return "is not set"
    if value in known_placeholders or PLACEHOLDER_MARK.lower() in value.lower():
        return "is still the placeholder from the example environment file"
    if len(value) < MINIMUM_LENGTH:
        return f"is {len(value)} characters long; it needs at least {MINIMUM_LENGTH}"
    if len(set(value)) < MINIMUM_DISTINCT:
        return (f"uses only {len(set(value))} different characters: it looks typed or "
                "repeated, not random")
    return None


def check_secret(name: str, value: str, known_placeholders: set[str]) -> Result:
    """One secret is long, random-looking and not the example's placeholder."""
    problem = weakness(value, known_placeholders)
    if problem:
        return fail(name, f"{name} {problem}. Make a new one with {MAKE_ONE} and put it in "
                          f"the environment file; {CHANGING[name]}")
    return ok(name, f"{len(value)} characters, {len(set(value))} different ones")


def check_distinct(secret_key: str, hmac_key: str) -> Result:
    """The two secrets differ, so one leaking does not give away the other."""
    name = "Secrets differ"
    if secret_key and secret_key == hmac_key:
        return fail(name, "SECRET_KEY and BELONG_HMAC_KEY are the same: whoever learns one "
                          "has both. Make a new SECRET_KEY (that only signs everyone out)")
    return ok(name, "SECRET_KEY and BELONG_HMAC_KEY are different")


def secret_checks(secret_key: str, hmac_key: str, example: Path) -> list[Result]:
    """Both secrets, then whether they differ."""
    known = placeholders(example)
    return [check_secret("SECRET_KEY", secret_key, known),
            check_secret("BELONG_HMAC_KEY", hmac_key, known),
            check_distinct(secret_key, hmac_key)]
