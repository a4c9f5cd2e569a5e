"""The local stack's API server plays CloudFront: the built dashboard beside the API, a page (by the
CloudFront Function's rule) answered by the app's index and a missing file by a 404, the security
headers of `edge_policy` on both, and the secret origin header and the viewer's address on every
request it passes to the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from ior_api.entrypoints.web import dependencies
from ior_contracts.topology import ORIGIN_HEADER
from ior_infra.edge_policy import API_HEADERS, dashboard_headers
from ior_tools.runtime.api_server import ApiServer, LocalEdge, at_the_edge, uvicorn_config
from ior_tools.runtime.aws import free_port

EDGE = LocalEdge(origin="origin-secret-" + "s" * 40, upload_origin="http://127.0.0.1:4566")


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>dashboard</title>")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log('app')")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    return tmp_path


def echo_api() -> FastAPI:
    api = FastAPI()

    @api.get("/api/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @api.get("/api/echo")
    def echo(request: Request) -> dict[str, str | None]:
        return {
            "origin": request.headers.get(ORIGIN_HEADER),
            "forwarded_for": request.headers.get("x-forwarded-for"),
        }

    return api


@pytest.fixture
def client(dist: Path) -> TestClient:
    return TestClient(at_the_edge(echo_api(), dist, EDGE))


def test_api_paths_reach_the_api_and_its_404s(client: TestClient) -> None:
    assert client.get("/api/health").json() == {"status": "ok"}
    missing = client.get("/api/no-such-thing")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not Found"}


def test_the_api_gets_the_origin_header_whatever_the_viewer_sent(client: TestClient) -> None:
    # GIVEN a viewer that forges the origin header and an X-Forwarded-For
    sent = client.get("/api/echo", headers={ORIGIN_HEADER: "forged", "X-Forwarded-For": "198.51.100.9"})

    # THEN the API sees the edge's own value, and the viewer's address appended last, as CloudFront does
    assert sent.json() == {"origin": EDGE.origin, "forwarded_for": "198.51.100.9, testclient"}


@pytest.mark.parametrize("path", ["/", "/lines", "/comparisons/cmp-20260330-abc", "/uploads/"])
def test_pages_of_the_app_get_its_index_which_is_never_cached(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200, path
    assert "<title>dashboard</title>" in page.text
    assert page.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/assets/missing-1234.js", "/favicon.ico", "/lines/report.csv"])
def test_a_missing_file_is_a_404_not_the_app(client: TestClient, path: str) -> None:
    missing = client.get(path)
    assert missing.status_code == 404
    assert "<title>dashboard</title>" not in missing.text


def test_files_are_served_and_hashed_assets_cached_for_good(client: TestClient) -> None:
    asset = client.get("/assets/index-abc123.js")
    assert asset.status_code == 200
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert client.get("/favicon.svg").text == "<svg/>"


def test_the_dashboard_and_the_api_get_the_headers_cloudfront_adds(client: TestClient) -> None:
    for path in ("/", "/lines", "/assets/index-abc123.js", "/assets/missing-1234.js"):
        answer = client.get(path)
        for name, value in dashboard_headers(EDGE.upload_origin).items():
            assert answer.headers[name] == value, (path, name)
    for path in ("/api/health", "/api/no-such-thing"):
        answer = client.get(path)
        for name, value in API_HEADERS.items():
            assert answer.headers[name] == value, (path, name)
        assert "content-security-policy" not in answer.headers


def test_the_dashboards_csp_lets_it_post_a_large_upload_to_the_stacks_bucket(client: TestClient) -> None:
    csp = client.get("/").headers["content-security-policy"]
    assert f"connect-src 'self' {EDGE.upload_origin}" in csp


def test_without_a_build_the_server_serves_the_api_only(tmp_path: Path) -> None:
    server = ApiServer(0, dashboard=tmp_path / "dist")
    assert server.dashboard is None
    bare = TestClient(at_the_edge(echo_api(), None))
    assert bare.get("/api/echo").json()["origin"] is None
    assert bare.get("/lines").status_code == 404


def test_the_server_takes_no_address_from_a_callers_forwarded_header(client: TestClient) -> None:
    # uvicorn would trust X-Forwarded-For from a loopback caller: the viewer's own claim would then
    # be the address CloudFront appends, and the per-address login throttle could be dodged.
    config = uvicorn_config(echo_api(), 0)
    assert config.proxy_headers is False
    assert config.host == "127.0.0.1"


def test_a_started_server_wires_the_apis_services_afresh(tmp_path: Path) -> None:
    # GIVEN services wired before (another environment's: the app served in this process earlier)
    before = dependencies.get_services()

    # WHEN the local server starts (after its stack exported where its resources are)
    server = ApiServer(free_port(), dashboard=None)
    server.start()
    try:
        # THEN the next request wires them from the environment as it is now
        assert dependencies.get_services() is not before
    finally:
        server.stop()
