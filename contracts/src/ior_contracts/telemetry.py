"""The business metrics of `ior_contracts.metrics`, written as CloudWatch EMF through Powertools.

A service's metrics follow from the events it publishes (rows landed, rows rejected, datasets
published or held, lines and their value and duty, comparisons passed or failed), so they are
counted once, where the event is published, and never disagree with the bus. The consumer adds
each handler's latency. Points are buffered per invocation and written at its end, one EMF
document per dimension set: to stdout in Lambda (CloudWatch Logs turns it into metrics), to the
file named by `IOR_METRICS_FILE` in the local runtime (the stack keeps it beside its event log),
nowhere when `POWERTOOLS_METRICS_DISABLED` (or `POWERTOOLS_DEV`) says so."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

from ior_contracts.compare import ComparisonCompleted
from ior_contracts.customs import LinesGenerated
from ior_contracts.envelope import Event
from ior_contracts.etl import (
    DatasetConfirmed,
    DatasetHeld,
    DatasetPublished,
    FeeTableConfirmed,
    FeeTablePublished,
    RowsQuarantined,
)
from ior_contracts.ingestion import ExtractFailed, ExtractLanded, HtsRevisionOverdue
from ior_contracts.metrics import (
    COMPARISONS_FAILED,
    COMPARISONS_PASSED,
    DATASETS_HELD,
    DATASETS_PUBLISHED,
    DUTY,
    ENTERED_VALUE,
    EXTRACTS_FAILED,
    FEE_TABLE_DAYS_COVERED,
    HTS_REVISION_DAYS_WAITING,
    LINES_GENERATED,
    NAMESPACE,
    ROWS_INGESTED,
    ROWS_REJECTED,
    MetricSpec,
)

METRICS_FILE_ENV = "IOR_METRICS_FILE"

Sink = Callable[[str], None]
Dimensions = tuple[tuple[str, str], ...]


class MetricDimensionError(ValueError):
    """A metric was given other dimensions than its spec declares."""


@dataclass(frozen=True)
class Point:
    spec: MetricSpec
    value: float
    dimensions: Dimensions = ()


def point(spec: MetricSpec, value: float, **dimensions: str) -> Point:
    if set(dimensions) != set(spec.dimensions):
        raise MetricDimensionError(f"{spec.name} takes {spec.dimensions}, got {tuple(dimensions)}")
    return Point(spec, float(value), tuple((d, dimensions[d]) for d in spec.dimensions))


def points_of(event: Event) -> list[Point]:
    """The business metrics a published event stands for."""
    if isinstance(event, ExtractLanded):
        return [point(ROWS_INGESTED, event.extract.row_count, source=event.source)]
    if isinstance(event, ExtractFailed):
        return [point(EXTRACTS_FAILED, 1)]
    if isinstance(event, RowsQuarantined):
        return [point(ROWS_REJECTED, event.rejected_rows, dataset=event.dataset)]
    if isinstance(event, DatasetPublished | DatasetConfirmed):
        # A confirmed version is a refresh too: the stale-data alarms watch this count.
        return [point(DATASETS_PUBLISHED, 1, dataset=event.dataset)]
    if isinstance(event, DatasetHeld):
        return [point(DATASETS_HELD, 1)]
    if isinstance(event, FeeTablePublished | FeeTableConfirmed):
        return [point(FEE_TABLE_DAYS_COVERED, event.coverage.days_ahead)]
    if isinstance(event, HtsRevisionOverdue):
        return [point(HTS_REVISION_DAYS_WAITING, event.days_waiting)]
    if isinstance(event, LinesGenerated):
        totals = event.totals
        return [
            point(LINES_GENERATED, totals.lines, mode=event.mode),
            point(ENTERED_VALUE, totals.entered_value_cents, mode=event.mode),
            point(DUTY, totals.duty_cents, mode=event.mode),
        ]
    if isinstance(event, ComparisonCompleted):
        return [point(COMPARISONS_PASSED if event.passed else COMPARISONS_FAILED, 1)]
    return []


@dataclass
class InvocationMetrics:
    """The points of one invocation of one service's handler."""

    service: str
    points: list[Point] = field(default_factory=list)

    def add(self, spec: MetricSpec, value: float, **dimensions: str) -> None:
        self.points.append(point(spec, value, **dimensions))

    def add_event(self, event: Event) -> None:
        self.points.extend(points_of(event))

    def documents(self) -> list[dict[str, Any]]:
        """One EMF document per dimension set, in a stable order."""
        groups: dict[Dimensions, list[Point]] = {}
        for p in self.points:
            groups.setdefault(p.dimensions, []).append(p)
        docs = []
        for dimensions in sorted(groups):
            # A provider per document, not Powertools' `Metrics` singleton: the local runtime runs
            # every service's handlers in one process, on several threads.
            emf = AmazonCloudWatchEMFProvider(namespace=NAMESPACE, service=self.service)
            emf.add_dimension("service", self.service)
            for name, value in dimensions:
                emf.add_dimension(name, value)
            for p in groups[dimensions]:
                emf.add_metric(name=p.spec.name, unit=p.spec.unit, value=p.value)
            docs.append(dict(emf.serialize_metric_set()))
        return docs

    def flush(self, sink: Sink | None = None) -> int:
        """Write the documents and forget the points; how many documents were written."""
        out = sink if sink is not None else configured_sink()
        docs = self.documents() if out is not None else []
        for doc in docs:
            assert out is not None
            out(json.dumps(doc, separators=(",", ":")))
        self.points.clear()
        return len(docs)


_file_lock = threading.Lock()


def file_sink(path: Path) -> Sink:
    def write(line: str) -> None:
        with _file_lock:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as out:
                out.write(line + "\n")

    return write


def stdout_sink(line: str) -> None:
    print(line, flush=True)


def configured_sink() -> Sink | None:
    """Read at every flush, so a local stack started or stopped in this process is followed."""
    if is_metrics_disabled():
        return None
    target = os.environ.get(METRICS_FILE_ENV)
    return file_sink(Path(target)) if target else stdout_sink
