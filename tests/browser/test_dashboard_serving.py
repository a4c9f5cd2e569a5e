"""The local stack's API server serves the built dashboard beside the API: files by path, any other
non-API path answered by the single-page app's index, `/api` untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from ior_tools.runtime.api_server import ApiServer, with_dashboard


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>dashboard</title>")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log('app')")
    return tmp_path


@pytest.fixture
def client(dist: Path) -> TestClient:
    api = FastAPI()

    @api.get("/api/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return TestClient(with_dashboard(api, dist))


def test_api_paths_reach_the_api_and_its_404s(client: TestClient) -> None:
    assert client.get("/api/health").json() == {"status": "ok"}
    missing = client.get("/api/no-such-thing")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not Found"}


def test_routes_of_the_app_get_its_index_which_is_never_cached(client: TestClient) -> None:
    for path in ("/", "/lines", "/comparisons/cmp-20260330-abc"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "<title>dashboard</title>" in page.text
        assert page.headers["cache-control"] == "no-cache"


def test_hashed_assets_are_cached_for_good(client: TestClient) -> None:
    asset = client.get("/assets/index-abc123.js")
    assert asset.status_code == 200
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_without_a_build_the_server_serves_the_api_only(tmp_path: Path) -> None:
    server = ApiServer(0, dashboard=tmp_path / "dist")
    assert server.dashboard is None
