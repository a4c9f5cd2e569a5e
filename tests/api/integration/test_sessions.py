"""Sessions end with their user's generation: deleting a user ends them for good (re-creating the
name revives none), a password change ends every other session and renews this one, and "log out
everywhere" ends them all, for oneself or, by an admin, for anyone."""

from __future__ import annotations

from typing import Any

from ior_api.domain.auth.tokens import CSRF_HEADER
from ior_api.entrypoints.web.dependencies import CSRF_COOKIE, SESSION_COOKIE

from tests.api.conftest import PASSWORD, Api

NEW_PASSWORD = "a brand new passphrase"


def log_in(api: Api, username: str, password: str = PASSWORD) -> tuple[str, str]:
    """(session cookie, csrf token) of a fresh login."""
    api.client.cookies.clear()
    response = api.client.post("/api/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.cookies[SESSION_COOKIE], response.json()["csrf_token"]


def as_session(api: Api, session: tuple[str, str]) -> None:
    api.use(*session)


def me(api: Api, session: tuple[str, str]) -> Any:
    as_session(api, session)
    return api.client.get("/api/me")


def test_a_deleted_users_sessions_stay_dead_when_the_name_is_made_again(api: Api) -> None:
    # GIVEN an operator's session, and the operator deleted
    otto = log_in(api, "otto")
    admin = log_in(api, "ada")
    as_session(api, admin)
    assert api.client.delete("/api/users/otto").status_code == 204
    assert me(api, otto).status_code == 401

    # WHEN an admin makes the name again, as an admin this time
    as_session(api, admin)
    created = api.client.post(
        "/api/users", json={"username": "otto", "role": "admin", "password": NEW_PASSWORD}
    )
    assert created.status_code == 201

    # THEN the old session is still refused, and gains no role
    assert me(api, otto).status_code == 401
    as_session(api, otto)
    assert api.client.get("/api/users").status_code == 401


def test_a_password_change_ends_every_other_session_and_renews_this_one(api: Api) -> None:
    # GIVEN two sessions of one user
    elsewhere, here = log_in(api, "otto"), log_in(api, "otto")

    # WHEN the user changes the password here
    as_session(api, here)
    changed = api.client.post(
        "/api/me/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )

    # THEN this client holds a new session, the others and the old password are out
    assert changed.status_code == 200, changed.text
    renewed = (changed.cookies[SESSION_COOKIE], changed.json()["csrf_token"])
    assert changed.cookies[CSRF_COOKIE] == renewed[1]
    assert changed.headers["cache-control"] == "no-store"
    assert me(api, renewed).json()["username"] == "otto"
    assert me(api, elsewhere).status_code == 401
    assert me(api, here).status_code == 401
    api.client.cookies.clear()
    assert (
        api.client.post("/api/auth/login", json={"username": "otto", "password": PASSWORD}).status_code == 401
    )
    assert log_in(api, "otto", NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_failure(api: Api) -> None:
    session = log_in(api, "otto")
    as_session(api, session)
    body = {"current_password": "not it", "new_password": NEW_PASSWORD}

    answers = [api.client.post("/api/me/password", json=body).status_code for _ in range(5)]

    assert answers == [403, 403, 403, 403, 423]
    assert me(api, session).status_code == 200
    api.client.cookies.clear()
    assert (
        api.client.post("/api/auth/login", json={"username": "otto", "password": PASSWORD}).status_code == 423
    )


def test_a_weak_new_password_is_refused_without_being_echoed(api: Api) -> None:
    as_session(api, log_in(api, "otto"))
    for weak in ("            ", "password1234", "pw-1"):
        refused = api.client.post(
            "/api/me/password", json={"current_password": PASSWORD, "new_password": weak}
        )
        assert refused.status_code == 422, weak
        assert weak not in refused.text
        assert PASSWORD not in refused.text


def test_a_password_change_needs_the_csrf_header(api: Api) -> None:
    as_session(api, log_in(api, "otto"))
    api.client.headers.pop(CSRF_HEADER)
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert api.client.post("/api/me/password", json=body).status_code == 403


def test_log_out_everywhere_ends_every_session_of_the_user_only(api: Api) -> None:
    first, second, other = log_in(api, "otto"), log_in(api, "otto"), log_in(api, "ada")

    as_session(api, first)
    assert api.client.delete("/api/me/sessions").status_code == 204

    assert me(api, first).status_code == 401
    assert me(api, second).status_code == 401
    assert me(api, other).status_code == 200
    assert log_in(api, "otto")


def test_an_admin_ends_another_users_sessions(api: Api) -> None:
    otto, admin = log_in(api, "otto"), log_in(api, "ada")

    as_session(api, admin)
    assert api.client.delete("/api/users/otto/sessions").status_code == 204
    assert api.client.delete("/api/users/nobody/sessions").status_code == 404

    assert me(api, otto).status_code == 401
    assert me(api, admin).status_code == 200


def test_an_operator_cannot_end_another_users_sessions(api: Api) -> None:
    ada = log_in(api, "ada")
    as_session(api, log_in(api, "otto"))
    assert api.client.delete("/api/users/ada/sessions").status_code == 403
    assert me(api, ada).status_code == 200
