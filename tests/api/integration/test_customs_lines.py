"""`GET /api/customs-lines`: the run's lines from its claim check, filtered, paged and exported."""

from __future__ import annotations

import copy
import csv
import io

import pytest
from ior_api.ports import Deps
from ior_contracts import examples
from ior_contracts.cutover import OfficialRunDesignated
from ior_contracts.envelope import Envelope

from tests.api.conftest import LINES_DOCUMENT, RUN_DATE, Api, project, seed_lines


@pytest.fixture
def operator(api: Api) -> Api:
    token, csrf, _ = api.session("otto", "operator")
    api.use(token, csrf)
    return api


def designate(api: Api, run_id: str) -> None:
    event = examples.load("cutover.official_run.designated.v1")["detail"]
    event["data"] |= {"business_date": RUN_DATE, "official_mode": "automated", "run_id": run_id}
    project(Envelope[OfficialRunDesignated].model_validate(event), Deps(readmodels=api.services.readmodels))


def test_lines_of_the_date_with_their_run_and_totals(operator: Api) -> None:
    run = seed_lines(operator)["data"]
    body = operator.client.get("/api/customs-lines", params={"date": RUN_DATE}).json()

    assert (body["run_id"], body["mode"], body["official"]) == (run["run_id"], "automated", False)
    assert body["totals"] == run["totals"]
    assert body["total"] == 3
    assert [(li["entry_id"], li["line"]) for li in body["lines"]] == [
        ("2704-20260316-SH0001", 1),
        ("2704-20260316-SH0001", 2),
        ("2704-20260316-SH0002", 1),
    ]
    assert body["lines"][0]["stack"] == ["9903.88.03", "8517.62.00.20"]


def test_designated_run_is_marked_official(operator: Api) -> None:
    run = seed_lines(operator)["data"]
    designate(operator, run["run_id"])
    assert operator.client.get("/api/customs-lines", params={"date": RUN_DATE}).json()["official"] is True


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"hts": "8517.62"}, [("2704-20260316-SH0001", 1), ("2704-20260316-SH0002", 1)]),
        ({"hts": "851762009"}, [("2704-20260316-SH0002", 1)]),
        ({"origin": "my"}, [("2704-20260316-SH0001", 2)]),
        ({"entry": "2704-20260316-SH0002"}, [("2704-20260316-SH0002", 1)]),
        ({"entry": "2704-20260316-SH0001", "origin": "TW"}, []),
    ],
)
def test_filters(operator: Api, params: dict[str, str], expected: list[tuple[str, int]]) -> None:
    seed_lines(operator)
    body = operator.client.get("/api/customs-lines", params={"date": RUN_DATE, **params}).json()
    assert [(li["entry_id"], li["line"]) for li in body["lines"]] == expected


def test_pages(operator: Api) -> None:
    seed_lines(operator)
    operator.services.settings = operator.services.settings.model_copy(update={"page_size": 2})
    pages = [
        operator.client.get("/api/customs-lines", params={"date": RUN_DATE, "page": p}).json()
        for p in (1, 2, 3)
    ]
    assert [len(p["lines"]) for p in pages] == [2, 1, 0]
    assert {p["total"] for p in pages} == {3}


def test_entries_are_those_of_the_page_with_their_filed_totals(operator: Api) -> None:
    # GIVEN one line per page, so the first entry's two lines fall on different pages
    seed_lines(operator)
    operator.services.settings = operator.services.settings.model_copy(update={"page_size": 1})
    # WHEN the first and the last page are read
    first, last = (
        operator.client.get("/api/customs-lines", params={"date": RUN_DATE, "page": page}).json()
        for page in (1, 3)
    )
    # THEN each summarises the entries of its own lines, with their totals as filed over all their
    # lines, without the lines; the filtered totals count the entries of every page
    assert [len(first["lines"]), first["filtered_totals"]["entries"]] == [1, 2]
    assert first["entries"] == [
        {
            "entry_id": "2704-20260316-SH0001",
            "port": "2704",
            "arrival": RUN_DATE,
            "formal": True,
            "flags": [],
            "totals": {"value": 9200, "duty": "300.00", "mpf": "33.58", "hmf": "11.50"},
            "lines": 2,
        },
    ]
    assert last["entries"] == [
        {
            "entry_id": "2704-20260316-SH0002",
            "port": "2704",
            "arrival": RUN_DATE,
            "formal": False,
            "flags": ["informal"],
            "totals": {"value": 900, "duty": "0.00", "mpf": None, "hmf": "1.13"},
            "lines": 1,
        },
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"origin": "my"}, ["2704-20260316-SH0001"]),
        ({"hts": "851762009"}, ["2704-20260316-SH0002"]),
        ({"entry": "2704-20260316-SH0001", "origin": "TW"}, []),
    ],
)
def test_entries_are_those_with_a_matching_line(
    operator: Api, params: dict[str, str], expected: list[str]
) -> None:
    seed_lines(operator)
    body = operator.client.get("/api/customs-lines", params={"date": RUN_DATE, **params}).json()
    assert [e["entry_id"] for e in body["entries"]] == expected
    # An entry's totals stay those of all its lines, whichever of them matched.
    assert all(e["lines"] >= 1 and "value" in e["totals"] for e in body["entries"])


def test_csv_export_has_every_matching_line(operator: Api) -> None:
    seed_lines(operator)
    response = operator.client.get(
        "/api/customs-lines", params={"date": RUN_DATE, "hts": "8517"}, headers={"Accept": "text/csv"}
    )

    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["entry_id"], r["hts10"], r["stack"]) for r in rows] == [
        ("2704-20260316-SH0001", "8517.62.00.20", "9903.88.03;8517.62.00.20"),
        ("2704-20260316-SH0002", "8517.62.00.90", "8517.62.00.90"),
    ]
    assert rows[1]["description"] == "Switches, 24 port"


@pytest.mark.parametrize(
    ("description", "exported"),
    [
        ('=HYPERLINK("http://evil.example","Click")', '\'=HYPERLINK("http://evil.example","Click")'),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Routers, 4 port", "Routers, 4 port"),
        ("-12.50", "-12.50"),
    ],
)
def test_csv_export_makes_every_formula_like_cell_text(
    operator: Api, description: str, exported: str
) -> None:
    # GIVEN a line whose description (as uploaded in HTS_Code.csv) starts like a formula
    document = copy.deepcopy(LINES_DOCUMENT)
    document["entries"][0]["lines"][0]["description"] = description
    document["entries"][0]["lines"][0]["duty"] = "-12.50"
    seed_lines(operator, document)

    # WHEN the lines are exported
    response = operator.client.get(
        "/api/customs-lines", params={"date": RUN_DATE}, headers={"Accept": "text/csv"}
    )

    # THEN the cell is text to a spreadsheet, and a negative number stays a number
    first = next(csv.DictReader(io.StringIO(response.text, newline="")))
    assert first["description"] == exported
    assert first["duty"] == "-12.50"


def test_date_without_a_run_is_404_and_a_date_is_required(operator: Api) -> None:
    assert operator.client.get("/api/customs-lines", params={"date": "2026-01-02"}).status_code == 404
    assert operator.client.get("/api/customs-lines").status_code == 422


def test_object_that_does_not_match_its_checksum_is_refused(operator: Api) -> None:
    event = seed_lines(operator)
    key = event["data"]["lines"]["uri"].split("/", 3)[3]
    operator.s3.put_object(Bucket=operator.services.settings.data, Key=key, Body=b"tampered")

    response = operator.client.get("/api/customs-lines", params={"date": RUN_DATE})
    assert response.status_code == 502
    assert "checksum" in response.json()["detail"]


def test_object_outside_the_customs_published_prefix_is_refused(operator: Api) -> None:
    seed_lines(operator, key="etl/published/elsewhere.json.gz")
    response = operator.client.get("/api/customs-lines", params={"date": RUN_DATE})
    assert response.status_code == 502
    assert "outside" in response.json()["detail"]
