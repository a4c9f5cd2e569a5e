"""Resource names per stage, and the header CloudFront sends the API: what every function needs to
find its own resources. `ior_contracts.topology` re-exports them; they live apart so a function's
settings do not import the declarations, their checks and the entry points that read them."""

from __future__ import annotations

from dataclasses import dataclass

# The header CloudFront adds to every request it sends the API, holding the `origin` secret.
ORIGIN_HEADER = "X-Ior-Origin"


@dataclass(frozen=True)
class Naming:
    """Resource names per stage, shared by the local runtime and the Pulumi program. Bucket names
    are global across every AWS account, so they also carry `bucket_suffix`: the account id, or a
    suffix the stack configures (the local runtime uses its own account's id, as AWS would)."""

    stage: str
    bucket_suffix: str = ""

    @property
    def bus(self) -> str:
        return f"ior-{self.stage}"

    @property
    def archive(self) -> str:
        return f"ior-{self.stage}-archive"

    def table(self, service: str) -> str:
        return f"ior-{self.stage}-{service}"

    def queue(self, subscription: str) -> str:
        return f"ior-{self.stage}-{subscription}"

    def dlq(self, subscription: str) -> str:
        return f"ior-{self.stage}-{subscription}-dlq"

    def rule(self, subscription: str) -> str:
        return f"ior-{self.stage}-{subscription}"

    def schedule(self, name: str) -> str:
        return f"ior-{self.stage}-{name}"

    def secret(self, name: str) -> str:
        return f"ior/{self.stage}/{name}"

    def bucket(self, kind: str) -> str:
        """`ior-<stage>-<kind>-<suffix>`: the stage's bucket of one kind (data, audit, frontend, …)."""
        return "-".join(p for p in ("ior", self.stage, kind, self.bucket_suffix) if p)

    @property
    def data_bucket(self) -> str:
        return self.bucket("data")

    @property
    def audit_bucket(self) -> str:
        return self.bucket("audit")

    @property
    def alert_topic(self) -> str:
        return f"ior-{self.stage}-alerts"

    def alarm(self, name: str) -> str:
        return f"ior-{self.stage}-{name}"

    def replay(self, label: str) -> str:
        """A replay's name; the stage prefix lets a role start and read its own stage's replays only."""
        return f"ior-{self.stage}-{label}"
