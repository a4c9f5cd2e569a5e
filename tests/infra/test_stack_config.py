"""A stack's configuration is checked whole before any resource is declared: one error names every
missing or invalid key, so a new stack is fixed in one pass."""

from __future__ import annotations

import pytest
from ior_infra.config_schema import KEYS, StackConfigError, check, problems

from tests.infra.mocks import Recorder, run_stack


def test_a_stack_missing_secrets_and_alert_addresses_names_each_and_declares_nothing() -> None:
    missing = {k: None for k in ("secret-sap", "secret-jwt", "secret-slack", "secret-origin", "alertEmails")}
    recorder = Recorder()
    with pytest.raises(Exception, match="is not configured") as raised:
        run_stack("staging", recorder, **missing)
    for key in missing:
        assert f"{key}: missing" in str(raised.value)
    assert recorder.resources == []


def test_an_empty_configuration_names_every_required_key_and_only_those() -> None:
    with pytest.raises(StackConfigError):
        check("dev", {})
    named = {p.rsplit(": missing", 1)[0] for p in problems("dev", {})}
    assert named == {k.name for k in KEYS if k.required}


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"natGateway": True}, "availabilityZones: missing"),
        ({"availabilityZones": ["us-east-1a"]}, "availabilityZones: must list exactly two"),
        ({"alertEmails": []}, "alertEmails: must list at least one"),
        ({"comparisonFailRate": 1.5}, "comparisonFailRate: must be a share"),
        ({"waf": "yes"}, "waf: must be true or false"),
        ({"keepVersions": 0}, "keepVersions: must be a whole number"),
    ],
)
def test_a_wrong_value_is_named_with_what_it_must_be(values: dict[str, object], problem: str) -> None:
    assert any(p.startswith(problem) for p in problems("dev", values))


def test_prod_needs_its_zones_for_the_nat_gateway_it_has_by_default() -> None:
    assert any(p.startswith("availabilityZones: missing") for p in problems("prod", {}))
    assert not any(p.startswith("availabilityZones") for p in problems("dev", {}))
