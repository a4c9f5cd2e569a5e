"""What a run of the local stack produced, read from outside the pipeline: each date's and mode's
current customs lines (the published objects the customs table points at), every
`customs.lines.generated` on the bus, the official designations and the API's alerts. Two outcomes
are compared line by line, so lost and duplicated lines are counted without the pipeline's counters."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ior_api.adapters.readmodels import ReadModels
from ior_api.domain.readmodels import ALERTS
from ior_customs.adapters.ledger import RunLedger
from ior_tools.runtime.stack import LocalStack

MODES = ("automated", "manual")
GENERATED = "customs.lines.generated.v1"
DESIGNATED = "cutover.official_run.designated.v1"

LineKey = tuple[str, int]  # (entry id, line number)
Source = tuple[str, int]  # (billing document, item): one invoice line
Slot = tuple[date, str]  # (business date, mode)


def _content(line: dict[str, Any]) -> str:
    """A line as compared: everything but its lineage (dataset version ids are the stack's own)."""
    return json.dumps({k: v for k, v in line.items() if k != "lineage"}, sort_keys=True)


@dataclass(frozen=True)
class RunLines:
    run_id: str
    lines: dict[LineKey, str]
    repeated_keys: tuple[LineKey, ...]  # (entry, line) keys the document holds more than once
    sources: Counter[Source]  # how many lines each invoice line went into
    line_sources: dict[LineKey, tuple[Source, ...]]
    quarantined: frozenset[tuple[Source, str]]  # (invoice line, reason) set aside by customs


@dataclass(frozen=True)
class Outcome:
    runs: dict[Slot, RunLines]
    generated: dict[str, dict[str, Any]]  # every `customs.lines.generated.v1`'s data, by event id
    designations: dict[date, dict[str, Any]]  # each date's latest official-run designation
    alerts: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, what)
    rejected_rows: dict[str, list[str]] = field(default_factory=dict)  # the ETL's quarantine, by mode


def _read(stack: LocalStack, uri: str) -> bytes:
    bucket, key = uri.removeprefix("s3://").split("/", 1)
    body: bytes = stack.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    return gzip.decompress(body)


def _run_lines(stack: LocalStack, run_id: str, lines_uri: str) -> RunLines:
    document = json.loads(_read(stack, lines_uri))
    keys: Counter[LineKey] = Counter()
    lines: dict[LineKey, str] = {}
    sources: Counter[Source] = Counter()
    line_sources: dict[LineKey, tuple[Source, ...]] = {}
    for entry in document["entries"]:
        for line in entry["lines"]:
            key = (entry["entry_id"], int(line["line"]))
            keys[key] += 1
            lines[key] = _content(line)
            line_sources[key] = tuple((str(doc), int(item)) for doc, item in line["sources"])
            sources.update(line_sources[key])
    quarantine = json.loads(_read(stack, lines_uri.replace("/published/lines/", "/published/quarantine/")))
    set_aside = frozenset(
        ((str(q["document"]), int(q["item"])), str(q["reason"])) for q in quarantine["quarantined"]
    )
    repeated = tuple(sorted(k for k, n in keys.items() if n > 1))
    return RunLines(run_id, lines, repeated, sources, line_sources, set_aside)


def read_outcome(stack: LocalStack, days: list[date]) -> Outcome:
    ledger = RunLedger(stack.client("dynamodb"), stack.naming.table("customs"))
    runs: dict[Slot, RunLines] = {}
    for day in days:
        for mode in MODES:
            current = ledger.current(mode, day)
            if current is not None:
                runs[day, mode] = _run_lines(stack, current.run_id, current.lines.uri)
    events = stack.event_log.window()
    generated = {e.event_id: e.event["detail"]["data"] for e in events if e.detail_type == GENERATED}
    designations = {
        date.fromisoformat(e.event["detail"]["data"]["business_date"]): e.event["detail"]["data"]
        for e in events
        if e.detail_type == DESIGNATED
    }
    alerts = Counter(
        (a["kind"], a["what"])
        for a in ReadModels(stack.client("dynamodb"), stack.naming.table("api")).query(ALERTS)
    )
    return Outcome(runs, generated, designations, alerts, _rejected_transactions(stack))


def _rejected_transactions(stack: LocalStack) -> dict[str, list[str]]:
    """Every transaction row the ETL quarantined, as its JSON text, by mode."""
    s3, bucket = stack.client("s3"), stack.naming.data_bucket
    found: dict[str, list[str]] = {}
    for mode in MODES:
        listed = s3.list_objects_v2(Bucket=bucket, Prefix=f"etl/quarantine/transactions/{mode}/")
        for item in listed.get("Contents", []):
            body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            found.setdefault(mode, []).extend(gzip.decompress(body).decode().splitlines())
    return found


@dataclass(frozen=True)
class Difference:
    """A run's lines against the fault-free run's, for one date and mode."""

    lost: list[LineKey]  # in the baseline, not in the run
    extra: list[LineKey]  # in the run, not in the baseline
    changed: list[LineKey]  # in both, with other content
    repeated: list[LineKey]  # held twice by the run's document

    @property
    def clean(self) -> bool:
        return not (self.lost or self.extra or self.changed or self.repeated)


def difference(baseline: RunLines | None, run: RunLines | None) -> Difference:
    expected = baseline.lines if baseline else {}
    actual = run.lines if run else {}
    return Difference(
        lost=sorted(set(expected) - set(actual)),
        extra=sorted(set(actual) - set(expected)),
        changed=sorted(k for k in set(expected) & set(actual) if expected[k] != actual[k]),
        repeated=list(run.repeated_keys) if run else [],
    )


def differences(
    baseline: Outcome, outcome: Outcome, modes: tuple[str, ...] = MODES
) -> dict[Slot, Difference]:
    """Every date and mode of the baseline (or the outcome) whose lines are not exactly the baseline's."""
    slots = {s for s in (*baseline.runs, *outcome.runs) if s[1] in modes}
    found = {s: difference(baseline.runs.get(s), outcome.runs.get(s)) for s in sorted(slots)}
    return {s: d for s, d in found.items() if not d.clean}


def duplicate_runs(outcome: Outcome) -> list[str]:
    """Runs made twice: one run id announced with different content, or two run ids of one date and
    mode made from the very same inputs (a run is keyed by its inputs, code and configuration)."""
    found: list[str] = []
    by_run: dict[str, set[str]] = {}
    by_inputs: dict[tuple[str, str, str, str, str], set[str]] = {}
    for data in outcome.generated.values():
        by_run.setdefault(data["run_id"], set()).add(json.dumps(data, sort_keys=True))
        inputs = (
            data["business_date"],
            data["mode"],
            json.dumps(data["inputs"], sort_keys=True),
            data["code_version"],
            data["config_version"],
        )
        by_inputs.setdefault(inputs, set()).add(data["run_id"])
    found += [f"{run}: announced with {len(v)} different contents" for run, v in by_run.items() if len(v) > 1]
    found += [
        f"{k[0]} {k[1]}: runs {sorted(v)} from one input set" for k, v in by_inputs.items() if len(v) > 1
    ]
    return found


def new_alerts(baseline: Outcome, outcome: Outcome) -> Counter[tuple[str, str]]:
    """Alerts the outcome raised beyond the fault-free run's (a repeat of one counts too)."""
    return outcome.alerts - baseline.alerts
