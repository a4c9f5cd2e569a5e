"""The code version of a handler: a digest of its package's source, so any change makes replays
produce new outputs while an unchanged deployment changes nothing."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import import_module
from pathlib import Path


@cache
def code_version(package: str) -> str:
    module = import_module(package)
    root = Path(module.__file__ or "").parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def config_version(config: object) -> str:
    """A digest of a configuration's canonical JSON text."""
    import json

    text = json.dumps(config, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
