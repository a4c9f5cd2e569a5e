"""A comparison explained, as the dashboard shows it: the compare service's explanation (read through
its claim check from `compare/published/`) with the comparison's outcome around it."""

from __future__ import annotations

from typing import Any

from ior_contracts.claims import ClaimCheck

from ior_api.ports import Services
from ior_api.service_layer import views


class ComparisonNotFoundError(LookupError):
    """No completed comparison has that id."""


def explained(services: Services, comparison_id: str) -> dict[str, Any]:
    completed = views.comparison(services, comparison_id).get("completed")
    if completed is None:
        raise ComparisonNotFoundError(f"no completed comparison {comparison_id!r}")
    claim = completed.get("explanation")
    document: dict[str, Any] = {}
    if claim is not None:
        document = services.explanations.read(ClaimCheck.model_validate(claim))
    discrepancies = document.get("discrepancies", [])
    return {
        "comparison_id": comparison_id,
        "business_date": completed["business_date"],
        "status": "passed" if completed["passed"] else "failed",
        "failure_reasons": document.get("failure_reasons", []),
        "worst_fields": document.get("worst_fields", []),
        "passed_with_differences": bool(completed["passed"] and discrepancies),
        "expected_run_id": completed.get("expected_run_id"),
        "actual_run_id": completed.get("actual_run_id"),
        "total": document.get("total", 0),
        "datasets": document.get("datasets", {"expected": {}, "actual": {}}),
        "unreadable": document.get("unreadable", {}),
        "discrepancies": discrepancies,
    }
