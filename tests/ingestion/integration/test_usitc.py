"""The USITC HTS export adapter: local and https locations, checked while streaming."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from ior_ingestion.adapters.retrying import RetryPolicy
from ior_ingestion.adapters.usitc import (
    UsitcExport,
    UsitcIncompleteError,
    UsitcMalformedError,
    UsitcServerError,
    UsitcUnreachableError,
)

FAST = RetryPolicy(attempts=3, timeout=10, wait_initial=0, wait_max=0, wait_jitter=0)
URL = "https://hts.example.test/export.json.gz"
ROWS: list[dict[str, Any]] = [
    {"htsno": "8517", "indent": "0", "description": "Telephone sets", "units": [], "general": ""},
    {"htsno": "", "indent": "1", "description": "Other:", "units": [], "general": ""},
    {"htsno": "8517.62.00", "indent": "1", "description": "Machines", "units": [], "general": "Free"},
    {
        "htsno": "8517.62.00.20",
        "indent": "2",
        "description": "Switching \u00e9",
        "units": ["No."],
        "general": "",
    },
]


def export(rows: Any = ROWS, *, compress: bool = True) -> bytes:
    text = json.dumps(rows, indent=1).encode()
    return gzip.compress(text, mtime=0) if compress else text


def fetched(location: str, **kwargs: Any) -> tuple[bytes, int]:
    chunks, rows = UsitcExport(location, retry=FAST, chunk_size=7, **kwargs).fetch()
    return b"".join(chunks), rows


@pytest.mark.parametrize("compress", [True, False])
def test_hands_on_a_local_export_byte_for_byte(tmp_path: Path, compress: bool) -> None:
    path = tmp_path / "hts.json.gz"
    path.write_bytes(export(compress=compress))
    assert fetched(str(path)) == (path.read_bytes(), 4)


def test_a_relative_path_resolves_against_the_base_directory(tmp_path: Path) -> None:
    (tmp_path / "ref").mkdir()
    (tmp_path / "ref" / "hts.json.gz").write_bytes(export())
    assert fetched("ref/hts.json.gz", base_dir=tmp_path)[1] == 4


def test_a_missing_file_is_unreachable_and_not_retried(tmp_path: Path) -> None:
    with pytest.raises(UsitcUnreachableError) as failure:
        fetched(str(tmp_path / "nope.json.gz"))
    assert (failure.value.reason, failure.value.attempts) == ("unreachable", 1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (export({"htsno": "8517"}), "not a JSON array"),
        (export([]), "array is empty"),
        (export([{"indent": "0"}]), "no string htsno"),
        (export([{"htsno": ""}]), "no row of the export has an htsno"),
        (export(["8517"]), "not a JSON object"),
        (gzip.compress(b'[{"htsno": "8517"}'), "ends inside its array"),
        (gzip.compress(b'[{"htsno": "8517"}] []'), "content follows"),
        (gzip.compress(b'[{"htsno": "8517"} {"htsno": "1"}]'), "expected `,` or `]`"),
        (gzip.compress(b'[{"htsno": "8517", }]'), "row 1"),
        (export()[:-12], "gzip stream ends early"),
        (b"\x1f\x8b\x08\x00garbage-garbage", "not valid gzip"),
        (b'[{"htsno": "\xff"}]', "not UTF-8"),
        (b"", "empty"),
    ],
)
def test_refuses_what_is_not_the_usitc_export(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "hts.json.gz"
    path.write_bytes(content)
    with pytest.raises(UsitcMalformedError, match=message) as failure:
        fetched(str(path))
    assert failure.value.reason == "malformed"
    assert failure.value.attempts == 1


@respx.mock
def test_downloads_over_https_retrying_a_server_error() -> None:
    route = respx.get(URL).mock(side_effect=[httpx.Response(503), httpx.Response(200, content=export())])
    assert fetched(URL) == (export(), 4)
    assert route.call_count == 2


@respx.mock
def test_a_missing_download_is_a_server_error_not_retried() -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(404))
    with pytest.raises(UsitcServerError) as failure:
        fetched(URL)
    assert (failure.value.status, failure.value.attempts, route.call_count) == (404, 1, 1)


@respx.mock
def test_a_download_dropped_midway_is_retried_whole() -> None:
    body = export()

    class Dropping(httpx.SyncByteStream):
        def __iter__(self):  # type: ignore[no-untyped-def]
            yield body[:20]
            raise httpx.ReadError("connection reset")

    route = respx.get(URL).mock(
        side_effect=[httpx.Response(200, stream=Dropping()), httpx.Response(200, content=body)]
    )
    assert fetched(URL) == (body, 4)
    assert route.call_count == 2


@respx.mock
def test_a_download_that_keeps_dropping_is_incomplete() -> None:
    class Dropping(httpx.SyncByteStream):
        def __iter__(self):  # type: ignore[no-untyped-def]
            yield b"[{"
            raise httpx.ReadError("connection reset")

    respx.get(URL).mock(side_effect=lambda request: httpx.Response(200, stream=Dropping()))
    with pytest.raises(UsitcIncompleteError) as failure:
        fetched(URL)
    assert failure.value.attempts == 3


@pytest.mark.parametrize("location", ["http://hts.example.test/x.json", "ftp://hts.example.test/x.json"])
def test_refuses_a_location_that_is_not_a_path_or_https(location: str) -> None:
    with pytest.raises(ValueError, match="https"):
        UsitcExport(location)
