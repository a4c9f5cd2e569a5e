"""The USITC's release list: which releases can land, the latest in effect, a pinned one, and when a
newer one has waited too long."""

from __future__ import annotations

from datetime import date

import pytest
from ior_ingestion.domain.releases import (
    Release,
    ReleaseError,
    latest,
    overdue,
    parse_releases,
    pinned,
    release_named,
)

LISTED = [
    {"name": "2026HTSBasic", "description": "2026 HTS Basic Edition", "releaseStartDate": "01/01/2026"},
    {"name": "2026HTSRev4", "description": "2026 HTS Revision 4", "releaseStartDate": "04/08/2026"},
    {"name": "2026HTSRev10", "description": "2026 HTS Revision 10", "releaseStartDate": "06/08/2026"},
    {"name": "2026HTSRev11", "description": "2026 HTS Revision 11", "releaseStartDate": "07/01/2026"},
    # Older names the product cannot land, and an entry without a date: skipped.
    {"name": "2018 HTSA Revision 1.1", "releaseStartDate": "02/01/2018"},
    {"name": "2026HTSRev12"},
]


def test_names_become_revisions_people_recognise_and_export_file_names() -> None:
    basic = release_named("2026HTSBasic", date(2026, 1, 1))
    rev = release_named("2026HTSRev10", date(2026, 6, 8))
    assert basic is not None
    assert rev is not None
    assert (basic.label, basic.edition) == ("2026 Basic", "basic_edition")
    assert (rev.label, rev.edition) == ("2026 Rev. 10", "revision_10")
    assert (
        rev.export_url("https://h/hts_{year}_{edition}_json.json")
        == "https://h/hts_2026_revision_10_json.json"
    )
    assert release_named("2018 HTSA Revision 1.1", date(2018, 2, 1)) is None


def test_the_release_list_keeps_only_landable_releases_oldest_first() -> None:
    releases = parse_releases(LISTED)
    assert [r.name for r in releases] == ["2026HTSBasic", "2026HTSRev4", "2026HTSRev10", "2026HTSRev11"]
    assert releases[2].available_from == date(2026, 6, 8)


@pytest.mark.parametrize("listed", [{"name": "2026HTSBasic"}, ["2026HTSBasic"]])
def test_a_list_that_is_not_a_release_list_is_refused(listed: object) -> None:
    with pytest.raises(ReleaseError):
        parse_releases(listed)


def test_the_latest_release_is_the_newest_in_effect_on_the_day() -> None:
    releases = parse_releases(LISTED)
    found = latest(releases, date(2026, 6, 30))
    assert found is not None
    assert found.name == "2026HTSRev10"
    newest = latest(releases, date(2026, 7, 1))
    assert newest is not None
    assert newest.name == "2026HTSRev11"
    assert latest(releases, date(2025, 12, 31)) is None


def test_a_pinned_release_must_be_listed() -> None:
    releases = parse_releases(LISTED)
    assert pinned(releases, "2026HTSRev4").label == "2026 Rev. 4"
    with pytest.raises(ReleaseError, match="2026HTSRev99"):
        pinned(releases, "2026HTSRev99")


def test_a_newer_release_is_overdue_only_past_the_threshold() -> None:
    rev10 = Release("2026HTSRev10", 2026, 10, date(2026, 6, 8))
    rev11 = Release("2026HTSRev11", 2026, 11, date(2026, 7, 1))
    # GIVEN Rev. 10 landed and Rev. 11 in effect from 1 July, with seven days allowed
    # THEN on the 8th it has waited seven days, which is allowed; on the 9th eight, which is not
    assert overdue(rev11, rev10, date(2026, 7, 8), 7) is None
    late = overdue(rev11, rev10, date(2026, 7, 9), 7)
    assert late is not None
    assert (late.release, late.days_waiting) == (rev11, 8)
    # AND nothing is overdue once it landed, or when the landed one is newer still
    assert overdue(rev11, rev11, date(2026, 8, 1), 7) is None
    assert overdue(rev10, rev11, date(2026, 8, 1), 7) is None
    # AND with nothing landed yet, the newest waits like any other
    assert overdue(rev11, None, date(2026, 7, 9), 7) is not None
