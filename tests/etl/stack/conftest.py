"""The local stack for the ETL end to end: the mock SAP serving the sample company and the mock USITC
serving the official HTS export, as the ingestion pipeline tests run it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ior_tools.runtime.stack import LocalStack

from tests.support.stack import sample_company_stack, stack_fixture


@stack_fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory, sample: Path) -> Iterator[LocalStack]:
    with sample_company_stack(tmp_path_factory.mktemp("ior-home"), sample, {}) as running:
        yield running
