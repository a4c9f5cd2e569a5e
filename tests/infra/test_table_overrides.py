"""`tableOverrides`: a service pointed at a table restored from its own (`ior table restore`) uses it
everywhere the program names its table (its functions' environment, its role's grant, the operator's
grants), while its own table stays declared and untouched."""

from __future__ import annotations

import json

import pytest
from ior_infra.config_schema import problems
from ior_infra.tables import UnknownOverrideError

from tests.infra.mocks import ACCOUNT, REGION, Recorder, run_stack

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

RESTORED = "ior-dev-compare-restored-20260301T000000Z"
RESTORED_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{RESTORED}"
TABLE = "aws:dynamodb/table:Table"


@pytest.fixture(scope="module")
def overridden() -> Recorder:
    return run_stack("dev", tableOverrides={"compare": RESTORED})


def _resources(policy: str) -> set[str]:
    found: set[str] = set()
    for statement in json.loads(policy)["Statement"]:
        resources = statement["Resource"]
        found |= {resources} if isinstance(resources, str) else set(resources)
    return found


def test_the_services_functions_use_the_restored_table_and_are_granted_it(overridden: Recorder) -> None:
    compare = [
        f for f in overridden.of("aws:lambda/function:Function") if f.name.startswith("services-compare")
    ]
    assert compare
    for function in compare:
        assert function.inputs["environment"]["variables"]["IOR_TABLE_NAME"] == RESTORED, function.name
        policy = overridden.named("aws:iam/rolePolicy:RolePolicy", f"{function.name}-policy").inputs["policy"]
        resources = _resources(policy)
        assert RESTORED_ARN in resources, function.name
        assert f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/ior-dev-compare" not in resources, function.name


def test_the_other_services_and_the_own_table_are_unchanged(overridden: Recorder, dev: Recorder) -> None:
    # The service's own table is still declared as it was (not replaced, not deleted).
    own = overridden.named(TABLE, "tables-compare")
    assert own.inputs == dev.named(TABLE, "tables-compare").inputs
    for function in overridden.of("aws:lambda/function:Function"):
        if not function.name.startswith("services-compare"):
            variables = function.inputs["environment"]["variables"]
            assert variables["IOR_TABLE_NAME"] != RESTORED, function.name


def test_the_operators_grants_follow(overridden: Recorder) -> None:
    operator = overridden.named("aws:iam/rolePolicy:RolePolicy", "operator-policy").inputs["policy"]
    assert RESTORED_ARN in _resources(operator)


def test_an_override_of_a_service_the_stack_lacks_is_refused() -> None:
    with pytest.raises(Exception, match="tableOverrides names no service of the stack: nosuch") as raised:
        run_stack("dev", tableOverrides={"nosuch": "ior-dev-nosuch-restored-x"})
    assert isinstance(raised.value, UnknownOverrideError) or "UnknownOverrideError" in str(raised.value)


def test_the_schema_wants_service_to_table_names() -> None:
    assert "tableOverrides: must map service names to table names" in problems(
        "dev", {"tableOverrides": ["x"]}
    )
    assert not any(p.startswith("tableOverrides") for p in problems("dev", {"tableOverrides": {"etl": "t"}}))
