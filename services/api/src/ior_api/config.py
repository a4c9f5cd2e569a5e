"""The API's one settings class: where its resources are (from `ServiceSettings`) and how sessions behave.

The signing key and the origin header's value are deliberately not settings: they are read from
Secrets Manager only (a setting names the origin's secret, never its value)."""

from __future__ import annotations

from ior_contracts.settings import ServiceSettings


class Settings(ServiceSettings):
    service: str = "api"
    # A session is short-lived: a stolen cookie is worth little for long.
    session_minutes: int = 15
    # Failed logins of one username (whether it exists or not) that lock it, counted while no more
    # than this many minutes pass between them; the lock lasts as long after the last.
    lockout_failures: int = 5
    lockout_minutes: int = 15
    # Logins from one source address per minute, whatever the usernames, before a 429.
    login_attempts_per_minute: int = 20
    # The secret (`Naming.secret("origin")`) holding the value CloudFront sends in `X-Ior-Origin`
    # (env `IOR_ORIGIN_SECRET`). When set, every request without that value is refused: the HTTP
    # API's own endpoint is then no way round the distribution and its WAF. Unset: no check.
    origin_secret: str | None = None
    # How long the signing key and the origin values are cached before Secrets Manager is asked
    # again (rotation).
    secret_max_age_s: int = 300
    # Rows per page of a listing.
    page_size: int = 100
    # Each stage (service) and its subscriptions: the queues the pipeline view reports and the rules
    # a replay targets. Set by the deployment (the API's artifact holds no other service's code);
    # locally read from the installed services' declarations.
    stages: dict[str, list[str]] | None = None
    # The SNS topic alerts are published to (e-mail and Slack subscribe to it).
    alert_topic_arn: str | None = None
    # Where the dashboard is, for the links in alert messages.
    dashboard_url: str = "http://127.0.0.1:8000"
