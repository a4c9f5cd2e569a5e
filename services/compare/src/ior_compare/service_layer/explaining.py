"""Explaining a comparison's discrepancies: both runs' published documents (their lineage) and the
dataset versions that lineage names, read for the rows the discrepancies rest on; the explanation
stored beside the per-line outcomes under `published/` for the API to serve."""

from __future__ import annotations

import gzip
from collections.abc import Mapping

from ior_contracts.claims import ClaimCheck

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


def explain_comparison(
    result: ComparisonResult,
    runs: Mapping[str, tuple[RunRecord | None, RunFrames]],
    metadata: Mapping[str, str | int | bool | None],
    base: str,
    deps: Deps,
) -> ClaimCheck | None:
    """The explanation's claim check, or None when every line and entry matched. `runs` holds the
    `expected` and `actual` run with its frames."""
    if not _has_discrepancies(result):
        return None
    documents = {side: frames.document for side, (_, frames) in runs.items()}
    cited = explained_entry_ids(result)
    for cited_run in documents.values():
        # One read of each run's document for its dataset versions and every entry cited.
        cited_run.cite(cited)
    inputs = {
        side: _side_inputs(run, documents[side], deps) for side, (run, _) in runs.items() if run is not None
    }
    document = explain(result, documents["expected"], documents["actual"], inputs, metadata=metadata)
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
    snapshots: dict[str, DatasetSnapshot] = {}
    unreadable: dict[str, str] = {}
    for dataset in EXPLAINING_DATASETS:
        version = document.datasets.get(dataset)
        if version is None:
            unreadable[dataset] = "the run's lineage names no version"
            continue
        try:
            snapshots[dataset] = deps.datasets.load(dataset, run.mode, version)
        except DatasetUnavailableError as exc:
            unreadable[dataset] = str(exc)
    return SideInputs(snapshots, unreadable)
