"""The Lambda glue every subscription uses: an SQS batch of EventBridge events in, typed envelopes
to the service's handlers, partial batch failures out.

- Powertools' batch processor reports each failed record, so one bad message neither fails nor
  re-delivers the others; SQS retries it by visibility timeout and moves it to the DLQ after the
  subscription's `max_receive_count` receives (five).
- Powertools' idempotency, in the service's own table, keys each effect on the envelope's own
  event id (EventBridge's id changes when an event is re-routed or replayed) plus the handler's
  code and configuration version: a re-delivery has its effect once, a replay after a change
  runs again.
- Every log line written while a record is handled carries the event's correlation id, event id,
  detail-type and handler; every event a handler publishes carries the same correlation id and
  names the incoming event as its cause.
- Every event published counts towards the business metrics (`ior_contracts.telemetry`), and each
  record adds its handler's latency, and its CPU beside its engine's when it used one
  (`ior_contracts.engine_time`); the invocation writes them as EMF when it ends."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, Protocol, TypeVar

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from ior_contracts.bus import EventPublisher
from ior_contracts.engine_time import thread_engine_cpu_s
from ior_contracts.envelope import Envelope, Event, Metadata
from ior_contracts.metrics import ENGINE_CPU, HANDLER_LATENCY, INVOCATION_CPU
from ior_contracts.settings import ServiceSettings
from ior_contracts.telemetry import InvocationMetrics
from ior_contracts.versioning import code_version, config_version

D = TypeVar("D")
E = TypeVar("E", bound=Event)
R = TypeVar("R")
M_contra = TypeVar("M_contra", bound=Event, contravariant=True)
D_contra = TypeVar("D_contra", contravariant=True)
R_co = TypeVar("R_co", covariant=True)

# How long an effect is remembered. Outputs are also keyed by their inputs, so a re-delivery after
# this still changes nothing; the record only saves the work.
IDEMPOTENCY_TTL_S = 30 * 24 * 3600

# The metrics of the invocation running on this thread (the local runtime runs many at once).
_invocation: ContextVar[InvocationMetrics] = ContextVar("ior_invocation_metrics")


class ConsumerError(Exception):
    """A message could not be handed to a handler."""


class UnroutableEventError(ConsumerError):
    """No handler of this subscription takes the message's detail-type."""


class InvalidEventError(ConsumerError):
    """The message does not satisfy its contract."""


class Publish(Protocol):
    """Puts one event on the bus as an answer to the message being handled: it carries the message's
    correlation id and names the message as its cause."""

    def __call__(
        self, event: Event, *, business_date: date | None = None, event_id: str | None = None
    ) -> object: ...


class MessageHandler(Protocol[M_contra, D_contra, R_co]):
    """The one signature of every service's message handlers (its `service_layer.handlers`): the
    message's payload first, then by name the message's own metadata (`cause`), the service's
    dependencies and the publisher. What it returns goes to the route's `report`, if any."""

    def __call__(
        self, message: M_contra, /, *, cause: Metadata, deps: D_contra, publish: Publish
    ) -> R_co: ...


@dataclass(frozen=True)
class HandlerContext(Generic[D]):
    """What a handler gets besides its message: its dependencies and a publisher that carries the
    incoming event's correlation id and names it as the cause."""

    deps: D
    settings: ServiceSettings
    publisher: EventPublisher
    cause: Metadata
    logger: Logger
    metrics: InvocationMetrics = field(default_factory=lambda: InvocationMetrics("unknown"))

    def publish(
        self, event: Event, *, business_date: date | None = None, event_id: str | None = None
    ) -> Metadata:
        metadata = self.publisher.publish(
            event,
            correlation_id=self.cause.correlation_id,
            causation_id=self.cause.event_id,
            business_date=business_date if business_date is not None else self.cause.business_date,
            event_id=event_id,
        )
        self.metrics.add_event(event)
        return metadata


Handler = Callable[[Envelope[Any], HandlerContext[Any]], None]


@dataclass(frozen=True)
class _Route:
    model: type[Event]
    handler: Handler
    name: str


class Consumer(Generic[D]):
    """One subscription's Lambda handler. Usage, in a service's `entrypoints/` module::

    consumer = Consumer("etl", bootstrap=bootstrap.wire, config=EtlConfig().versioned())
    consumer.route(ExtractLanded, handlers.extract_landed, report=log_outcomes)
    handler = consumer  # the dotted path the subscription names
    """

    def __init__(
        self,
        service: str,
        *,
        bootstrap: Callable[[ServiceSettings], D],
        config: Mapping[str, Any] | None = None,
        package: str | None = None,
    ) -> None:
        self.service = service
        self._bootstrap = bootstrap
        # Kept by reference: the version follows the configuration the handler actually reads.
        self._config: Mapping[str, Any] = config if config is not None else {}
        self._package = package or f"ior_{service}"
        self._routes: dict[str, _Route] = {}
        self._wired: tuple[ServiceSettings, D, EventPublisher, Any] | None = None
        self.logger = Logger(service=f"ior-{service}")

    @property
    def version(self) -> str:
        """The handler's code and configuration version, part of every idempotency key."""
        return f"{code_version(self._package)}.{config_version(dict(self._config))}"

    def route(
        self,
        model: type[E],
        handler: MessageHandler[E, D, R],
        *,
        report: Callable[[R, Logger], None] | None = None,
    ) -> None:
        """Hand each message of `model` to `handler`; `report` logs what the handler returned."""

        def run(envelope: Envelope[E], ctx: HandlerContext[D]) -> None:
            result = handler(envelope.data, cause=envelope.metadata, deps=ctx.deps, publish=ctx.publish)
            if report is not None:
                report(result, ctx.logger)

        self._add(model, run, getattr(handler, "__name__", type(handler).__name__))

    def _add(self, model: type[Event], fn: Handler, name: str) -> None:
        if model.DETAIL_TYPE in self._routes:
            raise ConsumerError(f"{model.DETAIL_TYPE} already has a handler")
        self._routes[model.DETAIL_TYPE] = _Route(model, fn, name)

    @property
    def detail_types(self) -> tuple[str, ...]:
        return tuple(sorted(self._routes))

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        idempotency = self._wire()[3]
        idempotency.config.register_lambda_context(context)
        processor = BatchProcessor(event_type=EventType.SQS)
        metrics = InvocationMetrics(self.service)
        token = _invocation.set(metrics)
        try:
            return dict(
                process_partial_response(
                    event=event, record_handler=self._record, processor=processor, context=context
                )
            )
        finally:
            _invocation.reset(token)
            try:
                metrics.flush()
            except (OSError, ValueError) as exc:
                # The metrics never fail the work they measure; the log says they are missing.
                self.logger.warning(f"metrics not written: {exc}")

    def cold_start(self) -> None:
        """Forget the wiring, as a new Lambda execution environment would (a new local stack)."""
        self._wired = None

    def _wire(self) -> tuple[ServiceSettings, D, EventPublisher, Any]:
        # Once per cold start: settings, clients and the idempotency store.
        if self._wired is None:
            settings = ServiceSettings(service=self.service)
            deps = self._bootstrap(settings)
            publisher = EventPublisher(settings.client("events"), settings.bus, source=f"ior.{self.service}")
            store = DynamoDBPersistenceLayer(
                table_name=settings.table,
                key_attr="pk",
                sort_key_attr="sk",
                static_pk_value=f"idempotency#{self.service}",
                boto3_client=settings.client("dynamodb"),
            )
            config = IdempotencyConfig(expires_after_seconds=IDEMPOTENCY_TTL_S)

            def run(
                *, key: dict[str, str], route: _Route, envelope: Envelope[Any], ctx: HandlerContext[D]
            ) -> None:
                route.handler(envelope, ctx)

            once: Any = idempotent_function(
                run, data_keyword_argument="key", persistence_store=store, config=config,
                key_prefix=f"ior-{self.service}",
            )  # fmt: skip
            once.config = config
            self._wired = (settings, deps, publisher, once)
        return self._wired

    def _record(self, record: SQSRecord) -> None:
        settings, deps, publisher, once = self._wire()
        route, envelope = self.parse(record.body)
        handler = route.name
        metrics = _invocation.get(None) or InvocationMetrics(self.service)
        # Per thread: the local runtime handles several services' records at once in one process.
        self.logger.thread_safe_append_keys(
            correlation_id=envelope.metadata.correlation_id,
            event_id=envelope.metadata.event_id,
            detail_type=route.model.DETAIL_TYPE,
            handler=handler,
        )
        ctx = HandlerContext(deps, settings, publisher, envelope.metadata, self.logger, metrics)
        key = {"event_id": envelope.metadata.event_id, "handler": handler, "version": self.version}
        started, cpu, engine = time.perf_counter(), time.thread_time(), thread_engine_cpu_s()
        try:
            once(key=key, route=route, envelope=envelope, ctx=ctx)
        finally:
            metrics.add(HANDLER_LATENCY, (time.perf_counter() - started) * 1000, handler=handler)
            engine_s = thread_engine_cpu_s() - engine
            if engine_s > 0:
                metrics.add(INVOCATION_CPU, (time.thread_time() - cpu) * 1000, handler=handler)
                metrics.add(ENGINE_CPU, engine_s * 1000, handler=handler)
            self.logger.thread_safe_clear_keys()

    def parse(self, body: str) -> tuple[_Route, Envelope[Any]]:
        """The route and typed envelope of an SQS body holding an EventBridge event."""
        try:
            event = json.loads(body)
            source, detail_type, detail = event["source"], event["detail-type"], event["detail"]
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidEventError(f"not an EventBridge event: {exc}") from exc
        route = self._routes.get(detail_type)
        if route is None:
            raise UnroutableEventError(f"ior-{self.service} has no handler for {detail_type!r}")
        if source != route.model.SOURCE:
            # Only the owning service may emit a contract (its role can put no other source).
            raise InvalidEventError(f"{detail_type} comes from {route.model.SOURCE}, not {source!r}")
        try:
            envelope = Envelope[route.model].model_validate(detail)  # type: ignore[name-defined]
        except ValueError as exc:
            raise InvalidEventError(f"{detail_type} breaks its contract: {exc}") from exc
        return route, envelope
