"""`python3 -m tests.production.leftovers`: fail if any harness process outlived its run.

A harness process is one that carries BELONG_HARNESS in its environment, or runs in
(or names) a harness directory: Redis and nginx overwrite their environment with their
process titles, but keep their working directory.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.production.processes import MARKER, TEMP_PREFIX


def leftovers() -> list[str]:
    """`pid command` of every live process that carries the harness marker."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
            cwd = str((entry / "cwd").readlink())
        except OSError:
            continue
        marked = any(item.startswith(MARKER.encode() + b"=") for item in environ)
        if marked or f"/{TEMP_PREFIX}" in cwd or f"/{TEMP_PREFIX}" in command:
            found.append(f"{entry.name} {command or '(exited)'}")
    return found


def main() -> int:
    """Print what is left and exit 1 if anything is."""
    left = leftovers()
    for line in left:
        print(f"left running by the production harness: {line}")
    print(f"production harness leftovers: {len(left)}")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
