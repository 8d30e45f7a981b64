"""Reading deploy/: systemd units, the example environment file, and their paths.

The harness runs what these files say, with only the install paths swapped for the
test machine's (the checkout, the Python prefix, the temporary environment file).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
SYSTEMD = DEPLOY / "systemd"
ENV_EXAMPLE = DEPLOY / "belong.env.example"
# Where deploy/ says things are installed on a server.
INSTALLED_APP = "/srv/belong/app"
INSTALLED_VENV = "/srv/belong/venv"
INSTALLED_WRAPPER = "/usr/local/bin/belong-flask"
INSTALLED_ENV_FILE = "/etc/belong/env"
# Both systemd and sh read the environment file: only values both read the same way.
PLAIN_VALUE = re.compile(r"^[A-Za-z0-9_@%+=:,./~-]*$")
ENV_LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")


@dataclass(frozen=True)
class Unit:
    """A parsed systemd unit: section -> key -> values (a key may repeat)."""

    name: str
    sections: dict[str, dict[str, list[str]]]

    def get(self, section: str, key: str, default: str | None = None) -> str | None:
        """The last value of a key (systemd's rule for single-valued settings)."""
        values = self.sections.get(section, {}).get(key)
        return values[-1] if values else default


def read_unit(name: str) -> Unit:
    """Parse deploy/systemd/<name> (comments, sections, backslash continuations)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    text = (SYSTEMD / name).read_text().replace("\\\n", " ")
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        if current is None or "=" not in line:
            raise ValueError(f"{name}: cannot read {raw!r}")
        key, value = (part.strip() for part in line.split("=", 1))
        current.setdefault(key, []).append(value)
    return Unit(name, sections)


def timers() -> dict[str, Unit]:
    """Every deploy/systemd/belong-<job>.timer, by job name."""
    return {path.name.removeprefix("belong-").removesuffix(".timer"): read_unit(path.name)
            for path in sorted(SYSTEMD.glob("belong-*.timer"))}


def timer_service(job: str) -> Unit:
    """The service a job's timer starts (its Unit=, or the timer's own name)."""
    timer = read_unit(f"belong-{job}.timer")
    return read_unit(timer.get("Timer", "Unit") or f"belong-{job}.service")


@dataclass(frozen=True)
class Paths:
    """Where this machine keeps what a server keeps under /srv/belong and /etc/belong."""

    app: Path
    venv: Path
    env_file: Path

    def substitute(self, word: str) -> str:
        """One word of a unit with the install paths replaced by this machine's."""
        for installed, here in ((INSTALLED_WRAPPER, DEPLOY / "belong-flask"),
                                (INSTALLED_ENV_FILE, self.env_file),
                                (INSTALLED_APP, self.app), (INSTALLED_VENV, self.venv)):
            if word == installed or word.startswith(installed + "/"):
                return str(here) + word[len(installed):]
        return word

    def exec_start(self, unit: Unit) -> list[str]:
        """The unit's ExecStart as argv, paths substituted (no prefixes, no variables)."""
        command = unit.get("Service", "ExecStart")
        if not command or command[0] in "-@+!:" or "$" in command:
            raise ValueError(f"{unit.name}: ExecStart {command!r} is not a plain command")
        return [self.substitute(word) for word in shlex.split(command)]

    def working_directory(self, unit: Unit) -> Path:
        """The unit's WorkingDirectory, substituted (the checkout by default)."""
        return Path(self.substitute(unit.get("Service", "WorkingDirectory") or str(self.app)))

    def wrapper_env(self) -> dict[str, str]:
        """The variables that point deploy/belong-flask at this machine's paths."""
        return {"BELONG_APP_DIR": str(self.app), "BELONG_ENV_FILE": str(self.env_file),
                "BELONG_VENV": str(self.venv)}


def umask(unit: Unit) -> int:
    """The unit's UMask= as a number (systemd's default 0022 when absent)."""
    return int(unit.get("Service", "UMask") or "0022", 8)


def read_env(path: Path) -> dict[str, str]:
    """KEY=value pairs of an environment file."""
    return parse_env(path.read_text(), str(path))


def parse_env(text: str, source: str = "environment file") -> dict[str, str]:
    """KEY=value lines (comments and blank lines skipped); anything else is an error."""
    values = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = ENV_LINE.match(line)
        if not match:
            raise ValueError(f"{source}:{number}: not KEY=value: {raw!r}")
        values[match.group(1)] = match.group(2)
    return values


def write_env(path: Path, values: dict[str, str]) -> None:
    """Write deploy/belong.env.example to `path` (0600) with `values` filled in.

    Every key set must already be in the example (so the example stays complete), no
    CHANGE-ME may remain, and every value must read the same in systemd and in sh.
    """
    example = read_env(ENV_EXAMPLE)
    unknown = set(values) - set(example)
    if unknown:
        raise ValueError(f"{ENV_EXAMPLE.name} lacks {', '.join(sorted(unknown))}")
    lines = []
    for raw in ENV_EXAMPLE.read_text().splitlines():
        match = ENV_LINE.match(raw.strip())
        if match and match.group(1) in values:
            raw = f"{match.group(1)}={values[match.group(1)]}"
        lines.append(raw)
    text = "\n".join(lines) + "\n"
    for key, value in parse_env(text).items():
        if "CHANGE-ME" in value or not PLAIN_VALUE.match(value):
            raise ValueError(f"{key} needs a plain value, not {value!r}")
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(text)
