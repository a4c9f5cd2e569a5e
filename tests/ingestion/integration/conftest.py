"""The mock SAP on loopback, serving small extracts written here in the sample company's format; and
the stage as the program deploys it into moto, in process (`tests.support.deployed`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from ior_ingestion.adapters.retrying import RetryPolicy
from ior_ingestion.adapters.sap import SapClient, SapCredentials
from ior_tools.runtime.aws import Endpoint
from ior_tools.sap_mock import SapMock
from ior_tools.sap_mock.process import SapMockProcess

from tests.support.deployed import Deployed, deployed_in_process

USER = "IOR_EXTRACT"
PASSWORD = "local-test-only"
PAGE_SIZE = 5
FIRST_DAY = date(2026, 3, 1)
FAST = RetryPolicy(attempts=3, timeout=20, wait_initial=0, wait_max=0, wait_jitter=0)


@pytest.fixture(scope="package")
def deployed() -> Iterator[Deployed]:
    with deployed_in_process() as found:
        yield found


@pytest.fixture
def provisioned(deployed: Deployed) -> Endpoint:
    """The stage as the program deploys it, emptied: the ingestion service's table and buckets."""
    deployed.empty()
    return deployed.endpoint


def billing_rows(count: int = 23) -> list[dict[str, str]]:
    """ZSDR002 rows as the sample generator writes them: canonical strings, sorted by key."""
    rows = []
    for i in range(count):
        day = FIRST_DAY + timedelta(days=i // 3)
        rows.append(
            {
                "VBELN": f"{90010000 + i // 2:010d}",
                "POSNR": f"{(i % 2 + 1) * 10:06d}",
                "FKART": "S1" if i == 7 else "F2",
                "FKDAT": day.isoformat(),
                "FKSTO": "X" if i == 5 else "",
                "SFAKN": f"{90010002:010d}" if i == 7 else "",
                "MATNR": f"{10000001 + i % 4:018d}",
                "ARKTX": 'Router 19" rack, "quoted" \\ é' if i == 3 else "Switching and routing apparatus",
                "FKIMG": f"{i + 1}.000",
                "VRKME": "ST",
                "NETWR": f"{1000 + i * 12.5:.2f}" if i != 4 else "-1.2500",
                "WAERK": "USD",
                "ZZSHIPMENT": f"SH{1000 + i // 4}",
                "ZZPORT": "2704",
                "ZZMOT": "40",
                "ZZARRIVAL": "" if i == 0 else (day + timedelta(days=7)).isoformat(),
            }
        )
    return rows


def rate_rows() -> list[dict[str, str]]:
    rows = [
        {
            "KURST": "M",
            "FCURR": currency,
            "TCURR": "USD",
            "GDATU": (FIRST_DAY + timedelta(days=d)).isoformat(),
            "UKURS": rate,
            "FFACT": "1",
            "TFACT": "1",
        }
        for currency, rate in (("CNY", "-7.2000"), ("EUR", "1.0850"))
        for d in range(4)
    ]
    return sorted(rows, key=lambda r: (r["KURST"], r["FCURR"], r["TCURR"], r["GDATU"]))


def provision_rows() -> list[dict[str, str]]:
    return [
        {
            "ZZCODE": "9903.01.24",
            "ZZITEM": "001",
            "ZZRATE": "10.000",
            "DATAB": "2025-03-04",
            "DATBI": "2026-02-23",
        },
        {
            "ZZCODE": "9903.03.01",
            "ZZITEM": "001",
            "ZZRATE": "10.000",
            "DATAB": "2026-02-24",
            "DATBI": "0000-00-00",
        },
        {"ZZCODE": "9903.88.15", "ZZITEM": "001", "ZZRATE": "7.500", "DATAB": "2019-09-01", "DATBI": ""},
    ]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def expected(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """What the client lands: the same strings, SAP's initial date (blank) as ``."""
    return [{k: ("" if v == "0000-00-00" else v) for k, v in r.items()} for r in rows]


def write_extracts(directory: Path) -> Path:
    sap = directory / "sap"
    sap.mkdir()
    write_jsonl(sap / "ZSDR002.jsonl", billing_rows())
    write_jsonl(sap / "ZEMM07.jsonl", rate_rows())
    write_jsonl(sap / "ZFMIOR003.jsonl", provision_rows())
    return directory  # the sample's output directory: the mock finds sap/ in it


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SapMock]:
    """One mock per module: starting and stopping uvicorn is most of a small test's time."""
    with SapMock(
        write_extracts(tmp_path_factory.mktemp("extracts")), USER, PASSWORD, page_size=PAGE_SIZE
    ) as server:
        yield server


@pytest.fixture
def mock(served: SapMock) -> Iterator[SapMock]:
    """The module's mock, as if new: no faults, no counts, the usual page size."""
    served.clear_faults()
    served.reset_request_counts()
    served.page_size = PAGE_SIZE
    yield served
    served.clear_faults()


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(auth=(USER, PASSWORD), timeout=10) as client:
        yield client


def make_client(
    mock: SapMock | SapMockProcess, *, password: str = PASSWORD, read_timeout: float = 5.0, **kwargs: Any
) -> SapClient:
    timeout = httpx.Timeout(connect=2.0, read=read_timeout, write=2.0, pool=2.0)
    return SapClient(
        SapCredentials(mock.base_url, USER, password),
        timeout=timeout,
        retry=kwargs.pop("retry", FAST),
        **kwargs,
    )


@pytest.fixture
def sap(mock: SapMock) -> Iterator[SapClient]:
    with make_client(mock) as client:
        yield client
