"""Customs lines documents in the processor's published shape (the golden cases' `expected`),
stored as the customs service stores them, and the `customs.lines.generated.v1` that point at them."""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from ior_contracts.claims import ClaimCheck
from ior_contracts.customs import LinesGenerated, RunTotals
from ior_contracts.envelope import Metadata, new_metadata
from ior_tools.paths import SHARED

from tests.support.deployed import NAMING

GOLDEN = SHARED / "reference" / "golden"
CASE = GOLDEN / "02-packaging-fx-section-122.yaml"
# The local stage's buckets, named for the local account as the program names them.
DATA_BUCKET = NAMING.data_bucket
AUDIT_BUCKET = NAMING.audit_bucket


def golden_entries(case: Path = CASE) -> list[dict[str, Any]]:
    """The case's expected entries: the shape of the processor's `to_records()` entries."""
    loaded = yaml.safe_load(case.read_text(encoding="utf-8"))
    # Through JSON, as the customs object arrives (dates as text).
    entries: list[dict[str, Any]] = json.loads(json.dumps(loaded["expected"]["entries"], default=str))
    return entries


def document(business_date: date, entries: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A whole published document for one date, around `entries` (the golden case's by default)."""
    return {
        "business_date": business_date.isoformat(),
        "datasets": {"transactions": "3f1c9a7e52d04b8a"},
        "config_version": "7a2f90c4e1d35b68",
        "entries": copy.deepcopy(entries if entries is not None else golden_entries()),
        "quarantined": [],
        "held_out": [],
        "dropped": [],
    }


def with_line_change(doc: dict[str, Any], line: int, **changes: Any) -> dict[str, Any]:
    """A copy of `doc` with one line of its first entry changed."""
    changed = copy.deepcopy(doc)
    for found in changed["entries"][0]["lines"]:
        if found["line"] == line:
            found.update(changes)
    return changed


def encoded(doc: dict[str, Any]) -> bytes:
    """Canonical JSON, gzip-compressed, as the customs service publishes its lines."""
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return gzip.compress(text, mtime=0)


def put_document(
    s3: Any, doc: dict[str, Any], mode: str, bucket: str = DATA_BUCKET
) -> tuple[ClaimCheck, ClaimCheck]:
    """Store `doc` under the customs `published/` prefix; the lines and entries claim checks."""
    body = encoded(doc)
    digest = hashlib.sha256(body).hexdigest()
    key = f"customs/published/lines/{doc['business_date']}/{mode}/{digest}.json.gz"
    s3.put_object(Bucket=bucket, Key=key, Body=body)
    uri = f"s3://{bucket}/{key}"
    lines = sum(len(entry["lines"]) for entry in doc["entries"])
    return (
        ClaimCheck(uri=uri, sha256=digest, row_count=lines, schema_version="customs-lines/1"),
        ClaimCheck(uri=uri, sha256=digest, row_count=len(doc["entries"]), schema_version="customs-lines/1"),
    )


def lines_generated(
    business_date: date,
    mode: str,
    claims: tuple[ClaimCheck, ClaimCheck],
    *,
    run: str = "r1",
    quarantined: int = 0,
) -> LinesGenerated:
    lines, entries = claims
    run_id = f"cus-{business_date:%Y%m%d}-{mode}-{run}"
    return LinesGenerated(
        run_id=run_id,
        business_date=business_date,
        mode=mode,  # type: ignore[arg-type]
        lines=lines,
        entries=entries,
        report_uri=f"s3://{AUDIT_BUCKET}/customs/runs/{run_id}/report.json",
        report_html_uri=f"s3://{AUDIT_BUCKET}/customs/runs/{run_id}/report.html",
        inputs={"transactions": "3f1c9a7e52d04b8a"},
        code_version="e41b7a09c2d86f53",
        config_version="7a2f90c4e1d35b68",
        totals=RunTotals(
            entries=entries.row_count,
            lines=lines.row_count,
            entered_value_cents=0,
            duty_cents=0,
            mpf_cents=0,
            hmf_cents=0,
        ),
        quarantined_lines=quarantined,
    )


def metadata_for(event: LinesGenerated, at: datetime | None = None) -> Metadata:
    return new_metadata(type(event), occurred_at=at or datetime.now(UTC), business_date=event.business_date)
