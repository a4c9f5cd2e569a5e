"""Samples generated once per test session; tests read them and never write into them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from ior_tools.sample import Faults, Manifest, MissingRate, generate

# TWD is billed often enough that dropping the week up to this date quarantines lines of the sample.
FAULTED_RATE = MissingRate("TWD", date(2026, 3, 13))


@dataclass(frozen=True)
class Sample:
    root: Path
    manifest: Manifest


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    root = tmp_path_factory.mktemp("sample") / "out"
    return Sample(root, generate(root))


@pytest.fixture(scope="session")
def faulted(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    root = tmp_path_factory.mktemp("faulted") / "out"
    faults = Faults(malformed_rows=4, unknown_materials=3, missing_rates=(FAULTED_RATE,))
    return Sample(root, generate(root, faults=faults))
