"""The API's lines pages on a whole day: the sample company's day of N billing lines run through the
customs service's own code (`bench.customs_service`), its published objects (lines, line and entry
columns) stored in the embedded AWS as the program deploys it, and each page the dashboard asks for
answered over loopback HTTP by the API on uvicorn in its own process with its function's
environment (`bench.api_lines`), just started as a cold container is: the first page, the same
again, a far page sorted by value, a search by description, a search by invoice document, an
entry's page, the quarantined lines, CSV exports of one entry and of the whole day (refused past
its limit). For each: wall seconds from outside, the API process's CPU seconds, the answer's size
and the process's peak memory. Targets: within the API function's memory (its declaration), its
6 MB answers and API Gateway's 29 s.

    uv run python -m bench.api_lines_day                    # 1M lines
    uv run python -m bench.api_lines_day --lines 100000
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from ior_api.adapters.readmodels import ReadModels
from ior_api.declarations import SERVICE
from ior_api.entrypoints.operations import UserOperations
from ior_api.ports import Deps
from ior_api.service_layer import handlers
from ior_contracts.customs import LinesGenerated
from ior_contracts.envelope import new_metadata
from ior_contracts.topology import Naming

from bench.api_lines import PASSWORD, USER, RunningApi, running_api
from bench.figures import Figure, emit

GATEWAY_S = 29.0
ANSWER_BYTES = 6_000_000
HERE = Path(__file__).parent


def publish(lines: int, work: Path) -> Path:
    """The day's customs run as published (objects under `published/`, and its event's claims), made
    once per size."""
    kept = work / f"published-{lines}"
    if (kept / "run.json").exists():
        return kept
    import boto3
    from ior_customs.adapters.datasets import S3Snapshots
    from ior_customs.adapters.outputs import S3Outputs
    from ior_customs.config import CustomsConfig
    from ior_customs.ports import Deps, Trigger
    from ior_customs.service_layer.runs import execute
    from moto import mock_aws

    from bench import customs_day as cd

    data = cd.snapshots(lines, work)
    day = cd.business_day(data)
    announced: list[dict[str, Any]] = []
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        for bucket in (cd.DATA, cd.AUDIT):
            s3.create_bucket(Bucket=bucket)
        catalogue, ledger = cd.Catalogue(cd.store(s3, data, day)), cd.Ledger()
        deps = Deps(
            config=CustomsConfig(),
            catalogue=catalogue,
            snapshots=S3Snapshots(s3, ttl_s=0.0, max_entries=1),
            ledger=ledger,
            outputs=S3Outputs(s3, cd.DATA, cd.AUDIT),
            code_version="bench",
            clock=lambda: datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC),
        )
        trigger = Trigger("bench", "etl.dataset.published.v1", "bench")

        def keep(event: Any, *_: Any, **__: Any) -> None:
            announced.append(event.model_dump(mode="json"))

        execute(day, cd.MODE, trigger, deps, keep)
        for item in s3.list_objects_v2(Bucket=cd.DATA, Prefix="customs/published/").get("Contents", []):
            path = kept / item["Key"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(s3.get_object(Bucket=cd.DATA, Key=item["Key"])["Body"].read())
    generated = next(e for e in announced if "line_columns" in e)
    (kept / "run.json").write_text(json.dumps({"bucket": cd.DATA, "event": generated}, indent=1))
    return kept


def seeder(kept: Path) -> Callable[[Any, Naming], None]:
    """Stores the run's objects where the stage's data bucket is, projects its event, adds the user."""

    def seed(endpoint: Any, naming: Naming) -> None:
        s3, dynamodb = endpoint.client("s3"), endpoint.client("dynamodb")
        run = json.loads((kept / "run.json").read_text())
        for path in sorted(kept.glob("customs/**/*")):
            if path.is_file():
                s3.put_object(
                    Bucket=naming.data_bucket, Key=path.relative_to(kept).as_posix(), Body=path.read_bytes()
                )
        moved = json.dumps(run["event"]).replace(f"s3://{run['bucket']}/", f"s3://{naming.data_bucket}/")
        event = LinesGenerated.model_validate_json(moved)
        table = naming.table("api")
        handlers.project(
            event, cause=new_metadata(LinesGenerated, business_date=event.business_date),
            deps=Deps(ReadModels(dynamodb, table)), publish=lambda *_, **__: None,
        )  # fmt: skip
        UserOperations(endpoint.client, table).add(USER, PASSWORD, "operator")

    return seed


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(api: RunningApi, day: str, mode: str) -> list[dict[str, Any]]:
    """Each page in turn from the API process just started: its wall time from outside, and the
    process's CPU time and peak memory."""
    results: list[dict[str, Any]] = []
    headers = {"cookie": api.cookie, **api.origin}
    with httpx.Client(base_url=api.base, headers=headers, timeout=300) as client:

        def get(name: str, path: str, params: dict[str, str], accept: str = "application/json") -> Any:
            wall, cpu = time.perf_counter(), _cpu_s(api.pid)
            response = client.get(path, params={**params, "mode": mode}, headers={"accept": accept})
            results.append(
                {
                    "name": name,
                    "status": response.status_code,
                    "wall_s": time.perf_counter() - wall,
                    "cpu_s": _cpu_s(api.pid) - cpu,
                    "bytes": len(response.content),
                    "peak_mb": _peak_mb(api.pid),
                }
            )
            return response

        first = get("first page (a cold process)", "/api/customs-lines", {"date": day})
        if first.status_code != 200:
            raise RuntimeError(f"the first page: {first.status_code} {first.text[:500]}")
        line = first.json()["lines"][0]
        get("first page again", "/api/customs-lines", {"date": day})
        get("page 500 by value, descending", "/api/customs-lines",
            {"date": day, "sort": "value", "order": "desc", "page": "500"})  # fmt: skip
        get("search: a description", "/api/customs-lines", {"date": day, "q": str(line["description"])[:12]})
        get("search: an invoice document", "/api/customs-lines", {"date": day, "q": line["sources"][-1][0]})
        get("an entry's page", f"/api/entries/{line['entry_id']}", {})
        get("quarantined lines", "/api/customs-lines/quarantined", {"date": day})
        get("CSV of one entry", "/api/customs-lines", {"date": day, "entry": line["entry_id"]}, "text/csv")
        get("CSV of the whole day", "/api/customs-lines", {"date": day}, "text/csv")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="billing lines in the day")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ior-bench-customs")
    args = parser.parse_args(argv)
    kept = publish(args.lines, args.work)
    event = json.loads((kept / "run.json").read_text())["event"]
    with running_api(seeder(kept)) as api:
        results = measure(api, event["business_date"], event["mode"])
    memory = float(next(e.memory_mb for e in SERVICE.entrypoints if e.name == "http"))
    print(f"API lines pages, a day of {args.lines:,} billing lines ({date.today()})")
    figures = []
    for r in results:
        print(
            f"  {r['name']:<32} {r['status']}  {r['wall_s']:6.2f} s wall  {r['cpu_s']:6.2f} s CPU  "
            f"{r['bytes'] / 1e3:8.1f} kB  peak {r['peak_mb']:6.0f} MB"
        )
        figures.append(Figure(f"{r['name']}: wall", round(r["wall_s"], 3), "s", target=GATEWAY_S))
        figures.append(Figure(f"{r['name']}: answer", r["bytes"], "B", target=ANSWER_BYTES))
    peak = max(r["peak_mb"] for r in results)
    print(f"  peak {peak:.0f} MB of the function's {memory:.0f} MB")
    figures.append(Figure("peak memory", round(peak), "MB", target=memory))
    emit("api_lines_day", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
