"""The one place the compare service's dependencies are wired (once per cold start)."""

from __future__ import annotations

from datetime import UTC, datetime

from ior_contracts.settings import ServiceSettings

from ior_compare.adapters.announced import Announcements
from ior_compare.adapters.gate_store import GateStore
from ior_compare.adapters.ledger import Ledger
from ior_compare.adapters.lines import PublishedLines
from ior_compare.adapters.objects import S3Objects
from ior_compare.config import CompareConfig
from ior_compare.domain.business_days import BusinessCalendar
from ior_compare.ports import Deps


def wire(settings: ServiceSettings) -> Deps:
    dynamodb, s3 = settings.client("dynamodb"), settings.client("s3")
    objects = S3Objects(s3, settings.data, settings.audit, settings.prefix)
    return Deps(
        config=CompareConfig(),
        ledger=Ledger(dynamodb, settings.table),
        gate=GateStore(dynamodb, settings.table),
        objects=objects,
        lines=PublishedLines(objects),
        announcements=Announcements(dynamodb, settings.table),
        calendar=BusinessCalendar(),
        clock=lambda: datetime.now(UTC),
    )
