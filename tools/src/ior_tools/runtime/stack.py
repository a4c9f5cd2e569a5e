"""The local stack: moto's server with the Pulumi program deployed into it (the rehearsal), a
worker per deployed event source mapping, the scheduler firing the deployed schedules, and the
event log, started and stopped together.

Nothing here describes the topology: the program does, and the stack runs what it deployed. Each
worker calls AWS as its function's role, with moto's IAM enforcement on; the harness (tests, the
CLI, the scheduler's bookkeeping) works as the local administrator who deployed the program.

Serving the sample company, it also runs the mock SAP and the mock USITC (the official revision on
this machine), and starts the ingestion service's history where the sample's begins."""

from __future__ import annotations

import json
import logging
import os
import secrets
import time
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from ior_contracts.bus import EventPublisher
from ior_contracts.telemetry import METRICS_FILE_ENV
from ior_contracts.topology import Naming, ServiceDeclaration, Topology, load_topology

from ior_tools.rehearsal.deploy import rehearse
from ior_tools.rehearsal.deployment import Deployment, Function, Route
from ior_tools.rehearsal.iam import AccessLedger, Credentials, assume, create_admin, enforced
from ior_tools.runtime.aws import LOCAL_ACCOUNT, REGION, Endpoint, MotoServer
from ior_tools.runtime.eventlog import EventLog, EventLogDrainer, attach_event_log
from ior_tools.runtime.isolated import IsolatedHandler
from ior_tools.runtime.object_lock import ObjectLockChecksums
from ior_tools.runtime.scheduler import Clock, LocalScheduler
from ior_tools.runtime.state import StackState, home
from ior_tools.runtime.worker import Worker
from ior_tools.sap_mock import SapMock
from ior_tools.usitc_mock import UsitcMock, reference_releases

log = logging.getLogger("ior.stack")
OUTPUTS = "outputs.json"
REPORT = "rehearsal.json"
ACCESS = "iam-access.json"


def local_sap_credentials(base_url: str) -> dict[str, str]:
    """Fresh credentials for the local SAP on every start: nothing to keep, nothing in the repo."""
    return {"base_url": base_url, "username": "IOR_EXTRACT", "password": secrets.token_urlsafe(18)}


def stack_config(
    sap: Mapping[str, str], operator: str, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The local stage's configuration, as `ior stack init` would set it: fresh secrets each start;
    `operator`, the principal who may assume the operator role (the local administrator)."""
    values: dict[str, Any] = {
        "aws:region": REGION,
        "alertEmails": ["oncall@localhost"],
        "operators": [operator],
        "secret-sap": json.dumps(dict(sap)),
        "secret-jwt": json.dumps({"signing_key": secrets.token_urlsafe(48)}),
        "secret-slack": json.dumps({"webhook_url": ""}),
        "secret-origin": json.dumps({"value": secrets.token_urlsafe(48)}),
    }
    return {**values, **(overrides or {})}


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
        config: Mapping[str, Any] | None = None,
        isolate: bool = False,
    ) -> None:
        self.stage = stage
        self.naming = Naming(stage, LOCAL_ACCOUNT)
        self.topology = topology or load_topology(extra_services)
        self._server = MotoServer(port)
        self._clock = clock
        self._run_scheduler = run_scheduler
        self._sap_data = sap_data
        self._config = dict(config or {})
        # Each subscription's function in its own measured process (`isolated`), as Lambda runs it.
        self._isolate = isolate
        self.isolated: dict[str, IsolatedHandler] = {}
        self.sap: SapMock | None = None
        self.usitc: UsitcMock | None = None
        self._exported: list[str] = []
        self.workers: dict[str, Worker] = {}
        self.deployment: Deployment | None = None
        self.scheduler: LocalScheduler | None = None
        self.event_log_path = home(stage) / "events.sqlite"
        # The handlers' EMF documents, which Lambda would print for CloudWatch Logs.
        self.metrics_path = home(stage) / "metrics.jsonl"
        self.event_log: EventLog
        self.event_log_queue_url = ""
        self._drainer: EventLogDrainer | None = None
        self.state: StackState | None = None
        self.admin: Credentials | None = None
        self.credentials: dict[str, Credentials] = {}
        self.access = AccessLedger()
        self._object_lock = ObjectLockChecksums((self.naming.audit_bucket,))
        self._context = ExitStack()

    @property
    def endpoint(self) -> Endpoint:
        endpoint = self._server.endpoint
        if self.admin is None:
            return endpoint
        return Endpoint(
            endpoint.url,
            access_key_id=self.admin.access_key_id,
            secret_access_key=self.admin.secret_access_key,
        )

    def client(self, name: str) -> Any:
        return self.endpoint.client(name)

    def publisher(self, source: str | None = None) -> EventPublisher:
        return EventPublisher(self.client("events"), self.naming.bus, source=source)

    @property
    def outputs(self) -> dict[str, Any]:
        assert self.deployment is not None, "the stack is not started"
        return self.deployment.outputs

    def start(self) -> LocalStack:
        self._server.start()
        self._server.endpoint.export()
        os.environ["IOR_STAGE"] = self.stage
        os.environ["IOR_BUCKET_SUFFIX"] = self.naming.bucket_suffix
        # As an older Lambda SDK: no checksum unless the code asks for one (see `object_lock`).
        os.environ["AWS_REQUEST_CHECKSUM_CALCULATION"] = "when_required"
        self._object_lock.install()
        self.admin = create_admin(self.client("iam"))
        self.endpoint.export()
        for stale in self.event_log_path.parent.glob(self.event_log_path.name + "*"):
            stale.unlink()  # a fresh stack has a fresh history
        self.event_log = EventLog(self.event_log_path)
        self.metrics_path.unlink(missing_ok=True)
        os.environ[METRICS_FILE_ENV] = str(self.metrics_path)
        sap = local_sap_credentials("http://127.0.0.1:1")
        if self._sap_data is not None:
            # The mock SAP serves the sample company with the same credentials the secret holds.
            self.sap = SapMock(self._sap_data, sap["username"], sap["password"])
            sap["base_url"] = self.sap.start()
            self._serve_usitc()
            start = history_start(self._sap_data)
            if start is not None:
                self._export("IOR_INGESTION_INITIAL_START", start.isoformat())
        self.deployment = self._deploy(sap)
        self.event_log_queue_url = attach_event_log(
            self.client("events"), self.client("sqs"), self.naming.bus, self.stage
        )
        self._assume_roles()
        # From here every call is checked against its caller's policies, as in AWS.
        self._context.enter_context(enforced())
        self.access.install()
        self._start_workers()
        self._drainer = EventLogDrainer(self.event_log, self.client("sqs"), self.event_log_queue_url)
        self._drainer.start()
        schedules = list(self.deployment.schedules.values())
        scheduler_role = next((s.role_arn for s in schedules), None)
        events = self._as(scheduler_role).client("events") if scheduler_role else self.client("events")
        self.scheduler = LocalScheduler(schedules, events, clock=self._clock)
        if self._run_scheduler:
            self.scheduler.start()
        self._write_state()
        return self

    def _deploy(self, sap: dict[str, str]) -> Deployment:
        assert self.admin is not None
        config = stack_config(sap, self.admin.principal, self._config)
        return rehearse(
            self.client, account=LOCAL_ACCOUNT, region=REGION, stage=self.stage, config=config,
            topology=self.topology,
        )  # fmt: skip

    def _assume_roles(self) -> None:
        """Each function's (and the schedules') role credentials, as Lambda and Scheduler get them."""
        assert self.deployment is not None
        assert self.admin is not None
        sts = self.client("sts")
        self.access.know(self.admin)
        roles = {f.role_arn for f in self.deployment.functions.values()}
        roles |= {s.role_arn for s in self.deployment.schedules.values()}
        for role in sorted(roles):
            self.credentials[role] = assume(sts, role, role.rsplit("/", 1)[-1])
            self.access.know(self.credentials[role])

    def _as(self, role: str | None) -> Endpoint:
        if role is None:
            return self.endpoint
        found = self.credentials[role]
        return Endpoint(
            self._server.endpoint.url,
            access_key_id=found.access_key_id,
            secret_access_key=found.secret_access_key,
            session_token=found.session_token,
        )

    @property
    def routes(self) -> dict[str, Route]:
        """The deployed subscriptions by name: rule pattern, queue (and DLQ), function."""
        assert self.deployment is not None, "the stack is not started"
        return self.deployment.routes

    @property
    def http_function(self) -> Function:
        """The function the HTTP API invokes (the local API server runs it)."""
        assert self.deployment is not None, "the stack is not started"
        return self.deployment.functions[self.outputs["apiFunction"]]

    def function_environment(self, function: Function) -> dict[str, str]:
        """What the function runs with: the program's environment, its role's credentials, the region."""
        credentials = self.credentials[function.role_arn].environment()
        return {**function.environment, **credentials, "AWS_REGION": REGION}

    def _start_workers(self) -> None:
        assert self.deployment is not None
        for route in self.deployment.routes.values():
            # The mapping polls the queue as the function's role (its policy must allow it).
            sqs = self._as(route.function.role_arn).client("sqs")
            environment = self.function_environment(route.function)
            handler = None
            if self._isolate:
                handler = IsolatedHandler(
                    route.subscription, route.function.dotted, environment, (self.naming.audit_bucket,)
                )
                self.isolated[route.subscription] = handler
            worker = Worker(route, sqs, environment=environment, handler=handler)
            worker.cold_start()  # its clients must point at this stack
            worker.start()
            self.workers[route.subscription] = worker

    def _write_state(self) -> None:
        assert self.deployment is not None
        assert self.admin is not None
        directory = home(self.stage)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / OUTPUTS).write_text(json.dumps(self.deployment.outputs, indent=2, sort_keys=True))
        report = {**self.deployment.report(), "iam": _IAM_NOTE}
        (directory / REPORT).write_text(json.dumps(report, indent=2, sort_keys=True, default=str))
        self.state = StackState(
            stage=self.stage,
            endpoint=str(self._server.endpoint.url),
            pid=os.getpid(),
            started_at=datetime.now(UTC).isoformat(),
            admin_key=self.admin.access_key_id,
            admin_secret=self.admin.secret_access_key,
            event_log_queue_url=self.event_log_queue_url,
            urls={
                **({"mock SAP": self.sap.base_url} if self.sap else {}),
                **({"mock USITC": self.usitc.api_url} if self.usitc else {}),
            },
        )
        self.state.write()

    @property
    def report_path(self) -> Path:
        return home(self.stage) / REPORT

    @property
    def access_path(self) -> Path:
        return home(self.stage) / ACCESS

    def _write_access(self) -> None:
        """Every principal's AWS calls, allowed and denied, as the run ends: what IAM let through."""
        if self.deployment is None:
            return
        self.access_path.write_text(json.dumps(self.access.figures(), indent=2, sort_keys=True))

    def stop(self) -> None:
        stoppable: list[Any] = [*self.workers.values(), self._drainer, self.scheduler]
        for part in stoppable:
            if part is not None:
                part.stop()
        for part in stoppable:
            if part is not None:
                part.join(timeout=5)
        for isolated in self.isolated.values():
            isolated.close()
        self.access.uninstall()
        self._write_access()
        self._context.close()
        StackState.remove(self.stage)
        os.environ.pop(METRICS_FILE_ENV, None)
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
        assert self.deployment is not None
        sqs = self.client("sqs")
        urls = [r.queue.url for r in self.deployment.routes.values()] + [self.event_log_queue_url]
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


_IAM_NOTE = (
    "moto evaluates each call's action for every service, its resource only for S3, SQS and IAM/STS, "
    "no condition and no resource policy; each role's policy is given to moto in that view "
    "(`ior_tools.rehearsal.iam.moto_view`), the program's own documents are in the role policies' inputs"
)


def queue_depth(sqs: Any, url: str) -> tuple[int, int]:
    """(visible, in flight) messages of a queue."""
    attrs = sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]), int(attrs["ApproximateNumberOfMessagesNotVisible"])
