"""OData v2 literals: `/Date(ms)/`, the window filter, and page normalisation."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from ior_ingestion.domain import odata
from ior_ingestion.domain.odata import (
    InvalidDateLiteralError,
    ODataValueError,
    datetime_literal,
    normalise_rows,
    parse_date,
    parse_datetime,
    to_iso,
    window_filter,
)

MARCH_9 = 1773014400000  # 2026-03-09T00:00:00Z


# --- dates -------------------------------------------------------------------------------------


def test_parses_a_date_literal_as_midnight_utc() -> None:
    assert parse_datetime(f"/Date({MARCH_9})/") == datetime(2026, 3, 9, tzinfo=UTC)
    assert parse_date(f"/Date({MARCH_9})/") == date(2026, 3, 9)


@pytest.mark.parametrize("offset", ["+0060", "-0300", "+0000", "+0330"])
def test_an_offset_names_the_writers_zone_and_does_not_move_the_instant(offset: str) -> None:
    assert parse_datetime(f"/Date({MARCH_9}{offset})/") == datetime(2026, 3, 9, tzinfo=UTC)
    assert to_iso(f"/Date({MARCH_9}{offset})/") == "2026-03-09"


def test_parses_the_example_offset_literal() -> None:
    assert parse_datetime("/Date(1741478400000+0060)/") == datetime(2025, 3, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("/Date(0)/", "1970-01-01"),
        ("/Date(-86400000)/", "1969-12-31"),
        ("/Date(-1)/", "1969-12-31T23:59:59.999Z"),
        ("/Date(253402214400000)/", "9999-12-31"),
        (f"/Date({MARCH_9 + 45_296_000})/", "2026-03-09T12:34:56Z"),
        (f"/Date({MARCH_9 + 45_296_789})/", "2026-03-09T12:34:56.789Z"),
    ],
)
def test_renders_midnight_as_a_date_and_other_instants_as_utc_timestamps(literal: str, expected: str) -> None:
    assert to_iso(literal) == expected


@pytest.mark.parametrize(
    "literal",
    [
        "",
        "2026-03-09",
        "/Date()/",
        "/Date(abc)/",
        "\\/Date(0)\\/",
        "/Date(0)",
        "/Date(1.5)/",
        "/Date(0+60)/",
        "/Date(0+9999)/",
        "/Date(999999999999999)/",
    ],
)
def test_refuses_what_is_not_a_date_literal(literal: str) -> None:
    with pytest.raises(InvalidDateLiteralError):
        parse_datetime(literal)


def test_builds_the_filter_of_a_window_and_the_undated_rows() -> None:
    assert datetime_literal(date(2026, 3, 9)) == "datetime'2026-03-09T00:00:00'"
    assert window_filter("FKDAT", date(2026, 3, 2), date(2026, 3, 9)) == (
        "(FKDAT ge datetime'2026-03-02T00:00:00' and FKDAT le datetime'2026-03-09T00:00:00') or FKDAT eq null"
    )
    assert window_filter("GDATU", date(2026, 3, 9), date(2026, 3, 9)) == (
        "(GDATU ge datetime'2026-03-09T00:00:00' and GDATU le datetime'2026-03-09T00:00:00') or GDATU eq null"
    )
    with pytest.raises(ODataValueError):
        window_filter("FKDAT", date(2026, 3, 9), date(2026, 3, 2))
    with pytest.raises(ODataValueError):
        window_filter("FKDAT or 1 eq 1", date(2026, 3, 2), date(2026, 3, 9))


# --- normalisation -----------------------------------------------------------------------------


def _page(rows: list[dict[str, object]]) -> tuple[list[dict[str, object]], bytes]:
    body = json.dumps({"d": {"results": rows}}).replace("/Date(", "\\/Date(").replace(")/", ")\\/").encode()
    return json.loads(body)["d"]["results"], body


def _sap_row(i: int, **extra: object) -> dict[str, object]:
    return {
        "__metadata": {"uri": f"http://sap/ZSDR002Set('{i}')", "type": "ZSDR002_SRV.ZSDR002Type"},
        "VBELN": f"{90000000 + i:010d}",
        "FKDAT": f"/Date({MARCH_9 + i * 86_400_000})/",
        "MATNR": "000000000010000001",
        "NETWR": "-1.2500",
        "ZZARRIVAL": None,
        **extra,
    }


def test_normalises_dates_nulls_and_metadata() -> None:
    rows, body = _page([_sap_row(0), _sap_row(1)])
    assert normalise_rows(rows, body) == [
        {
            "VBELN": "0090000000",
            "FKDAT": "2026-03-09",
            "MATNR": "000000000010000001",
            "NETWR": "-1.2500",
            "ZZARRIVAL": "",
        },
        {
            "VBELN": "0090000001",
            "FKDAT": "2026-03-10",
            "MATNR": "000000000010000001",
            "NETWR": "-1.2500",
            "ZZARRIVAL": "",
        },
    ]


def test_drops_deferred_navigation_links() -> None:
    rows, body = _page([_sap_row(0, ToItems={"__deferred": {"uri": "http://sap/x"}})])
    assert "ToItems" not in normalise_rows(rows, body)[0]


@pytest.mark.parametrize(
    "rows",
    [
        # a date column whose first value is blank, a later one a date
        [_sap_row(0, DATBI=""), _sap_row(1, DATBI=f"/Date({MARCH_9})/")],
        # text that mentions the markers the fast path counts
        [_sap_row(0, ARKTX="null /Date(0)/ text"), _sap_row(1, ARKTX="")],
        # rows of different shapes
        [_sap_row(0), {"VBELN": "x", "FKDAT": None}],
        # a null first met in a later row
        [_sap_row(0, WAERS="USD"), _sap_row(1, WAERS=None)],
        # a date column whose first value is null, and a text column with a null later
        [_sap_row(0, DATBI=None, WAERS="USD"), _sap_row(1, DATBI=f"/Date({MARCH_9})/", WAERS=None)],
    ],
)
def test_the_fast_path_and_the_thorough_one_agree(rows: list[dict[str, object]]) -> None:
    hinted, body = _page(rows)
    thorough, _ = _page(rows)
    assert normalise_rows(hinted, body) == normalise_rows(thorough)
    for row in hinted:
        assert all(
            not (isinstance(v, str) and v.startswith("/Date(")) and v is not None for v in row.values()
        )


def test_a_next_link_that_repeats_the_query_keeps_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [_sap_row(0), _sap_row(1)]
    link = "http://sap/ZSDR002Set?$filter=(FKDAT ge datetime'2026-03-09T00:00:00') or FKDAT eq null"
    doc = {"d": {"results": rows, "__next": link}}
    body = json.dumps(doc).replace("/Date(", "\\/Date(").replace(")/", ")\\/").encode()
    expected = normalise_rows(json.loads(body)["d"]["results"])

    def thorough(_: object) -> object:
        raise AssertionError("fell back to looking at every value")

    monkeypatch.setattr(odata, "_normalise_columns", thorough)
    assert normalise_rows(json.loads(body)["d"]["results"], body) == expected


def test_a_text_that_merely_mentions_a_date_literal_is_kept() -> None:
    rows, body = _page([_sap_row(0, ARKTX="see /Date(0)/")])
    assert normalise_rows(rows, body)[0]["ARKTX"] == "see /Date(0)/"


def test_a_bad_date_literal_names_its_field() -> None:
    rows, body = _page([_sap_row(0, FKDAT="/Date(soon)/")])
    with pytest.raises(InvalidDateLiteralError, match="FKDAT"):
        normalise_rows(rows, body)


def test_a_result_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ODataValueError):
        normalise_rows([{"a": "1"}, "oops"])
