"""The mock SAP's `$filter`: the forms it reads, the ones it refuses, and the rows each selects."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from ior_ingestion.domain.odata import window_filter
from ior_tools.sap_mock.catalog import KNOWN_ENTITIES, EntityFile
from ior_tools.sap_mock.query import DateFilter, QueryError, parse_filter, parse_query

MARCH_2, MARCH_9 = date(2026, 3, 2).toordinal(), date(2026, 3, 9).toordinal()
WITHIN = "FKDAT ge datetime'2026-03-02T00:00:00' and FKDAT le datetime'2026-03-09T00:00:00'"
BILLING = KNOWN_ENTITIES["ZSDR002"].date_fields


def test_billing_is_filtered_on_arrival_first_and_on_billing_date_too() -> None:
    assert BILLING == ("ZZARRIVAL", "FKDAT")


def test_reads_a_range_of_dates() -> None:
    assert parse_filter(WITHIN, BILLING) == DateFilter("FKDAT", (MARCH_2, MARCH_9), include_unset=False)
    arriving = WITHIN.replace("FKDAT", "ZZARRIVAL")
    assert parse_filter(arriving, BILLING) == DateFilter("ZZARRIVAL", (MARCH_2, MARCH_9), include_unset=False)


def test_reads_a_range_or_an_unset_date() -> None:
    assert parse_filter(f"({WITHIN}) or FKDAT eq null", BILLING) == DateFilter(
        "FKDAT", (MARCH_2, MARCH_9), include_unset=True
    )
    spaced = (
        "( (FKDAT ge datetime'2026-03-02T00:00:00') AND (FKDAT le datetime'2026-03-09T00:00:00') )"
        "  OR  FKDAT  EQ  NULL"
    )
    assert parse_filter(spaced, BILLING) == DateFilter("FKDAT", (MARCH_2, MARCH_9), include_unset=True)


def test_reads_the_filter_the_ingestion_service_sends() -> None:
    sent = window_filter("ZZARRIVAL", date(2026, 3, 2), date(2026, 3, 9))
    query = parse_query({"$format": "json", "$filter": sent}, BILLING)
    assert query.dates == DateFilter("ZZARRIVAL", (MARCH_2, MARCH_9), include_unset=True)
    assert parse_query({"$format": "json"}, BILLING).dates is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (f"{WITHIN} or FKDAT eq null", "`or` only as"),  # the range not in parentheses
        ("FKDAT eq null or (FKDAT ge datetime'2026-03-02T00:00:00')", "`or` only as"),
        (
            "(FKDAT ge datetime'2026-03-02T00:00:00' or FKDAT le datetime'2026-03-09T00:00:00')"
            " or FKDAT eq null",
            "`or` only as",
        ),
        ("FKDAT ge datetime'2026-03-02T00:00:00' or FKDAT le datetime'2026-03-09T00:00:00'", "`or` only as"),
        (f"({WITHIN}) or FKDAT eq datetime'2026-03-10T00:00:00'", "`or` only as"),
        (f"({WITHIN}) or MATNR eq null", "filter on ZZARRIVAL or FKDAT"),
        (f"({WITHIN}) or ZZARRIVAL eq null", "filter on ZZARRIVAL or FKDAT"),
        ("MATNR eq datetime'2026-03-02T00:00:00'", "filter on ZZARRIVAL or FKDAT"),
        (f"{WITHIN} and ZZARRIVAL le datetime'2026-03-09T00:00:00'", "at once is not supported"),
        ("FKDAT eq null", "cannot read"),
    ],
)
def test_refuses_any_other_or(text: str, says: str) -> None:
    with pytest.raises(QueryError, match=says):
        parse_filter(text, BILLING)


@pytest.fixture
def billing(tmp_path: Path) -> Iterator[EntityFile]:
    arrives = {"ZZARRIVAL": "2026-03-30"}
    rows = [
        {"VBELN": "1", "POSNR": "10", "FKDAT": "2026-03-01", **arrives},
        {"VBELN": "2", "POSNR": "10", "FKDAT": "0000-00-00", **arrives},  # SAP's initial date: served as null
        {"VBELN": "3", "POSNR": "10", "FKDAT": "2026-03-02", **arrives},
        {"VBELN": "4", "POSNR": "10", "FKDAT": "", **arrives},  # blank: served as null
        {"VBELN": "5", "POSNR": "10", "FKDAT": None, **arrives},
        {"VBELN": "6", "POSNR": "10", "FKDAT": "2026-02-30", **arrives},  # no day: served as stored
        {"VBELN": "7", "POSNR": "10", "FKDAT": "soon", **arrives},
        {"VBELN": "8", "POSNR": "10", **arrives},  # no billing date at all
        {"VBELN": "9", "POSNR": "10", "FKDAT": "2026-03-01"},  # no arrival date at all
    ]
    path = tmp_path / "ZSDR002.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    entity = EntityFile(path, KNOWN_ENTITIES["ZSDR002"])
    entity.refresh()
    yield entity
    entity.close()


def _documents(entity: EntityFile, dates: DateFilter | None) -> list[str]:
    return [json.loads(line)["VBELN"] for line in entity.read(entity.select(dates))]


def test_serves_undated_rows_only_when_asked(billing: EntityFile) -> None:
    march = (date(2026, 3, 1).toordinal(), date(2026, 3, 31).toordinal())
    assert _documents(billing, DateFilter("FKDAT", march)) == ["1", "3", "9"]
    assert _documents(billing, DateFilter("FKDAT", march, include_unset=True)) == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "8",
        "9",
    ]
    # An empty range with the undated rows: those alone.
    assert _documents(billing, DateFilter("FKDAT", (1, 0), include_unset=True)) == ["2", "4", "5", "8"]
    assert _documents(billing, None) == ["1", "2", "3", "4", "5", "6", "7", "8", "9"]


def test_selects_by_arrival_whatever_the_billing_date(billing: EntityFile) -> None:
    # GIVEN lines billed on many days (or none) that arrive on the 30th, and one without an arrival
    day = date(2026, 3, 30).toordinal()
    # WHEN the 30th's arrivals are asked for
    # THEN every line arriving that day comes, whenever it was billed; the undated one when asked
    assert _documents(billing, DateFilter("ZZARRIVAL", (day, day))) == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
    ]
    assert _documents(billing, DateFilter("ZZARRIVAL", (day, day), include_unset=True))[-1] == "9"
