"""The origin check: a request that did not come through CloudFront (no `X-Ior-Origin` with the
secret's current or previous value) is refused with a 403 that says nothing, whatever its path."""

from __future__ import annotations

import json
import uuid

import pytest
from ior_api import bootstrap
from ior_api.adapters.origin import OriginSecretError, OriginValues
from ior_api.config import Settings
from ior_api.entrypoints.http import handler
from ior_contracts.topology import ORIGIN_HEADER

from tests.api.conftest import PASSWORD, Api
from tests.api.integration.test_lambda_events import LambdaContext, canned

FIRST, SECOND, THIRD = ("first-" + "a" * 40), ("second-" + "b" * 40), ("third-" + "c" * 40)
PATHS = ("/api/health", "/api/openapi.json", "/api/me", "/api/no-such-route")


def origin_secret(aws: Settings, value: str) -> str:
    name = f"ior/test/origin-{uuid.uuid4().hex}"
    aws.client("secretsmanager").create_secret(Name=name, SecretString=json.dumps({"value": value}))
    return name


def rotate(aws: Settings, name: str, value: str) -> None:
    aws.client("secretsmanager").put_secret_value(SecretId=name, SecretString=json.dumps({"value": value}))


@pytest.fixture
def guarded(api: Api, aws: Settings) -> Api:
    """The API with the check on, against a secret of its own (cached for no time at all)."""
    name = origin_secret(aws, FIRST)
    api.services.origin = OriginValues(aws.client("secretsmanager"), name, max_age_s=0)
    api.client.headers[ORIGIN_HEADER] = FIRST
    api.services.settings = api.services.settings.model_copy(update={"origin_secret": name})
    return api


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("sent", [None, "", "wrong", FIRST + "x"])
def test_a_request_without_the_origin_value_is_refused_whatever_its_path(
    guarded: Api, path: str, sent: str | None
) -> None:
    # GIVEN a caller at the HTTP API's own endpoint, with no header or a wrong one
    headers = {ORIGIN_HEADER: sent} if sent is not None else {}
    guarded.client.headers.pop(ORIGIN_HEADER)

    # WHEN it asks for anything, health included
    response = guarded.client.get(path, headers=headers)

    # THEN a bare 403, the same for every path
    assert response.status_code == 403
    assert response.json() == {"detail": "Forbidden"}
    assert response.headers["cache-control"] == "no-store"


def test_a_login_without_the_origin_value_is_refused_before_it_is_tried(guarded: Api) -> None:
    guarded.client.headers.pop(ORIGIN_HEADER)
    response = guarded.client.post("/api/auth/login", json={"username": "otto", "password": PASSWORD})
    assert response.status_code == 403
    assert "set-cookie" not in response.headers


def test_the_origin_value_lets_every_request_through(guarded: Api) -> None:
    assert guarded.client.get("/api/health").json() == {"status": "ok"}
    login = guarded.client.post("/api/auth/login", json={"username": "otto", "password": PASSWORD})
    assert login.status_code == 200
    assert guarded.client.get("/api/me").json()["username"] == "otto"


def test_after_a_rotation_the_current_and_the_previous_value_pass_and_an_older_one_does_not(
    guarded: Api, aws: Settings
) -> None:
    name = guarded.services.settings.origin_secret
    assert name is not None
    rotate(aws, name, SECOND)
    rotate(aws, name, THIRD)

    answers = {
        value: guarded.client.get("/api/health", headers={ORIGIN_HEADER: value}).status_code
        for value in (FIRST, SECOND, THIRD)
    }

    assert answers == {FIRST: 403, SECOND: 200, THIRD: 200}


def test_the_values_are_cached_for_the_configured_age(aws: Settings) -> None:
    name = origin_secret(aws, FIRST)
    now = [0.0]
    values = OriginValues(aws.client("secretsmanager"), name, max_age_s=300, clock=lambda: now[0])
    assert values() == (FIRST,)

    rotate(aws, name, SECOND)
    now[0] = 299.0
    assert values() == (FIRST,)
    now[0] = 300.0
    assert values() == (SECOND, FIRST)


@pytest.mark.parametrize("value", [{"secret": "x" * 48}, {"value": "too short"}, ["value"]])
def test_a_malformed_origin_secret_is_refused(aws: Settings, value: object) -> None:
    name = f"ior/test/origin-{uuid.uuid4().hex}"
    aws.client("secretsmanager").create_secret(Name=name, SecretString=json.dumps(value))
    with pytest.raises(OriginSecretError):
        OriginValues(aws.client("secretsmanager"), name, max_age_s=0)()


def test_the_setting_names_the_secret_and_turns_the_check_on(aws: Settings) -> None:
    name = origin_secret(aws, FIRST)
    on = bootstrap.wire_web(aws.model_copy(update={"origin_secret": name}))
    off = bootstrap.wire_web(aws)

    assert on.origin is not None
    assert on.origin() == (FIRST,)
    assert off.origin is None


def test_the_environment_variable_names_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOR_ORIGIN_SECRET", "ior/dev/origin")
    assert Settings().origin_secret == "ior/dev/origin"


def test_an_http_api_event_without_the_header_is_refused_through_the_lambda_handler(guarded: Api) -> None:
    event = canned("http_api_v2", method="GET", path="/api/health")
    refused = handler(event, LambdaContext())
    event["headers"][ORIGIN_HEADER.lower()] = FIRST
    passed = handler(event, LambdaContext())

    assert (refused["statusCode"], json.loads(refused["body"])) == (403, {"detail": "Forbidden"})
    assert passed["statusCode"] == 200
