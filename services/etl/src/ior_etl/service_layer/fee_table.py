"""The fee table, rebuilt each time the fee notices land: a new version is published, an unchanged
one confirmed, and either way the event says how far ahead the table covers as of the landing and
which notices it refused (a notice an admin recorded that leaves a gap, say). The table is not per
mode; it is kept under `automated`, as every version's key names a mode."""

from __future__ import annotations

from dataclasses import dataclass, field

from ior_contracts.claims import ClaimCheck
from ior_contracts.consumer import Publish
from ior_contracts.envelope import Metadata
from ior_contracts.etl import FeeCoverage, FeeTableConfirmed, FeeTablePublished, RejectedNotice
from ior_contracts.ingestion import FeeNoticeRef, FeeNoticesLanded
from ior_contracts.vocabulary import Mode

from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.fee_table import Coverage, build_fee_table, coverage
from ior_etl.domain.results import Result, from_build
from ior_etl.domain.sap_fields import CBP_FEES
from ior_etl.domain.sources import FEE_TABLE
from ior_etl.domain.values import date_or_none
from ior_etl.ports import Deps, LandedExtract, instant
from ior_etl.service_layer.announcements import Announcer, Publication, input_refs
from ior_etl.service_layer.inputs import Missing, Reader, load, plan
from ior_etl.service_layer.publishing import Built, Run, RunOutcome, settle

MODE: Mode = "automated"
_LISTED = 100  # notices named in an event; the quarantine object has them all


def refused_notices(build: DatasetBuild) -> tuple[RejectedNotice, ...]:
    """Each refused notice once, with the first rule it broke; one whose year or first day does not
    parse is in the quarantine object only."""
    found = []
    firsts = build.rejected.drop_duplicates(["source", "row"], keep="first")
    for rule, reason, record in zip(firsts["rule"], firsts["reason"], firsts["record"], strict=True):
        year, start = str(record.get("fiscal_year", "")), date_or_none(str(record.get("effective_from", "")))
        if year.isdigit() and 1990 <= int(year) <= 2100 and start is not None:
            found.append(
                RejectedNotice(
                    fiscal_year=int(year),
                    effective_from=start,
                    rule=rule,
                    reason=reason[:500],
                    notice_event_id=str(record.get("event_id", ""))[:128] or None,
                )
            )
    return tuple(found[:_LISTED])


def _coverage(measured: Coverage) -> FeeCoverage:
    return FeeCoverage(
        as_of=measured.as_of,
        covered_until=measured.covered_until,
        days_ahead=measured.days_ahead,
        threshold_days=measured.threshold_days,
        short=measured.short,
    )


@dataclass(frozen=True)
class FeeTableAnnouncer(Announcer):
    """The fee table's own events in place of the datasets': its refused notices ride on them."""

    coverage: FeeCoverage | None = None
    refused: tuple[RejectedNotice, ...] = field(default_factory=tuple)
    notice: FeeNoticeRef | None = None

    def rows_quarantined(self, run_id: str, result: Result, quarantine: ClaimCheck) -> None:
        """Named in the published or confirmed event instead."""

    def dataset_held(
        self, run_id: str, result: Result, quarantine_uri: str, current_version: str | None
    ) -> None:
        """Only a landing without a single notice holds; the ingestion service always lands the
        shipped ones, and the run's outcome and audit record say so."""

    def dataset_confirmed(
        self, dataset: str, mode: str, version: str, run_id: str, as_of: str, cause: str
    ) -> None:
        assert self.coverage is not None
        event = FeeTableConfirmed(
            version=version,
            run_id=run_id,
            coverage=self.coverage,
            rejected=list(self.refused),
            notice=self.notice,
        )
        self._announce(event, run_id, cause)

    def dataset_published(self, publication: Publication) -> None:
        assert self.coverage is not None
        event = FeeTablePublished(
            version=publication.version,
            snapshot=publication.snapshot,
            manifest_uri=publication.manifest_uri,
            inputs=input_refs(publication.inputs),
            code_version=publication.code_version,
            coverage=self.coverage,
            rejected=list(self.refused),
            quarantine=publication.quarantine,
            notice=self.notice,
        )
        self._announce(event, FEE_TABLE, publication.version, publication.as_of)


def fee_notices_landed(landed: FeeNoticesLanded, cause: Metadata, deps: Deps, publish: Publish) -> RunOutcome:
    """Record the landing, rebuild the table from the latest notices, and announce it."""
    day = cause.occurred_at.date()
    extract = LandedExtract(
        CBP_FEES.name, landed.extract, day, day, instant(cause.occurred_at), landed.run_id
    )
    reader = Reader(deps.objects)
    reader.check(extract)
    deps.catalog.record_extract(extract)
    planned = plan(FEE_TABLE, deps.catalog)
    assert not isinstance(planned, Missing)  # the notices just recorded are there
    loaded = load(planned, reader)
    build = build_fee_table(loaded.frames[CBP_FEES.name], policy=deps.policy)
    built = Built(from_build(build), loaded.locate)
    announcer = FeeTableAnnouncer(
        publish,
        coverage=_coverage(coverage(build.frame, day, deps.fee_coverage_days)),
        refused=refused_notices(build),
        notice=landed.notice,
    )
    return settle(
        Run(FEE_TABLE, MODE, planned.inputs, cause.event_id), lambda: built, deps, publish, announcer
    )
