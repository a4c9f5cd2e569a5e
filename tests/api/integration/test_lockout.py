"""The login's lockout and throttle, as an attacker tries them: concurrent guesses get no more tries
than sequential ones, an unknown username answers exactly like a known one (status, words, timing,
lockout), and one address cannot make many logins a minute."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from datetime import timedelta
from typing import Any

import httpx
import pytest
from ior_api.adapters import table
from ior_api.domain.auth.users import UserRecord
from ior_api.entrypoints.web.app import app

from tests.api.conftest import PASSWORD, PASSWORD_HASH, Api

LIMIT = 5


@pytest.fixture
def unthrottled(api: Api) -> Api:
    """The API with a per-source limit no test of the lockout reaches."""
    api.services.settings = api.services.settings.model_copy(update={"login_attempts_per_minute": 1000})
    return api


def concurrently(logins: list[dict[str, str]], headers: dict[str, str] | None = None) -> list[httpx.Response]:
    """Every login sent at once, as many clients would (the routes run in the server's thread pool)."""

    async def send() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
            return list(
                await asyncio.gather(
                    *(client.post("/api/auth/login", json=b, headers=headers) for b in logins)
                )
            )

    # A loop of its own, left unset: `asyncio.run` would leave the thread without one, which the Lambda
    # handler's tests (Mangum asks for the current loop) would then find.
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(send())
    finally:
        loop.close()


def counted(api: Api, username: str) -> int:
    item = table.get(api.dynamodb, api.services.settings.table, table.key(f"login#{username}", "attempts"))
    return int(item["failures"]["N"]) if item else 0


def login(api: Api, username: str, password: str, **headers: str) -> Any:
    return api.client.post(
        "/api/auth/login", json={"username": username, "password": password}, headers=headers
    )


def answer(response: httpx.Response) -> tuple[int, Any]:
    return response.status_code, response.json()


@pytest.mark.parametrize("username", ["otto", "nobody"])
def test_forty_concurrent_wrong_guesses_get_exactly_five_tries(unthrottled: Api, username: str) -> None:
    # WHEN 40 wrong guesses arrive at once
    responses = concurrently([{"username": username, "password": f"guess {n}"} for n in range(40)])

    # THEN five were counted (and tried): four refused as wrong, the fifth locks; the rest were never tried
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {401: LIMIT - 1, 423: 40 - (LIMIT - 1)}
    assert counted(unthrottled, username) == LIMIT


def test_the_right_password_among_concurrent_logins_after_five_failures_is_refused(unthrottled: Api) -> None:
    # GIVEN five failures
    for n in range(LIMIT):
        unthrottled.client.post("/api/auth/login", json={"username": "otto", "password": f"guess {n}"})

    # WHEN the right password arrives 30 times at once
    responses = concurrently([{"username": "otto", "password": PASSWORD}] * 30)

    # THEN none gets in
    assert {r.status_code for r in responses} == {423}
    assert all("set-cookie" not in r.headers for r in responses)


def test_an_unknown_name_answers_like_a_known_one_up_to_its_lockout(unthrottled: Api) -> None:
    known = [unthrottled.client.post("/api/auth/login", json={"username": "otto", "password": "wrong"})]
    unknown = [unthrottled.client.post("/api/auth/login", json={"username": "olaf", "password": "wrong"})]
    for _ in range(LIMIT + 1):
        known.append(
            unthrottled.client.post("/api/auth/login", json={"username": "otto", "password": "wrong"})
        )
        unknown.append(
            unthrottled.client.post("/api/auth/login", json={"username": "olaf", "password": "wrong"})
        )

    assert [answer(r) for r in known] == [answer(r) for r in unknown]
    assert [r.status_code for r in known] == [401] * (LIMIT - 1) + [423] * 3
    assert known[-1].headers.get("www-authenticate") == unknown[-1].headers.get("www-authenticate")


def test_an_unknown_name_takes_as_long_as_a_wrong_password(unthrottled: Api) -> None:
    # GIVEN known names (each tried once, far from its lockout) and the filler hash already made (it
    # is made once, at the first miss after a cold start)
    for n in range(8):
        unthrottled.services.users.add(UserRecord(f"user{n}", PASSWORD_HASH, "operator"))
    login(unthrottled, "warm-up", "x")
    timings: dict[str, list[float]] = {"known": [], "unknown": []}

    # WHEN wrong passwords are tried for known and unknown names in turn
    for n in range(8):
        for kind, username in (("known", f"user{n}"), ("unknown", f"nobody{n}")):
            started = time.perf_counter()
            assert login(unthrottled, username, "wrong").status_code == 401
            timings[kind].append(time.perf_counter() - started)

    # THEN the medians are of one class: one hash verification each
    known, unknown = statistics.median(timings["known"]), statistics.median(timings["unknown"])
    assert 0.6 < unknown / known < 1.6, (known, unknown)


@pytest.fixture
def throttled(api: Api) -> Api:
    """The API with a per-source limit of three logins a minute (the default is 20)."""
    api.services.settings = api.services.settings.model_copy(update={"login_attempts_per_minute": 3})
    return api


def test_one_address_gets_its_minutes_logins_whatever_the_names(throttled: Api) -> None:
    answers = [login(throttled, f"name{n}", "x") for n in range(4)]

    assert [r.status_code for r in answers[:3]] == [401] * 3
    refused = answers[3]
    assert (refused.status_code, refused.json()) == (
        429,
        {"detail": "too many login attempts; try again later"},
    )
    assert 0 < int(refused.headers["retry-after"]) <= 60
    # The refused login was not counted against its name, nor tried.
    assert counted(throttled, "name3") == 0


def test_the_throttle_counts_the_address_cloudfront_appended(throttled: Api) -> None:
    # GIVEN an address that used its minute
    for n in range(3):
        login(throttled, f"name{n}", "x", **{"X-Forwarded-For": "198.51.100.7, 203.0.113.1"})

    # WHEN it forges other addresses in front of the one CloudFront appended
    forged = login(throttled, "otto", PASSWORD, **{"X-Forwarded-For": "1.2.3.4, 203.0.113.1"})
    # THEN it is still refused, while another address logs in
    other = login(throttled, "otto", PASSWORD, **{"X-Forwarded-For": "203.0.113.2"})
    assert forged.status_code == 429
    assert other.status_code == 200


def test_the_default_limit_is_twenty_logins_a_minute(api: Api) -> None:
    assert api.services.settings.login_attempts_per_minute == 20


def test_the_lock_ends_after_its_minutes_and_a_success_clears_the_count(unthrottled: Api) -> None:
    for n in range(LIMIT):
        unthrottled.client.post("/api/auth/login", json={"username": "otto", "password": f"guess {n}"})
    unthrottled.clock.now += timedelta(minutes=15)
    assert (
        unthrottled.client.post(
            "/api/auth/login", json={"username": "otto", "password": PASSWORD}
        ).status_code
        == 200
    )
    assert counted(unthrottled, "otto") == 0
