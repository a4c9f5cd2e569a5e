"""Models that only document an answer the API passes through unread join the OpenAPI document when it
is asked for (`ior_api.entrypoints.web.documented`): every reference resolves, and a name cannot
document two different schemas."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from ior_api.entrypoints.web.app import create_app
from ior_api.entrypoints.web.documented import DocumentedTwiceError, json_content, with_models
from ior_api.entrypoints.web.openapi import document
from pydantic import BaseModel


class Totals(BaseModel):
    lines: int


class Report(BaseModel):
    totals: Totals


def _references(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_references(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_references(v) for v in node))
    return set()


def test_every_reference_of_the_apis_document_names_one_of_its_components() -> None:
    # GIVEN the API's OpenAPI document
    spec = document()
    # WHEN its references are collected
    named = {ref.removeprefix("#/components/schemas/") for ref in _references(spec)}
    # THEN each is a component, the reports' among them
    assert named <= set(spec["components"]["schemas"]), sorted(named - set(spec["components"]["schemas"]))
    assert {"ComparisonReport", "CustomsRunReport"} <= named


def test_the_served_document_describes_the_reports_as_the_generated_one_does() -> None:
    # GIVEN a fresh app WHEN a client asks for its OpenAPI document
    served = TestClient(create_app()).get("/api/openapi.json")
    # THEN it is the document the dashboard's types are generated from, report models included
    assert served.status_code == 200
    assert json.dumps(served.json(), sort_keys=True) == json.dumps(document(), sort_keys=True)


def test_a_model_joins_the_document_with_the_models_it_refers_to() -> None:
    # GIVEN a document whose response refers to a model by name, without its schema
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/r": {"get": {"responses": {"200": {"description": "ok", "content": json_content("Report")}}}}
        },
    }
    # WHEN the model joins it
    documented = with_models(spec, [Report])
    # THEN the model and the one it refers to are components, and the response still refers to it
    assert set(documented["components"]["schemas"]) == {"Report", "Totals"}
    assert documented["components"]["schemas"]["Report"]["properties"]["totals"] == {
        "$ref": "#/components/schemas/Totals"
    }
    assert _references(documented["paths"]) == {"#/components/schemas/Report"}


def test_a_name_already_documented_differently_is_refused() -> None:
    # GIVEN a document that already has a different `Totals`
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {"Totals": {"type": "object", "properties": {"value": {"type": "string"}}}}
        },
    }
    # WHEN a model referring to another `Totals` joins it THEN it is refused
    with pytest.raises(DocumentedTwiceError, match="Totals"):
        with_models(spec, [Report])
