"""The USITC's releases of the HTS: which one lands, and when a newer one has waited too long.

The USITC lists its releases (`releaseList`): each has a name (`2026HTSBasic`, `2026HTSRev10`) and
the day it took effect (`releaseStartDate`, `MM/DD/YYYY`). The latest is the newest that has taken
effect by the run's date; a stack may pin an older one by name. A release's JSON export sits at a
URL made from its year and edition (`hts_2026_revision_10_json.json`, `hts_2026_basic_edition_json.json`).
Names in other forms (some older releases) are not ones the product can land, and are skipped."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

_NAME = re.compile(r"(?P<year>\d{4})HTS(?:Basic|Rev(?P<revision>\d{1,3}))")
_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d")


class ReleaseError(ValueError):
    """A release list that cannot be used: not a list of releases, or the pinned release is not in it."""


@dataclass(frozen=True)
class Release:
    """One release of the HTS: `revision` 0 is the year's basic edition."""

    name: str
    year: int
    revision: int
    available_from: date

    @property
    def label(self) -> str:
        """As people name it: `2026 Basic`, `2026 Rev. 10`."""
        return f"{self.year} Basic" if self.revision == 0 else f"{self.year} Rev. {self.revision}"

    @property
    def edition(self) -> str:
        """As the export's file name has it: `basic_edition`, `revision_10`."""
        return "basic_edition" if self.revision == 0 else f"revision_{self.revision}"

    @property
    def order(self) -> tuple[int, int]:
        return (self.year, self.revision)

    def export_url(self, template: str) -> str:
        """`template` with `{year}`, `{edition}` and `{name}` filled in."""
        return template.format(year=self.year, edition=self.edition, name=self.name)


def release_named(name: str, available_from: date) -> Release | None:
    """The release called `name`, or None when the name is not `<year>HTSBasic` or `<year>HTSRev<n>`."""
    match = _NAME.fullmatch(name.strip())
    if match is None:
        return None
    revision = int(match["revision"]) if match["revision"] is not None else 0
    return Release(name.strip(), int(match["year"]), revision, available_from)


def _day(text: object) -> date | None:
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(str(text).strip(), form).date()
        except ValueError:
            continue
    return None


def parse_releases(listed: object) -> list[Release]:
    """The release list's landable releases, oldest first."""
    if not isinstance(listed, list):
        raise ReleaseError("the release list is not a JSON array")
    found: list[Release] = []
    for entry in listed:
        if not isinstance(entry, Mapping):
            raise ReleaseError("an entry of the release list is not an object")
        release = _release(entry)
        if release is not None:
            found.append(release)
    return sorted(found, key=lambda r: (r.available_from, r.order))


def _release(entry: Mapping[str, Any]) -> Release | None:
    start = _day(entry.get("releaseStartDate", ""))
    if start is None:
        return None
    return release_named(str(entry.get("name", "")), start)


def latest(releases: Iterable[Release], today: date) -> Release | None:
    """The newest release in effect on `today`."""
    effective = [r for r in releases if r.available_from <= today]
    return max(effective, key=lambda r: (r.available_from, r.order), default=None)


def pinned(releases: Iterable[Release], name: str) -> Release:
    for release in releases:
        if release.name == name:
            return release
    raise ReleaseError(f"the pinned HTS release {name!r} is not in the USITC's release list")


@dataclass(frozen=True)
class Overdue:
    """A newer release than the landed one, waiting longer than allowed."""

    release: Release
    days_waiting: int


def overdue(
    newest: Release | None, landed: Release | None, today: date, threshold_days: int
) -> Overdue | None:
    """`newest` when it is newer than `landed` and took effect more than `threshold_days` ago."""
    if newest is None or (landed is not None and landed.order >= newest.order):
        return None
    waiting = (today - newest.available_from).days
    return Overdue(newest, waiting) if waiting > threshold_days else None
