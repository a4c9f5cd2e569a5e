"""End to end on the local stack: two runs of lines announced on the bus → a comparison,
reported and announced; a discrepancy explained from the members of the lines documents it cites."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import replace
from datetime import date

from ior_contracts.claims import ClaimCheck
from ior_contracts.line_columns import ENTRY_COLUMNS_SCHEMA, LINE_COLUMNS_SCHEMA
from ior_customs.adapters.outputs import gzip_members
from ior_customs.domain import Result, process
from ior_customs.domain.line_columns import EntrySpans, entry_columns_csv, line_columns_csv
from ior_tools.runtime.stack import LocalStack

from tests.compare.documents import lines_generated
from tests.compare.stack.conftest import answer_to, publish_run
from tests.customs.cases import golden_files, inputs_from_case, load_case

DAY = date(2026, 4, 6)


def test_both_modes_on_the_bus_are_compared_and_the_comparison_is_announced(stack: LocalStack) -> None:
    # GIVEN the manual and the automated lines of a date, announced by the customs service
    sent = [publish_run(stack, DAY, mode).event_id for mode in ("manual", "automated")]
    # THEN the compare service announces the comparison
    completed = answer_to(stack, sent, "compare.comparison.completed.v1")
    data = completed["detail"]["data"]
    assert (data["business_date"], data["passed"]) == ("2026-04-06", True)
    assert completed["source"] == "ior.compare"
    # AND its reports are in the compare audit prefix
    key = data["report_uri"].removeprefix(f"s3://{stack.naming.audit_bucket}/")
    assert key == f"compare/comparisons/2026-04-06/{data['comparison_id']}/report.json"
    stack.client("s3").head_object(Bucket=stack.naming.audit_bucket, Key=key)
    # AND the date's official run (shadow: the manual one) is announced
    designated = answer_to(stack, sent, "cutover.official_run.designated.v1")["detail"]["data"]
    assert (designated["official_mode"], designated["state"]) == ("manual", "shadow")


def _publish_with_columns(stack: LocalStack, result: Result, mode: str) -> str:
    """The run's lines and compared columns stored as the customs service stores them, announced."""
    s3, bucket, day = stack.client("s3"), stack.naming.data_bucket, result.business_date
    spans = EntrySpans()
    # Members of a few kilobytes, so the golden run's lines are several (customs writes 256 KiB each).
    lines_body, members = gzip_members(spans.passing(result.json_chunks()), 2_000)
    line_body = line_columns_csv(result.lines)
    assert line_body is not None
    claims = {}
    for kind, body, rows, schema in (
        ("lines", lines_body, len(result.lines), "customs-lines/1"),
        ("line-columns", gzip.compress(line_body, mtime=0), len(result.lines), LINE_COLUMNS_SCHEMA),
        ("entry-columns", gzip.compress(entry_columns_csv(result.entries, spans.spans, members), mtime=0),
         len(result.entries), ENTRY_COLUMNS_SCHEMA),
    ):  # fmt: skip
        digest = hashlib.sha256(body).hexdigest()
        key = f"customs/published/{kind}/{day}/{mode}/{digest}.gz"
        s3.put_object(Bucket=bucket, Key=key, Body=body)
        claims[kind] = ClaimCheck(
            uri=f"s3://{bucket}/{key}", sha256=digest, row_count=rows, schema_version=schema
        )
    entries = claims["lines"].model_copy(update={"row_count": len(result.entries)})
    event = lines_generated(day, mode, (claims["lines"], entries)).model_copy(
        update={"line_columns": claims["line-columns"], "entry_columns": claims["entry-columns"]}
    )
    return stack.publisher().publish(event, business_date=day).event_id


def test_runs_announced_with_their_columns_are_compared_from_them(stack: LocalStack) -> None:
    # GIVEN a golden case's manual and automated runs, announced with their compared columns
    result = process(inputs_from_case(load_case(golden_files()[2])))
    sent = [_publish_with_columns(stack, result, mode) for mode in ("manual", "automated")]
    # THEN the compare function (its role as deployed) reads them and announces the comparison
    data = answer_to(stack, sent, "compare.comparison.completed.v1")["detail"]["data"]
    assert (data["business_date"], data["passed"]) == (result.business_date.isoformat(), True)


def test_a_discrepancy_between_runs_with_columns_is_explained_from_ranges_of_their_lines(
    stack: LocalStack,
) -> None:
    # GIVEN a golden case's manual run, and an automated run whose first line's value differs, both
    # announced with their compared columns (entry columns naming each entry's gzip members)
    expected = process(inputs_from_case(load_case(golden_files()[1])))
    lines = expected.lines.copy()
    lines.loc[0, "value_usd"] += 7
    actual = replace(expected, lines=lines)
    sent = [
        _publish_with_columns(stack, run, mode) for run, mode in ((expected, "manual"), (actual, "automated"))
    ]
    # WHEN the compare function (its role as deployed: ranged reads under its `s3:GetObject` grant)
    # compares them
    data = answer_to(stack, sent, "compare.comparison.completed.v1")["detail"]["data"]
    assert data["passed"] is False
    # THEN its explanation cites the differing line's entry, with the lines read from both documents
    uri = data["explanation"]["uri"]
    bucket, key = uri.removeprefix("s3://").split("/", 1)
    explained = json.loads(
        gzip.decompress(stack.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read())
    )
    discrepancy = next(d for d in explained["discrepancies"] if d["level"] == "line")
    assert discrepancy["entry_id"] == str(expected.lines.loc[0, "entry_id"])
    assert discrepancy["sides"]["actual"]["sources"]
    assert discrepancy["sides"]["expected"]["sources"]
    assert explained["datasets"]["actual"] == dict(sorted(actual.dataset_versions.items()))
