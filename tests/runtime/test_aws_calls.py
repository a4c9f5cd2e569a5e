"""How long a function waits on AWS (`ior_tools.runtime.aws_calls`): every request its clients send,
and the wall time any is in flight, requests side by side counted once. The endpoint here is a
small HTTP server that answers S3's ListBuckets after a set delay."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pytest
from botocore.config import Config
from ior_tools.runtime.aws_calls import AwsCallClock
from ior_tools.runtime.isolated import IsolatedHandler
from ior_tools.runtime.worker import LambdaContext

DELAY_S = 0.2
LISTING = b'<?xml version="1.0"?><ListAllMyBucketsResult><Buckets></Buckets></ListAllMyBucketsResult>'


class _SlowS3(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        time.sleep(DELAY_S)
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(LISTING)))
        self.end_headers()
        self.wfile.write(LISTING)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowS3)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}.items():
        monkeypatch.setenv(name, value)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _s3(endpoint: str) -> object:
    config = Config(retries={"max_attempts": 1}, max_pool_connections=4)
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", config=config)


@pytest.fixture
def clock() -> Iterator[AwsCallClock]:
    installed = AwsCallClock()
    installed.install()
    yield installed
    installed.uninstall()


def test_each_request_is_counted_and_its_wait_is_the_answers_delay(
    endpoint: str, clock: AwsCallClock
) -> None:
    s3 = _s3(endpoint)
    before = clock.read()
    started = time.perf_counter()
    s3.list_buckets()  # type: ignore[attr-defined]
    s3.list_buckets()  # type: ignore[attr-defined]
    wall = time.perf_counter() - started
    waited = clock.read()
    assert waited.calls - before.calls == 2
    assert 2 * DELAY_S <= waited.wait_s - before.wait_s <= wall


def test_requests_side_by_side_are_one_wait(endpoint: str, clock: AwsCallClock) -> None:
    s3 = _s3(endpoint)
    s3.list_buckets()  # type: ignore[attr-defined]  # the connection pool warm, so the four start at once
    before = clock.read()
    threads = [threading.Thread(target=s3.list_buckets) for _ in range(4)]  # type: ignore[attr-defined]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    waited = clock.read()
    assert waited.calls - before.calls == 4
    # Four answers of DELAY_S each, overlapping: about one delay, never their sum.
    assert DELAY_S <= waited.wait_s - before.wait_s < 3 * DELAY_S


def test_an_isolated_invocation_reports_its_requests_and_their_wait(endpoint: str) -> None:
    handler = IsolatedHandler("aws", "tests.runtime.isolated_handlers:lists_buckets", {}, ())
    try:
        context = LambdaContext(function_name="ior-local-aws", deadline=time.monotonic() + 30)
        handler({"Records": [{}], "endpoint": endpoint, "times": 3}, context)
        handler({"Records": [{}], "endpoint": endpoint, "times": 0}, context)
    finally:
        handler.close()
    calling, quiet = handler.invocations
    assert calling.aws_calls == 3
    assert 3 * DELAY_S <= calling.aws_wait_s <= calling.wall_s
    assert (quiet.aws_calls, quiet.aws_wait_s) == (0, 0.0)
