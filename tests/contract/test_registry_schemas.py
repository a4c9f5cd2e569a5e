"""What the schema registry gets: each contract's whole event in JSON Schema draft 4 (the registry
takes no 2020-12), which accepts the example event and refuses another contract's."""

from __future__ import annotations

import jsonschema
import pytest
from ior_contracts import examples
from ior_contracts.registry import contracts
from ior_contracts.registry_schemas import NotDraft4Error, convert, event_schema, registry_name


@pytest.mark.parametrize("detail_type", list(contracts()))
def test_each_contract_is_a_valid_draft_4_schema_of_its_whole_event(detail_type: str) -> None:
    schema = event_schema(detail_type)
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema)
    example = examples.load(detail_type)
    validator.validate(example)
    # A different contract's event is refused by its detail-type alone.
    assert not validator.is_valid({**example, "detail-type": "etl.rows.quarantined.v0"})


def test_a_schema_is_named_as_eventbridge_names_discovered_ones() -> None:
    assert registry_name("etl.dataset.published.v1") == "ior.etl@etl.dataset.published.v1"


def test_later_keywords_are_put_in_draft_4_words_or_refused() -> None:
    assert convert({"const": "x", "exclusiveMinimum": 0}) == {
        "enum": ["x"],
        "minimum": 0,
        "exclusiveMinimum": True,
    }
    assert convert({"$ref": "#/$defs/A", "$defs": {"A": {"type": "string"}}}) == {
        "$ref": "#/definitions/A",
        "definitions": {"A": {"type": "string"}},
    }
    with pytest.raises(NotDraft4Error, match="prefixItems"):
        convert({"type": "array", "prefixItems": [{"type": "string"}]})
