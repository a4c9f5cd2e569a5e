"""Canned Lambda events (API Gateway HTTP API and function URL, payload format 2.0) through the
Mangum handler."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from ior_api.entrypoints.http import handler

from tests.api.conftest import PASSWORD, Api

EVENTS = Path(__file__).parent.parent / "events"


class LambdaContext:
    function_name = "ior-test-api"
    aws_request_id = "req-1"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


def canned(
    name: str, *, method: str, path: str, body: dict[str, Any] | None = None, cookies: list[str] | None = None
) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text())
    event["rawPath"] = path
    event["requestContext"]["http"]["method"] = method
    event["requestContext"]["http"]["path"] = path
    if body is not None:
        event["body"] = base64.b64encode(json.dumps(body).encode()).decode()
        event["isBase64Encoded"] = True
        event["headers"]["content-type"] = "application/json"
    if cookies:
        event["cookies"] = cookies
    return event


@pytest.mark.parametrize("shape", ["http_api_v2", "function_url"])
def test_health_answers_through_the_lambda_handler(shape: str) -> None:
    response = handler(canned(shape, method="GET", path="/api/health"), LambdaContext())
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"status": "ok"}


@pytest.mark.parametrize("shape", ["http_api_v2", "function_url"])
def test_protected_route_refuses_an_event_without_a_session(api: Api, shape: str) -> None:
    response = handler(canned(shape, method="GET", path="/api/me"), LambdaContext())
    assert response["statusCode"] == 401


@pytest.mark.parametrize("shape", ["http_api_v2", "function_url"])
def test_login_then_an_authenticated_request_through_the_lambda_handler(api: Api, shape: str) -> None:
    # GIVEN a login through the handler
    login = handler(
        canned(shape, method="POST", path="/api/auth/login", body={"username": "otto", "password": PASSWORD}),
        LambdaContext(),
    )
    assert login["statusCode"] == 200
    # Payload 2.0 returns cookies in their own list.
    set_cookies = login["cookies"]
    assert any(c.startswith("ior_session=") and "HttpOnly" in c for c in set_cookies)
    cookies = [c.split(";", 1)[0] for c in set_cookies]
    csrf = json.loads(login["body"])["csrf_token"]

    # WHEN the session is used for a read and a state-changing request
    me = handler(canned(shape, method="GET", path="/api/me", cookies=cookies), LambdaContext())
    compare = canned(
        shape,
        method="POST",
        path="/api/compare",
        body={"business_date": "2026-03-16", "reason": "r"},
        cookies=cookies,
    )
    compare["headers"]["x-csrf-token"] = csrf
    accepted = handler(compare, LambdaContext())

    # THEN both pass
    assert (me["statusCode"], json.loads(me["body"])["username"]) == (200, "otto")
    assert accepted["statusCode"] == 202
