"""End to end on the local stack: two runs of lines announced on the bus → a comparison,
reported and announced."""

from __future__ import annotations

from datetime import date

from ior_tools.runtime.stack import LocalStack

from tests.compare.stack.conftest import answer_to, publish_run

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
