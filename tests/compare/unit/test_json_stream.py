"""A lines document read member by member, its entries an item at a time, with where each is."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ior_compare.adapters.json_stream import JsonStreamError, read_object


def _streamed(text: str) -> tuple[dict[str, Any], list[tuple[Any, str]]]:
    items: list[tuple[Any, str]] = []
    head = read_object(text, "entries", lambda item, start, end: items.append((item, text[start:end])))
    return head, items


def test_the_streamed_items_and_the_other_members_are_what_the_whole_document_parses_to() -> None:
    # GIVEN a document with whitespace everywhere JSON allows it and members on both sides of `entries`
    document = {"a": [1, {"b": None}], "entries": [{"id": "x", "n": [1, 2]}, "text", 3], "z": "ω"}
    text = json.dumps(document, indent=2, ensure_ascii=False)
    # WHEN it is read with its entries streamed
    head, items = _streamed(text)
    # THEN the members are the parsed document's, and each item comes with its own text
    assert head == {k: v for k, v in document.items() if k != "entries"}
    assert [item for item, _ in items] == document["entries"]
    assert [json.loads(found) for _, found in items] == document["entries"]


def test_an_empty_object_and_an_empty_streamed_array_read() -> None:
    assert _streamed(" {} ") == ({}, [])
    assert _streamed('{"entries":[],"x":1}') == ({"x": 1}, [])


@pytest.mark.parametrize(
    "text",
    ['{"entries":[1,]}', '{"entries":[1 2]}', '{"a":1', '{"a":1} x', "[1]", "{1:2}", '{"a" 1}'],
    ids=[
        "trailing comma",
        "missing comma",
        "unclosed",
        "extra data",
        "not an object",
        "number key",
        "no colon",
    ],
)
def test_text_that_is_not_one_json_object_fails(text: str) -> None:
    with pytest.raises(JsonStreamError):
        _streamed(text)
