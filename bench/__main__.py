"""`make bench`: every benchmark in this folder, one after another, each printing its own figures.

uv run python -m bench [name …]     # e.g. `python -m bench event_hop`
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
# Modules here that are not benchmarks themselves.
SUPPORT = {"__init__", "__main__", "hop_probe"}


def benchmarks() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.py") if p.stem not in SUPPORT)


def main(names: list[str]) -> int:
    failed = 0
    for name in names or benchmarks():
        print(f"\n== {name} ==", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"bench.{name}"], cwd=HERE.parent)
        print(f"({name}: {time.perf_counter() - started:.0f} s{'' if code == 0 else f', exit {code}'})")
        failed += code != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
