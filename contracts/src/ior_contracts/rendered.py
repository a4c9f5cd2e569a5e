"""The command line of a document rendered from the contracts and committed (the catalogue, the
AsyncAPI document): print it, `--check` that the committed file is current, or `--write` it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path


def command_line(
    argv: Sequence[str] | None, *, module: str, description: str, path: Path, render: Callable[[], str]
) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=description)
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help=f"rewrite {path.name}")
    action.add_argument("--check", action="store_true", help=f"exit 1 when {path.name} is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.write:
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    elif args.check:
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current != text:
            print(f"{path} is out of date: run `python -m {module} --write`", file=sys.stderr)
            return 1
    else:
        sys.stdout.write(text)
    return 0
