"""Every contract's JSON Schema is committed, current, and identified by its detail-type."""

from __future__ import annotations

import json

import pytest
from ior_contracts.registry import contracts
from ior_contracts.schema_files import (
    committed_detail_types,
    committed_text,
    compatibility_problems,
    dumps,
    generate,
    schema_id,
)

DETAIL_TYPES = list(contracts())
REGENERATE = "python -m ior_contracts.schema_files --write"


@pytest.mark.parametrize("detail_type", DETAIL_TYPES)
def test_every_contract_has_a_committed_schema_equal_to_the_generated_one(detail_type: str) -> None:
    generated = generate(contracts()[detail_type])
    text = committed_text(detail_type)
    assert text is not None, f"no schema committed for {detail_type}: run `{REGENERATE}`"
    committed = json.loads(text)
    if committed != generated:
        problems = compatibility_problems(committed, generated)
        if problems:
            pytest.fail(
                f"{detail_type} changed incompatibly; a v1 may only gain optional fields "
                "(publish a .v2 instead):\n  " + "\n  ".join(problems)
            )
        pytest.fail(f"{detail_type} changed compatibly but its schema is not rewritten: run `{REGENERATE}`")
    assert text == dumps(committed), f"{detail_type}.json is not in canonical form: run `{REGENERATE}`"


def test_every_committed_schema_belongs_to_a_contract() -> None:
    orphans = sorted(set(committed_detail_types()) - set(DETAIL_TYPES))
    assert not orphans, f"schemas without a model (a published contract is never removed): {orphans}"


@pytest.mark.parametrize("detail_type", DETAIL_TYPES)
def test_a_schema_is_identified_by_its_detail_type(detail_type: str) -> None:
    schema = generate(contracts()[detail_type])
    assert schema["$id"] == schema_id(detail_type)
    assert schema["title"] == detail_type
    assert schema["required"] == ["metadata", "data"]
    assert schema["description"], f"{detail_type} has no description for the catalogue"


@pytest.mark.parametrize("detail_type", DETAIL_TYPES)
def test_every_payload_field_is_described(detail_type: str) -> None:
    schema = generate(contracts()[detail_type])
    undescribed = [
        f"{name}.{field}"
        for name, definition in schema["$defs"].items()
        if name != "Metadata"
        for field, prop in definition.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert not undescribed, f"{detail_type}: fields without a description: {undescribed}"
