"""Contracts are named `<domain>.<entity>.<verb>.v<major>`, come from `ior.<service>`, and are the v1 set."""

from __future__ import annotations

import re

import pytest
from ior_contracts.registry import FAMILIES, contracts

DETAIL_TYPE = re.compile(r"^(?P<domain>[a-z]+)\.[a-z][a-z_]*\.[a-z]+\.v(?P<major>[1-9][0-9]*)$")
SOURCE = re.compile(r"^ior\.[a-z]+$")

V1 = {
    "ingestion.extract.requested.v1": "ior.ingestion",
    "ingestion.extract.landed.v1": "ior.ingestion",
    "ingestion.extract.failed.v1": "ior.ingestion",
    "ingestion.fee_notices.requested.v1": "ior.ingestion",
    "ingestion.fee_notices.landed.v1": "ior.ingestion",
    "ingestion.hts_revision.overdue.v1": "ior.ingestion",
    "etl.dataset.published.v1": "ior.etl",
    "etl.rows.quarantined.v1": "ior.etl",
    "etl.dataset.held.v1": "ior.etl",
    "etl.dataset.confirmed.v1": "ior.etl",
    "etl.fee_table.published.v1": "ior.etl",
    "etl.fee_table.confirmed.v1": "ior.etl",
    "etl.hts_revision.changed.v1": "ior.etl",
    "fees.notice.submitted.v1": "ior.api",
    "manual.upload.received.v1": "ior.api",
    "customs.run.requested.v1": "ior.api",
    "customs.lines.generated.v1": "ior.customs",
    "customs.lines.quarantined.v1": "ior.customs",
    "customs.correction.proposed.v1": "ior.customs",
    "customs.run.failed.v1": "ior.customs",
    "compare.comparison.requested.v1": "ior.api",
    "compare.comparison.completed.v1": "ior.compare",
    "compare.discrepancy.detected.v1": "ior.compare",
    "cutover.change.requested.v1": "ior.api",
    "cutover.state.changed.v1": "ior.compare",
    "cutover.official_run.designated.v1": "ior.compare",
}


def test_the_contracts_are_exactly_the_designed_v1_set_with_their_sources() -> None:
    assert {t: m.SOURCE for t, m in contracts().items()} == V1


@pytest.mark.parametrize("detail_type", list(contracts()))
def test_a_detail_type_names_its_family_and_major_version(detail_type: str) -> None:
    model = contracts()[detail_type]
    match = DETAIL_TYPE.match(detail_type)
    assert match, f"{detail_type} is not <domain>.<entity>.<verb>.v<major>"
    assert match["domain"] in FAMILIES
    assert model.__module__ == f"ior_contracts.{match['domain']}", "a contract lives in its family's module"
    assert model.major_version() == int(match["major"])
    assert SOURCE.match(model.SOURCE), f"{model.SOURCE} is not ior.<service>"


@pytest.mark.parametrize("detail_type", [t for t in contracts() if t.rsplit(".", 2)[-2] == "requested"])
def test_a_request_is_named_for_what_it_asks(detail_type: str) -> None:
    assert contracts()[detail_type].__name__.endswith("Requested")
