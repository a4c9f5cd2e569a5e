"""A new major version in practice, with a test-only `etl.dataset.published.v2` in a temporary
registry (the product needs no v2 yet): during the v1's deprecation window the producer emits both
versions of each event in one request, the v1's id derived from the v2's; after the sunset only the
v2; the catalogue and the AsyncAPI document show both, the v1 marked deprecated with its window.
docs/consumers.md, "A new version of an event", is the procedure."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest
from ior_contracts import asyncapi, catalogue, examples
from ior_contracts.bus import EventPublisher
from ior_contracts.envelope import Deprecation, Event, deterministic_event_id, new_metadata
from ior_contracts.etl import DatasetPublished
from ior_contracts.registry import contracts
from pydantic import Field

from tests.contract.test_asyncapi import parse

WINDOW = Deprecation(
    successor="etl.dataset.published.v2", announced=date(2026, 4, 1), sunset=date(2026, 6, 30)
)


class SunsettingDatasetPublished(DatasetPublished):
    """`etl.dataset.published.v1` as it would be once its v2 is announced."""

    DEPRECATION: ClassVar[Deprecation | None] = WINDOW


class DatasetPublishedV2(DatasetPublished):
    """A breaking change: `business_dates` required (a v1 may omit it), so a new major version."""

    DETAIL_TYPE: ClassVar[str] = "etl.dataset.published.v2"
    DESCRIPTION: ClassVar[str] = (
        "A new version of a dataset is current for its mode; its business dates always named."
    )

    business_dates: list[date] = Field(
        description="The arrival dates this version has lines for (may be empty)."
    )

    def previous(self) -> Event:
        return SunsettingDatasetPublished.model_validate(self.model_dump())


def _registry() -> dict[str, type[Event]]:
    """The contracts as they would be: v1 deprecated, v2 beside it."""
    models = dict(contracts())
    models[SunsettingDatasetPublished.DETAIL_TYPE] = SunsettingDatasetPublished
    models[DatasetPublishedV2.DETAIL_TYPE] = DatasetPublishedV2
    return models


def _example(detail_type: str) -> dict[str, Any]:
    if detail_type == DatasetPublishedV2.DETAIL_TYPE:
        event = examples.load("etl.dataset.published.v1")
        return {**event, "detail-type": detail_type, "detail": {**event["detail"], "metadata": {
            **event["detail"]["metadata"], "event_version": 2}}}  # fmt: skip
    return examples.load(detail_type)


class RecordingBus:
    """EventBridge's PutEvents, keeping each request's entries."""

    def __init__(self) -> None:
        self.requests: list[list[dict[str, Any]]] = []

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        self.requests.append(Entries)
        return {"FailedEntryCount": 0, "Entries": [{"EventId": str(i)} for i in range(len(Entries))]}


def _v2() -> DatasetPublishedV2:
    data = examples.load("etl.dataset.published.v1")["detail"]["data"]
    return DatasetPublishedV2.model_validate(data)


def _publish(on: datetime) -> list[dict[str, Any]]:
    bus = RecordingBus()
    event = _v2()
    metadata = new_metadata(type(event), event_id="run-42", occurred_at=on)
    EventPublisher(bus, "ior-test", source="ior.etl").publish_with(event, metadata)  # type: ignore[arg-type]
    [entries] = bus.requests
    return entries


def test_during_the_window_both_versions_are_emitted_in_one_request() -> None:
    # GIVEN a v2 event on a day inside the v1's window
    entries = _publish(datetime(2026, 5, 4, 5, 0, tzinfo=UTC))
    # THEN the v2 and the v1 go together, each valid against its own contract
    assert [e["DetailType"] for e in entries] == ["etl.dataset.published.v2", "etl.dataset.published.v1"]
    v2, v1 = (json.loads(e["Detail"]) for e in entries)
    DatasetPublishedV2.model_validate(v2["data"])
    DatasetPublished.model_validate(v1["data"])
    # AND a consumer of either version sees one event per fact, with stable ids and one flow
    assert v2["metadata"]["event_id"] == "run-42"
    assert v1["metadata"]["event_id"] == deterministic_event_id("run-42", "etl.dataset.published.v1")
    assert (v1["metadata"]["event_version"], v2["metadata"]["event_version"]) == (1, 2)
    assert v1["metadata"]["correlation_id"] == v2["metadata"]["correlation_id"]


def test_after_the_sunset_only_the_new_version_is_emitted() -> None:
    entries = _publish(datetime(2026, 7, 1, 0, 0, tzinfo=UTC))
    assert [e["DetailType"] for e in entries] == ["etl.dataset.published.v2"]


def test_a_first_major_version_is_emitted_alone() -> None:
    bus = RecordingBus()
    event = DatasetPublished.model_validate(examples.load("etl.dataset.published.v1")["detail"]["data"])
    EventPublisher(bus, "ior-test").publish(event)  # type: ignore[arg-type]
    assert [e["DetailType"] for e in bus.requests[0]] == ["etl.dataset.published.v1"]


def test_the_catalogue_shows_both_versions_and_the_v1s_window() -> None:
    text = catalogue.render(_registry(), _example)
    assert "### `etl.dataset.published.v1`" in text
    assert "### `etl.dataset.published.v2`" in text
    assert (
        "- **deprecated** since 2026-04-01: replaced by [`etl.dataset.published.v2`]"
        "(#etldatasetpublishedv2), emitted beside it through 2026-06-30, then no more"
    ) in text


def test_the_asyncapi_document_shows_both_versions_and_the_v1s_window() -> None:
    doc = asyncapi.document(_registry(), _example)
    assert {"etl_dataset_published_v1", "etl_dataset_published_v2"} <= doc["channels"].keys()
    v1 = doc["components"]["messages"]["etl.dataset.published.v1"]
    assert v1["x-deprecation"] == {
        "successor": "etl.dataset.published.v2",
        "announced": "2026-04-01",
        "sunset": "2026-06-30",
    }
    assert doc["components"]["schemas"]["etl.dataset.published.v1"]["deprecated"] is True
    assert "x-deprecation" not in doc["components"]["messages"]["etl.dataset.published.v2"]
    assert (
        "business_dates"
        in doc["components"]["schemas"]["etl.dataset.published.v2"]["$defs"]["DatasetPublishedV2"]["required"]
    )


@pytest.mark.parametrize("model", list(contracts().values()), ids=lambda m: m.DETAIL_TYPE)
def test_a_deprecated_contract_names_a_successor_that_exists_and_a_window_that_ends(
    model: type[Event],
) -> None:
    deprecation = model.DEPRECATION
    if deprecation is None:
        return
    assert deprecation.successor in contracts(), model.DETAIL_TYPE
    assert deprecation.announced < deprecation.sunset, model.DETAIL_TYPE


def test_the_asyncapi_parser_accepts_the_document_with_both_versions(tmp_path: Path) -> None:
    path = tmp_path / "asyncapi.json"
    path.write_text(asyncapi.render(_registry(), _example))
    checked = parse(path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
