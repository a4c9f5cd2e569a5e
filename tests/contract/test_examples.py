"""Every contract has an example event, as EventBridge delivers it, that its schema and model accept."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ior_contracts.envelope import envelope_type
from ior_contracts.examples import all_examples, load
from ior_contracts.registry import contracts
from ior_contracts.schema_files import load_committed
from jsonschema import Draft202012Validator

DETAIL_TYPES = list(contracts())
EVENTBRIDGE_FIELDS = ["version", "id", "detail-type", "source", "time", "region", "resources", "detail"]


def test_every_contract_has_exactly_one_example() -> None:
    assert sorted(all_examples()) == sorted(DETAIL_TYPES)


@pytest.mark.parametrize("detail_type", DETAIL_TYPES)
def test_an_example_is_a_whole_eventbridge_event_without_account(detail_type: str) -> None:
    event = load(detail_type)
    assert list(event) == EVENTBRIDGE_FIELDS, "fields as EventBridge delivers them, and no `account`"
    model = contracts()[detail_type]
    assert event["detail-type"] == detail_type
    assert event["source"] == model.SOURCE
    metadata = event["detail"]["metadata"]
    assert metadata["producer"] == model.SOURCE
    assert metadata["event_version"] == model.major_version()


@pytest.mark.parametrize("detail_type", DETAIL_TYPES)
def test_an_example_validates_against_its_committed_schema(detail_type: str) -> None:
    validator = Draft202012Validator(
        load_committed(detail_type), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(load(detail_type)["detail"])]
    assert not errors, errors


@pytest.mark.parametrize("detail_type", DETAIL_TYPES)
def test_an_example_validates_against_its_model(detail_type: str) -> None:
    detail = load(detail_type)["detail"]
    envelope = envelope_type(contracts()[detail_type]).model_validate(detail)
    # Models ignore unknown fields; an example must not carry any (it would document a field no one reads).
    unknown = _paths(detail) - _paths(envelope.model_dump(mode="json"))
    assert not unknown, f"fields the model does not know: {sorted(unknown)}"


@pytest.mark.parametrize("detail_type", DETAIL_TYPES)
def test_an_example_keeps_its_objects_under_the_producers_prefixes(detail_type: str) -> None:
    event = load(detail_type)
    service = event["source"].removeprefix("ior.")
    for path, value in _claim_check_uris(event["detail"]["data"], "data"):
        assert value.startswith(f"s3://ior-local-data/{service}/published/"), f"{path}: {value}"
    for path, value in _own_uris(event["detail"]["data"], "data"):
        assert value.startswith((f"s3://ior-local-data/{service}/", f"s3://ior-local-audit/{service}/")), (
            f"{path}: {value}"
        )


def _claim_check_uris(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        if {"uri", "sha256", "row_count", "schema_version"} <= node.keys():
            yield f"{path}.uri", node["uri"]
        for key, value in node.items():
            yield from _claim_check_uris(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _claim_check_uris(value, f"{path}[{i}]")


def _own_uris(data: dict[str, Any], path: str) -> Iterator[tuple[str, str]]:
    """The `*_uri` fields of the payload itself: reports, manifests and audit records it wrote."""
    for key, value in data.items():
        if key.endswith("_uri") and isinstance(value, str):
            yield f"{path}.{key}", value


def _paths(node: Any, path: str = "") -> set[str]:
    """Every key path in a JSON document, list positions written as `[]`."""
    if isinstance(node, dict):
        return {f"{path}.{k}" for k in node} | {p for k, v in node.items() for p in _paths(v, f"{path}.{k}")}
    if isinstance(node, list):
        return {p for item in node for p in _paths(item, f"{path}[]")}
    return set()
