"""The immutable reports behind the dashboard's links: a comparison's and a customs run's, as JSON or
HTML, read from the audit bucket where their events said they are."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from ior_api.domain.readmodels import comparison_key
from ior_api.ports import Report, ReportNotFoundError, Services
from ior_api.service_layer.runs import RunMode, shown_run

ReportName = Literal["report.html", "report.json"]


# Lambda answers a synchronous call with at most 6 MB, and a gzip report goes out base64 (a third
# larger): a report above this is answered with a link to it instead of its bytes.
INLINE_BYTES = 4 * 1024 * 1024


def comparison_report(services: Services, comparison_id: str, name: ReportName) -> Report:
    pk, sk = comparison_key(comparison_id, "completed")
    found = services.readmodels.query(pk, prefix=sk)
    if not found:
        raise ReportNotFoundError(f"no completed comparison {comparison_id}")
    return _read(services, found[0], name)


def customs_run_report(services: Services, day: date, mode: RunMode, name: ReportName) -> Report:
    return _read(services, shown_run(services, day, mode).record, name)


def _read(services: Services, record: dict[str, Any], name: ReportName) -> Report:
    uri = record["report_html_uri"] if name == "report.html" else record["report_uri"]
    return services.audit.read(uri, max_bytes=INLINE_BYTES)
