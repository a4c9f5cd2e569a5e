"""The run's lines document read through its claim check, a day's entries and lines made at once."""

from __future__ import annotations

import gc
import gzip
import hashlib
import json
import sys
from types import FrameType
from typing import Any

from ior_api.adapters.lines import LinesReader
from ior_contracts.claims import ClaimCheck

from tests.api.conftest import Api

JSON_DECODER = ("json/decoder.py", "json/__init__.py")


def _document(entries: int, lines: int) -> dict[str, Any]:
    return {
        "entries": [
            {"entry_id": f"E{e}", "lines": [{"line": n, "hts10": "8517.62.00.90"} for n in range(lines)]}
            for e in range(entries)
        ]
    }


def test_a_lines_document_is_parsed_without_the_collector_walking_it(api: Api) -> None:
    # GIVEN a run's lines object of twenty thousand lines, stored under the customs prefix
    body = gzip.compress(json.dumps(_document(2_000, 10)).encode(), mtime=0)
    digest = hashlib.sha256(body).hexdigest()
    key = f"customs/published/lines/2026-03-16/automated/{digest[:16]}.json.gz"
    api.s3.put_object(Bucket=api.services.settings.data, Key=key, Body=body)
    claim = ClaimCheck(
        uri=f"s3://{api.services.settings.data}/{key}", sha256=digest, row_count=20_000, schema_version="1"
    )
    during_parse: list[int] = []

    def collected(phase: str, info: dict[str, int]) -> None:
        # A collection that starts while the JSON decoder is on the stack walks the document's objects.
        frame: FrameType | None = sys._getframe(1)
        while frame is not None and not frame.f_code.co_filename.endswith(JSON_DECODER):
            frame = frame.f_back
        if phase == "start" and frame is not None:
            during_parse.append(info["generation"])

    gc.callbacks.append(collected)
    try:
        # WHEN it is read
        document = LinesReader(api.s3, api.services.settings.data).read(claim)
    finally:
        gc.callbacks.remove(collected)
    # THEN it is whole, no collection ran while its dicts and lists were made, and the collector is on
    assert sum(len(e["lines"]) for e in document["entries"]) == 20_000
    assert during_parse == []
    assert gc.isenabled()
