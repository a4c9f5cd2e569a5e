"""User management by admins."""

from __future__ import annotations

from tests.api.conftest import Api


def sign_in_admin(api: Api) -> None:
    token, csrf, _ = api.session("ada", "admin")
    api.use(token, csrf)


def test_admin_lists_users_without_their_hashes(api: Api) -> None:
    sign_in_admin(api)
    users = api.client.get("/api/users").json()
    assert [u["username"] for u in users] == ["ada", "ines", "otto"]
    assert all(set(u) == {"username", "role", "active"} for u in users)


def test_created_user_can_log_in_and_a_duplicate_is_refused(api: Api) -> None:
    sign_in_admin(api)
    new = {"username": "nora", "role": "operator", "password": "twelve chars ok"}
    assert api.client.post("/api/users", json=new).status_code == 201
    assert api.client.post("/api/users", json=new).status_code == 409

    api.client.cookies.clear()
    login = {"username": "nora", "password": "twelve chars ok"}
    assert api.client.post("/api/auth/login", json=login).json()["role"] == "operator"


def test_short_passwords_and_unknown_roles_are_refused(api: Api) -> None:
    sign_in_admin(api)
    assert (
        api.client.post(
            "/api/users", json={"username": "x1", "role": "operator", "password": "short"}
        ).status_code
        == 422
    )
    body = {"username": "x2", "role": "root", "password": "long enough password"}
    assert api.client.post("/api/users", json=body).status_code == 422


def test_admin_cannot_delete_itself_and_unknown_users_are_404(api: Api) -> None:
    sign_in_admin(api)
    assert api.client.delete("/api/users/ada").status_code == 409
    assert api.client.delete("/api/users/nobody").status_code == 404


def test_blank_and_common_passwords_are_refused_without_being_echoed(api: Api) -> None:
    sign_in_admin(api)
    for password in ("            ", "Password1234!", "qwerty123456", "aaaaaaaaaaaa"):
        refused = api.client.post(
            "/api/users", json={"username": "x3", "role": "operator", "password": password}
        )
        assert refused.status_code == 422, password
        assert password.strip() not in refused.text or not password.strip()
        assert api.services.users.get("x3") is None
