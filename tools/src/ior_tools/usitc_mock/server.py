"""`UsitcMock`: the USITC's HTS service as the ingestion service reaches it, over real HTTP on
loopback: `/reststop/releaseList` lists the releases it holds (name, description, the day each took
effect as `MM/DD/YYYY`, the newest marked `current`), and `/exports/hts_<year>_<edition>_json.json`
serves each release's export byte for byte, as the USITC's archive does. Releases can be added
while it runs, as the USITC publishes a revision."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ior_tools.loopback import LoopbackServer
from ior_tools.paths import OFFICIAL_HTS

API_PATH = "/reststop"
EXPORT_PATH = "/exports"
EXPORT_NAME = "hts_{year}_{edition}_json.json"
# 2026 Revision 10 took effect on 8 June 2026 (reference/hts/README.md).
REFERENCE_RELEASE = ("2026HTSRev10", date(2026, 6, 8))


@dataclass(frozen=True)
class MockRelease:
    """A release the mock lists: its name (`2026HTSRev10`), the day it took effect, its export file."""

    name: str
    available_from: date
    export: Path

    @property
    def year(self) -> int:
        return int(self.name[:4])

    @property
    def edition(self) -> str:
        suffix = self.name[7:]
        return "basic_edition" if suffix == "Basic" else f"revision_{suffix.removeprefix('Rev')}"

    @property
    def description(self) -> str:
        suffix = self.name[7:]
        return f"{self.year} HTS " + ("Basic Edition" if suffix == "Basic" else f"Revision {suffix[3:]}")


def reference_releases() -> list[MockRelease]:
    """The one revision this machine holds: 2026 Rev. 10 from `shared/reference/hts/`."""
    name, start = REFERENCE_RELEASE
    return [MockRelease(name, start, OFFICIAL_HTS)] if OFFICIAL_HTS.exists() else []


class UsitcMock(LoopbackServer):
    """`start()` serves the releases and returns the base URL; `api_url` and `export_template` are
    what the ingestion service's settings name."""

    def __init__(self, releases: Iterable[MockRelease] = (), host: str = "127.0.0.1", port: int = 0) -> None:
        self._releases: dict[str, MockRelease] = {}
        self._lock = threading.Lock()
        self.requests: list[str] = []
        for release in releases:
            self.publish(release)
        app = Starlette(
            routes=[
                Route(f"{API_PATH}/releaseList", self._release_list),
                Route(f"{EXPORT_PATH}/{{name}}", self._export),
            ]
        )
        super().__init__(app, "mock USITC", host, port)

    @property
    def api_url(self) -> str:
        return self.base_url + API_PATH

    @property
    def export_template(self) -> str:
        return f"{self.base_url}{EXPORT_PATH}/{EXPORT_NAME}"

    def publish(self, release: MockRelease) -> None:
        """List `release` (replacing one of the same name), as the USITC does a new revision."""
        if not release.export.is_file():
            raise FileNotFoundError(f"no export at {release.export}")
        with self._lock:
            self._releases[release.name] = release

    async def _release_list(self, request: Request) -> Response:
        self.requests.append(request.url.path)
        with self._lock:
            listed = sorted(self._releases.values(), key=lambda r: r.available_from)
        newest = listed[-1].name if listed else None
        return JSONResponse(
            [
                {
                    "name": r.name,
                    "description": r.description,
                    "releaseStartDate": r.available_from.strftime("%m/%d/%Y"),
                    "releaseEndDate": "",
                    "status": "current" if r.name == newest else "archived",
                }
                for r in listed
            ]
        )

    async def _export(self, request: Request) -> Response:
        self.requests.append(request.url.path)
        name = request.path_params["name"]
        with self._lock:
            found = next(
                (
                    r
                    for r in self._releases.values()
                    if EXPORT_NAME.format(year=r.year, edition=r.edition) == name
                ),
                None,
            )
        if found is None or not found.export.is_file():
            # As the USITC's archive answers while a new revision's files are not posted yet.
            return Response(f"no export {name}", status_code=404, media_type="text/plain")
        return Response(found.export.read_bytes(), media_type="application/octet-stream")
