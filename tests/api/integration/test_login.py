"""Logging in and out: cookies, failures, lockout, inactive accounts, the legacy bcrypt upgrade."""

from __future__ import annotations

from datetime import timedelta

import bcrypt
from ior_api.domain.auth.tokens import CSRF_HEADER
from ior_api.domain.auth.users import UserRecord
from ior_api.entrypoints.web.dependencies import CSRF_COOKIE, SESSION_COOKIE

from tests.api.conftest import PASSWORD, Api


def login(api: Api, username: str, password: str = PASSWORD) -> tuple[int, dict[str, object]]:
    response = api.client.post("/api/auth/login", json={"username": username, "password": password})
    return response.status_code, response.json()


def test_login_sets_a_strict_httponly_session_cookie_and_a_readable_csrf_cookie(api: Api) -> None:
    response = api.client.post("/api/auth/login", json={"username": "ada", "password": PASSWORD})

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "ada"
    assert body["role"] == "admin"
    cookies = {c.split("=", 1)[0]: c.lower() for c in response.headers.get_list("set-cookie")}
    session, csrf = cookies[SESSION_COOKIE], cookies[CSRF_COOKIE]
    for flag in ("httponly", "secure", "samesite=strict", "max-age=900"):
        assert flag in session
    for flag in ("secure", "samesite=strict"):
        assert flag in csrf
    assert "httponly" not in csrf
    assert api.client.cookies[CSRF_COOKIE] == body["csrf_token"]
    assert response.headers["cache-control"] == "no-store"


def test_logged_in_user_reads_itself_and_changes_state_with_the_csrf_header(api: Api) -> None:
    _, body = login(api, "otto")

    assert api.client.get("/api/me").json() == {"username": "otto", "role": "operator", "active": True}
    compare = {"business_date": "2026-03-16", "reason": "check"}
    assert api.client.post("/api/compare", json=compare).status_code == 403
    response = api.client.post("/api/compare", json=compare, headers={CSRF_HEADER: str(body["csrf_token"])})
    assert response.status_code == 202


def test_csrf_token_of_another_session_is_refused(api: Api) -> None:
    _, first = login(api, "otto")
    login(api, "otto")  # a second session replaces the cookies

    response = api.client.post(
        "/api/compare",
        json={"business_date": "2026-03-16", "reason": "check"},
        headers={CSRF_HEADER: str(first["csrf_token"])},
    )
    assert response.status_code == 403


def test_logout_revokes_the_session(api: Api) -> None:
    _, body = login(api, "ada")
    token = api.client.cookies[SESSION_COOKIE]
    headers = {CSRF_HEADER: str(body["csrf_token"])}

    assert api.client.post("/api/auth/logout", headers=headers).status_code == 204

    api.client.cookies.set(SESSION_COOKIE, token)
    api.client.cookies.set(CSRF_COOKIE, str(body["csrf_token"]))
    assert api.client.get("/api/me").status_code == 401


def test_wrong_password_and_unknown_user_get_the_same_answer(api: Api) -> None:
    assert login(api, "ada", "wrong password") == (401, {"detail": "invalid username or password"})
    assert login(api, "nobody", "wrong password") == (401, {"detail": "invalid username or password"})
    assert SESSION_COOKIE not in api.client.cookies


def test_five_consecutive_failures_lock_the_account_for_fifteen_minutes(api: Api) -> None:
    for _ in range(4):
        assert login(api, "otto", "wrong")[0] == 401
    status, body = login(api, "otto", "wrong")
    until = (api.clock.now + timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M:%SZ")

    assert (status, body) == (423, {"detail": f"account locked until {until}"})
    # The right password does not open a locked account...
    assert login(api, "otto")[0] == 423
    # ...until the lock has passed.
    api.clock.now += timedelta(minutes=15, seconds=1)
    assert login(api, "otto")[0] == 200


def test_a_success_resets_the_failure_count(api: Api) -> None:
    for _ in range(4):
        login(api, "otto", "wrong")
    assert login(api, "otto")[0] == 200
    for _ in range(4):
        assert login(api, "otto", "wrong")[0] == 401


def test_inactive_user_cannot_log_in(api: Api) -> None:
    assert login(api, "ines") == (403, {"detail": "account is inactive"})
    # A wrong password says nothing about the account.
    assert login(api, "ines", "wrong")[0] == 401


def test_deactivated_user_loses_the_session_at_once(api: Api) -> None:
    login(api, "otto")
    api.services.users.delete("otto")
    assert api.client.get("/api/me").status_code == 401


def test_legacy_bcrypt_hash_is_accepted_once_and_upgraded_to_argon2id(api: Api) -> None:
    legacy = bcrypt.hashpw(b"legacy password 1", bcrypt.gensalt(rounds=4)).decode()
    api.services.users.add(UserRecord("lena", legacy, "operator"))

    assert login(api, "lena", "legacy password 1")[0] == 200

    stored = api.services.users.get("lena")
    assert stored is not None
    assert stored.password_hash.startswith("$argon2id$")
    assert login(api, "lena", "legacy password 1")[0] == 200
    assert login(api, "lena", "wrong")[0] == 401


def test_expired_session_is_refused(api: Api) -> None:
    token, csrf, _ = api.session("ada", "admin", now=api.clock.now - timedelta(minutes=16))
    api.use(token, csrf)
    assert api.client.get("/api/me").status_code == 401
