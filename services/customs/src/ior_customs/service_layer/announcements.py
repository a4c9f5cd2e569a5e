"""The events a run announces, built from its outputs and kept with its record until published.
Their ids derive from the run id (and so from the run key): a run announced again is announced
under the same ids."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import get_args

import pandas as pd
from ior_contracts.claims import ClaimCheck
from ior_contracts.customs import (
    CorrectionProposed,
    CorrectionSummary,
    Fallback,
    LinesGenerated,
    LinesQuarantined,
    QuarantineReason,
    ReasonCount,
    RunFailed,
    RunTotals,
)
from ior_contracts.envelope import Event, deterministic_event_id
from ior_contracts.registry import model_for

from ior_customs.domain import Result
from ior_customs.ports import RunKey, StoredEvent


def _sum(column: pd.Series) -> int:
    return int(pd.to_numeric(column).fillna(0).sum())


def run_totals(result: Result) -> RunTotals:
    entries = result.entries
    return RunTotals(
        entries=len(entries),
        lines=len(result.lines),
        entered_value_cents=_sum(entries["value_usd"]) * 100,
        duty_cents=_sum(entries["duty_cents"]),
        mpf_cents=_sum(entries["mpf_cents"]),
        hmf_cents=_sum(entries["hmf_cents"]),
    )


def reason_counts(result: Result) -> list[ReasonCount]:
    """Quarantined lines per reason, in the order the checks run."""
    counts = Counter(result.quarantined["reason"].tolist())
    return [
        ReasonCount(reason=reason, count=counts[reason])
        for reason in get_args(QuarantineReason)
        if counts[reason]
    ]


def announced(key: RunKey, event: Event) -> StoredEvent:
    """`event` under the id derived from the run, for the date the run is of."""
    event_id = deterministic_event_id(event.DETAIL_TYPE, key.run_id)
    return StoredEvent(event.DETAIL_TYPE, event_id, key.business_date, event.model_dump(mode="json"))


def lines_generated(
    key: RunKey,
    *,
    outputs: Mapping[str, ClaimCheck],
    report_uris: tuple[str, str],
    fallbacks: tuple[Fallback, ...],
    totals: RunTotals,
    quarantined: int,
    supersedes: str | None,
) -> StoredEvent:
    return announced(
        key,
        LinesGenerated(
            run_id=key.run_id,
            business_date=key.business_date,
            mode=key.mode,
            lines=outputs["lines"],
            entries=outputs["entries"],
            line_columns=outputs.get("line_columns"),
            line_arrays=outputs.get("line_arrays"),
            entry_arrays=outputs.get("entry_arrays"),
            entry_columns=outputs.get("entry_columns"),
            report_uri=report_uris[0],
            report_html_uri=report_uris[1],
            inputs=dict(key.inputs),
            fallbacks=list(fallbacks),
            code_version=key.code_version,
            config_version=key.config_version,
            totals=totals,
            quarantined_lines=quarantined,
            supersedes=supersedes,
        ),
    )


def lines_quarantined(key: RunKey, result: Result, quarantine: ClaimCheck) -> StoredEvent:
    return announced(
        key,
        LinesQuarantined(
            run_id=key.run_id,
            business_date=key.business_date,
            mode=key.mode,
            quarantine=quarantine,
            count=len(result.quarantined),
            reasons=reason_counts(result),
        ),
    )


def run_failed(key: RunKey, reason: str) -> StoredEvent:
    return announced(
        key,
        RunFailed(
            run_id=key.run_id,
            business_date=key.business_date,
            mode=key.mode,
            inputs=dict(key.inputs),
            code_version=key.code_version,
            config_version=key.config_version,
            reason=reason,
        ),
    )


def correction_proposed(
    key: RunKey,
    *,
    official_run_id: str,
    lines: ClaimCheck,
    closed_on: date,
    changes: CorrectionSummary,
    reason: str,
) -> StoredEvent:
    return announced(
        key,
        CorrectionProposed(
            business_date=key.business_date,
            mode=key.mode,
            official_run_id=official_run_id,
            candidate_run_id=key.run_id,
            lines=lines,
            closed_on=closed_on,
            changes=changes,
            reason=reason,
        ),
    )


def restored(event: StoredEvent) -> Event:
    """The event as its contract's model, to publish."""
    return model_for(event.detail_type).model_validate(dict(event.data))
