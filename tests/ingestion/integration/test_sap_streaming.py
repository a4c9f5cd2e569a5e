"""Streaming: a large extract passes through the client one page at a time."""

from __future__ import annotations

import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from ior_tools.sap_mock.process import SapMockProcess

from tests.ingestion.integration.conftest import PASSWORD, USER, make_client

ROWS = 200_000
PAGE = 1_000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SapMockProcess]:
    """200 000 rows of the company's HTS table (narrow rows: tracing every allocation of a wide
    extract would make this the slowest test by far), served from a process of its own so what
    is traced here is the client alone."""
    directory: Path = tmp_path_factory.mktemp("big")
    line = (
        '{"STAWN": "%010d", "STTXT": "Switching and routing apparatus", "ZZRATE": "Free", "ZZUNIT": "No."}\n'
    )
    with (directory / "ZFMIOR001.jsonl").open("w", encoding="utf-8") as out:
        out.writelines(line % (8_517_000_000 + i) for i in range(ROWS))
    with SapMockProcess(directory, USER, PASSWORD, page_size=PAGE) as mock:
        yield mock


def _held_bytes(rows: list[dict[str, str]]) -> float:
    """What keeping these rows costs, per row: each dict and its strings."""
    return sum(sys.getsizeof(r) + sum(sys.getsizeof(v) for v in r.values()) for r in rows) / len(rows)


def test_streams_two_hundred_thousand_rows_in_little_memory(big: SapMockProcess) -> None:
    rows = pages = 0
    last_key, per_row = "", 0.0
    tracemalloc.start()
    try:
        with make_client(big) as sap:
            for page in sap.iter_pages("ZFMIOR001Set", None, None):
                pages += 1
                rows += len(page)
                assert page[0]["STAWN"] > last_key
                last_key = page[-1]["STAWN"]
                per_row = per_row or _held_bytes(page)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (rows, pages) == (ROWS, ROWS // PAGE)
    holding_all = ROWS * per_row
    # The client holds a few pages at a time, never the extract.
    assert peak < holding_all / 10, f"peak {peak / 1e6:.1f} MB; holding the rows: {holding_all / 1e6:.0f} MB"
