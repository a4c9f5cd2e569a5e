"""What the rehearsed program deployed, read back from its own resources: each function with the
queue its event source mapping feeds it from, and each schedule. The local workers and scheduler are
built from this and nothing else, so they are the program's functions, mappings and schedules."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ior_tools.rehearsal.cloud import WHY_RECORDED
from ior_tools.rehearsal.records import Declarations

FUNCTION = "aws:lambda/function:Function"
MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping"
QUEUE = "aws:sqs/queue:Queue"
RULE = "aws:cloudwatch/eventRule:EventRule"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
SCHEDULE = "aws:scheduler/schedule:Schedule"


@dataclass(frozen=True)
class Function:
    """A Lambda function as the program declared it."""

    name: str
    handler: str  # Lambda's `module.function`
    timeout_s: int
    memory_mb: int
    role_arn: str
    environment: dict[str, str]

    @property
    def dotted(self) -> str:
        """The handler as the declarations name it: `module:function`."""
        module, _, function = self.handler.rpartition(".")
        return f"{module}:{function}"

    @property
    def service(self) -> str:
        return self.environment["IOR_SERVICE"]


@dataclass(frozen=True)
class Queue:
    name: str
    url: str
    arn: str
    visibility_timeout_s: int
    max_receive_count: int
    dlq_url: str
    dlq_arn: str


@dataclass(frozen=True)
class Route:
    """A subscription as deployed: its rule's pattern, its queue and the function the queue feeds."""

    subscription: str
    pattern: dict[str, Any]
    queue: Queue
    function: Function
    batch_size: int
    # Partial batch responses: only the failed records return to the queue.
    reports_item_failures: bool

    @property
    def service(self) -> str:
        return self.function.service


@dataclass(frozen=True)
class ScheduledTarget:
    """A schedule as deployed: its expression, and the event its target puts on the bus."""

    name: str
    expression: str
    bus_arn: str
    role_arn: str
    detail_type: str
    source: str
    input_template: str


@dataclass
class Deployment:
    declared: Declarations
    routes: dict[str, Route] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    schedules: dict[str, ScheduledTarget] = field(default_factory=dict)

    @property
    def outputs(self) -> dict[str, Any]:
        return self.declared.outputs

    @classmethod
    def of(cls, declared: Declarations) -> Deployment:
        deployment = cls(declared)
        by_arn = {r.state["arn"]: r for r in declared.of(FUNCTION)}
        for record in by_arn.values():
            deployment.functions[record.state["name"]] = _function(record.inputs, record.state)
        queues = {r.state["arn"]: r for r in declared.of(QUEUE)}
        rules = {(r.inputs.get("eventBusName"), r.state["name"]): r for r in declared.of(RULE)}
        target_rule = {
            t.inputs["arn"]: rules[(t.inputs.get("eventBusName"), t.inputs["rule"])]
            for t in declared.of(TARGET)
        }
        for mapping in declared.of(MAPPING):
            function = deployment.functions[by_arn[mapping.inputs["functionName"]].state["name"]]
            queue_record = queues[mapping.inputs["eventSourceArn"]]
            redrive = json.loads(queue_record.inputs["redrivePolicy"])
            dlq = queues[redrive["deadLetterTargetArn"]]
            queue = Queue(
                name=queue_record.state["name"],
                url=queue_record.state["url"],
                arn=queue_record.state["arn"],
                visibility_timeout_s=int(queue_record.inputs["visibilityTimeoutSeconds"]),
                max_receive_count=int(redrive["maxReceiveCount"]),
                dlq_url=dlq.state["url"],
                dlq_arn=dlq.state["arn"],
            )
            rule = target_rule[queue.arn]
            subscription = _subscription(function.name, function.environment["IOR_STAGE"])
            deployment.routes[subscription] = Route(
                subscription=subscription,
                pattern=json.loads(rule.inputs["eventPattern"]),
                queue=queue,
                function=function,
                batch_size=int(mapping.inputs.get("batchSize", 10)),
                reports_item_failures="ReportBatchItemFailures"
                in mapping.inputs.get("functionResponseTypes", []),
            )
        for record in declared.of(SCHEDULE):
            target = record.inputs["target"]
            parameters = target["eventbridgeParameters"]
            deployment.schedules[record.state["name"]] = ScheduledTarget(
                name=record.state["name"],
                expression=record.inputs["scheduleExpression"],
                bus_arn=target["arn"],
                role_arn=target["roleArn"],
                detail_type=parameters["detailType"],
                source=parameters["source"],
                input_template=target["input"],
            )
        return deployment

    def report(self) -> dict[str, Any]:
        """The rehearsal report: what the local cloud holds, and what it only records, with inputs."""
        held = [r for r in self.declared.resources if r.held]
        recorded = [r for r in self.declared.resources if not r.held and r.typ in WHY_RECORDED]
        return {
            "held": sorted({r.typ for r in held}),
            "held_count": len(held),
            "recorded": [
                {"type": r.typ, "name": r.name, "why": WHY_RECORDED[r.typ], "inputs": r.inputs}
                for r in sorted(recorded, key=lambda r: (r.typ, r.name))
            ],
            "workers": {
                s: {
                    "function": r.function.name,
                    "handler": r.function.handler,
                    "timeout_s": r.function.timeout_s,
                    "batch_size": r.batch_size,
                    "queue": r.queue.name,
                    "visibility_timeout_s": r.queue.visibility_timeout_s,
                    "max_receive_count": r.queue.max_receive_count,
                    "partial_batch_responses": r.reports_item_failures,
                }
                for s, r in sorted(self.routes.items())
            },
            "schedules": {
                s.name: s.expression for s in sorted(self.schedules.values(), key=lambda s: s.name)
            },
        }


def _function(inputs: dict[str, Any], state: dict[str, Any]) -> Function:
    return Function(
        name=state["name"],
        handler=inputs["handler"],
        timeout_s=int(inputs.get("timeout", 3)),
        memory_mb=int(inputs.get("memorySize", 128)),
        role_arn=inputs["role"],
        environment={
            k: str(v) for k, v in ((inputs.get("environment") or {}).get("variables") or {}).items()
        },
    )


def _subscription(function_name: str, stage: str) -> str:
    """A consumer function is named `ior-<stage>-<subscription>`."""
    return function_name.removeprefix(f"ior-{stage}-")
