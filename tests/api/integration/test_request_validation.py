"""A malformed request's 422: it never echoes a password, nor a container that may hold one, quotes
a long value in part and lists a bounded number of errors; dates are bounded (no arithmetic on them
overflows) and path parameters are length-limited before they reach a table key."""

from __future__ import annotations

from typing import Any

import pytest
from ior_api.entrypoints.web.validation import INPUT_CHARS, MAX_ERRORS

from tests.api.conftest import RUN_DATE, Api, seed_lines

SECRET = "my-secret-Passw0rd-that-must-not-leak"


def sign_in_admin(api: Api) -> None:
    api.use(*api.session("ada", "admin")[:2])


@pytest.mark.parametrize(
    "body",
    [
        {"username": "", "password": SECRET},  # a field beside the password is wrong
        {"password": SECRET},  # a field is missing: its error carries the whole body
        {"username": "otto", "password": SECRET * 40},  # the password itself is too long
        {"username": "otto", "password": [SECRET]},  # the password is not a string
    ],
)
def test_a_refused_login_never_echoes_the_password(api: Api, body: dict[str, Any]) -> None:
    response = api.client.post("/api/auth/login", json=body)
    assert response.status_code == 422
    assert SECRET not in response.text
    assert response.json()["detail"]


def test_a_refused_user_or_password_change_never_echoes_a_password(api: Api) -> None:
    sign_in_admin(api)
    created = api.client.post(
        "/api/users", json={"username": "Bad Name", "role": "operator", "password": SECRET}
    )
    changed = api.client.post("/api/me/password", json={"current_password": SECRET, "new_password": "x"})
    for response in (created, changed):
        assert response.status_code == 422
        assert SECRET not in response.text


def test_a_long_value_is_quoted_in_part(api: Api) -> None:
    sign_in_admin(api)
    huge = "9" * 200_000
    response = api.client.post("/api/compare", json={"business_date": huge, "reason": "check"})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert len(error["input"]) == INPUT_CHARS
    assert len(response.content) < 2_000


def test_the_errors_listed_are_bounded(api: Api) -> None:
    sign_in_admin(api)
    response = api.client.post("/api/uploads/presigned", json={"files": ["x.csv"] * 5_000})
    assert response.status_code == 422
    assert len(response.json()["detail"]) <= MAX_ERRORS
    assert len(response.content) < 10_000


@pytest.mark.parametrize(
    "query",
    [
        {"to": "0001-01-01"},
        {"from": "0001-01-01"},
        {"to": "9999-12-31"},
        {"from": "0099-01-01", "to": "0100-01-01"},
    ],
)
def test_daily_totals_refuses_a_date_out_of_range_with_a_422(api: Api, query: dict[str, str]) -> None:
    sign_in_admin(api)
    response = api.client.get("/api/daily-totals", params=query)
    assert response.status_code == 422
    assert "1900 to 2099" in response.json()["detail"][0]["msg"]


def test_daily_totals_at_the_edges_of_the_range_answer(api: Api) -> None:
    sign_in_admin(api)
    for query in ({"to": "1900-01-01"}, {"from": "2099-12-31"}, {"from": "1900-01-01", "to": "2099-12-31"}):
        assert api.client.get("/api/daily-totals", params=query).status_code == 200, query


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/customs-lines?date=0001-01-01", None),
        ("POST", "/api/compare", {"business_date": "0001-01-01", "reason": "r"}),
        ("POST", "/api/customs-runs", {"business_date": "3000-01-01", "reason": "r"}),
        ("POST", "/api/cutover", {"action": "cutover", "effective_date": "0001-01-01", "reason": "r"}),
        (
            "POST",
            "/api/pipeline/replay",
            {"stage": "etl", "since": "0001-01-01T00:00:00Z", "until": "2026-01-01T00:00:00Z", "reason": "r"},
        ),
        ("GET", "/api/audit/customs-runs/0001-01-01/automated/report.json", None),
    ],
)
def test_every_date_the_api_takes_is_bounded(api: Api, method: str, path: str, body: Any) -> None:
    sign_in_admin(api)
    assert api.client.request(method, path, json=body).status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "/api/comparisons/" + "c" * 2_000,
        "/api/audit/comparisons/" + "c" * 2_000 + "/report.html",
        "/api/entries/2704-20260316-" + "S" * 2_000,
        "/api/uploads/presigned/" + "a" * 2_000,
    ],
)
def test_a_path_parameter_over_its_length_is_refused_before_any_table_read(api: Api, path: str) -> None:
    sign_in_admin(api)
    method = "POST" if "presigned" in path else "GET"
    response = api.client.request(method, path, json={} if method == "POST" else None)
    assert response.status_code == 422
    assert len(response.content) < 2_000


@pytest.mark.parametrize("path", ["/api/users/" + "u" * 2_000, "/api/users/" + "u" * 2_000 + "/sessions"])
def test_a_username_in_a_path_is_held_to_the_username_rule(api: Api, path: str) -> None:
    sign_in_admin(api)
    assert api.client.delete(path).status_code == 422


def test_customs_lines_of_a_date_in_range_still_answer(api: Api) -> None:
    seed_lines(api)
    sign_in_admin(api)
    assert api.client.get("/api/customs-lines", params={"date": RUN_DATE}).status_code == 200


def test_a_method_the_path_lacks_is_refused_naming_every_method_it_has(api: Api) -> None:
    # GIVEN a signed-in admin, and a path served for GET and POST (the users)
    sign_in_admin(api)
    # WHEN it is asked with a method it lacks
    response = api.client.delete("/api/users")
    # THEN it is refused, and the answer names the methods the path has
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"
