"""The window an incremental extract asks for.

From the watermark (the last date already extracted) less the source's look-back, so documents
changed late (cancellations, credits) are fetched again; to the run's date. The first run of a
source has no watermark and starts at a configured date. A replay of a date before the watermark
looks back from that date instead, so the window is never empty. Rows whose date is unset come with
every window (`odata.window_filter`) and have no say in the watermark: it moves with the ends of
the windows extracted, never with the rows' dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from ior_ingestion.domain.sources import SapSource


class WindowError(ValueError):
    """An extract window cannot be formed from the dates given."""


class DateRange(Protocol):
    """Inclusive `from_date` and `to_date`: this module's windows, and the contracts' DateWindow."""

    @property
    def from_date(self) -> date: ...

    @property
    def to_date(self) -> date: ...


@dataclass(frozen=True)
class ExtractWindow:
    """An inclusive range of dates to extract."""

    from_date: date
    to_date: date

    def __post_init__(self) -> None:
        if self.from_date > self.to_date:
            raise WindowError(f"window starts {self.from_date} after it ends {self.to_date}")

    @property
    def days(self) -> int:
        return (self.to_date - self.from_date).days + 1


def extract_window(
    source: SapSource, *, run_date: date, watermark: date | None, initial_start: date
) -> ExtractWindow | None:
    """The dates the run for `run_date` extracts; None for a source extracted whole."""
    if not source.incremental:
        return None
    if watermark is None:
        if initial_start > run_date:
            raise WindowError(
                f"{source.name}: initial start {initial_start} is after the run date {run_date}"
            )
        return ExtractWindow(initial_start, run_date)
    start = min(watermark, run_date) - timedelta(days=source.lookback_days)
    return ExtractWindow(start, run_date)
