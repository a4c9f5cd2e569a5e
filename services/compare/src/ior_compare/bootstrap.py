"""The one place the compare service's dependencies are wired (once per cold start)."""

from __future__ import annotations

from datetime import UTC, datetime

from ior_contracts.calendar import BusinessCalendar
from ior_contracts.settings import ServiceSettings

from ior_compare.adapters.announced import Announcements
from ior_compare.adapters.datasets import PublishedDatasets
from ior_compare.adapters.gate_store import GateStore
from ior_compare.adapters.ledger import Ledger
from ior_compare.adapters.lines import PublishedLines
from ior_compare.adapters.objects import S3Objects
from ior_compare.adapters.table import Table
from ior_compare.config import CompareConfig
from ior_compare.ports import Deps


def wire(settings: ServiceSettings) -> Deps:
    table = Table(settings.client("dynamodb"), settings.table)
    s3 = settings.claim_checked_s3()  # one client for both readers: each made costs tens of ms
    objects = S3Objects(s3, settings.data, settings.audit, settings.prefix)
    return Deps(
        config=CompareConfig(),
        ledger=Ledger(table),
        gate=GateStore(table),
        objects=objects,
        lines=PublishedLines(objects),
        datasets=PublishedDatasets(s3, settings.data),
        announcements=Announcements(table),
        calendar=BusinessCalendar(),
        clock=lambda: datetime.now(UTC),
    )
