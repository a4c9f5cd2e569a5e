"""`GET /api/customs-lines` searched, sorted and paged on the server with the filtered lines' totals
beside the run's; the CSV's rates, fees and lineage; `GET /api/customs-lines/quarantined`."""

from __future__ import annotations

import copy
import csv
import io
import typing

import pytest
from ior_api.domain.lines import SORTS
from ior_api.entrypoints.web.routers.customs_lines import SortColumn

from tests.api.conftest import LINES_DOCUMENT, RUN_DATE, Api, seed_lines


@pytest.fixture
def operator(api: Api) -> Api:
    api.use(*api.session("otto", "operator")[:2])
    return api


def _lines(api: Api, **params: str) -> dict[str, typing.Any]:
    body: dict[str, typing.Any] = api.client.get(
        "/api/customs-lines", params={"date": RUN_DATE, **params}
    ).json()
    return body


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("SH0002", [("2704-20260316-SH0002", 1)]),
        ("8471.50", [("2704-20260316-SH0001", 2)]),
        ("switches", [("2704-20260316-SH0002", 1)]),
        ("90010000", [("2704-20260316-SH0001", 1)]),
        ("nothing like it", []),
    ],
)
def test_free_text_finds_lines_by_entry_hts_prefix_description_or_invoice_document(
    operator: Api, q: str, expected: list[tuple[str, int]]
) -> None:
    seed_lines(operator)
    assert [(li["entry_id"], li["line"]) for li in _lines(operator, q=q)["lines"]] == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("10000006", [("2704-20260316-SH0001", 2)]),
        ("000000000010000006", [("2704-20260316-SH0001", 2)]),
        (" 0010000001 ", [("2704-20260316-SH0001", 1)]),
        ("sw-24p", [("2704-20260316-SH0002", 1)]),
        ("1000000", []),
        ("100000061", []),
    ],
)
def test_free_text_finds_the_lines_of_a_material_number_exactly_with_or_without_saps_leading_zeros(
    operator: Api, q: str, expected: list[tuple[str, int]]
) -> None:
    # GIVEN a run whose lines carry their invoice items' materials
    seed_lines(operator)
    # WHEN the lines are searched for a material number, as published or padded to SAP's 18 digits
    found = _lines(operator, q=q)
    # THEN only the lines of that very material are listed, each with its materials
    assert [(li["entry_id"], li["line"]) for li in found["lines"]] == expected
    assert all(
        q.strip().lstrip("0").casefold() in map(str.casefold, li["materials"]) for li in found["lines"]
    )


def test_a_run_published_before_lines_carried_materials_lists_its_lines_with_none_and_no_material_matches(
    operator: Api,
) -> None:
    # GIVEN a run whose lines have their sources but no materials
    document = copy.deepcopy(LINES_DOCUMENT)
    for entry in document["entries"]:
        for line in entry["lines"]:
            del line["source_materials"]
    seed_lines(operator, document)
    # WHEN its lines are listed, and searched for a material
    listed = _lines(operator)["lines"]
    # THEN each source's material is unknown, and a material finds nothing
    assert [(li["source_materials"], li["materials"]) for li in listed] == [([None], [])] * 3
    assert _lines(operator, q="10000006")["lines"] == []


def test_lines_are_sorted_on_the_server_across_every_page(operator: Api) -> None:
    # GIVEN one line per page
    seed_lines(operator)
    operator.services.settings = operator.services.settings.model_copy(update={"page_size": 1})
    # WHEN the lines are sorted by value, largest first, page by page
    pages = [_lines(operator, sort="value", order="desc", page=str(p)) for p in (1, 2, 3)]
    # THEN the order holds over all of them
    assert [li["value"] for page in pages for li in page["lines"]] == [8000, 1200, 900]
    assert [li["description"] for li in _lines(operator, sort="description", page_size="25")["lines"]] == [
        "Routers",
        "Servers",
        "Switches, 24 port",
    ]


def test_the_sortable_columns_of_the_openapi_are_the_domains() -> None:
    assert typing.get_args(SortColumn) == SORTS


def test_a_page_size_is_chosen_from_the_offered_ones(operator: Api) -> None:
    seed_lines(operator)
    assert _lines(operator, page_size="25")["page_size"] == 25
    # Another size falls back to the configured one rather than fetching a whole run at once.
    assert _lines(operator, page_size="100000")["page_size"] == operator.services.settings.page_size


def test_filtered_totals_cover_the_matching_lines_and_the_run_totals_stay_the_runs(operator: Api) -> None:
    run = seed_lines(operator)["data"]
    body = _lines(operator, hts="8517")
    assert body["totals"] == run["totals"]
    assert body["filtered_totals"] == {"lines": 2, "entries": 2, "value": 2100, "duty_cents": 30000}


def test_the_csv_carries_rates_and_duties_per_hts_number_the_entrys_fees_and_the_lineage(
    operator: Api,
) -> None:
    # GIVEN a line with its rates, duties and lineage as the customs service publishes them
    document = copy.deepcopy(LINES_DOCUMENT)
    line = document["entries"][0]["lines"][0]
    line["rates"] = {"9903.88.03": "0.25", "8517.62.00.20": "0"}
    line["duties"] = {"9903.88.03": "300.00", "8517.62.00.20": "0.00"}
    line["lineage"] = {
        "datasets": {"hts-reference": "abc", "transactions": "def"},
        "provisions": {"9903.88.03": [2]},
    }
    seed_lines(operator, document)
    # WHEN the lines are exported
    response = operator.client.get(
        "/api/customs-lines", params={"date": RUN_DATE}, headers={"Accept": "text/csv"}
    )
    first = next(csv.DictReader(io.StringIO(response.text)))
    # THEN the row names each number's rate and duty, the entry's fees and the lineage ids
    assert first["rates"] == "9903.88.03=0.25;8517.62.00.20=0"
    assert first["duties"] == "9903.88.03=300.00;8517.62.00.20=0.00"
    assert (first["entry_mpf"], first["entry_hmf"]) == ("33.58", "11.50")
    assert first["sources"] == "90010000/000010"
    assert first["materials"] == "10000001"
    assert first["datasets"] == "hts-reference=abc;transactions=def"
    assert first["provisions"] == "9903.88.03=2"


def test_quarantined_lines_are_listed_with_their_reason_and_the_fix_they_need(operator: Api) -> None:
    document = copy.deepcopy(LINES_DOCUMENT)
    document["quarantined"] = [
        {"document": "90010009", "item": 10, "material": "10000999", "reason": "unknown_material"},
        {"document": "90010009", "item": 20, "material": "10000070", "reason": "no_hts_reference"},
    ]
    seed_lines(operator, document)
    found = operator.client.get("/api/customs-lines/quarantined", params={"date": RUN_DATE}).json()
    assert [(q["document"], q["item"], q["reason"]) for q in found] == [
        ("90010009", 10, "unknown_material"),
        ("90010009", 20, "no_hts_reference"),
    ]
    assert found[0]["fix"].startswith("Add the material to the product master")
    assert (
        operator.client.get("/api/customs-lines/quarantined", params={"date": "2026-03-17"}).status_code
        == 404
    )
