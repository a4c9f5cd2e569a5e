"""What the edge adds to every answer and how it routes the dashboard's pages, as plain data: the
CloudFront response-headers policies and function read it, and the local server (`ior up`) sends
the same headers and applies the same rule, so the dashboard is tried locally as it is served.

Kept free of Pulumi so the local server can import it."""

from __future__ import annotations

from pathlib import Path

SPA_REWRITE = Path(__file__).with_name("edge_functions") / "spa_rewrite.js"
HSTS_SECONDS = 2 * 365 * 24 * 3600


def dashboard_csp(upload_origin: str) -> str:
    """The dashboard's content security policy: its own scripts only, no framing, and the one
    cross-origin request it makes (a large upload's presigned POST to the data bucket)."""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            # React sets styles through the DOM; charts add a few inline style attributes.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            f"connect-src 'self' {upload_origin}".rstrip(),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def dashboard_headers(upload_origin: str = "") -> dict[str, str]:
    return {
        "Strict-Transport-Security": f"max-age={HSTS_SECONDS}; includeSubDomains",
        "Content-Security-Policy": dashboard_csp(upload_origin),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }


# The API's answers: no framing, no sniffing, no referrer; the API sets its own Cache-Control (and a
# CSP on the HTML it serves).
API_HEADERS = {
    "Strict-Transport-Security": f"max-age={HSTS_SECONDS}; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def is_page(path: str) -> bool:
    """What `spa_rewrite.js` sends to the app: a path outside `/api/` whose last segment has no
    file extension."""
    return not path.startswith("/api/") and "." not in path.rsplit("/", 1)[-1]
