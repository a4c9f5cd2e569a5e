"""The local stack: moto's server, the provisioned topology, a worker per subscription, the event
log and the scheduler, started and stopped together. Serving the sample company, it also runs the
mock SAP and the mock USITC (the official revision on this machine), and starts the ingestion
service's history where the sample's begins."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from ior_contracts.bus import EventPublisher
from ior_contracts.telemetry import METRICS_FILE_ENV
from ior_contracts.topology import Naming, ServiceDeclaration, Topology, load_topology

from ior_tools.runtime.aws import LOCAL_ACCOUNT, Endpoint, MotoServer
from ior_tools.runtime.eventlog import EventLog, EventLogDrainer
from ior_tools.runtime.object_lock import ObjectLockChecksums
from ior_tools.runtime.provision import Provisioned, local_sap_credentials, provision
from ior_tools.runtime.scheduler import Clock, LocalScheduler
from ior_tools.runtime.state import StackState, home
from ior_tools.runtime.worker import Worker
from ior_tools.sap_mock import SapMock
from ior_tools.usitc_mock import UsitcMock, reference_releases

log = logging.getLogger("ior.stack")

# Supplier invoices and exchange rates reach back some weeks before the sample's first arrival.
SAMPLE_HISTORY = timedelta(days=90)


def history_start(sap_data: Path) -> date | None:
    """Where the ingestion service's first extracts start for the sample at `sap_data` (its
    `manifest.json` one level up): some weeks before its first business date."""
    manifest = sap_data.parent / "manifest.json"
    if not manifest.is_file():
        return None
    dates = json.loads(manifest.read_text(encoding="utf-8")).get("business_dates") or []
    return date.fromisoformat(min(dates)) - SAMPLE_HISTORY if dates else None


class LocalStack:
    def __init__(
        self,
        *,
        stage: str = "local",
        port: int = 0,
        extra_services: Iterable[ServiceDeclaration] = (),
        topology: Topology | None = None,
        clock: Clock = lambda: datetime.now(UTC),
        run_scheduler: bool = True,
        sap_data: Path | None = None,
    ) -> None:
        self.stage = stage
        self.naming = Naming(stage, LOCAL_ACCOUNT)
        self.topology = topology or load_topology(extra_services)
        self._server = MotoServer(port)
        self._clock = clock
        self._run_scheduler = run_scheduler
        self._sap_data = sap_data
        self.sap: SapMock | None = None
        self.usitc: UsitcMock | None = None
        self._exported: list[str] = []
        self.workers: dict[str, Worker] = {}
        self.provisioned: Provisioned | None = None
        self.scheduler: LocalScheduler | None = None
        self.event_log_path = home(stage) / "events.sqlite"
        # The handlers' EMF documents, which Lambda would print for CloudWatch Logs.
        self.metrics_path = home(stage) / "metrics.jsonl"
        self.event_log: EventLog
        self._drainer: EventLogDrainer | None = None
        self.state: StackState | None = None
        self._object_lock = ObjectLockChecksums((self.naming.audit_bucket,))

    @property
    def endpoint(self) -> Endpoint:
        return self._server.endpoint

    def client(self, name: str) -> Any:
        return self.endpoint.client(name)

    def publisher(self, source: str | None = None) -> EventPublisher:
        return EventPublisher(self.client("events"), self.naming.bus, source=source)

    def start(self) -> LocalStack:
        endpoint = self._server.start()
        endpoint.export()
        # As an older Lambda SDK: no checksum unless the code asks for one (see `object_lock`).
        os.environ["AWS_REQUEST_CHECKSUM_CALCULATION"] = "when_required"
        self._object_lock.install()
        os.environ["IOR_STAGE"] = self.stage
        os.environ["IOR_BUCKET_SUFFIX"] = self.naming.bucket_suffix
        for stale in self.event_log_path.parent.glob(self.event_log_path.name + "*"):
            stale.unlink()  # a fresh stack has a fresh history
        self.event_log = EventLog(self.event_log_path)
        self.metrics_path.unlink(missing_ok=True)
        os.environ[METRICS_FILE_ENV] = str(self.metrics_path)
        sap = None
        if self._sap_data is not None:
            # The mock SAP serves the sample company with the same credentials the secret holds.
            sap = local_sap_credentials("")
            self.sap = SapMock(self._sap_data, sap["username"], sap["password"])
            sap["base_url"] = self.sap.start()
            self._serve_usitc()
            start = history_start(self._sap_data)
            if start is not None:
                self._export("IOR_INGESTION_INITIAL_START", start.isoformat())
        self.provisioned = provision(endpoint, self.topology, self.naming, sap=sap)
        os.environ["IOR_ALERT_TOPIC_ARN"] = self.provisioned.alert_topic_arn
        sqs = endpoint.client("sqs")
        for _, sub in self.topology.subscriptions:
            worker = Worker(sub, self.provisioned.queues[sub.name], sqs)
            cold_start = getattr(worker.handler, "cold_start", None)
            if callable(cold_start):
                cold_start()  # its clients must point at this stack
            worker.start()
            self.workers[sub.name] = worker
        self._drainer = EventLogDrainer(
            self.event_log, endpoint.client("sqs"), self.provisioned.event_log_queue_url
        )
        self._drainer.start()
        self.scheduler = LocalScheduler(
            [sch for _, sch in self.topology.schedules], self.publisher(), clock=self._clock
        )
        if self._run_scheduler:
            self.scheduler.start()
        self.state = StackState(
            stage=self.stage,
            endpoint=str(endpoint.url),
            pid=os.getpid(),
            started_at=datetime.now(UTC).isoformat(),
            queues=dict(self.provisioned.queues),
            event_log_queue_url=self.provisioned.event_log_queue_url,
            urls={
                **({"mock SAP": sap["base_url"]} if sap else {}),
                **({"mock USITC": self.usitc.api_url} if self.usitc else {}),
            },
        )
        self.state.write()
        return self

    def stop(self) -> None:
        stoppable: list[Any] = [*self.workers.values(), self._drainer, self.scheduler]
        for part in stoppable:
            if part is not None:
                part.stop()
        for part in stoppable:
            if part is not None:
                part.join(timeout=5)
        StackState.remove(self.stage)
        os.environ.pop(METRICS_FILE_ENV, None)
        os.environ.pop("IOR_ALERT_TOPIC_ARN", None)
        os.environ.pop("IOR_BUCKET_SUFFIX", None)
        os.environ.pop("AWS_REQUEST_CHECKSUM_CALCULATION", None)
        self._object_lock.uninstall()
        self.event_log.close()
        if self.sap is not None:
            self.sap.stop()
        if self.usitc is not None:
            self.usitc.stop()
        for name in self._exported:
            os.environ.pop(name, None)
        self._exported.clear()
        self._server.stop()

    def _export(self, name: str, value: str) -> None:
        """Set an environment variable for the workers unless the caller has; forget it on stop."""
        if name not in os.environ:
            os.environ[name] = value
            self._exported.append(name)

    def _serve_usitc(self) -> None:
        """The official revision on this machine, as the USITC's release list and archive serve it."""
        releases = reference_releases()
        if not releases:
            return
        self.usitc = UsitcMock(releases)
        self.usitc.start()
        self._export("IOR_INGESTION_USITC_API", self.usitc.api_url)
        self._export("IOR_INGESTION_USITC_EXPORT_TEMPLATE", self.usitc.export_template)

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_idle(self, timeout: float = 30.0, settle: float = 0.3) -> None:
        """Until every queue is empty and nothing is in flight, for `settle` seconds in a row."""
        assert self.provisioned is not None
        sqs = self.client("sqs")
        urls = [q.queue_url for q in self.provisioned.queues.values()] + [
            self.provisioned.event_log_queue_url
        ]
        deadline = time.monotonic() + timeout
        quiet_since: float | None = None
        while time.monotonic() < deadline:
            busy = any(queue_depth(sqs, url) != (0, 0) for url in urls)
            now = time.monotonic()
            if busy:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = now
            elif now - quiet_since >= settle:
                return
            time.sleep(0.05)
        raise TimeoutError(f"the local stack did not become idle within {timeout}s")


def queue_depth(sqs: Any, url: str) -> tuple[int, int]:
    """(visible, in flight) messages of a queue."""
    attrs = sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]), int(attrs["ApproximateNumberOfMessagesNotVisible"])
