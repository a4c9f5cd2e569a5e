"""The compare table's record of runs, dates and comparisons.

- `date#<D>` / `run#<mode>#<run_id>`: each `customs.lines.generated.v1` (claim checks, totals).
- `days` / `<D>`: the latest run of each mode (by the event's time) and the comparison of
  exactly those runs; a newer run clears the comparison until its own is made.
- `date#<D>` / `comparison#<expected>#<actual>#<config>`: a comparison's summary, written once.
- `comparison#<id>` / `id`: which comparison an id names (ids chosen by clients are unique too)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ior_contracts.claims import ClaimCheck

from ior_compare.adapters.table import Table
from ior_compare.domain.records import (
    MODES,
    ComparisonKey,
    ComparisonRecord,
    CurrentComparison,
    DayState,
    KeyRecords,
    LatestRun,
    RunRecord,
)
from ior_compare.domain.stamps import moment, stamp

DAYS = "days"


def _date_pk(business_date: date) -> str:
    return f"date#{business_date.isoformat()}"


def _run_sk(mode: str, run_id: str) -> str:
    return f"run#{mode}#{run_id}"


def _comparison_sk(key: ComparisonKey) -> str:
    return f"comparison#{key.expected_run_id or '-'}#{key.actual_run_id or '-'}#{key.config_version}"


class Ledger:
    def __init__(self, table: Table) -> None:
        self._table = table

    # --- runs ---------------------------------------------------------------------------------

    def record_run(self, run: RunRecord) -> bool:
        """Keep the run; False when it was kept before (a re-delivery)."""
        item = {
            "pk": _date_pk(run.business_date),
            "sk": _run_sk(run.mode, run.run_id),
            "kind": "run",
            "business_date": run.business_date.isoformat(),
            "mode": run.mode,
            "run_id": run.run_id,
            "lines": run.lines.model_dump(),
            "entries": run.entries.model_dump(),
            "totals": run.totals,
            "quarantined_lines": run.quarantined_lines,
            "occurred_at": stamp(run.occurred_at),
            "event_id": run.event_id,
            "supersedes": run.supersedes,
            "customs_code_version": run.code_version,
            "customs_config_version": run.config_version,
            **{
                name: claim.model_dump()
                for name, claim in (
                    ("line_columns", run.line_columns),
                    ("entry_columns", run.entry_columns),
                    ("line_arrays", run.line_arrays),
                    ("entry_arrays", run.entry_arrays),
                )
                if claim is not None
            },
        }
        return self._table.put_new(item)

    # --- dates ----------------------------------------------------------------------------------

    def advance_latest(self, run: RunRecord) -> bool:
        """Make `run` its mode's latest for the date unless a later one is there already (events may
        arrive out of order; equal times are settled by run id). True when it became the latest."""
        latest = {
            "run_id": run.run_id,
            "occurred_at": stamp(run.occurred_at),
            "has_transactions": run.has_transactions,
        }
        return self._table.update(
            DAYS,
            run.business_date.isoformat(),
            "SET #m = :latest, business_date = :d REMOVE #c",
            condition="attribute_not_exists(#m) OR #m.#at < :at OR (#m.#at = :at AND #m.#id < :id)",
            names={"#m": run.mode, "#c": "comparison", "#at": "occurred_at", "#id": "run_id"},
            values={
                ":latest": latest,
                ":d": run.business_date.isoformat(),
                ":at": latest["occurred_at"],
                ":id": run.run_id,
            },
        )

    def day(self, business_date: date) -> DayState:
        item = self._table.get(DAYS, business_date.isoformat())
        return _day(item) if item else DayState(business_date)

    def days(self, start: date | None = None, end: date | None = None) -> list[DayState]:
        """Every date with a run or a comparison, oldest first, within `start`–`end` (inclusive)."""
        condition, values = "pk = :pk", {":pk": DAYS}
        if start is not None and end is not None:
            condition += " AND sk BETWEEN :start AND :end"
            values |= {":start": start.isoformat(), ":end": end.isoformat()}
        elif start is not None:
            condition += " AND sk >= :start"
            values[":start"] = start.isoformat()
        elif end is not None:
            condition += " AND sk <= :end"
            values[":end"] = end.isoformat()
        return [_day(item) for item in self._table.query(condition, values)]

    def set_day_comparison(self, record: ComparisonRecord) -> bool:
        """Make `record` the date's comparison if it compares the date's current latest runs."""
        names = {"#c": "comparison", "#at": "compared_at"}
        values: dict[str, Any] = {":c": _day_comparison_data(record.day()), ":at": stamp(record.created_at)}
        conditions = ["(attribute_not_exists(#c) OR #c.#at <= :at)"]
        for mode, run_id in (("manual", record.key.expected_run_id), ("automated", record.key.actual_run_id)):
            names[f"#{mode}"] = mode
            if run_id is None:
                conditions.append(f"attribute_not_exists(#{mode})")
            else:
                names["#id"] = "run_id"
                conditions.append(f"#{mode}.#id = :{mode}")
                values[f":{mode}"] = run_id
        return self._table.update(
            DAYS,
            record.business_date.isoformat(),
            "SET #c = :c, business_date = :d",
            condition=" AND ".join(conditions),
            names=names,
            values={**values, ":d": record.business_date.isoformat()},
        )

    # --- comparisons ----------------------------------------------------------------------------

    def comparison(self, key: ComparisonKey) -> ComparisonRecord | None:
        item = self._table.get(_date_pk(key.business_date), _comparison_sk(key))
        return _comparison(item) if item else None

    def records_of(self, key: ComparisonKey) -> KeyRecords:
        """The key's runs as recorded and the comparison kept under it, if any, in one read."""
        pk = _date_pk(key.business_date)
        runs = {
            mode: (pk, _run_sk(mode, run_id))
            for mode, run_id in (("manual", key.expected_run_id), ("automated", key.actual_run_id))
            if run_id is not None
        }
        kept = (pk, _comparison_sk(key))
        found = self._table.get_many([*runs.values(), kept])
        manual, automated = (
            _run(found[runs[mode]]) if mode in runs and runs[mode] in found else None for mode in MODES
        )
        return KeyRecords(manual, automated, _comparison(found[kept]) if kept in found else None)

    def put_comparison(self, record: ComparisonRecord) -> bool:
        """Keep the comparison once per key, with its id naming it (`claim_comparison_id`), in one
        transaction: a comparison is never kept without the pointer its id is read by. False when its
        key already has one."""
        key = record.key
        item = {
            "pk": _date_pk(key.business_date),
            "sk": _comparison_sk(key),
            "kind": "comparison",
            "business_date": key.business_date.isoformat(),
            "expected_run_id": key.expected_run_id,
            "actual_run_id": key.actual_run_id,
            "config_version": key.config_version,
            "comparison_id": record.comparison_id,
            "passed": record.passed,
            "counts": record.counts,
            "worst_fields": record.worst_fields,
            "failure_reasons": record.failure_reasons,
            "discrepancies": record.discrepancies,
            "report_uri": record.report_uri,
            "report_html_uri": record.report_html_uri,
            "report_sha256": record.report_sha256,
            "result": record.result.model_dump(),
            "explanation": record.explanation.model_dump() if record.explanation else None,
            "trigger_event_id": record.trigger_event_id,
            "created_at": stamp(record.created_at),
            "requested_by": record.requested_by,
            "reason": record.reason,
        }
        pointer, condition, names, values = _id_claim(record.comparison_id, key)
        return self._table.put_all(
            [
                self._table.conditional_put(item, "attribute_not_exists(pk)"),
                self._table.conditional_put(pointer, condition, values, names),
            ]
        )

    def claim_comparison_id(self, comparison_id: str, key: ComparisonKey) -> bool:
        """Reserve `comparison_id` for `key`; False when it already names another comparison."""
        pointer, condition, names, values = _id_claim(comparison_id, key)
        return self._table.put(pointer, condition=condition, names=names, values=values)

    def comparison_by_id(self, comparison_id: str) -> ComparisonRecord | None:
        """The comparison an id names (its own id, or one a client asked for)."""
        pointer = self._table.get(f"comparison#{comparison_id}", "id")
        if pointer is None:
            return None
        item = self._table.get(f"date#{pointer['business_date']}", pointer["key"])
        return _comparison(item) if item else None


def _run(item: dict[str, Any]) -> RunRecord:
    return RunRecord(
        business_date=date.fromisoformat(item["business_date"]),
        mode=item["mode"],
        run_id=item["run_id"],
        lines=ClaimCheck.model_validate(item["lines"]),
        entries=ClaimCheck.model_validate(item["entries"]),
        totals=item["totals"],
        quarantined_lines=item["quarantined_lines"],
        occurred_at=moment(item["occurred_at"]),
        event_id=item["event_id"],
        supersedes=item.get("supersedes"),
        code_version=item["customs_code_version"],
        config_version=item["customs_config_version"],
        line_columns=_optional_claim(item.get("line_columns")),
        entry_columns=_optional_claim(item.get("entry_columns")),
        line_arrays=_optional_claim(item.get("line_arrays")),
        entry_arrays=_optional_claim(item.get("entry_arrays")),
    )


def _id_claim(
    comparison_id: str, key: ComparisonKey
) -> tuple[dict[str, Any], str, dict[str, str], dict[str, Any]]:
    """The pointer from `comparison_id` to `key`, and the condition that it names no other key."""
    pointer = {
        "pk": f"comparison#{comparison_id}",
        "sk": "id",
        "business_date": key.business_date.isoformat(),
        "key": _comparison_sk(key),
    }
    return pointer, "attribute_not_exists(pk) OR #k = :k", {"#k": "key"}, {":k": _comparison_sk(key)}


def _day(item: dict[str, Any]) -> DayState:
    runs = {
        mode: LatestRun(
            item[mode]["run_id"], moment(item[mode]["occurred_at"]), item[mode]["has_transactions"]
        )
        for mode in MODES
        if mode in item
    }
    found = item.get("comparison")
    comparison = None
    if found is not None:
        comparison = CurrentComparison(
            comparison_id=found["comparison_id"],
            passed=found["passed"],
            expected_run_id=found.get("expected_run_id"),
            actual_run_id=found.get("actual_run_id"),
            config_version=found["config_version"],
            discrepancies=found.get("discrepancies", {}),
            compared_at=moment(found["compared_at"]),
        )
    return DayState(
        date.fromisoformat(item["business_date"]), runs.get("manual"), runs.get("automated"), comparison
    )


def _day_comparison_data(day: CurrentComparison) -> dict[str, Any]:
    return {
        "comparison_id": day.comparison_id,
        "passed": day.passed,
        "expected_run_id": day.expected_run_id,
        "actual_run_id": day.actual_run_id,
        "config_version": day.config_version,
        "discrepancies": day.discrepancies,
        "compared_at": stamp(day.compared_at),
    }


def _comparison(item: dict[str, Any]) -> ComparisonRecord:
    key = ComparisonKey(
        business_date=date.fromisoformat(item["business_date"]),
        expected_run_id=item.get("expected_run_id"),
        actual_run_id=item.get("actual_run_id"),
        config_version=item["config_version"],
    )
    return ComparisonRecord(
        key=key,
        comparison_id=item["comparison_id"],
        passed=item["passed"],
        counts=item["counts"],
        worst_fields=item.get("worst_fields", []),
        failure_reasons=item.get("failure_reasons", []),
        discrepancies=item.get("discrepancies", {}),
        report_uri=item["report_uri"],
        report_html_uri=item["report_html_uri"],
        report_sha256=item["report_sha256"],
        result=ClaimCheck.model_validate(item["result"]),
        trigger_event_id=item["trigger_event_id"],
        created_at=moment(item["created_at"]),
        requested_by=item.get("requested_by"),
        reason=item.get("reason"),
        explanation=ClaimCheck.model_validate(item["explanation"]) if item.get("explanation") else None,
    )


def _optional_claim(found: Any) -> ClaimCheck | None:
    return None if found is None else ClaimCheck.model_validate(found)
