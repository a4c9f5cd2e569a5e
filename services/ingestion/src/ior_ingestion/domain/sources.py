"""The sources the ingestion service extracts, declared once: the seven SAP OData entity sets and
the official USITC HTS export.

Incremental sources are filtered on their date field, from the watermark less the look-back (so
late cancellations arrive) to the run's date, plus every row whose date is unset (so SAP's undated
rows reach the ETL's quarantine instead of no extract at all); the others are extracted whole.
Billing (ZSDR002) is filtered on arrival (ZZARRIVAL), the business date, not on billing (FKDAT):
goods are billed weeks before they arrive, so an extract for a date brings every line arriving on
it, whenever it was billed; a cancellation carries its document's arrival.
Schedules are AWS cron expressions in UTC: master data weekly on Monday morning, ahead of the daily
transactions and exchange rates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

LOOKBACK_DAYS = 7
Cadence = Literal["daily", "weekly"]
DAILY: Final = "daily"
WEEKLY: Final = "weekly"

_CRON = re.compile(r"cron\(\d{1,2} \d{1,2} \? \* (\*|[A-Z]{3}(?:[-,][A-Z]{3})*) \*\)")
_NAME = re.compile(r"[A-Z][A-Z0-9_]{1,29}")


class SourceDeclarationError(ValueError):
    """A source is declared inconsistently."""


@dataclass(frozen=True)
class SapSource:
    """One SAP extract: an OData entity set `<name>Set` of the service `<name>_SRV`."""

    name: str
    key_fields: tuple[str, ...]
    date_field: str | None
    cadence: Cadence
    schedule: str
    incremental: bool
    lookback_days: int = LOOKBACK_DAYS

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise SourceDeclarationError(f"bad source name {self.name!r}")
        if not _CRON.fullmatch(self.schedule):
            raise SourceDeclarationError(
                f"{self.name}: schedule {self.schedule!r} is not `cron(M H ? * DAYS *)`"
            )
        if self.incremental and self.date_field is None:
            raise SourceDeclarationError(f"{self.name}: an incremental source needs a date field")
        if not self.key_fields:
            raise SourceDeclarationError(f"{self.name}: no key fields")

    @property
    def service(self) -> str:
        return f"{self.name}_SRV"

    @property
    def entity_set(self) -> str:
        return f"{self.name}Set"


@dataclass(frozen=True)
class HtsSource:
    """The USITC's JSON export of the whole HTSUS; where to fetch it is configuration."""

    name: str
    schedule: str
    cadence: Cadence = WEEKLY
    incremental: bool = False

    def __post_init__(self) -> None:
        if not _CRON.fullmatch(self.schedule):
            raise SourceDeclarationError(
                f"{self.name}: schedule {self.schedule!r} is not `cron(M H ? * DAYS *)`"
            )


def _sap(name: str, keys: tuple[str, ...], date_field: str | None, cadence: Cadence, cron: str) -> SapSource:
    return SapSource(name, keys, date_field, cadence, cron, incremental=date_field is not None)


SAP_SOURCES: tuple[SapSource, ...] = (
    _sap("ZEMM005", ("MATNR",), None, WEEKLY, "cron(0 4 ? * MON *)"),
    _sap("ZFMIOR001", ("STAWN",), None, WEEKLY, "cron(5 4 ? * MON *)"),
    _sap("ZFMIOR002", ("MATNR",), None, WEEKLY, "cron(10 4 ? * MON *)"),
    _sap("ZFMIOR003", ("ZZCODE", "ZZITEM"), None, WEEKLY, "cron(15 4 ? * MON *)"),
    _sap("ZEMM004", ("BELNR", "GJAHR", "BUZEI"), "BLDAT", WEEKLY, "cron(20 4 ? * MON *)"),
    _sap("ZEMM07", ("KURST", "FCURR", "TCURR", "GDATU"), "GDATU", DAILY, "cron(0 5 ? * * *)"),
    _sap("ZSDR002", ("VBELN", "POSNR"), "ZZARRIVAL", DAILY, "cron(15 5 ? * * *)"),
)

USITC_HTS = HtsSource(name="USITC_HTS", schedule="cron(0 3 ? * MON *)")

# The customs fee notices (`domain.fee_notices`) land every morning, ahead of the day's extracts.
FEE_NOTICES_SCHEDULE = "cron(30 4 ? * * *)"

SOURCES: tuple[SapSource | HtsSource, ...] = (*SAP_SOURCES, USITC_HTS)


def sap_source(name: str) -> SapSource:
    """The SAP source called `name` (`ZSDR002`, or its entity set `ZSDR002Set`)."""
    wanted = name.removesuffix("Set")
    for source in SAP_SOURCES:
        if source.name == wanted:
            return source
    raise KeyError(f"no SAP source {name!r}; known: {', '.join(s.name for s in SAP_SOURCES)}")


def source(name: str) -> SapSource | HtsSource:
    """Any declared source by name."""
    if name == USITC_HTS.name:
        return USITC_HTS
    return sap_source(name)
