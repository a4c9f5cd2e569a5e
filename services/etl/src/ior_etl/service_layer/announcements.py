"""The events a run announces. Their ids derive from what they announce: a run announced again (a
retry after a crash) is announced under the same ids; a version made current again for newer
inputs is a new announcement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from ior_contracts.claims import ClaimCheck
from ior_contracts.envelope import deterministic_event_id
from ior_contracts.etl import (
    DatasetConfirmed,
    DatasetHeld,
    DatasetPublished,
    FlagCount,
    InputRef,
    RowsQuarantined,
    RuleCount,
)

from ior_etl.domain.results import Result
from ior_etl.ports import Input, Outgoing

REASON_LIMIT = 500


def fraction(value: Decimal) -> str:
    """A fraction as the contract writes it: plain decimal text, never an exponent."""
    return format(value, "f")


def input_refs(inputs: Sequence[Input]) -> list[InputRef]:
    ordered = sorted(inputs, key=lambda i: (i.name, i.at, i.sha256))
    return [InputRef(name=i.name, uri=i.uri, sha256=i.sha256) for i in ordered]


def _clip(text: str) -> str:
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1] + "…"


def rows_quarantined(run_id: str, result: Result, quarantine: ClaimCheck) -> Outgoing:
    event = RowsQuarantined(
        dataset=result.dataset,
        mode=result.mode,
        run_id=run_id,
        quarantine=quarantine,
        rejected_rows=result.rejected_rows,
        total_rows=result.total_rows,
        rules=[
            RuleCount(rule=s.rule, count=s.rows, example_reason=_clip(s.example_reason)) for s in result.rules
        ],
    )
    return Outgoing(event, deterministic_event_id(event.DETAIL_TYPE, run_id))


def dataset_held(run_id: str, result: Result, quarantine_uri: str, current_version: str | None) -> Outgoing:
    event = DatasetHeld(
        dataset=result.dataset,
        mode=result.mode,
        run_id=run_id,
        rule=result.rule or "no_rows",
        rejected_rows=result.rejected_rows,
        total_rows=result.total_rows,
        reject_rate=fraction(result.reject_rate),
        threshold=fraction(result.threshold),
        quarantine_uri=quarantine_uri,
        current_version=current_version,
    )
    return Outgoing(event, deterministic_event_id(event.DETAIL_TYPE, run_id))


def dataset_confirmed(dataset: str, mode: str, version: str, run_id: str, as_of: str, cause: str) -> Outgoing:
    """Each confirmation is its own occurrence (next week's identical extract confirms again), so its
    id derives from the event that caused it: a re-delivered cause confirms under the same id."""
    event = DatasetConfirmed(dataset=dataset, mode=mode, version=version, run_id=run_id, as_of=as_of)
    return Outgoing(event, deterministic_event_id(event.DETAIL_TYPE, run_id, cause))


def dataset_published(
    *,
    result: Result,
    version: str,
    as_of: str,
    snapshot: ClaimCheck,
    manifest_uri: str,
    inputs: Sequence[Input],
    code_version: str,
    business_dates: list[date] | None,
    flags: Mapping[str, int],
) -> Outgoing:
    event = DatasetPublished(
        dataset=result.dataset,
        mode=result.mode,
        version=version,
        snapshot=snapshot,
        manifest_uri=manifest_uri,
        inputs=input_refs(inputs),
        code_version=code_version,
        business_dates=business_dates,
        rejected_rows=result.rejected_rows,
        flags=[FlagCount(flag=name, count=count) for name, count in sorted(flags.items()) if count],
    )
    event_id = deterministic_event_id(event.DETAIL_TYPE, result.dataset, result.mode, version, as_of)
    return Outgoing(event, event_id)
