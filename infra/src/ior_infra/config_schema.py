"""Every key a stack is configured with, in one place: what the program checks before it declares
a single resource, and what `ior stack init` prints or runs for a new stack. Plain Python (no
Pulumi import), so the CLI can read it.

A stack's secrets are set with `pulumi config set --secret secret-<name>` and never appear in a
committed file; everything else may live in `Pulumi.<stage>.yaml`."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ior_contracts.topology import SECRETS, load_topology

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


@dataclass(frozen=True)
class ConsumerAccount:
    """A downstream AWS account subscribed to some families of events: the stack forwards those
    families' events to `bus` in that account and lets it read their objects, nothing else."""

    account: str
    families: tuple[str, ...]
    # The event bus in the consumer's account our rule delivers to (its policy must let us put).
    bus: str = "default"

    def bus_arn(self, region: str) -> str:
        return f"arn:aws:events:{region}:{self.account}:event-bus/{self.bus}"


_ACCOUNT = re.compile(r"^\d{12}$")
# EventBridge's own limit on a bus name (a partner bus's name has slashes).
_BUS = re.compile(r"^[A-Za-z0-9._\-/]{1,256}$")
_CONSUMER_FIELDS = frozenset({"account", "families", "bus"})


def offered_families() -> list[str]:
    """The families the installed services offer to downstream accounts (their declarations)."""
    return sorted(load_topology().offers)


def _consumers(value: Any) -> str | None:
    if not isinstance(value, list):
        return 'must list consumers, e.g. [{"account": "444455556666", "families": ["etl.dataset"]}]'
    offered = offered_families()
    seen: set[str] = set()
    for index, entry in enumerate(value):
        where = f"consumer {index + 1}"
        if not isinstance(entry, dict):
            return f"{where} must be an object with account, families and optionally bus"
        if unknown := sorted(set(entry) - _CONSUMER_FIELDS):
            return f"{where} has unknown fields {unknown}; known: {sorted(_CONSUMER_FIELDS)}"
        account = entry.get("account")
        if not isinstance(account, str) or not _ACCOUNT.match(account):
            return f"{where}: account {account!r} is not a 12-digit AWS account id"
        where = f"consumer {account}"
        if account in seen:
            return f"{where} is listed twice"
        seen.add(account)
        families = entry.get("families")
        if not isinstance(families, list) or not families or not all(isinstance(f, str) for f in families):
            return f"{where}: families must list at least one of {offered}"
        if unknown := sorted(set(families) - set(offered)):
            return f"{where}: unknown families {unknown}; offered: {offered}"
        bus = entry.get("bus", "default")
        if not isinstance(bus, str) or not _BUS.match(bus):
            return f"{where}: bus {bus!r} is not an event bus name"
    return None


def consumer_accounts(value: Any) -> tuple[ConsumerAccount, ...]:
    """The configured consumers (checked by `_consumers` first)."""
    return tuple(
        ConsumerAccount(str(e["account"]), tuple(sorted(set(e["families"]))), str(e.get("bus", "default")))
        for e in value or ()
    )


def _service_settings(value: Any) -> str | None:
    """service → {setting: value}, each a setting the service declares it accepts."""
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
JSON_CHECKS = (_zones, _emails, _share, _flag, _count, _principals, _overrides, _consumers, _service_settings)


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
    Key("consumers", "downstream AWS accounts and the event families each receives (docs/consumers.md)",
        _consumers, example='[{"account": "444455556666", "families": ["etl.dataset"], "bus": "default"}]'),
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


# Keys a stack may still set from before, and what replaced them: named as a problem, never ignored.
RETIRED = {
    "crossAccountId": "replaced by `consumers` (docs/consumers.md); the reader of the published customs "
    'and compare outputs is e.g. [{"account": "<id>", "families": ["customs.lines", "compare.comparison"]}]',
}


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
    found += [f"{name}: {why}" for name, why in RETIRED.items() if values.get(name) is not None]
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
