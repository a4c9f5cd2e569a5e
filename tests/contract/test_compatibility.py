"""The v1 rule: within a major version a contract may only gain optional fields."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, ClassVar, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ior_contracts.envelope import Event
from ior_contracts.registry import contracts
from ior_contracts.schema_files import compatibility_problems, generate, load_committed
from pydantic import BaseModel, Field

Schema = dict[str, Any]


class Snapshot(BaseModel):
    uri: str = Field(pattern=r"^s3://")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class ThingHappened(Event):
    DETAIL_TYPE: ClassVar[str] = "test.thing.happened.v1"
    SOURCE: ClassVar[str] = "ior.test"

    mode: Literal["automated", "manual"]
    count: int = Field(ge=0)
    note: str | None = None
    snapshot: Snapshot
    parts: list[Snapshot] = Field(default_factory=list)


class ThingHappenedWithComment(ThingHappened):
    """The same payload plus one optional field, as a later v1 release would define it."""

    comment: str | None = Field(default=None, description="Added later, optional.")


OLD = generate(ThingHappened)


def changed(mutate: Callable[[Schema], None]) -> Schema:
    new = copy.deepcopy(OLD)
    mutate(new)
    return new


def payload(schema: Schema) -> Schema:
    definition: Schema = schema["$defs"]["ThingHappened"]
    return definition


def snapshot(schema: Schema) -> Schema:
    definition: Schema = schema["$defs"]["Snapshot"]
    return definition


def test_an_unchanged_schema_is_compatible() -> None:
    assert compatibility_problems(OLD, copy.deepcopy(OLD)) == []


@pytest.mark.parametrize("detail_type", list(contracts()))
def test_every_committed_schema_is_compatible_with_itself(detail_type: str) -> None:
    committed = load_committed(detail_type)
    assert compatibility_problems(committed, committed) == []


def test_adding_an_optional_field_is_compatible() -> None:
    # GIVEN the payload model gains an optional field (under a new class name, so $refs differ too)
    new = generate(ThingHappenedWithComment)
    # THEN nothing is reported
    assert compatibility_problems(OLD, new) == []


def test_adding_an_optional_field_to_a_nested_type_is_compatible() -> None:
    new = changed(lambda s: snapshot(s)["properties"].update(size={"type": "integer", "minimum": 0}))
    assert compatibility_problems(OLD, new) == []


def test_rewording_descriptions_and_titles_is_compatible() -> None:
    def reword(schema: Schema) -> None:
        payload(schema)["properties"]["count"]["description"] = "How many, reworded."
        snapshot(schema)["title"] = "Snapshot of the thing"
        schema["description"] = "Reworded."

    assert compatibility_problems(OLD, changed(reword)) == []


def test_reordering_an_enum_is_compatible() -> None:
    new = changed(lambda s: payload(s)["properties"]["mode"].update(enum=["manual", "automated"]))
    assert compatibility_problems(OLD, new) == []


def test_adding_a_required_field_is_incompatible() -> None:
    def add_required(schema: Schema) -> None:
        payload(schema)["properties"]["owner"] = {"type": "string"}
        payload(schema)["required"].append("owner")

    assert compatibility_problems(OLD, changed(add_required)) == [
        "$.data.owner: added as required; within a major only optional fields may be added"
    ]


def test_removing_a_field_is_incompatible() -> None:
    new = changed(lambda s: payload(s)["properties"].pop("note"))
    assert compatibility_problems(OLD, new) == [
        "$.data.note: removed; a field of a published major version stays"
    ]


def test_changing_a_type_is_incompatible() -> None:
    new = changed(lambda s: payload(s)["properties"]["count"].update(type="number"))
    assert compatibility_problems(OLD, new) == ['$.data.count: type changed from "integer" to "number"']


def test_narrowing_an_enum_is_incompatible() -> None:
    new = changed(lambda s: payload(s)["properties"]["mode"].update(enum=["automated"]))
    assert compatibility_problems(OLD, new) == ['$.data.mode: enum narrowed: ["manual"] no longer allowed']


def test_changing_a_nested_def_is_incompatible_wherever_it_is_used() -> None:
    new = changed(lambda s: snapshot(s)["properties"]["sha256"].update(pattern="^[0-9a-f]{40}$"))
    change = 'pattern changed from "^[0-9a-f]{64}$" to "^[0-9a-f]{40}$" (in $defs/Snapshot)'
    assert compatibility_problems(OLD, new) == [
        f"$.data.snapshot.sha256: {change}",
        f"$.data.parts[].sha256: {change}",
    ]


def _make_required(name: str) -> Callable[[Schema], None]:
    return lambda s: payload(s)["required"].append(name)


def _make_optional(name: str) -> Callable[[Schema], None]:
    return lambda s: payload(s)["required"].remove(name)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(
            lambda s: payload(s)["properties"]["mode"].update(enum=["automated", "manual", "hybrid"]),
            '$.data.mode: enum widened with ["hybrid"], which v1 readers do not expect',
            id="widening_an_enum",
        ),
        pytest.param(
            lambda s: payload(s)["properties"]["count"].update(minimum=1),
            "$.data.count: minimum changed from 0 to 1",
            id="tightening_a_bound",
        ),
        pytest.param(
            lambda s: payload(s)["properties"]["count"].pop("minimum"),
            "$.data.count: minimum 0 removed",
            id="dropping_a_bound",
        ),
        pytest.param(
            lambda s: snapshot(s)["properties"]["uri"].update(maxLength=1024),
            "$.data.snapshot.uri: maxLength 1024 added (in $defs/Snapshot)",
            id="adding_a_constraint_to_a_nested_field",
        ),
        pytest.param(
            lambda s: payload(s)["properties"]["note"].update(default="none"),
            '$.data.note: default changed from null to "none"',
            id="changing_a_default",
        ),
        pytest.param(
            lambda s: payload(s)["properties"]["note"]["anyOf"][0].update(format="date"),
            '$.data.note: format "date" added',
            id="changing_a_format_inside_a_nullable",
        ),
        pytest.param(
            lambda s: payload(s)["properties"]["note"].update(anyOf=[{"type": "string"}]),
            "$.data.note: anyOf changed from 2 to 1 alternatives",
            id="making_a_nullable_field_non_nullable",
        ),
        pytest.param(
            lambda s: payload(s)["properties"]["parts"]["items"].update({"$ref": "#/$defs/Missing"}),
            "$.data.parts[]: cannot resolve $ref '#/$defs/Missing'",
            id="referring_to_a_missing_def",
        ),
        pytest.param(
            _make_required("note"),
            "$.data.note: became required; v1 producers do not send it",
            id="making_an_optional_field_required",
        ),
        pytest.param(
            _make_optional("count"),
            "$.data.count: no longer required; v1 readers rely on it",
            id="making_a_required_field_optional",
        ),
        pytest.param(
            lambda s: s["properties"]["metadata"].update({"$ref": "#/$defs/ThingHappened"}),
            "$.metadata.event_id: removed",
            id="pointing_a_field_at_another_type",
        ),
    ],
)
def test_incompatible_changes_are_reported_with_their_path(
    mutate: Callable[[Schema], None], expected: str
) -> None:
    problems = compatibility_problems(OLD, changed(mutate))
    assert problems, "the change should be reported"
    assert any(p.startswith(expected) for p in problems), problems


FIELD_NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)
DEFINITIONS = st.sampled_from(
    [{"type": "string"}, {"type": "integer", "minimum": 0}, {"anyOf": [{"type": "string"}, {"type": "null"}]}]
)


@settings(max_examples=40, deadline=None)
@given(name=FIELD_NAMES, definition=DEFINITIONS, required=st.booleans())
def test_a_new_field_is_compatible_exactly_when_it_is_optional(
    name: str, definition: Schema, required: bool
) -> None:
    if name in payload(OLD)["properties"]:
        return

    def add(schema: Schema) -> None:
        payload(schema)["properties"][name] = definition
        if required:
            payload(schema)["required"].append(name)

    problems = compatibility_problems(OLD, changed(add))
    expected = [f"$.data.{name}: added as required; within a major only optional fields may be added"]
    assert problems == (expected if required else [])


@settings(max_examples=20, deadline=None)
@given(name=st.sampled_from(sorted(payload(OLD)["properties"])))
def test_removing_any_field_is_reported_by_name(name: str) -> None:
    problems = compatibility_problems(OLD, changed(lambda s: payload(s)["properties"].pop(name)))
    assert f"$.data.{name}: removed; a field of a published major version stays" in problems
