from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ior_tools.paths import OFFICIAL_HTS
from ior_tools.runtime.stack import LocalStack
from ior_tools.sample import generate

from tests.support.stack import running_stack

# A patient but quick SAP client: three attempts, short backoff, a one-second read timeout.
FAST_SAP = {
    "IOR_INGESTION_SAP_ATTEMPTS": "3",
    "IOR_INGESTION_SAP_WAIT_INITIAL_S": "0.05",
    "IOR_INGESTION_SAP_WAIT_MAX_S": "0.2",
    "IOR_INGESTION_SAP_RETRY_BUDGET_S": "20",
    "IOR_INGESTION_SAP_READ_TIMEOUT_S": "1.0",
    "IOR_INGESTION_USITC_LOCATION": str(OFFICIAL_HTS),
}


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
