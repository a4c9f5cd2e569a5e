"""How old each source's last extract and each dataset's current version may be before it is stale.

One table, read by every place that shows freshness (the API's pipeline view, `ior status`, the
CloudWatch dashboard and the stale-data alarm), so they never disagree about what "stale" means.
A threshold is the source's schedule interval plus slack for a late or retried run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, get_args

from ior_contracts.vocabulary import DatasetName, SourceName

DAILY = timedelta(hours=26)
WEEKLY = timedelta(days=8)

SOURCE_MAX_AGE: dict[SourceName, timedelta] = {
    "ZFMIOR001": WEEKLY,
    "ZFMIOR002": WEEKLY,
    "ZFMIOR003": WEEKLY,
    "ZEMM005": WEEKLY,
    "ZEMM004": WEEKLY,
    "ZEMM07": DAILY,
    "ZSDR002": DAILY,
    "USITC_HTS": WEEKLY,
}

DATASET_MAX_AGE: dict[DatasetName, timedelta] = {
    "product-master": WEEKLY,
    "packaging-materials": WEEKLY,
    "hts-reference": WEEKLY,
    "tariff-provisions": WEEKLY,
    "exchange-rates": DAILY,
    "transactions": DAILY,
}

FreshnessState = Literal["fresh", "stale", "never"]


@dataclass(frozen=True)
class Freshness:
    state: FreshnessState
    age_s: int | None
    max_age_s: int


def assess(last: datetime | None, now: datetime, max_age: timedelta) -> Freshness:
    """`never` without a last success; `stale` once its age is over `max_age`."""
    limit = int(max_age.total_seconds())
    if last is None:
        return Freshness("never", None, limit)
    age = max(0, int((now - last).total_seconds()))
    return Freshness("stale" if age > limit else "fresh", age, limit)


def _complete() -> None:
    # A new source or dataset in the vocabulary must get a threshold here, not a silent default.
    missing = (set(get_args(SourceName)) - set(SOURCE_MAX_AGE)) | (
        set(get_args(DatasetName)) - set(DATASET_MAX_AGE)
    )
    if missing:
        raise RuntimeError(f"no freshness threshold for {sorted(missing)}")


_complete()
