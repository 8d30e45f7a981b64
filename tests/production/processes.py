"""Child processes for the production harness: start, wait until ready, freeze, stop.

Every process the harness starts carries MARKER in its environment, so a later check
(tests/production/leftovers.py) can prove none outlived the test run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

MARKER = "BELONG_HARNESS"
TEMP_PREFIX = "belong-production-"  # every harness directory: /tmp/belong-production-*
# What systemd gives a service before its EnvironmentFile: a fixed PATH and a UTF-8 locale.
SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class HarnessError(RuntimeError):
    """A harness process did not start, answer or stop as it should."""


def wait_until(ready: Callable[[], bool], what: str, timeout: float = 30.0,
               interval: float = 0.05, alive: Callable[[], str | None] | None = None) -> None:
    """Poll `ready` until it is true; raise after `timeout` seconds or when `alive` reports
    (returns a reason) that the process it waits for has died."""
    deadline = time.monotonic() + timeout
    while True:
        if ready():
            return
        if alive is not None and (reason := alive()):
            raise HarnessError(f"{what}: {reason}")
        if time.monotonic() > deadline:
            raise HarnessError(f"{what}: not ready after {timeout:.0f} s")
        time.sleep(interval)


def tail(path: Path, lines: int = 30) -> str:
    """The last lines of a log file, for error messages."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def children(pid: int) -> list[int]:
    """Every live descendant of `pid` (from /proc), nearest first."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        for child in parents.get(queue.pop(0), []):
            found.append(child)
            queue.append(child)
    return found


def signal_tree(pid: int, sig: int) -> None:
    """Send `sig` to a process and all its descendants (parent first, so a stopped parent
    cannot fork new children while they are signalled)."""
    for target in [pid, *children(pid)]:
        try:
            os.kill(target, sig)
        except ProcessLookupError:
            pass


def service_env(base: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A service's environment as systemd would give it, plus the leftover marker."""
    env = {"PATH": SYSTEMD_PATH, "LANG": "C.UTF-8", "HOME": str(base), MARKER: str(base)}
    env.update(extra or {})
    return env


class Service:
    """One long-running child in its own session, its output appended to a log file."""

    def __init__(self, name: str, argv: Iterable[str], *, log: Path, env: Mapping[str, str],
                 cwd: Path | None = None, umask: int = -1) -> None:
        self.name, self.argv, self.log = name, list(argv), log
        self.env, self.cwd, self.umask = dict(env), cwd, umask
        self.process: subprocess.Popen | None = None
        self.frozen = False

    @property
    def pid(self) -> int:
        """The process id (the service must be running)."""
        if self.process is None:
            raise HarnessError(f"{self.name} is not running")
        return self.process.pid

    def start(self) -> None:
        """Start it (not waiting for readiness: see `exited`)."""
        if self.process is not None and self.process.poll() is None:
            raise HarnessError(f"{self.name} is already running")
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own argv, no shell
                self.argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                env=self.env, cwd=self.cwd, start_new_session=True, umask=self.umask)
        self.frozen = False

    def exited(self) -> str | None:
        """Why it is no longer running (with its log's end), or None while it runs."""
        if self.process is None:
            return "never started"
        code = self.process.poll()
        if code is None:
            return None
        return f"{self.name} exited with status {code}; its log ends:\n{tail(self.log)}"

    def freeze(self) -> None:
        """SIGSTOP it and its children: it keeps its sockets but answers nothing."""
        signal_tree(self.pid, signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        """SIGCONT it and its children."""
        signal_tree(self.pid, signal.SIGCONT)
        self.frozen = False

    def stop(self, timeout: float = 30.0) -> None:
        """Stop it as systemd's KillMode=mixed does: SIGTERM to the main process (which
        stops its own children, e.g. a job in hand finishes), SIGKILL to whatever of its
        process group is left after `timeout`."""
        if self.process is None:
            return
        if self.frozen:
            self.thaw()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        _signal_group(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def run(argv: list[str], *, log: Path, env: Mapping[str, str], cwd: Path | None = None,
        input: str | None = None, timeout: float = 120.0, umask: int = -1,
        check: bool = True, log_stdout: bool = False) -> subprocess.CompletedProcess[str]:
    """Run a command to completion in its own session and return its stdout.

    stderr is appended to `log`, and stdout too with `log_stdout` (as the journal keeps
    both for a systemd unit). Raise with the output if it fails and `check` is set.
    """
    with log.open("a") as errors:
        done = subprocess.run(  # noqa: S603 - our own argv, no shell
            argv, input=input, stdout=subprocess.PIPE, stderr=errors, text=True, env=dict(env),
            cwd=cwd, timeout=timeout, start_new_session=True, umask=umask)
        if log_stdout:
            errors.write(done.stdout)
    if check and done.returncode != 0:
        raise HarnessError(f"{' '.join(argv)} exited with status {done.returncode}:\n"
                           f"{done.stdout}\n{tail(log)}")
    return done
