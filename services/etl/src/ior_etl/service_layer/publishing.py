"""A run from inputs to announcement: build, quarantine, then publish or hold.

- The run id is a hash of the dataset, mode, inputs (checksums), code and configuration: the same
  inputs make the same run, whose outcome the table keeps, so a run already settled is not built
  again and nothing is announced twice.
- A published version is content-addressed (`domain.snapshot.version_id`) and made current only if
  no version of newer inputs (`as_of`) is current; a stale build stays unannounced.
- A held run publishes nothing: the current version stays, and `etl.dataset.held.v1` names it.
- Rows rejected only for missing master data are recorded as pending, with the sources they wait
  for. Those sources feed the dataset, so their arrival rebuilds it: the rows are read again from
  the latest extract (whole sources are rebuilt in full, so a row SAP has dropped since is not
  brought back) and the ones that now pass are in that version.

Every run leaves an audit record. Order matters for crash safety: objects, then the current
pointer, then the events, then the run record — a retry repeats what was not recorded, under the
same event ids."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Literal

from ior_contracts.claims import ClaimCheck
from ior_contracts.consumer import Publish
from ior_contracts.datasets import SCHEMA_VERSION
from ior_contracts.vocabulary import Mode

from ior_etl.domain import quarantine
from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.origins import described, write_origins
from ior_etl.domain.results import Result
from ior_etl.domain.snapshot import InputChecksum, manifest, version_id, write_ordered_snapshot
from ior_etl.domain.sources import MASTER_DATA
from ior_etl.ports import CurrentVersion, Deps, Input, PendingRows, RunRecord, RunStatus
from ior_etl.service_layer.announcements import Announcer, Publication, fraction

Status = Literal["published", "held", "superseded", "unchanged", "waiting"]
_NEWER = "superseded: a version of newer inputs is current"


@dataclass(frozen=True, eq=False)
class Run:
    """What a run is made of: its dataset, mode and inputs; `cause` is the event that asked for it;
    `business_date`, the arrival date its events concern (a day's invoice lines); `upload_id`, the
    upload it was built from (manual path)."""

    dataset: str
    mode: Mode
    inputs: tuple[Input, ...]
    cause: str
    business_date: date | None = None
    upload_id: str | None = None

    @property
    def as_of(self) -> str:
        return max(i.at for i in self.inputs)

    def run_id(self, code_version: str, config_version: str) -> str:
        key = {
            "dataset": self.dataset,
            "mode": self.mode,
            "inputs": sorted((i.name, i.sha256) for i in self.inputs),
            "code_version": code_version,
            "config_version": config_version,
        }
        digest = hashlib.sha256(json.dumps(key, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
        return f"etl-{self.dataset}-{self.mode}-{digest[:16]}"


@dataclass(frozen=True, eq=False)
class Built:
    """A run's result, and where each rejected row came from."""

    result: Result
    locate: quarantine.Locate


@dataclass(frozen=True)
class RunOutcome:
    dataset: str
    mode: Mode
    status: Status
    detail: str
    run_id: str | None = None
    version: str | None = None


def _settled(prior: RunRecord, current: CurrentVersion | None, as_of: str) -> bool:
    """Nothing to do: the run was held, its version is current, or newer inputs made the current one."""
    if prior.status == "held":
        return True
    return current is not None and (prior.version == current.version or current.as_of > as_of)


def settle(
    run: Run, make: Callable[[], Built], deps: Deps, publish: Publish, announcer: Announcer | None = None
) -> RunOutcome:
    """Build (`make`) unless the run is settled already, then publish or hold; `announcer` says it
    (the datasets' events unless another is given)."""
    run_id = run.run_id(deps.code_version, deps.policy.version())
    announce = announcer or Announcer(publish, run.business_date, run.upload_id)
    prior = deps.catalog.run(run.dataset, run.mode, run_id)
    current = deps.catalog.current(run.dataset, run.mode)
    if prior is not None and _settled(prior, current, run.as_of):
        detail = f"{run.dataset} unchanged: already {prior.status} from these inputs"
        if current is not None and prior.status == "published" and prior.version == current.version:
            # The same inputs again (unchanged master data): the current version is confirmed, so
            # freshness does not decay while nothing changes.
            assert prior.version is not None
            announce.dataset_confirmed(run.dataset, run.mode, prior.version, run_id, run.as_of, run.cause)
        return RunOutcome(run.dataset, run.mode, "unchanged", detail, run_id, prior.version)
    built = make()
    result = built.result
    claim = _quarantine(run, run_id, built, deps) if result.rejected_rows or result.held else None
    if result.held:
        return _hold(run, run_id, result, claim, deps, announce)
    return _publish(run, run_id, built, claim, deps, announce)


def _quarantine(run: Run, run_id: str, built: Built, deps: Deps) -> ClaimCheck:
    result = built.result
    body = quarantine.quarantine_body(result.rejected, built.locate)
    uri = deps.objects.put_quarantine(run.dataset, run.mode, run_id, body)
    return ClaimCheck(
        uri=uri,
        sha256=hashlib.sha256(body).hexdigest(),
        row_count=len(result.rejected),
        schema_version=quarantine.SCHEMA_VERSION,
    )


def _hold(
    run: Run, run_id: str, result: Result, claim: ClaimCheck | None, deps: Deps, announce: Announcer
) -> RunOutcome:
    assert claim is not None  # a held run always leaves its quarantine file, empty or not
    current = deps.catalog.current(run.dataset, run.mode)
    if current is not None and current.as_of > run.as_of:
        _record(run, run_id, result, deps, "superseded", claim=claim)
        return RunOutcome(run.dataset, run.mode, "superseded", f"{run.dataset} {_NEWER}", run_id)
    if result.rejected_rows:
        announce.rows_quarantined(run_id, result, claim)
    announce.dataset_held(run_id, result, claim.uri, current.version if current else None)
    _record(run, run_id, result, deps, "held", claim=claim)
    kept = f"; {current.version} stays current" if current else "; no version is current yet"
    return RunOutcome(run.dataset, run.mode, "held", result.message + kept, run_id)


def _publish(
    run: Run, run_id: str, built: Built, claim: ClaimCheck | None, deps: Deps, announce: Announcer
) -> RunOutcome:
    result = built.result
    build = result.build
    assert build is not None  # only a file refused whole has no build, and that run is held
    snapshot, order = write_ordered_snapshot(build.frame, build.dataset)
    checksums = [InputChecksum(i.name, i.sha256, i.uri) for i in run.inputs]
    origins = write_origins(build, built.locate, checksums, order)
    config_version = deps.policy.version()
    version = version_id(build, snapshot, checksums, deps.code_version, config_version)
    dates = business_dates(build)
    document = {
        **manifest(build, snapshot, inputs=checksums, code_version=deps.code_version, policy=deps.policy),
        "run_id": run_id,
        "quarantine_uri": claim.uri if claim else None,
        "business_dates": [d.isoformat() for d in dates] if dates is not None else None,
        **({"origins": described(origins)} if origins is not None else {}),
    }
    data_uri, manifest_uri = deps.objects.put_version(
        build.dataset,
        build.mode,
        version,
        snapshot.data,
        canonical(document),
        origins=origins.data if origins is not None else None,
    )
    snapshot_claim = ClaimCheck(
        uri=data_uri, sha256=snapshot.sha256, row_count=snapshot.rows, schema_version=SCHEMA_VERSION
    )
    current = CurrentVersion(
        build.dataset, build.mode, version, run.as_of, run_id, snapshot_claim, manifest_uri
    )
    if deps.catalog.make_current(current) == "stale":
        _record(run, run_id, result, deps, "superseded", claim=claim, version=version)
        return RunOutcome(run.dataset, run.mode, "superseded", f"{run.dataset} {_NEWER}", run_id, version)
    if claim is not None:
        announce.rows_quarantined(run_id, result, claim)
    announce.dataset_published(
        Publication(
            result=result,
            version=version,
            as_of=run.as_of,
            snapshot=snapshot_claim,
            manifest_uri=manifest_uri,
            inputs=run.inputs,
            code_version=deps.code_version,
            business_dates=dates,
            flags=build.flags,
            quarantine=claim,
        )
    )
    _record(run, run_id, result, deps, "published", claim=claim, version=version)
    return RunOutcome(run.dataset, run.mode, "published", result.message, run_id, version)


def business_dates(build: DatasetBuild) -> list[date] | None:
    """For transactions, the arrival dates the version has lines for."""
    if build.dataset != "transactions":
        return None
    # Each distinct moment once: a day's lines share a handful of arrival dates.
    return sorted({moment.date() for moment in build.frame["arrival"].dropna().unique()})


def canonical(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def _record(
    run: Run,
    run_id: str,
    result: Result,
    deps: Deps,
    status: RunStatus,
    *,
    claim: ClaimCheck | None,
    version: str | None = None,
) -> None:
    quarantine_uri = claim.uri if claim else None
    record = RunRecord(
        dataset=run.dataset,
        mode=run.mode,
        run_id=run_id,
        status=status,
        as_of=run.as_of,
        total_rows=result.total_rows,
        rejected_rows=result.rejected_rows,
        reevaluable_rows=result.reevaluable_rows,
        version=version,
        quarantine_uri=quarantine_uri,
        rule=result.rule,
        cause=run.cause,
    )
    # The audit record is the run record, less what only the table needs, with what made the run.
    audit = {
        name: value for name, value in asdict(record).items() if name not in ("reevaluable_rows", "rule")
    }
    audit |= {
        "inputs": [{"name": i.name, "uri": i.uri, "sha256": i.sha256, "at": i.at} for i in run.inputs],
        "code_version": deps.code_version,
        "config_version": deps.policy.version(),
        "reject_rate": fraction(result.reject_rate),
        "threshold": fraction(result.threshold),
        "rules": [{"rule": s.rule, "rows": s.rows, "example_reason": s.example_reason} for s in result.rules],
    }
    deps.objects.put_audit(run.dataset, run.mode, run_id, canonical(audit))
    if status != "superseded":
        sources = MASTER_DATA.get(run.dataset, ())
        deps.catalog.record_pending(
            PendingRows(run.dataset, run.mode, run_id, result.reevaluable_rows, quarantine_uri, sources)
        )
    deps.catalog.record_run(record)
