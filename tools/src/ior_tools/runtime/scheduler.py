"""The local scheduler: fires the schedules the program deployed at their times (moto's Scheduler
holds them but never fires). The clock is injectable so a test can move time instead of waiting."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cronsim import CronSim
from ior_contracts.topology import SCHEDULED_TIME

from ior_tools.rehearsal.deployment import ScheduledTarget
from ior_tools.runtime.loop import Loop

log = logging.getLogger("ior.scheduler")
Clock = Callable[[], datetime]


class ScheduleExpressionError(ValueError):
    """An AWS cron expression this scheduler cannot read."""


def to_standard_cron(expression: str) -> str:
    """AWS `cron(min hour dom month dow year)` → five-field cron. AWS numbers weekdays 1–7 from
    Sunday, standard cron 0–6; `?` means "any"; only `*` years are supported."""
    match = re.fullmatch(r"cron\((.+)\)", expression.strip())
    fields = match.group(1).split() if match else []
    if len(fields) != 6:
        raise ScheduleExpressionError(
            f"{expression!r}: expected cron(min hour day-of-month month day-of-week year)"
        )
    minute, hour, dom, month, dow, year = fields
    if year not in ("*", "?"):
        raise ScheduleExpressionError(f"{expression!r}: a year other than * is not supported")
    dom = "*" if dom == "?" else dom
    dow = "*" if dow == "?" else re.sub(r"(?<![#\d])([1-7])(?!\d)", lambda m: str(int(m.group(1)) - 1), dow)
    return f"{minute} {hour} {dom} {month} {dow}"


def next_fire(expression: str, after: datetime) -> datetime:
    """The first tick strictly after `after` (UTC)."""
    base = after.astimezone(UTC).replace(tzinfo=None)
    tick = next(CronSim(to_standard_cron(expression), base))
    return tick.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Fired:
    schedule: str
    at: datetime
    event_id: str


class LocalScheduler(Loop):
    """Fires each schedule the program deployed: at each tick its target's input template, with
    Scheduler's `<aws.scheduler.scheduled-time>` filled in, is put on the bus with the target's
    source and detail-type, by the schedules' own role (as Scheduler does in AWS)."""

    name = "scheduler"

    def __init__(
        self,
        schedules: list[ScheduledTarget],
        events: Any,
        *,
        clock: Clock = lambda: datetime.now(UTC),
    ) -> None:
        self.schedules = {s.name: s for s in schedules}
        self.events = events
        self._clock = clock
        super().__init__()
        now = clock()
        self._next = {s.name: next_fire(s.expression, now) for s in schedules}

    def tick(self) -> list[Fired]:
        """Fire every schedule whose time has come (each missed tick once), oldest first."""
        now = self._clock()
        fired: list[Fired] = []
        for name in sorted(self._next, key=lambda n: (self._next[n], n)):
            while self._next[name] <= now:
                fired.append(self._fire(self.schedules[name], self._next[name]))
                self._next[name] = next_fire(self.schedules[name].expression, self._next[name])
        return fired

    def _fire(self, schedule: ScheduledTarget, at: datetime) -> Fired:
        scheduled = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        detail = schedule.input_template.replace(SCHEDULED_TIME, scheduled)
        entry = {
            "EventBusName": schedule.bus_arn,
            "Source": schedule.source,
            "DetailType": schedule.detail_type,
            "Detail": detail,
        }
        result = self.events.put_events(Entries=[entry])
        if result.get("FailedEntryCount"):
            raise RuntimeError(f"schedule {schedule.name}: the bus refused its event: {result['Entries']}")
        event_id = str(json.loads(detail)["metadata"]["event_id"])
        log.info("schedule %s fired for %s", schedule.name, scheduled)
        return Fired(schedule.name, at, event_id)

    def step(self) -> float:
        self.tick()
        if not self._next:
            return 30.0
        wait = (min(self._next.values()) - self._clock()).total_seconds()
        return min(max(wait, 0.05), 30.0)
