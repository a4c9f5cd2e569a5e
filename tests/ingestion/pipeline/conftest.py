from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ior_tools.paths import OFFICIAL_HTS
from ior_tools.runtime.stack import LocalStack
from ior_tools.sample import generate

from tests.support.stack import fast_sap, running_stack

FAST_SAP = fast_sap()


@pytest.fixture(scope="package")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(out, seed=7)
    return out


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory, sample: Path) -> Iterator[LocalStack]:
    if not OFFICIAL_HTS.exists():
        pytest.skip(f"the official HTS export is not beside the repository ({OFFICIAL_HTS})")
    with running_stack(tmp_path_factory.mktemp("ior-home"), env=FAST_SAP, sap_data=sample / "sap") as running:
        yield running
