"""When a new official HTS revision lands, what it changes for the company's HTS numbers: compared
with the revision landed before it (the one the datasets were built from), every statistical line
is checked, the whole comparison stored under the ETL's `published/` prefix, and the company's
numbers that changed announced with both revisions named (`etl.hts_revision.changed.v1`). The same
revision landing again changes nothing and says nothing."""

from __future__ import annotations

import hashlib

from ior_contracts.claims import ClaimCheck
from ior_contracts.consumer import Publish
from ior_contracts.envelope import deterministic_event_id
from ior_contracts.etl import ChangeCounts, CodeChange, HtsRevisionChanged, OfficialLineState

from ior_etl.domain.official_hts import OfficialLine
from ior_etl.domain.revision_changes import (
    ADDED,
    RATE_CHANGED,
    REMOVED,
    SCHEMA_VERSION,
    UNIT_CHANGED,
    LineChange,
    compare_revisions,
)
from ior_etl.domain.sap_fields import ZFMIOR001
from ior_etl.domain.sources import USITC_HTS
from ior_etl.ports import Deps, LandedExtract
from ior_etl.service_layer.inputs import Reader

LISTED = 200  # numbers named in the event; the report has them all


def _state(line: OfficialLine | None) -> OfficialLineState | None:
    return None if line is None else OfficialLineState(unit=line.unit_text, general=line.general[:500])


def _code_change(change: LineChange) -> CodeChange:
    return CodeChange(
        hts10=change.hts10,
        changes=list(change.kinds),
        before=_state(change.before),
        after=_state(change.after),
    )


def _previous(landed: LandedExtract, deps: Deps) -> LandedExtract | None:
    """The official export landed last before `landed`, when its bytes differ."""
    earlier = [e for e in deps.catalog.extracts(USITC_HTS) if e.order < landed.order]
    before = max(earlier, key=lambda e: e.order, default=None)
    return before if before is not None and before.claim.sha256 != landed.claim.sha256 else None


def company_codes(deps: Deps, reader: Reader) -> list[str]:
    """The HTS numbers of the latest company table (ZFMIOR001); none before it first lands."""
    tables = deps.catalog.extracts(ZFMIOR001.name)
    if not tables:
        return []
    frame = reader.extract(max(tables, key=lambda e: e.order))
    return sorted(set(frame[ZFMIOR001.hts10].str.strip()))


def announce_changes(landed: LandedExtract, deps: Deps, reader: Reader, publish: Publish) -> int:
    """Compare the revision just landed with the one before; how many company numbers changed."""
    previous = _previous(landed, deps)
    if previous is None:
        return 0
    changes = compare_revisions(reader.revision(previous), reader.revision(landed))
    codes = company_codes(deps, reader)
    changed = changes.for_codes(codes)
    if not changed:
        return 0
    body = changes.report(codes)
    report = ClaimCheck(
        uri=deps.objects.put_revision_changes(body),
        sha256=hashlib.sha256(body).hexdigest(),
        row_count=len(changes.lines),
        schema_version=SCHEMA_VERSION,
    )
    event = HtsRevisionChanged(
        previous_revision=changes.previous,
        revision=changes.revision,
        company_codes=len(codes),
        changed=[_code_change(c) for c in changed[:LISTED]],
        changed_count=len(changed),
        counts=ChangeCounts(
            removed=changes.count(REMOVED),
            added=changes.count(ADDED),
            unit_changed=changes.count(UNIT_CHANGED),
            rate_changed=changes.count(RATE_CHANGED),
        ),
        report=report,
    )
    key = (previous.claim.sha256, landed.claim.sha256, ",".join(codes))
    publish(event, event_id=deterministic_event_id(event.DETAIL_TYPE, *key))
    return len(changed)
