"""One local stack for the ingestion service end to end: the mock SAP serving the sample company and
the official HTS export as the USITC source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ior_tools.runtime.stack import LocalStack
from ior_tools.sample import generate

from tests.support.stack import fast_sap, sample_company_stack, stack_fixture

FAST_SAP = fast_sap()


@pytest.fixture(scope="package")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(out, seed=7)
    return out


@stack_fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory, sample: Path) -> Iterator[LocalStack]:
    with sample_company_stack(tmp_path_factory.mktemp("ior-home"), sample, FAST_SAP) as running:
        yield running
