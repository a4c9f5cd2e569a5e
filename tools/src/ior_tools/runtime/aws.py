"""moto's server on loopback, and boto3 clients pointed at it."""

from __future__ import annotations

import logging
import os
import socket
import threading
import urllib.request
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

REGION = "us-east-1"
# The account moto answers as: the local stack's bucket names carry it, as a deployed stack's do.
LOCAL_ACCOUNT = "123456789012"
# What moto accepts until its IAM enforcement is on (the local stack creates its administrator with
# them, then works as that administrator); they name the local account and are not secrets.
LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Endpoint:
    """Where the local AWS answers and as whom; `None` url means real AWS (a deployed stack)."""

    url: str | None
    region: str = REGION
    # Credentials of the local administrator (moto's IAM enforcement is on once the stack is up).
    access_key_id: str = LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"]
    secret_access_key: str = LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]
    session_token: str | None = None

    def client(self, name: str, *, max_attempts: int = 1) -> Any:
        config = Config(
            region_name=self.region,
            retries={"max_attempts": max_attempts, "mode": "standard"},
            connect_timeout=5,
            read_timeout=30,
            max_pool_connections=50,
        )
        kwargs: dict[str, Any] = {"config": config}
        if self.url:
            kwargs |= {
                "endpoint_url": self.url,
                "aws_access_key_id": self.access_key_id,
                "aws_secret_access_key": self.secret_access_key,
            }
            if self.session_token:
                kwargs["aws_session_token"] = self.session_token
        return boto3.client(name, **kwargs)  # type: ignore[call-overload]

    def export(self) -> None:
        """Point this process's boto3 (the services' own clients) at the endpoint, as its administrator."""
        if self.url:
            os.environ["AWS_ENDPOINT_URL"] = self.url
            os.environ["AWS_ACCESS_KEY_ID"] = self.access_key_id
            os.environ["AWS_SECRET_ACCESS_KEY"] = self.secret_access_key
            os.environ.pop("AWS_SESSION_TOKEN", None)
        os.environ.setdefault("AWS_REGION", self.region)
        os.environ.setdefault("AWS_DEFAULT_REGION", self.region)


class SerialDynamoDB:
    """DynamoDB applies each request atomically (a conditional update's check and write are one
    step); moto's threaded server checks and writes in separate steps of concurrent threads. This WSGI
    wrapper answers DynamoDB's requests one at a time, so concurrent conditional writes settle
    locally as they do in AWS; other services stay concurrent."""

    def __init__(self, app: Any) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            return self._app(environ, start_response)
        with self._lock:
            return list(self._app(environ, start_response))


def _threaded_server(port: int) -> Any:
    """moto's `ThreadedMotoServer` on loopback, its application wrapped in `SerialDynamoDB` (moto is
    imported here, when a stack starts, not when the CLI does)."""
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from moto.server import ThreadedMotoServer
    from werkzeug.serving import make_server

    class Server(ThreadedMotoServer):
        def _server_entry(self) -> None:
            # moto's own, but for the wrapper.
            app = SerialDynamoDB(DomainDispatcherApplication(create_backend_app))
            self._server = make_server(
                self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
            )
            self._server_ready_event.set()
            self._server.serve_forever()

    return Server(ip_address="127.0.0.1", port=port, verbose=False)


# A cheap read per service the stack (or a test beside it) calls: see `_build_service_applications`.
_FIRST_REQUESTS = (
    ("s3", "list_buckets"),
    ("sqs", "list_queues"),
    ("dynamodb", "list_tables"),
    ("secretsmanager", "list_secrets"),
    ("events", "list_event_buses"),
    ("lambda", "list_functions"),
    ("iam", "list_roles"),
    ("sns", "list_topics"),
    ("sts", "get_caller_identity"),
    ("scheduler", "list_schedules"),
    ("kms", "list_keys"),
    ("logs", "describe_log_groups"),
)


class MotoServer:
    """moto's threaded server bound to 127.0.0.1 only, its DynamoDB atomic per request."""

    def __init__(self, port: int = 0) -> None:
        self.port = port or free_port()
        self._server = _threaded_server(self.port)

    @property
    def endpoint(self) -> Endpoint:
        return Endpoint(f"http://127.0.0.1:{self.port}")

    def start(self) -> Endpoint:
        # werkzeug logs every request at INFO; the runtime has its own status view.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server.start()
        self._reset()
        self._build_service_applications()
        return self.endpoint

    def stop(self) -> None:
        self._reset()
        self._server.stop()

    def _build_service_applications(self) -> None:
        """moto builds a service's application on its first request, and building one parses source
        with `ast` (werkzeug compiles its URL rules). CPython 3.11 keeps one AST recursion counter
        for all threads, so a parse racing another thread's can fail with "AST constructor recursion
        depth mismatch" (python/cpython#106905): the rehearsal's concurrent first requests did. One
        cheap request per service, one at a time, builds them all before anything runs concurrently."""
        endpoint = self.endpoint
        for service, call in _FIRST_REQUESTS:
            getattr(endpoint.client(service), call)()

    def _reset(self) -> None:
        # moto keeps its state per process, shared with any in-process mock: a stack starts from an
        # empty account and leaves one behind.
        reset = urllib.request.Request(f"{self.endpoint.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(reset, timeout=10):  # our own server, on loopback
            pass
