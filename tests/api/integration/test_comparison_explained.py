"""`GET /api/comparisons/{id}/explained`: the compare service's explanation of each discrepancy,
read through its claim check, with the comparison's outcome around it."""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import Any

import pytest
from ior_api.ports import Deps
from ior_contracts import examples
from ior_contracts.compare import ComparisonCompleted
from ior_contracts.envelope import Envelope

from tests.api.conftest import Api, project

SIDE = {
    "line": 5,
    "description": "Other data transmission apparatus",
    "stack": [{"number": "8517.62.00.90", "rate": "0", "duty": "0.00", "provision_rows": None}],
    "values": {"rates": "0", "duty": "0.00"},
    "sources": [["90020001", 10]],
    "source_materials": ["10000042"],
    "datasets": {"hts-reference": "m" * 16},
}
# An explanation made before sides carried their items' materials.
SIDE_WITHOUT_MATERIALS = {key: value for key, value in SIDE.items() if key != "source_materials"}
EXPLANATION = {
    "schema_version": "compare-explanation/1",
    "passed": False,
    "failure_reasons": ["critical field rates out of tolerance 1 time(s)"],
    "worst_fields": [{"field": "rates", "critical": True, "mismatches": 1, "max_abs_delta": None}],
    "total": 1,
    "datasets": {"expected": {"hts-reference": "m" * 16}, "actual": {"hts-reference": "a" * 16}},
    "unreadable": {},
    "discrepancies": [
        {
            "id": "1",
            "level": "line",
            "entry_id": "2709-20260316-SH2001",
            "hts10": "8517.62.00.90",
            "origin": "VN",
            "part": "whole",
            "outcome": "mismatch",
            "critical": True,
            "expected_line": 5,
            "actual_line": 5,
            "fields": [
                {
                    "field": "rates",
                    "expected": "0",
                    "actual": "0.027",
                    "differs": True,
                    "delta": None,
                    "tolerance": "exact as decimals",
                    "critical": True,
                }
            ],
            "sides": {"expected": SIDE, "actual": SIDE_WITHOUT_MATERIALS},
            "input_differences": [
                {
                    "dataset": "hts-reference",
                    "key": "8517620090",
                    "field": "general_rate",
                    "expected": {
                        "value": "0",
                        "version": "m" * 16,
                        "made_from": ["HTS_Code.csv"],
                        "source": {"file": "HTS_Code.csv", "row": 14},
                    },
                    "actual": {"value": "0.027", "version": "a" * 16, "made_from": ["ZFMIOR001"]},
                }
            ],
        }
    ],
}


def _complete(api: Api, explanation: dict[str, Any] | None, *, passed: bool = False) -> dict[str, Any]:
    """Project the example comparison, its explanation stored under the compare `published/` prefix."""
    event = examples.load("compare.comparison.completed.v1")["detail"]
    event["data"]["passed"] = passed
    if explanation is not None:
        body = gzip.compress(json.dumps(explanation).encode(), mtime=0)
        key = f"compare/published/comparisons/x/{hashlib.sha256(body).hexdigest()[:16]}/explained.json.gz"
        api.s3.put_object(Bucket=api.services.settings.data, Key=key, Body=body)
        event["data"]["explanation"] = {
            "uri": f"s3://{api.services.settings.data}/{key}",
            "sha256": hashlib.sha256(body).hexdigest(),
            "row_count": len(explanation["discrepancies"]),
            "schema_version": "compare-explanation/1",
        }
    project(Envelope[ComparisonCompleted].model_validate(event), Deps(readmodels=api.services.readmodels))
    data: dict[str, Any] = event["data"]
    return data


@pytest.fixture
def operator(api: Api) -> Api:
    api.use(*api.session("otto", "operator")[:2])
    return api


def test_a_failed_comparison_is_served_with_each_discrepancy_side_by_side_and_its_cause(
    operator: Api,
) -> None:
    # GIVEN a failed comparison the compare service explained
    comparison_id = _complete(operator, EXPLANATION)["comparison_id"]
    # WHEN the analyst opens it
    shown = operator.client.get(f"/api/comparisons/{comparison_id}/explained")
    # THEN the answer is the outcome with each discrepancy and the dataset cell behind it, each side
    # cited by the file and row it was read from, or by nothing more for a version that does not say
    assert shown.status_code == 200
    body = shown.json()
    assert (body["status"], body["failure_reasons"], body["total"]) == (
        "failed",
        EXPLANATION["failure_reasons"],
        1,
    )
    [found] = body["discrepancies"]
    assert found["sides"]["expected"]["sources"] == [["90020001", 10]]
    # AND each item's material, null on a side whose explanation did not carry them
    assert found["sides"]["expected"]["source_materials"] == ["10000042"]
    assert found["sides"]["actual"]["source_materials"] == [None]
    [difference] = found["input_differences"]
    assert difference["expected"]["source"] == {"file": "HTS_Code.csv", "row": 14}
    assert difference["actual"] == {
        "value": "0.027",
        "version": "a" * 16,
        "made_from": ["ZFMIOR001"],
        "source": None,
    }


def test_a_passed_comparison_without_an_explanation_has_no_discrepancies(operator: Api) -> None:
    # GIVEN a comparison where nothing differed: the compare service named no explanation
    comparison_id = _complete(operator, None, passed=True)["comparison_id"]
    body = operator.client.get(f"/api/comparisons/{comparison_id}/explained").json()
    assert (body["status"], body["discrepancies"], body["passed_with_differences"]) == ("passed", [], False)


def test_an_unknown_comparison_is_a_404_and_an_explanation_not_as_announced_a_502(operator: Api) -> None:
    assert operator.client.get("/api/comparisons/cmp-nope/explained").status_code == 404
    # GIVEN an explanation replaced after the comparison announced it
    completed = _complete(operator, EXPLANATION)
    key = completed["explanation"]["uri"].removeprefix(f"s3://{operator.services.settings.data}/")
    operator.s3.put_object(Bucket=operator.services.settings.data, Key=key, Body=b"changed")
    # THEN it is not served
    answer = operator.client.get(f"/api/comparisons/{completed['comparison_id']}/explained")
    assert answer.status_code == 502
