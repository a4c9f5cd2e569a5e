"""The bus, its archive (the source of replays) and the declared schedules, which put their
declared payload on the bus as the declaring service."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
from ior_contracts.registry import model_for
from ior_contracts.topology import SCHEDULED_TIME, Naming, Schedule, Topology, scheduled_event_id

from ior_infra.access import assume_role

ARCHIVE_RETENTION_DAYS = 90


def schedule_detail(schedule: Schedule) -> dict[str, Any]:
    """The envelope a schedule puts on the bus. Scheduler fills in the tick's scheduled time, which
    names the event: its execution id changes on every retry, the scheduled time does not, so a
    tick retried by Scheduler keeps one event id (the consumers' idempotency key)."""
    model = model_for(schedule.detail_type)
    event_id = scheduled_event_id(schedule.name, SCHEDULED_TIME)
    return {
        "metadata": {
            "event_id": event_id,
            "event_version": model.major_version(),
            "occurred_at": SCHEDULED_TIME,
            "producer": model.SOURCE,
            "correlation_id": event_id,
        },
        "data": dict(schedule.data),
    }


@dataclass(frozen=True)
class EventBusArgs:
    naming: Naming
    topology: Topology
    account: pulumi.Input[str]
    region: str


class EventBus(pulumi.ComponentResource):
    bus: aws.cloudwatch.EventBus
    archive: aws.cloudwatch.EventArchive
    schedules: dict[str, aws.scheduler.Schedule]

    def __init__(self, name: str, args: EventBusArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:EventBus", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        naming = args.naming
        self.bus = aws.cloudwatch.EventBus(f"{name}-bus", name=naming.bus, opts=child)
        self.archive = aws.cloudwatch.EventArchive(
            f"{name}-archive",
            name=naming.archive,
            event_source_arn=self.bus.arn,
            retention_days=ARCHIVE_RETENTION_DAYS,
            opts=child,
        )
        group_name = f"ior-{naming.stage}"
        role = aws.iam.Role(
            f"{name}-scheduler",
            # Only this account's schedules of the stage's group.
            assume_role_policy=pulumi.Output.from_input(args.account).apply(
                lambda account: assume_role(
                    "scheduler.amazonaws.com",
                    account=account,
                    source_arn=f"arn:aws:scheduler:{args.region}:{account}:schedule/{group_name}/*",
                )
            ),
            opts=child,
        )
        sources = sorted({model_for(s.detail_type).SOURCE for _, s in args.topology.schedules})
        aws.iam.RolePolicy(
            f"{name}-scheduler-put",
            role=role.id,
            policy=self.bus.arn.apply(
                lambda arn: json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": ["events:PutEvents"],
                                "Resource": [arn],
                                "Condition": {"StringEquals": {"events:source": sources}},
                            }
                        ],
                    }
                )
            ),
            opts=child,
        )
        group = aws.scheduler.ScheduleGroup(f"{name}-schedules", name=group_name, opts=child)
        self.schedules = {}
        for _, schedule in args.topology.schedules:
            self.schedules[schedule.name] = aws.scheduler.Schedule(
                f"{name}-{schedule.name}",
                name=naming.schedule(schedule.name),
                group_name=group.name,
                schedule_expression=schedule.cron,
                schedule_expression_timezone="UTC",
                flexible_time_window={"mode": "OFF"},
                target={
                    "arn": self.bus.arn,
                    "role_arn": role.arn,
                    "input": json.dumps(schedule_detail(schedule), sort_keys=True),
                    "eventbridge_parameters": {
                        "detail_type": schedule.detail_type,
                        "source": model_for(schedule.detail_type).SOURCE,
                    },
                    "retry_policy": {"maximum_retry_attempts": 3},
                },
                opts=child,
            )
        self.register_outputs({"bus": self.bus.arn, "archive": self.archive.arn})
