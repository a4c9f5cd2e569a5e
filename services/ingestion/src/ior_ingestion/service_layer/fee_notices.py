"""Landing the customs fee notices: the shipped ones and every recorded one, as one extract of
source `CBP_FEES`, stored like any extract (content-addressed, with an audit record of the run)
and announced for the ETL. The same notices give the same bytes, so a landing that changes
nothing stores nothing new."""

from __future__ import annotations

from dataclasses import replace

from ior_contracts.consumer import Publish
from ior_contracts.envelope import Metadata, deterministic_event_id
from ior_contracts.ingestion import ExtractTrigger, FeeNoticeRef, FeeNoticesLanded

from ior_ingestion.domain.fee_notices import SCHEMA_VERSION, SHIPPED, SOURCE, landing_order
from ior_ingestion.ports import Deps


def land_fee_notices(
    trigger: ExtractTrigger, cause: Metadata, deps: Deps, publish: Publish, notice: FeeNoticeRef | None = None
) -> FeeNoticesLanded:
    notices = landing_order(deps.fee_notices.recorded())
    run_id = deterministic_event_id("ingestion-run", SOURCE, cause.event_id)
    staged = replace(deps.staging.stage_pages([[n.record() for n in notices]]), schema_version=SCHEMA_VERSION)
    shipped = sum(1 for n in notices if n.recorded_by == SHIPPED)
    record = {
        "source": SOURCE,
        "run_id": run_id,
        "trigger": trigger,
        "cause": cause.event_id,
        "rows": staged.rows,
        "shipped": shipped,
        "recorded": len(notices) - shipped,
        **({"notice": notice.model_dump()} if notice else {}),
    }
    try:
        landed = deps.landing.land(staged, source=SOURCE, run_id=run_id, record=record)
    finally:
        deps.staging.discard(staged)
    event = FeeNoticesLanded(
        run_id=run_id,
        extract=landed.extract,
        audit_uri=landed.audit_uri,
        shipped=shipped,
        recorded=len(notices) - shipped,
        trigger=trigger,
        notice=notice,
    )
    publish(event, event_id=deterministic_event_id(event.DETAIL_TYPE, run_id))
    return event
