"""The committed AsyncAPI document is what `render()` makes of the current contracts and examples,
each message's payload is its contract's committed schema with the example valid against it, and
the AsyncAPI initiative's own parser accepts the document (installed by `make test`)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ior_contracts import examples
from ior_contracts.asyncapi import ASYNCAPI_PATH, channel_id, document, render
from ior_contracts.registry import contracts
from ior_contracts.schema_files import load_committed

ROOT = Path(__file__).resolve().parents[2]
PARSER = ROOT / "tools" / "asyncapi"


def test_the_committed_asyncapi_document_is_up_to_date() -> None:
    assert ASYNCAPI_PATH.is_file(), "no AsyncAPI document: run `python -m ior_contracts.asyncapi --write`"
    assert ASYNCAPI_PATH.read_text(encoding="utf-8") == render(), (
        "contracts/asyncapi.json is out of date: run `make catalogue`"
    )


def test_every_contract_is_a_channel_whose_payload_is_its_committed_schema() -> None:
    doc = document()
    assert doc["asyncapi"].startswith("3.")
    for detail_type, model in contracts().items():
        channel = doc["channels"][channel_id(detail_type)]
        assert channel["address"] == detail_type
        message = doc["components"]["messages"][detail_type]
        assert message["x-eventbridge"] == {"source": model.SOURCE, "detail-type": detail_type}
        payload = doc["components"]["schemas"][detail_type]
        committed = load_committed(detail_type)
        # The committed schema, but for its dialect and id and the references into its own `$defs`.
        assert payload["properties"].keys() == committed["properties"].keys()
        assert payload["$defs"].keys() == committed["$defs"].keys()
        assert payload["required"] == committed["required"]


@pytest.mark.parametrize("detail_type", list(contracts()))
def test_each_example_is_valid_against_its_message_payload(detail_type: str) -> None:
    doc = document()
    # The payload's references are absolute within the document: validate from its root.
    schema: dict[str, Any] = {"$ref": f"#/components/schemas/{detail_type}", "components": doc["components"]}
    [example] = doc["components"]["messages"][detail_type]["examples"]
    assert example["payload"] == examples.load(detail_type)["detail"]
    jsonschema.Draft202012Validator(schema).validate(example["payload"])


def parse(path: Path) -> subprocess.CompletedProcess[str]:
    """The AsyncAPI initiative's parser run on the document at `path` (tools/asyncapi/validate.mjs)."""
    node = shutil.which("node")
    assert node, "the AsyncAPI check needs Node.js 20+ on PATH"
    assert (PARSER / "node_modules" / "@asyncapi" / "parser").is_dir(), (
        "the AsyncAPI parser is not installed: run `make asyncapi` (npm ci --prefix tools/asyncapi)"
    )
    return subprocess.run(
        [node, str(PARSER / "validate.mjs"), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_asyncapi_parser_accepts_the_committed_document() -> None:
    checked = parse(ASYNCAPI_PATH)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    findings = [line for line in checked.stdout.splitlines() if " error " in line or " warning " in line]
    assert findings == []
    assert f"{len(contracts())} channels, {len(contracts())} messages" in checked.stdout


def test_the_parser_refuses_a_document_that_breaks_the_specification(tmp_path: Path) -> None:
    """The check can fail: a channel whose message reference leads nowhere is an error."""
    broken = document()
    first = next(iter(broken["channels"].values()))
    first["messages"] = {"Nowhere": {"$ref": "#/components/messages/nowhere"}}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    assert parse(path).returncode == 1
