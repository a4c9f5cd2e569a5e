"""Explaining a comparison's discrepancies: both runs' published documents (their lineage) and the
dataset versions that lineage names, read for the rows the discrepancies rest on; the explanation
stored beside the per-line outcomes under `published/` for the API to serve."""

from __future__ import annotations

import gzip
from collections.abc import Mapping
from concurrent.futures import Future

from ior_contracts.claims import ClaimCheck
from ior_contracts.side_by_side import each

from ior_compare.domain.explanation import (
    SCHEMA_VERSION,
    CitedDocument,
    explain,
    explained_entry_ids,
    to_json,
)
from ior_compare.domain.inputs import DatasetSnapshot, SideInputs
from ior_compare.domain.records import RunRecord
from ior_compare.domain.result import ComparisonResult
from ior_compare.ports import DatasetUnavailableError, Deps, RunFrames

# The datasets whose rows explain a line; exchange rates and packaging act through the value.
EXPLAINING_DATASETS = ("hts-reference", "tariff-provisions", "transactions", "product-master")


def explanation_inputs(
    runs: Mapping[str, tuple[RunRecord | None, RunFrames]], deps: Deps
) -> dict[str, SideInputs]:
    """The dataset versions each run's lineage names (`EXPLAINING_DATASETS`), read side by side: what
    an explanation reads of them, whatever the comparison finds. `runs` holds the `expected` and
    `actual` run with its frames."""
    sides = [(side, run, frames.document) for side, (run, frames) in runs.items() if run is not None]
    read = each(lambda side: _side_inputs(side[1], side[2], deps), sides)
    return {side: side_inputs for (side, _, _), side_inputs in zip(sides, read, strict=True)}


def cite_discrepancies(
    result: ComparisonResult,
    runs: Mapping[str, tuple[RunRecord | None, RunFrames]],
    inputs: Future[dict[str, SideInputs]],
) -> None:
    """Read, in each run's document, the entries an explanation of `result` cites, side by side, so
    that `explain_comparison` finds them read. After `inputs`, whose reads take the documents' heads
    (a document is read by one caller at a time)."""
    if not _has_discrepancies(result):
        return
    inputs.result()
    cited = explained_entry_ids(result)
    each(lambda document: document.cite(cited), [frames.document for _, frames in runs.values()])


def explain_comparison(
    result: ComparisonResult,
    runs: Mapping[str, tuple[RunRecord | None, RunFrames]],
    metadata: Mapping[str, str | int | bool | None],
    base: str,
    deps: Deps,
    inputs: Future[dict[str, SideInputs]],
) -> ClaimCheck | None:
    """The explanation's claim check, or None when every line and entry matched. `runs` holds the
    `expected` and `actual` run with its frames, their cited entries read (`cite_discrepancies`;
    an entry not read is read when asked for); `inputs` their `explanation_inputs`, read while the
    engine compared."""
    if not _has_discrepancies(result):
        return None
    documents = {side: frames.document for side, (_, frames) in runs.items()}
    read = inputs.result()
    document = explain(result, documents["expected"], documents["actual"], read, metadata=metadata)
    stored = deps.objects.put_published(
        base + "explained.json.gz",
        gzip.compress(to_json(document), compresslevel=6, mtime=0),
        "application/gzip",
    )
    return ClaimCheck(
        uri=stored.uri,
        sha256=stored.sha256,
        row_count=len(document["discrepancies"]),
        schema_version=SCHEMA_VERSION,
    )


def _has_discrepancies(result: ComparisonResult) -> bool:
    return bool((result.lines["outcome"] != "match").any() or (result.entries["outcome"] != "match").any())


def _side_inputs(run: RunRecord, document: CitedDocument, deps: Deps) -> SideInputs:
    """The versions the run's lineage names, read side by side (a manifest, a snapshot and its
    origins each)."""
    named = [(dataset, document.datasets.get(dataset)) for dataset in EXPLAINING_DATASETS]

    def load(version_of: tuple[str, str]) -> DatasetSnapshot | str:
        try:
            return deps.datasets.load(version_of[0], run.mode, version_of[1])
        except DatasetUnavailableError as exc:
            return str(exc)

    versions = [(dataset, version) for dataset, version in named if version is not None]
    loaded = dict(zip((dataset for dataset, _ in versions), each(load, versions), strict=True))
    snapshots: dict[str, DatasetSnapshot] = {}
    unreadable: dict[str, str] = {}
    for dataset in EXPLAINING_DATASETS:
        found = loaded.get(dataset, "the run's lineage names no version")
        if isinstance(found, str):
            unreadable[dataset] = found
        else:
            snapshots[dataset] = found
    return SideInputs(snapshots, unreadable)
