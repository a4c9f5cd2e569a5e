"""Every endpoint × every kind of caller: the status each one gets."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ior_api.domain.projections import project
from ior_contracts import examples
from ior_contracts.compare import ComparisonCompleted
from ior_contracts.envelope import Envelope

from tests.api.conftest import PASSWORD, RUN_DATE, Api, seed_lines, seed_reports


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    ok: int
    admin_only: bool = False
    body: dict[str, Any] | None = None
    files: dict[str, bytes] | None = None

    @property
    def changes_state(self) -> bool:
        return self.method not in {"GET", "HEAD", "OPTIONS"}

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


COMPARED = examples.load("compare.comparison.completed.v1")["detail"]["data"]["comparison_id"]
REASON = "auth matrix"
ENTRY = "2704-20260316-SH0001"
SESSION = "5e55" * 8
RATES = b"\xef\xbb\xbfCurrency,Date,USD per Unit\r\nEUR,03/16/2026,1.0874\r\n"

ENDPOINTS = (
    Endpoint("GET", "/api/me", 200),
    Endpoint("GET", "/api/users", 200, admin_only=True),
    Endpoint(
        "POST",
        "/api/users",
        201,
        admin_only=True,
        body={"username": "newbie", "role": "operator", "password": "a long enough password"},
    ),
    Endpoint("DELETE", "/api/users/ines", 204, admin_only=True),
    Endpoint("DELETE", "/api/users/ines/sessions", 204, admin_only=True),
    Endpoint(
        "POST",
        "/api/me/password",
        200,
        body={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
    ),
    Endpoint("DELETE", "/api/me/sessions", 204),
    Endpoint(
        "POST",
        "/api/customs-runs",
        202,
        admin_only=True,
        body={"business_date": "2026-03-16", "reason": REASON},
    ),
    Endpoint(
        "POST",
        "/api/fees/notices",
        202,
        admin_only=True,
        body={
            "fiscal_year": 2027,
            "mpf_rate": "0.003464",
            "mpf_minimum": "34.00",
            "mpf_maximum": "660.00",
            "hmf_rate": "0.00125",
            "citation": "TEST ONLY - fictitious notice",
        },
    ),
    Endpoint("POST", "/api/compare", 202, body={"business_date": "2026-03-16", "reason": REASON}),
    Endpoint("GET", "/api/comparisons", 200),
    Endpoint("GET", f"/api/comparisons/{COMPARED}", 200),
    Endpoint("GET", f"/api/comparisons/{COMPARED}/explained", 200),
    Endpoint("GET", "/api/cutover", 200),
    Endpoint(
        "POST",
        "/api/cutover",
        202,
        admin_only=True,
        body={"action": "cutover", "effective_date": "2026-04-20", "reason": REASON},
    ),
    Endpoint("GET", "/api/alerts", 200),
    Endpoint("GET", f"/api/customs-lines?date={RUN_DATE}", 200),
    Endpoint("GET", f"/api/customs-lines/quarantined?date={RUN_DATE}", 200),
    Endpoint("GET", f"/api/entries/{ENTRY}", 200),
    Endpoint("GET", f"/api/daily-totals?from={RUN_DATE}&to={RUN_DATE}", 200),
    Endpoint("GET", "/api/pipeline", 200),
    Endpoint(
        "POST",
        "/api/pipeline/replay",
        202,
        admin_only=True,
        body={
            "stage": "etl",
            "since": "2026-03-16T00:00:00Z",
            "until": "2026-03-17T00:00:00Z",
            "reason": REASON,
        },
    ),
    Endpoint("GET", "/api/uploads/formats", 200),
    Endpoint("GET", "/api/uploads", 200),
    Endpoint("POST", "/api/uploads", 202, files={"Exchange_Rates.csv": RATES}),
    Endpoint("POST", "/api/uploads/presigned", 201, body={"files": ["Exchange_Rates.csv"]}),
    Endpoint("POST", f"/api/uploads/presigned/{SESSION}", 202, body={}),
    Endpoint("GET", f"/api/audit/comparisons/{COMPARED}/report.html", 200),
    Endpoint("GET", f"/api/audit/customs-runs/{RUN_DATE}/automated/report.json", 200),
    Endpoint("POST", "/api/auth/logout", 204),
)

CALLERS = ("anonymous", "operator", "admin", "expired", "tampered", "revoked", "missing_csrf")


def expected(endpoint: Endpoint, caller: str) -> int:
    if caller in {"anonymous", "expired", "tampered", "revoked"}:
        return 401
    if caller == "missing_csrf" and endpoint.changes_state:
        return 403
    if caller == "operator" and endpoint.admin_only:
        return 403
    return endpoint.ok


def tamper(token: str) -> str:
    """Promote the operator to admin in the payload, keeping the original signature."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


def sign_in_as(api: Api, caller: str) -> None:
    if caller == "anonymous":
        api.client.cookies.clear()
        api.client.headers.pop("X-CSRF-Token", None)
        return
    role = "operator" if caller in {"operator", "tampered"} else "admin"
    username = "otto" if role == "operator" else "ada"
    now = datetime.now(UTC) - timedelta(hours=1) if caller == "expired" else None
    token, csrf, sid = api.session(username, role, now=now)
    if caller == "tampered":
        token = tamper(token)
    if caller == "revoked":
        api.services.revoked.revoke(sid, int((datetime.now(UTC) + timedelta(minutes=15)).timestamp()))
    api.use(token, None if caller == "missing_csrf" else csrf)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_status_of_each_endpoint_for_each_caller(api: Api, endpoint: Endpoint, caller: str) -> None:
    # GIVEN a stored comparison and a caller of the kind
    example = Envelope[ComparisonCompleted].model_validate(
        examples.load("compare.comparison.completed.v1")["detail"]
    )
    for write in project(example.data, example.metadata):
        api.services.readmodels.put(write.pk, write.sk, write.body)
    seed_lines(api)
    seed_reports(api)
    api.s3.put_object(
        Bucket=api.services.settings.data, Key=f"api/incoming/{SESSION}/Exchange_Rates.csv", Body=RATES
    )
    sign_in_as(api, caller)

    # WHEN it calls the endpoint
    if endpoint.files is not None:
        uploads = [("files", (name, body, "text/csv")) for name, body in endpoint.files.items()]
        response = api.client.request(endpoint.method, endpoint.path, files=uploads)
    else:
        response = api.client.request(endpoint.method, endpoint.path, json=endpoint.body)

    # THEN it gets exactly the status its role and session allow, kept by no cache
    assert response.status_code == expected(endpoint, caller), response.text
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("caller", CALLERS)
def test_health_is_anonymous(api: Api, caller: str) -> None:
    sign_in_as(api, caller)
    assert api.client.get("/api/health").json() == {"status": "ok"}


def test_matrix_covers_every_route(api: Api) -> None:
    routes = {
        (method, path)
        for path, item in api.client.get("/api/openapi.json").json()["paths"].items()
        for method in (m.upper() for m in item)
    }
    covered = {
        (
            e.method,
            e.path.split("?")[0]
            .replace(COMPARED, "{comparison_id}")
            .replace("/users/ines", "/users/{username}")
            .replace(ENTRY, "{entry_id}")
            .replace(SESSION, "{session}")
            .replace(f"{RUN_DATE}/automated/report.json", "{business_date}/{mode}/{name}")
            .replace("report.html", "{name}"),
        )
        for e in ENDPOINTS
    }
    anonymous = {("GET", "/api/health"), ("POST", "/api/auth/login")}
    assert routes == covered | anonymous
