"""Session tokens (HS256 JWTs) and the CSRF token bound to each session id."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from ior_api.domain.auth.errors import NoSessionError

ALGORITHM = "HS256"
ISSUER = "ior-api"
# The header a state-changing request echoes its CSRF token in (double submit with the cookie).
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class Session:
    username: str
    role: str
    sid: str
    expires_at: datetime
    # The user's session generation when it was issued: valid only while the user's is the same.
    generation: str


def issue(
    key: str, username: str, role: str, generation: str, *, now: datetime, lifetime: timedelta
) -> tuple[str, Session]:
    session = Session(username, role, secrets.token_urlsafe(18), now + lifetime, generation)
    claims = {
        "sub": username,
        "role": role,
        "sid": session.sid,
        "gen": generation,
        "iss": ISSUER,
        "iat": int(now.timestamp()),
        "exp": int(session.expires_at.timestamp()),
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM), session


def decode(key: str, token: str) -> Session:
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["sub", "role", "sid", "gen", "exp", "iat", "iss"]},
        )
    except jwt.PyJWTError as exc:
        raise NoSessionError(f"invalid session: {exc}") from exc
    expires_at = datetime.fromtimestamp(claims["exp"], UTC)
    return Session(claims["sub"], claims["role"], claims["sid"], expires_at, str(claims["gen"]))


def csrf_token(key: str, sid: str) -> str:
    """Derived from the session id, so a token planted from another session does not match."""
    digest = hmac.new(key.encode(), f"csrf:{sid}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def csrf_matches(key: str, sid: str, cookie: str | None, header: str | None) -> bool:
    if not cookie or not header:
        return False
    expected = csrf_token(key, sid)
    return hmac.compare_digest(cookie, header) and hmac.compare_digest(header, expected)
