"""What the ETL's integration and stack tests share: the sample company, generated once a session."""

from __future__ import annotations

from pathlib import Path

import pytest
from ior_tools.sample import generate


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample company (seed 7): SAP extracts under `sap/`, the analysts' CSVs under `legacy/`."""
    out = tmp_path_factory.mktemp("sample")
    generate(out, seed=7)
    return out
