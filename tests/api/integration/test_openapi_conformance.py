"""Schemathesis against the API's own OpenAPI, logged in as an admin with the CSRF header: for every
operation, generated requests (valid and invalid) give no server error and responses that match
the documented status codes, content types and schemas; then stateful sequences along the links."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from ior_api.domain.auth.tokens import CSRF_HEADER
from ior_api.entrypoints.web.app import app
from ior_api.entrypoints.web.dependencies import CSRF_COOKIE, SESSION_COOKIE
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import Api, seed_lines, seed_reports

schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)

# Derandomized: `make test` sends the same requests on every run, so a failure reproduces.
FUZZ = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


def signed_in(api: Api) -> dict[str, Any]:
    """A fresh admin session for each request: a generated logout must not end the rest of the run."""
    token, csrf, _ = api.session("ada", "admin")
    return {
        "cookies": {SESSION_COOKIE: token, CSRF_COOKIE: csrf},
        "headers": {CSRF_HEADER: csrf},
    }


@pytest.fixture
def seeded(api: Api) -> Api:
    seed_lines(api)
    seed_reports(api)
    return api


# Rules OpenAPI cannot say, so a generated request can be schema-valid yet refused by design: the
# pinned legacy formats of an upload (file names, headers, cells; tested in test_uploads), a
# replay window's order (until ≥ since; tested in test_pipeline_view), a username's lockout after
# its failed attempts, whether the name exists or not (tested in test_lockout and test_sessions),
# the password policy's list of common passwords (tested in test_password_policy), and a fee
# notice's days inside its fiscal year (tested in test_fee_notices).
BEYOND_THE_SCHEMA = {
    "POST /api/uploads",
    "POST /api/pipeline/replay",
    "POST /api/auth/login",
    "POST /api/me/password",
    "POST /api/users",
    "POST /api/fees/notices",
}


@schema.parametrize()
@FUZZ
def test_every_operation_conforms(case: Any, seeded: Api) -> None:
    kwargs = signed_in(seeded)
    excluded = [positive_data_acceptance] if case.operation.label in BEYOND_THE_SCHEMA else []
    case.call_and_validate(cookies=kwargs["cookies"], headers=kwargs["headers"], excluded_checks=excluded)


def test_stateful_sequences_conform(seeded: Api) -> None:
    class ApiMachine(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            kwargs = signed_in(seeded)
            return {"cookies": kwargs["cookies"], "headers": kwargs["headers"]}

    ApiMachine.run(settings=settings(max_examples=10, stateful_step_count=4, deadline=None, derandomize=True))
