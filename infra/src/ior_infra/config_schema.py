"""Every key a stack is configured with, in one place: what the program checks before it declares
a single resource, and what `ior stack init` prints or runs for a new stack. Plain Python (no
Pulumi import), so the CLI can read it.

A stack's secrets are set with `pulumi config set --secret secret-<name>` and never appear in a
committed file; everything else may live in `Pulumi.<stage>.yaml`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ior_contracts.topology import SECRETS

PROD = "prod"


def secret_key(name: str) -> str:
    return f"secret-{name}"


def _zones(value: Any) -> str | None:
    ok = isinstance(value, list) and len(value) == 2 and all(isinstance(z, str) and z for z in value)
    return None if ok else "must list exactly two availability zones"


def _emails(value: Any) -> str | None:
    ok = isinstance(value, list) and value and all(isinstance(e, str) and "@" in e for e in value)
    return None if ok else "must list at least one on-call e-mail address"


def _share(value: Any) -> str | None:
    return None if isinstance(value, int | float) and 0 < value < 1 else "must be a share between 0 and 1"


def _flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must not be empty"


def _principals(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(p, str) and p.startswith("arn:aws:iam::") for p in value)
    return None if ok else "must list IAM principal ARNs"


def _count(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
    return None if ok else "must be a whole number of at least 1"


def _overrides(value: Any) -> str | None:
    ok = isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
    )
    return None if ok else "must map service names to table names"


def _service_settings(value: Any) -> str | None:
    """service → {setting: value}, each a setting the service declares it accepts."""
    from ior_contracts.topology import load_topology

    if not isinstance(value, dict):
        return "must map service names to their settings"
    declared = {s.name: s.settings for s in load_topology().services}
    wrong = []
    for service, settings in value.items():
        if service not in declared:
            wrong.append(f"no service {service!r}")
        elif not isinstance(settings, dict):
            wrong.append(f"{service}: must map setting names to values")
        else:
            wrong += [
                f"{service}: no setting {name!r} (it accepts {', '.join(declared[service]) or 'none'})"
                for name, setting in settings.items()
                if name not in declared[service] or not isinstance(setting, str | int | bool)
            ]
    return "; ".join(wrong) or None


# Checks of values given as JSON (lists, flags, numbers, maps); the rest are plain text.
JSON_CHECKS = (_zones, _emails, _share, _flag, _count, _principals, _overrides, _service_settings)


@dataclass(frozen=True)
class Key:
    """One configuration key: what it is, whether a stack must set it, and how it is checked."""

    name: str
    description: str
    check: Callable[[Any], str | None] = _text
    required: bool = False
    secret: bool = False
    # Needed only when another setting is on (e.g. the zones only with a NAT gateway).
    needed_with: str | None = None
    example: str = ""

    @property
    def is_json(self) -> bool:
        return self.check in JSON_CHECKS


KEYS: tuple[Key, ...] = (
    Key("aws:region", "the AWS region of the stack", required=True, example="us-east-1"),
    Key("alertEmails", "on-call addresses the alert topics e-mail", _emails, required=True,
        example='["oncall@example.com"]'),
    Key("natGateway", "run the SAP extracts in the VPC behind one NAT (a fixed source address); "
        "default true on prod, false elsewhere", _flag),
    Key("waf", "a WAF web ACL on the distribution; default true on prod, false elsewhere", _flag),
    Key("availabilityZones", "the two zones of the VPC", _zones, needed_with="natGateway",
        example='["us-east-1a", "us-east-1b"]'),
    Key("bucketSuffix", "what makes bucket names global; the account id when not set"),
    Key("crossAccountId", "an account granted read of the published customs and compare outputs"),
    Key("comparisonFailRate", "share of a day's comparisons out of tolerance that alarms", _share),
    Key("dashboardUrl", "the dashboard's public address, for links in alerts"),
    Key("artifactDir", "where `make package` wrote the Lambda zips (default dist)"),
    Key("operators", "IAM principals (ARNs) that may assume the operator role; default: the account",
        _principals),
    Key("keepVersions", "published versions of a snapshotted function kept for rollback (default 3)",
        _count),
    Key("tableOverrides", "service → a table restored from its own, which the service then uses "
        "(docs/runbook.md, \"Restoring a table\")", _overrides,
        example='{"compare": "ior-prod-compare-restored-…"}'),
    Key("serviceSettings", "service → settings it declares (e.g. pin the USITC release, the days "
        "ahead the fee table must cover), given to its functions as IOR_<SERVICE>_<SETTING>",
        _service_settings,
        example='{"ingestion": {"usitc_release": "2026HTSRev10"}, "etl": {"fee_coverage_days": 60}}'),
    *(
        Key(secret_key(name), description, required=True, secret=True)
        for name, description in sorted(SECRETS.items())
    ),
)  # fmt: skip


class StackConfigError(ValueError):
    """The stack's configuration is incomplete or wrong; the message names every key at fault."""


def default_on(stage: str) -> bool:
    """The cost-bearing settings (NAT gateway, WAF) are on for prod and off elsewhere unless asked."""
    return stage == PROD


def problems(stage: str, values: Mapping[str, Any]) -> list[str]:
    """Every missing or invalid key, one line each, in the order of `KEYS`."""
    found: list[str] = []
    for key in KEYS:
        value = values.get(key.name)
        needed = key.required or (
            key.needed_with is not None and bool(values.get(key.needed_with, default_on(stage)))
        )
        if value is None:
            if needed:
                found.append(f"{key.name}: missing ({key.description})")
            continue
        if (error := key.check(value)) is not None:
            found.append(f"{key.name}: {error}")
    return found


def check(stage: str, values: Mapping[str, Any]) -> None:
    """Raise one error naming every problem, before anything is declared."""
    found = problems(stage, values)
    if found:
        lines = "\n".join(f"  - {p}" for p in found)
        raise StackConfigError(
            f"stack {stage!r} is not configured; fix these, then run again "
            f"(`uv run ior stack init {stage}` prints the commands):\n{lines}"
        )
