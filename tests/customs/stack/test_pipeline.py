"""The customs service on the real local stack: six datasets announced on the bus as the ETL
announces them → its subscription's worker → the day's lines generated and on the event log."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from ior_tools.runtime.stack import LocalStack

from tests.customs.builders import (
    FEES,
    REFERENCE,
    fee_table_published,
    invoice_line,
    published,
    snapshot_bytes,
)
from tests.support.stack import running_stack, stack_fixture, wait_for

GENERATED = "customs.lines.generated.v1"


@stack_fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    with running_stack(Path(tmp_path_factory.mktemp("ior-home"))) as running:
        yield running


def _announce(stack: LocalStack, dataset: str, rows: list[dict[str, str]], **kwargs: object) -> None:
    data = snapshot_bytes(dataset, rows)
    event, key = published(dataset, data, stack.naming.data_bucket, rows=len(rows), **kwargs)  # type: ignore[arg-type]
    stack.client("s3").put_object(Bucket=stack.naming.data_bucket, Key=key, Body=data)
    stack.publisher().publish(event)


def test_datasets_published_on_the_bus_generate_the_days_lines(stack: LocalStack) -> None:
    # An open date: today's arrivals, in USD, so no exchange rate is needed.
    today = datetime.now(UTC).date()
    billed = (today - timedelta(days=2)).isoformat()
    day = [
        invoice_line(
            "90050001", 10, "10000001", "4", "10000.00", arrival=today.isoformat(), billing_date=billed
        ),
        invoice_line(
            "90050001", 20, "90000001", "1", "20.00", arrival=today.isoformat(), billing_date=billed
        ),
    ]
    fees = snapshot_bytes("fee-table", FEES)
    announced, key = fee_table_published(fees, stack.naming.data_bucket, rows=len(FEES))
    stack.client("s3").put_object(Bucket=stack.naming.data_bucket, Key=key, Body=fees)
    stack.publisher().publish(announced)
    for dataset, rows in REFERENCE.items():
        _announce(stack, dataset, list(rows))
    _announce(stack, "transactions", day, business_dates=[today])
    found: list[dict[str, object]] = []

    def generated() -> bool:
        found[:] = [e.event for e in stack.event_log.window() if e.detail_type == GENERATED]
        return bool(found)

    wait_for(generated, timeout=30, what="customs.lines.generated.v1")
    stack.wait_idle()
    generated()
    # THEN one run for the day, whose lines are where the claim check says
    assert len(found) == 1
    data = found[0]["detail"]["data"]  # type: ignore[index]
    assert data["business_date"] == today.isoformat()
    assert data["mode"] == "automated"
    bucket, key = data["lines"]["uri"].removeprefix("s3://").split("/", 1)
    lines_body = stack.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    assert hashlib.sha256(lines_body).hexdigest() == data["lines"]["sha256"]
    (entry,) = json.loads(gzip.decompress(lines_body))["entries"]
    assert entry["entry_id"] == f"0901-{today:%Y%m%d}-SH1"
    assert data["totals"]["entered_value_cents"] == 1_002_000
    # AND its compared columns are beside them, where and what their claim checks say
    for name, counted in (("line_columns", "lines"), ("entry_columns", "entries")):
        claim = data[name]
        bucket, key = claim["uri"].removeprefix("s3://").split("/", 1)
        assert key.startswith(f"customs/published/{name.replace('_', '-')}/")
        assert key.endswith(".csv.gz")
        body = stack.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
        assert hashlib.sha256(body).hexdigest() == claim["sha256"]
        assert (
            len(gzip.decompress(body).splitlines())
            == claim["row_count"] + 1
            == data[counted]["row_count"] + 1
        )
    # AND the entry columns say which bytes of the lines object hold each entry: inflated alone,
    # they hold the entry's text where its offsets say
    assert data["entry_columns"]["schema_version"] == "customs-entry-columns/2"
    (row,) = csv.DictReader(io.StringIO(gzip.decompress(body).decode()))  # the loop's last: entry columns
    at = {
        name: int(row[name])
        for name in ("json_start", "json_end", "gzip_start", "gzip_end", "gzip_text_start")
    }
    members = gzip.decompress(lines_body[at["gzip_start"] : at["gzip_end"]])
    text = members[at["json_start"] - at["gzip_text_start"] : at["json_end"] - at["gzip_text_start"]]
    assert json.loads(text)["entry_id"] == row["entry_id"] == entry["entry_id"]
