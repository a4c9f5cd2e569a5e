"""Subscriptions and schedules, declared once in each service's own code.

A service exposes a `ServiceDeclaration` through the `ior.services` entry point group; the local
runtime and the Pulumi program both read them through `load_topology`, so what runs locally is
what is deployed. Handlers are named by dotted path, so reading the declarations imports nothing
heavy."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, Literal

from ior_contracts.envelope import Event
from ior_contracts.naming import ORIGIN_HEADER as ORIGIN_HEADER
from ior_contracts.naming import Naming as Naming
from ior_contracts.registry import UnknownDetailTypeError, contracts, model_for

ENTRY_POINT_GROUP = "ior.services"
_NAME = re.compile(r"^[a-z][a-z0-9-]{1,40}$")
_HANDLER = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
# AWS cron: minutes hours day-of-month month day-of-week year.
_CRON = re.compile(r"^cron\((\S+ ){5}\S+\)$")


class TopologyError(ValueError):
    """A declaration is inconsistent: bad name, unknown contract, duplicate, or bad cron."""


@dataclass(frozen=True)
class PublishedRead:
    """Another service's output this service reads: a prefix of the stage's `data` or `audit` bucket."""

    bucket: Literal["data", "audit"]
    prefix: str


@dataclass(frozen=True)
class Offer:
    """A family of this service's events that downstream accounts may subscribe to: every contract
    it emits whose detail-type starts with `family` + "." (`etl.dataset` → `etl.dataset.published.v1`,
    …, and any later major version), and the prefixes of this service's objects those events point
    to (their claim checks and reports), which a subscriber is granted read of."""

    family: str
    objects: tuple[PublishedRead, ...] = ()

    def detail_types(self, source: str) -> tuple[str, ...]:
        """The family's contracts emitted by `source`, in catalogue order."""
        return tuple(
            t
            for t, model in contracts().items()
            if t.startswith(self.family + ".") and source == model.SOURCE
        )


@dataclass(frozen=True)
class Needs:
    """What one function's role holds besides its log group and the stage's key. A service declares
    what its functions need (`ServiceDeclaration.needs`); a function that needs less says so."""

    # Its service's table, and its service's prefixes of the data and audit buckets.
    table: bool = True
    prefixes: bool = True
    # Other services' outputs it reads.
    reads: tuple[PublishedRead, ...] = ()
    # The stage's secrets (keys of `SECRETS`) it reads.
    secrets: tuple[str, ...] = ()
    # Events of its service's source on the bus.
    publishes: bool = True
    # The pipeline view: every queue's and DLQ's depth, and replays from the archive.
    operates: bool = False
    # Messages to the alert topic.
    alerts: bool = False


# A function's memory unless its declaration sizes it (Lambda gives CPU in proportion).
DEFAULT_MEMORY_MB = 1024


@dataclass(frozen=True)
class Subscription:
    """EventBridge rule → SQS queue (+ DLQ) → the handler, consumed with partial batch responses."""

    name: str
    detail_types: tuple[str, ...]
    handler: str  # "package.module:function"
    batch_size: int = 10
    # The function's timeout, and the queue's visibility timeout: AWS wants the latter at least six
    # times the former for an SQS event source, so a message is never re-delivered while a slow
    # invocation (or its retries inside the batch window) still holds it.
    timeout_s: int = 30
    visibility_timeout_s: int = 180
    # The function's memory (and with it its CPU share), sized from measured figures
    # (`bench/sizing.json`, checked by `tests/infra/test_sizing.py`).
    memory_mb: int = DEFAULT_MEMORY_MB
    # Receives before the DLQ: at least five, so a throttled function does not dead-letter a message.
    max_receive_count: int = 5
    # Extra conditions on the event, in EventBridge pattern syntax, e.g.
    # {"detail": {"data": {"dataset": ["transactions"]}}}.
    filters: Mapping[str, Any] = field(default_factory=dict)
    # AWS's own events instead of contracts (source → detail-types), e.g. CloudWatch alarm state
    # changes forwarded from the account's default bus. They carry no envelope: the handler parses
    # AWS's shape. A subscription takes either contracts or AWS events, never both.
    aws_events: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # What its function needs, when less than its service declares.
    needs: Needs | None = None

    def event_pattern(self) -> dict[str, Any]:
        if self.aws_events:
            detail_types = sorted({t for types in self.aws_events.values() for t in types})
            return {"source": sorted(self.aws_events), "detail-type": detail_types, **dict(self.filters)}
        return contract_pattern(self.detail_types, self.filters)


def contract_pattern(detail_types: Iterable[str], filters: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The EventBridge pattern matching exactly these contracts: one branch per producer, so a
    source matches only the contracts it owns, never another's."""
    by_source: dict[str, list[str]] = {}
    for detail_type in sorted(set(detail_types)):
        by_source.setdefault(model_for(detail_type).SOURCE, []).append(detail_type)
    branches = [
        {"source": [source], "detail-type": types, **dict(filters or {})}
        for source, types in sorted(by_source.items())
    ]
    return branches[0] if len(branches) == 1 else {"$or": branches}


@dataclass(frozen=True)
class Schedule:
    """A timed event: at each `cron` tick (AWS cron syntax, UTC) the payload `data` is put on the bus."""

    name: str
    cron: str
    detail_type: str
    data: Mapping[str, Any]


# What EventBridge Scheduler writes into a target's input for the time a tick was scheduled (ISO
# 8601, UTC). Unlike its execution id, it is the same on every retry of the tick.
SCHEDULED_TIME = "<aws.scheduler.scheduled-time>"


def scheduled_event_id(schedule: str, scheduled_time: str) -> str:
    """The event id of one tick of a schedule: the schedule and the tick's scheduled time (as
    Scheduler writes it, `2026-03-31T05:00:00Z`), so a retried or re-fired tick is one event to
    every consumer's idempotency, in AWS and locally alike."""
    return f"schedule:{schedule}:{scheduled_time}"


# Secrets every stage holds (values never in code or config): name → what it holds.
SECRETS = {
    "sap": "SAP OData base URL, user and password for the extracts",
    "jwt": "the key that signs the dashboard's session tokens",
    "slack": "the Slack incoming-webhook URL alerts are posted to",
    # CloudFront sends it to the API as a header and the API refuses requests without it, so the
    # HTTP API's own endpoint is no way round the distribution, its WAF and its rate limit.
    "origin": "the origin header CloudFront sends to the API",
}
# Secrets an operator rotates in place (`ior secrets rotate`): the stack's configuration gives only
# their first value. The others change through the configuration and `pulumi up`, since the stack
# also hands them elsewhere (the origin header to CloudFront) or they are not credentials to roll.
ROTATED_IN_PLACE = ("jwt", "sap")


@dataclass(frozen=True)
class Entrypoint:
    """A function a service runs besides its subscriptions, named `ior-<stage>-<service>-<name>`.
    `trigger` says what invokes it: `http`, the HTTP API behind the distribution; `alerts`, the
    alert topic. `snapshot` serves it from a SnapStart snapshot through the `live` alias (a person
    waits on it)."""

    name: str
    handler: str  # "package.module:function"
    trigger: Literal["http", "alerts"]
    timeout_s: int
    snapshot: bool = False
    memory_mb: int = DEFAULT_MEMORY_MB
    # What it needs, when less than its service declares.
    needs: Needs | None = None


@dataclass(frozen=True)
class ServiceDeclaration:
    """A service describing itself: its subscriptions and schedules, the shape of its one table
    (`pk`/`sk` strings, TTL on `ttl_attribute`, one global index per name in `indexes`, keyed
    `<name>pk`/`<name>sk`), and what its functions need beyond their own table and prefixes. The
    Pulumi program and the local runtime read only this; neither names a service."""

    name: str
    subscriptions: tuple[Subscription, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    indexes: tuple[str, ...] = ()
    ttl_attribute: str = "expiration"
    # What its functions need, unless a function declares less.
    needs: Needs = field(default_factory=Needs)
    # Its functions run in the VPC's private subnets (to reach SAP through the NAT).
    in_vpc: bool = False
    # Its functions load the shared pandas/numpy layer (`make package` builds it).
    data_layer: bool = False
    entrypoints: tuple[Entrypoint, ...] = ()
    # What a stack may set for it (`serviceSettings` in the stack's config), each given to its
    # functions as `IOR_<SERVICE>_<SETTING>`: the service's own configuration reads it.
    settings: tuple[str, ...] = ()
    # Families of its events that other AWS accounts may subscribe to (the stack's `consumers`).
    offers: tuple[Offer, ...] = ()

    @property
    def source(self) -> str:
        return f"ior.{self.name}"

    def needs_of(self, function: Subscription | Entrypoint) -> Needs:
        return function.needs or self.needs

    @property
    def functions(self) -> tuple[Subscription | Entrypoint, ...]:
        return (*self.subscriptions, *self.entrypoints)


@dataclass(frozen=True)
class Topology:
    services: tuple[ServiceDeclaration, ...]

    def __post_init__(self) -> None:
        validate(self.services)

    @property
    def subscriptions(self) -> list[tuple[ServiceDeclaration, Subscription]]:
        return [(s, sub) for s in self.services for sub in s.subscriptions]

    @property
    def schedules(self) -> list[tuple[ServiceDeclaration, Schedule]]:
        return [(s, sch) for s in self.services for sch in s.schedules]

    def service(self, name: str) -> ServiceDeclaration:
        for s in self.services:
            if s.name == name:
                return s
        raise TopologyError(f"no service named {name!r}; declared: {[s.name for s in self.services]}")

    @property
    def operator(self) -> ServiceDeclaration:
        """The one service that operates the pipeline (its functions watch the queues, replay, alert)."""
        return next(s for s in self.services if _operates(s))

    @property
    def offers(self) -> dict[str, tuple[ServiceDeclaration, Offer]]:
        """Every family offered to downstream accounts, by name, with the service offering it."""
        return {offer.family: (s, offer) for s in self.services for offer in s.offers}

    def entrypoint(self, trigger: str) -> tuple[ServiceDeclaration, Entrypoint]:
        """The one function invoked by `trigger` (`http`, `alerts`) and its service."""
        for s in self.services:
            for entry in s.entrypoints:
                if entry.trigger == trigger:
                    return s, entry
        raise TopologyError(f"no service declares an entry point for {trigger!r}")


def load_topology(extra: Iterable[ServiceDeclaration] = ()) -> Topology:
    """The services installed in this environment (entry points), plus `extra` ones (tests)."""
    declared = [ep.load() for ep in entry_points(group=ENTRY_POINT_GROUP)]
    for d in declared:
        if not isinstance(d, ServiceDeclaration):
            raise TopologyError(f"entry point {ENTRY_POINT_GROUP} gave {type(d).__name__}, not a declaration")
    services = sorted(declared, key=lambda s: s.name) + list(extra)
    return Topology(tuple(services))


def validate(services: Iterable[ServiceDeclaration]) -> None:
    seen: set[str] = set()
    names: set[str] = set()
    offered: set[str] = set()
    services = tuple(services)
    _one_each(services)
    for service in services:
        if not _NAME.match(service.name):
            raise TopologyError(f"service name {service.name!r} must match {_NAME.pattern}")
        if service.name in names:
            raise TopologyError(f"service {service.name!r} is declared twice")
        names.add(service.name)
        _needs(service)
        _offers(service, offered)
        for sub in service.subscriptions:
            _unique(seen, sub.name)
            if not _HANDLER.match(sub.handler):
                raise TopologyError(f"{sub.name}: handler {sub.handler!r} must be 'module.path:function'")
            if sub.aws_events:
                if sub.detail_types:
                    raise TopologyError(f"{sub.name}: takes contracts or AWS events, not both")
                if not all(src.startswith("aws.") and types for src, types in sub.aws_events.items()):
                    raise TopologyError(f"{sub.name}: AWS events are `aws.*` sources with detail-types")
            elif not sub.detail_types:
                raise TopologyError(f"{sub.name}: declares no contract")
            for t in sub.detail_types:
                _contract(sub.name, t)
            if not 1 <= sub.batch_size <= 10_000:
                raise TopologyError(f"{sub.name}: batch size {sub.batch_size} out of 1..10000")
            if not 0 < sub.timeout_s <= 900:
                raise TopologyError(f"{sub.name}: function timeout {sub.timeout_s}s out of 1..900")
            if not 0 < sub.visibility_timeout_s <= 43_200:
                raise TopologyError(
                    f"{sub.name}: visibility timeout {sub.visibility_timeout_s}s out of range"
                )
        for sch in service.schedules:
            _unique(seen, sch.name)
            if not _CRON.match(sch.cron):
                raise TopologyError(f"{sch.name}: {sch.cron!r} is not an AWS cron(...) expression")
            model = _contract(sch.name, sch.detail_type)
            if service.source != model.SOURCE:
                raise TopologyError(
                    f"{sch.name}: {service.name} may not emit {sch.detail_type} ({model.SOURCE})"
                )
            try:
                model.model_validate(dict(sch.data))
            except ValueError as exc:
                raise TopologyError(f"{sch.name}: its payload breaks {sch.detail_type}: {exc}") from exc


def _contract(name: str, detail_type: str) -> type[Event]:
    try:
        return model_for(detail_type)
    except UnknownDetailTypeError as exc:
        raise TopologyError(f"{name}: {exc.args[0]}") from exc


def _unique(seen: set[str], name: str) -> None:
    if not _NAME.match(name):
        raise TopologyError(f"name {name!r} must match {_NAME.pattern}")
    if name in seen:
        raise TopologyError(f"{name!r} is declared twice")
    seen.add(name)


def _operates(service: ServiceDeclaration) -> bool:
    return any(service.needs_of(f).operates or service.needs_of(f).alerts for f in service.functions)


def _one_each(services: tuple[ServiceDeclaration, ...]) -> None:
    """At most one operator, and at most one function per entry-point trigger, in a stage."""
    operators = [s.name for s in services if _operates(s)]
    if len(operators) > 1:
        raise TopologyError(f"only one service may operate the pipeline, not {operators}")
    triggers = [e.trigger for s in services for e in s.entrypoints]
    for trigger in set(triggers):
        if triggers.count(trigger) > 1:
            raise TopologyError(f"more than one entry point is invoked by {trigger!r}")


def _needs(service: ServiceDeclaration) -> None:
    declared = service.needs
    for function in service.functions:
        needs = service.needs_of(function)
        if not set(needs.secrets) <= set(declared.secrets) or not set(needs.reads) <= set(declared.reads):
            raise TopologyError(f"{service.name}: {function.name} needs more than its service declares")
    for secret in declared.secrets:
        if secret not in SECRETS:
            raise TopologyError(f"{service.name}: no stage secret {secret!r}; known: {sorted(SECRETS)}")
    for read in declared.reads:
        owner = read.prefix.split("/", 1)[0]
        if owner == service.name or not read.prefix.endswith("/"):
            raise TopologyError(
                f"{service.name}: reads {read.prefix!r}: another service's prefix, ending in /"
            )
    for entry in service.entrypoints:
        _unique(set(), entry.name)
        if not _HANDLER.match(entry.handler):
            raise TopologyError(
                f"{service.name}-{entry.name}: handler {entry.handler!r} must be 'module.path:function'"
            )
        if not 0 < entry.timeout_s <= 900:
            raise TopologyError(f"{service.name}-{entry.name}: timeout {entry.timeout_s}s out of 1..900")


_FAMILY = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")


def _offers(service: ServiceDeclaration, offered: set[str]) -> None:
    """A family is `<domain>.<entity>`, has contracts this service emits, and is offered once; its
    objects are under this service's own prefixes."""
    for offer in service.offers:
        if not _FAMILY.match(offer.family):
            raise TopologyError(f"{service.name}: family {offer.family!r} must be '<domain>.<entity>'")
        if offer.family in offered:
            raise TopologyError(f"family {offer.family!r} is offered twice")
        offered.add(offer.family)
        if not offer.detail_types(service.source):
            raise TopologyError(f"{service.name}: emits no contract of the family {offer.family!r}")
        for read in offer.objects:
            if not read.prefix.startswith(f"{service.name}/") or not read.prefix.endswith("/"):
                raise TopologyError(
                    f"{service.name}: offers {read.prefix!r}: its own prefix ({service.name}/…), ending in /"
                )
