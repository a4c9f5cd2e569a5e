"""The local event log: every event put on the bus, in order of occurrence, for windowed replay
and for `ior status`. moto's archive replays everything regardless of the window, so the log is
the local runtime's archive. SQLite, so `ior up` writes while the CLI reads."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ior_tools.runtime.loop import Loop

# The event log's own route: every event on the stage's bus, to a queue the drainer empties. A
# local addition beside the program's resources (AWS's archive serves replays there).
EVENT_LOG = "event-log"
EVENT_LOG_PATTERN = {"version": ["0"]}
RETENTION_S = 14 * 24 * 3600


def attach_event_log(events: Any, sqs: Any, bus: str, stage: str) -> str:
    """The event log's queue and rule on `bus`; the queue's URL."""
    name = f"ior-{stage}-{EVENT_LOG}"
    url = sqs.create_queue(QueueName=name, Attributes={"MessageRetentionPeriod": str(RETENTION_S)})[
        "QueueUrl"
    ]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    rule = events.put_rule(
        Name=name, EventBusName=bus, EventPattern=json.dumps(EVENT_LOG_PATTERN), State="ENABLED"
    )
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": rule["RuleArn"]}},
            }
        ],
    }
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "queue", "Arn": arn}])
    return str(url)


SCHEMA = """
create table if not exists events (
    seq integer primary key autoincrement,
    event_id text not null,
    occurred_at text not null,
    source text not null,
    detail_type text not null,
    body text not null
);
create unique index if not exists events_by_id on events (event_id, body);
create index if not exists events_by_time on events (occurred_at);
"""


@dataclass(frozen=True)
class LoggedEvent:
    seq: int
    event_id: str
    occurred_at: datetime
    source: str
    detail_type: str
    event: dict[str, Any]


def occurred_at(event: dict[str, Any]) -> datetime:
    """The envelope's own timestamp (microseconds), else EventBridge's `time` (seconds)."""
    try:
        value = event["detail"]["metadata"]["occurred_at"]
    except (KeyError, TypeError):
        value = event.get("time") or datetime.now(UTC).isoformat()
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class EventLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        # One connection per log, shared under the lock; WAL so another process can read meanwhile.
        self._db = sqlite3.connect(path, timeout=10, check_same_thread=False)
        self._db.execute("pragma journal_mode=wal")
        self._db.execute("pragma synchronous=normal")
        self._db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._db
            self._db.commit()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def record(self, *events: dict[str, Any]) -> None:
        rows = []
        for event in events:
            try:
                event_id = event["detail"]["metadata"]["event_id"]
            except (KeyError, TypeError):
                event_id = str(event.get("id", ""))
            when = _iso(occurred_at(event))
            kind = (event.get("source", ""), event.get("detail-type", ""))
            rows.append((event_id, when, *kind, json.dumps(event)))
        with self._connect() as db:
            # The same event delivered to the log twice is one entry.
            db.executemany(
                "insert or ignore into events (event_id, occurred_at, source, detail_type, body) "
                "values (?, ?, ?, ?, ?)",
                rows,
            )

    def window(self, since: datetime | None = None, until: datetime | None = None) -> list[LoggedEvent]:
        """Events with since ≤ occurred_at < until, oldest first."""
        clauses, args = [], []
        if since is not None:
            clauses.append("occurred_at >= ?")
            args.append(_iso(since))
        if until is not None:
            clauses.append("occurred_at < ?")
            args.append(_iso(until))
        where = f"where {' and '.join(clauses)}" if clauses else ""
        with self._connect() as db:
            rows = db.execute(
                f"select seq, event_id, occurred_at, source, detail_type, body from events {where} "
                "order by occurred_at, seq",
                args,
            ).fetchall()
        return [self._row(r) for r in rows]

    def last(self, n: int = 10) -> list[LoggedEvent]:
        with self._connect() as db:
            rows = db.execute(
                "select seq, event_id, occurred_at, source, detail_type, body from events "
                "order by occurred_at desc, seq desc limit ?",
                (n,),
            ).fetchall()
        return [self._row(r) for r in rows]

    def caused_by(self, event_ids: list[str], detail_types: tuple[str, ...] = ()) -> list[LoggedEvent]:
        """Events whose envelope names one of `event_ids` as its cause, oldest first."""
        if not event_ids:
            return []
        marks = ",".join("?" * len(event_ids))
        query = (
            "select seq, event_id, occurred_at, source, detail_type, body from events "
            f"where json_extract(body, '$.detail.metadata.causation_id') in ({marks})"
        )
        args: list[str] = list(event_ids)
        if detail_types:
            query += f" and detail_type in ({','.join('?' * len(detail_types))})"
            args += list(detail_types)
        with self._connect() as db:
            rows = db.execute(query + " order by occurred_at, seq", args).fetchall()
        return [self._row(r) for r in rows]

    def count(self) -> int:
        with self._connect() as db:
            return int(db.execute("select count(*) from events").fetchone()[0])

    @staticmethod
    def _row(row: tuple[Any, ...]) -> LoggedEvent:
        seq, event_id, when, source, detail_type, body = row
        moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
        return LoggedEvent(seq, event_id, moment, source, detail_type, json.loads(body))


class EventLogDrainer(Loop):
    """Moves the event-log queue's messages into the log."""

    name = "event-log"

    def __init__(self, log: EventLog, sqs: Any, queue_url: str, wait_s: int = 1) -> None:
        super().__init__()
        self.log = log
        self._sqs = sqs
        self._queue_url = queue_url
        self._wait_s = wait_s

    def step(self) -> float:
        self.drain_once()
        return 0

    def drain_once(self) -> int:
        messages = self._sqs.receive_message(
            QueueUrl=self._queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=self._wait_s
        ).get("Messages", [])
        if messages:
            self.log.record(*(json.loads(m["Body"]) for m in messages))
            self._sqs.delete_message_batch(
                QueueUrl=self._queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
            )
        return len(messages)
