"""The Lambda artifacts, built once per session into a temporary folder. Third-party dependencies
come from the cache under .ior/cache/lambda, keyed by their pins and the target platform, so only
the first run after a lock change downloads (from PyPI)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ior_tools import packaging


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dist")


@pytest.fixture(scope="session")
def built(dist: Path) -> dict[str, packaging.Artifact]:
    return packaging.build_all(dist=dist)
