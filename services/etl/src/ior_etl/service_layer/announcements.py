"""The events a run announces. Their ids derive from what they announce: a run announced again (a
retry after a crash) is announced under the same ids; a version made current again for newer
inputs is a new announcement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ior_contracts.claims import ClaimCheck
from ior_contracts.consumer import Publish
from ior_contracts.envelope import Event, deterministic_event_id
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
from ior_etl.ports import Input

REASON_LIMIT = 500


def fraction(value: Decimal) -> str:
    """A fraction as the contract writes it: plain decimal text, never an exponent."""
    return format(value, "f")


def input_refs(inputs: Sequence[Input]) -> list[InputRef]:
    ordered = sorted(inputs, key=lambda i: (i.name, i.at, i.sha256))
    return [InputRef(name=i.name, uri=i.uri, sha256=i.sha256) for i in ordered]


def _clip(text: str) -> str:
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1] + "…"


@dataclass(frozen=True)
class Publication:
    """A version just made current, with what its announcement says of it."""

    result: Result
    version: str
    as_of: str
    snapshot: ClaimCheck
    manifest_uri: str
    inputs: Sequence[Input]
    code_version: str
    business_dates: list[date] | None
    flags: Mapping[str, int]
    quarantine: ClaimCheck | None = None


@dataclass(frozen=True)
class Announcer:
    """Puts a run's events on the bus. A run that concerns a business date (a day's invoice lines)
    dates its events with it; the others carry the date of the event that caused them, if any. A run
    built from an upload names it (`upload_id`), so the upload's outcome can be told from its events."""

    publish: Publish
    business_date: date | None = None
    upload_id: str | None = None

    def _announce(self, event: Event, *key: str) -> None:
        event_id = deterministic_event_id(event.DETAIL_TYPE, *key)
        self.publish(event, business_date=self.business_date, event_id=event_id)

    def rows_quarantined(self, run_id: str, result: Result, quarantine: ClaimCheck) -> None:
        rules = [
            RuleCount(rule=s.rule, count=s.rows, example_reason=_clip(s.example_reason)) for s in result.rules
        ]
        event = RowsQuarantined(
            dataset=result.dataset,
            mode=result.mode,
            run_id=run_id,
            quarantine=quarantine,
            rejected_rows=result.rejected_rows,
            total_rows=result.total_rows,
            rules=rules,
            upload_id=self.upload_id,
        )
        self._announce(event, run_id)

    def dataset_held(
        self, run_id: str, result: Result, quarantine_uri: str, current_version: str | None
    ) -> None:
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
            upload_id=self.upload_id,
        )
        self._announce(event, run_id)

    def dataset_confirmed(
        self, dataset: str, mode: str, version: str, run_id: str, as_of: str, cause: str
    ) -> None:
        """Each confirmation is its own occurrence (next week's identical extract confirms again), so
        its id derives from the event that caused it: a re-delivered cause confirms under the same id."""
        event = DatasetConfirmed(
            dataset=dataset, mode=mode, version=version, run_id=run_id, as_of=as_of, upload_id=self.upload_id
        )
        self._announce(event, run_id, cause)

    def dataset_published(self, publication: Publication) -> None:
        """The quarantine, if any, is announced apart, by `rows_quarantined`."""
        result = publication.result
        event = DatasetPublished(
            dataset=result.dataset,
            mode=result.mode,
            version=publication.version,
            snapshot=publication.snapshot,
            manifest_uri=publication.manifest_uri,
            inputs=input_refs(publication.inputs),
            code_version=publication.code_version,
            business_dates=publication.business_dates,
            rejected_rows=result.rejected_rows,
            flags=[FlagCount(flag=n, count=c) for n, c in sorted(publication.flags.items()) if c],
            upload_id=self.upload_id,
        )
        self._announce(event, result.dataset, result.mode, publication.version, publication.as_of)
