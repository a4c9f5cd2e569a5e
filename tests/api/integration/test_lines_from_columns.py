"""A run published with its compared columns is searched, sorted, paged and totalled from them, and
only the page's entries are read from its lines object, by range: every answer is the one its whole
lines document gives. Golden runs, processed and published by the customs service's own code."""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from ior_api.adapters import objects
from ior_api.domain.lines import SORTS
from ior_api.ports import Deps
from ior_contracts import examples
from ior_contracts.customs import LinesGenerated
from ior_contracts.envelope import Envelope
from ior_contracts.line_columns import ENTRY_COLUMNS_SCHEMA, LINE_COLUMNS_SCHEMA
from ior_customs.adapters.outputs import gzip_members
from ior_customs.domain import Result, process
from ior_customs.domain.line_columns import EntrySpans, entry_columns_csv, line_columns_csv

from tests.api.conftest import Api, project
from tests.customs.cases import case_name, golden_files, inputs_from_case, load_case

# Members of a few kilobytes of text, so a golden run's lines are several (customs writes a megabyte).
MEMBER_BYTES = 2_000


@pytest.fixture
def operator(api: Api) -> Api:
    api.use(*api.session("otto", "operator")[:2])
    return api


def put(api: Api, kind: str, body: bytes, rows: int, schema: str) -> dict[str, Any]:
    digest = hashlib.sha256(body).hexdigest()
    key = f"customs/published/{kind}/{digest[:24]}.gz"
    api.s3.put_object(Bucket=api.services.settings.data, Key=key, Body=body)
    return {"uri": f"s3://{api.services.settings.data}/{key}", "sha256": digest, "row_count": rows,
            "schema_version": schema}  # fmt: skip


def publish(api: Api, result: Result, *, columns: bool, mode: str, entry_body: bytes | None = None) -> None:
    """The run as customs publishes it, announced in `mode`: with its columns, or as before them."""
    spans = EntrySpans()
    body, members = gzip_members(spans.passing(result.json_chunks()), MEMBER_BYTES)
    if not columns:
        # One gzip stream, as customs published before the members: another object, so the API
        # (which keeps a run open by its lines object) reads this one on its own.
        body = gzip.compress(gzip.decompress(body), mtime=0)
    lines = put(api, "lines", body, len(result.lines), "customs-lines/1")
    event = examples.load("customs.lines.generated.v1")["detail"]
    event["data"] |= {
        "business_date": result.business_date.isoformat(),
        "mode": mode,
        "lines": lines,
        "entries": lines | {"row_count": len(result.entries)},
        "line_columns": None,
        "entry_columns": None,
    }
    if columns:
        line_body = line_columns_csv(result.lines)
        assert line_body is not None
        entry_body = entry_body or entry_columns_csv(result.entries, spans.spans, members)
        event["data"] |= {
            "line_columns": put(
                api, "line-columns", gzip.compress(line_body, mtime=0), len(result.lines), LINE_COLUMNS_SCHEMA
            ),
            "entry_columns": put(
                api,
                "entry-columns",
                gzip.compress(entry_body, mtime=0),
                len(result.entries),
                ENTRY_COLUMNS_SCHEMA,
            ),
        }
    project(Envelope[LinesGenerated].model_validate(event), Deps(readmodels=api.services.readmodels))


def both_ways(api: Api, path: Path) -> tuple[Result, str]:
    """A golden run published with its columns (automated) and without them (manual)."""
    result = process(inputs_from_case(load_case(path)))
    publish(api, result, columns=True, mode="automated")
    publish(api, result, columns=False, mode="manual")
    return result, result.business_date.isoformat()


def answers(api: Api, path: str, params: dict[str, str], **headers: str) -> tuple[Any, Any]:
    """The answer from the columns and the one from the whole document, the run's mode set aside."""
    found = []
    for mode in ("automated", "manual"):
        response = api.client.get(path, params={**params, "mode": mode}, headers=headers)
        assert response.status_code == 200, response.text
        if response.headers["content-type"].startswith("text/csv"):
            found.append(response.text)
        else:
            body = response.json()
            found.append({k: v for k, v in body.items() if k != "mode"} if isinstance(body, dict) else body)
    return found[0], found[1]


def queries(day: str, lines: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Searches, filters, sorts and pages over the run's own values."""
    first, last = lines[0], lines[-1]
    document, _ = last["sources"][-1]
    materials = [m for line in lines for m in line.get("source_materials") or [] if m]
    found = [
        {},
        {"page_size": "25", "page": "2"},
        {"hts": first["hts10"][:4]},
        {"hts": first["hts10"].replace(".", "")},
        {"origin": last["origin"].lower()},
        {"entry": last["entry_id"]},
        {"q": last["entry_id"][-4:]},
        {"q": (first["description"] or "x")[:5].upper()},
        {"q": first["hts10"][:7]},
        {"q": document},
        {"q": f"  {document}  "},
        {"q": "nothing like it"},
        *({"sort": column, "order": order} for column in SORTS for order in ("asc", "desc")),
    ]
    if materials:
        found += [{"q": materials[0]}, {"q": materials[-1].rjust(18, "0")}]
    return [{"date": day, **query} for query in found]


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_every_page_is_the_one_the_whole_document_gives(operator: Api, path: Path) -> None:
    # GIVEN a golden run published with its columns, and the same run without them
    result, day = both_ways(operator, path)
    document = json.loads(b"".join(result.json_chunks()))
    every = [line for entry in document["entries"] for line in entry["lines"]]
    params = {"date": day, "mode": "manual", "page_size": "200"}
    listed = operator.client.get("/api/customs-lines", params=params).json()["lines"]
    assert len(every) == len(listed) or len(every) > 200
    # WHEN each query is asked of both
    for query in queries(day, listed):
        columns, whole = answers(operator, "/api/customs-lines", query)
        # THEN the answers are the same, lines, totals and entries
        assert columns | {"run_id": None} == whole | {"run_id": None}, query
    for entry in document["entries"]:
        columns, whole = answers(operator, f"/api/entries/{entry['entry_id']}", {})
        assert columns | {"run_id": None} == whole | {"run_id": None}
    columns, whole = answers(operator, "/api/customs-lines/quarantined", {"date": day})
    assert columns == whole
    csv_columns, csv_whole = answers(operator, "/api/customs-lines", {"date": day}, accept="text/csv")
    assert csv_columns == csv_whole


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Each S3 read the API makes, whole or by range, by key."""
    made: list[tuple[str, str]] = []
    whole, ranged = objects.read, objects.read_range

    def read(s3: Any, bucket: str, key: str) -> objects.Content:
        made.append(("whole", key))
        return whole(s3, bucket, key)

    def read_range(s3: Any, bucket: str, key: str, start: int, end: int | None) -> bytes:
        made.append(("range", key))
        return ranged(s3, bucket, key, start, end)

    monkeypatch.setattr(objects, "read", read)
    monkeypatch.setattr(objects, "read_range", read_range)
    return made


def test_a_page_reads_the_columns_whole_and_only_its_entries_by_range(
    operator: Api, reads: list[tuple[str, str]]
) -> None:
    # GIVEN a golden run with several entries, published with its columns
    result = process(inputs_from_case(load_case(golden_files()[0])))
    publish(operator, result, columns=True, mode="automated")
    day = result.business_date.isoformat()
    # WHEN its first page of 25 lines and one entry's page are read
    page = operator.client.get("/api/customs-lines", params={"date": day, "page_size": "25"}).json()
    operator.client.get(f"/api/entries/{page['lines'][0]['entry_id']}")
    # THEN the lines object is read only by range; the columns whole, once each
    whole = [key for how, key in reads if how == "whole"]
    assert sorted(k.split("/")[2] for k in whole) == ["entry-columns", "line-columns"]
    assert any(how == "range" and "/lines/" in key for how, key in reads)


def test_a_search_for_a_document_reads_the_lines_object_whole_once(
    operator: Api, reads: list[tuple[str, str]]
) -> None:
    result = process(inputs_from_case(load_case(golden_files()[0])))
    publish(operator, result, columns=True, mode="automated")
    day = result.business_date.isoformat()
    document = json.loads(b"".join(result.json_chunks()))["entries"][0]["lines"][0]["sources"][0][0]
    for page in ("1", "2"):
        body = operator.client.get(
            "/api/customs-lines", params={"date": day, "q": document, "page": page}
        ).json()
    assert body["total"] >= 1
    # The search is kept: its second page does not read the object again.
    assert [how for how, key in reads if "/lines/" in key and how == "whole"] == ["whole"]


def test_entry_columns_that_put_an_entry_elsewhere_are_refused(operator: Api) -> None:
    # GIVEN a run whose entry columns say one entry's text is where another's is
    result = process(inputs_from_case(load_case(golden_files()[0])))
    spans = EntrySpans()
    _, members = gzip_members(spans.passing(result.json_chunks()), MEMBER_BYTES)
    assert len(spans.spans) >= 2
    swapped = copy.copy(spans.spans)
    swapped[0], swapped[1] = swapped[1], swapped[0]
    publish(operator, result, columns=True, mode="automated",
            entry_body=entry_columns_csv(result.entries, swapped, members))  # fmt: skip
    # WHEN its first page is read
    response = operator.client.get("/api/customs-lines", params={"date": result.business_date.isoformat()})
    # THEN the API refuses it as its upstream's fault, naming the entry
    assert response.status_code == 502
    assert "where its entry columns put" in response.json()["detail"]


def test_line_columns_that_are_not_what_their_event_announced_are_refused(operator: Api) -> None:
    result = process(inputs_from_case(load_case(golden_files()[0])))
    publish(operator, result, columns=True, mode="automated")
    run = operator.services.readmodels.get_many(
        [("customs#runs", f"{result.business_date.isoformat()}#automated")]
    ).popitem()[1]
    key = run["line_columns"]["uri"].removeprefix(f"s3://{operator.services.settings.data}/")
    operator.s3.put_object(Bucket=operator.services.settings.data, Key=key, Body=gzip.compress(b"entry_id\n"))
    response = operator.client.get("/api/customs-lines", params={"date": result.business_date.isoformat()})
    assert response.status_code == 502
    assert "checksum" in response.json()["detail"]
