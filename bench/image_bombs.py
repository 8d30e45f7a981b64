"""Benchmark: refusing image bombs from their header, against decoding them.

For each generated bomb (tests/bombs.py), times services.evidence.clean refusing it, and, as
the baseline measured in the same run, Pillow decoding the same file as the old code did
(in a child process, for its peak memory); prints medians, p95, the ratio and the memory.

    python bench/image_bombs.py [--repeat 200]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import line, timed  # bench/common.py (run as a script)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DECODE = """
import io, resource, sys, time
from PIL import Image
Image.MAX_IMAGE_PIXELS = None  # the baseline: decode whatever the header says
data = sys.stdin.buffer.read()
start = time.perf_counter()
try:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
except Exception:
    pass
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def decode_cost(data: bytes) -> tuple[float, int]:
    """Milliseconds and peak MiB of a child process that decodes the file."""
    run = subprocess.run([sys.executable, "-c", DECODE], input=data, capture_output=True,
                         check=True)
    seconds, peak_kib = run.stdout.split()
    return float(seconds) * 1000, int(peak_kib) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    from reporting.domain.evidence import RejectedFile
    from reporting.services.evidence import Upload, clean
    from tests import bombs

    cases = {"PNG 7000x7000 zeros": bombs.png_bomb(),
             "JPEG claiming 10000x10000": bombs.jpeg_claiming(10_000, 10_000),
             "WebP claiming 8000x8000": bombs.webp_claiming(8_000, 8_000)}
    for name, data in cases.items():
        def refuse(data=data) -> None:
            try:
                clean(Upload("bomb", data), 10 * 1024 * 1024)
            except RejectedFile:
                return
            raise AssertionError("a bomb was accepted")

        refusals = timed(refuse, args.repeat)
        decode_ms, peak = decode_cost(data)
        print(f"{name} ({len(data):,} bytes)")
        print(line("refused from the header", refusals))
        print(f"  {'decoded by Pillow (baseline)':34} {decode_ms:8.1f} ms once, peak {peak} MiB")
        print(f"  ratio baseline / refusal: {decode_ms / statistics.median(refusals):,.0f}x")
    print(f"this process peak: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB"
          f" ({time.process_time():.1f} s of CPU)")


if __name__ == "__main__":
    main()
