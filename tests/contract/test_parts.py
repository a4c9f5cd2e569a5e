"""A family's parts that readers show on their own live in a small module of their own
(`customs_parts`, `etl_parts`), so a reader can import them without every event of the family; so do
the resource names every function's settings need (`naming`), apart from the topology's declarations.
The original module keeps every public name it had: its importers import them from it as before."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

MOVED = {
    "ior_contracts.customs": (
        "ior_contracts.customs_parts",
        ("Fallback", "FallbackReason", "QuarantineReason", "ReasonCount"),
    ),
    "ior_contracts.etl": (
        "ior_contracts.etl_parts",
        ("ChangeKind", "CodeChange", "OfficialLineState", "RuleCount"),
    ),
    "ior_contracts.topology": ("ior_contracts.naming", ("Naming", "ORIGIN_HEADER")),
}


@pytest.mark.parametrize("family", sorted(MOVED))
def test_a_family_still_names_each_part_that_moved_to_its_parts_module(family: str) -> None:
    # GIVEN a family and the parts module its small models moved to
    parts_module, names = MOVED[family]
    # WHEN both are imported
    family_module, parts = importlib.import_module(family), importlib.import_module(parts_module)
    # THEN each moved name is importable from the family and is the very same object
    for name in names:
        assert getattr(family_module, name) is getattr(parts, name), f"{family}.{name}"


@pytest.mark.parametrize(
    "parts_module", ["ior_contracts.customs_parts", "ior_contracts.etl_parts", "ior_contracts.naming"]
)
def test_a_parts_module_imports_no_event_family(parts_module: str) -> None:
    # GIVEN a fresh interpreter WHEN it imports a parts module
    probe = f"import sys, json, {parts_module}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    imported = set(json.loads(done.stdout.strip().splitlines()[-1]))
    # THEN neither the envelope, nor any family, nor the topology came with it
    families = {"ior_contracts.topology"} | {
        f"ior_contracts.{f}"
        for f in ("envelope", "ingestion", "etl", "manual", "fees", "customs", "compare", "cutover")
    }
    assert imported.isdisjoint(families), sorted(imported & families)
