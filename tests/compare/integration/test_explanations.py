"""A failed comparison explained: each discrepancy side by side with both lineages, and the dataset
cells that differ between the two runs' inputs, published beside the per-line outcomes."""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import date
from typing import Any

import pytest
from ior_contracts.datasets import HTS_REFERENCE

from tests.compare.documents import DATA_BUCKET, document, with_line_change
from tests.compare.integration.conftest import World

DAY = date(2026, 3, 16)
COMPLETED = "compare.comparison.completed.v1"
HTS = "8517620090"


def _put_hts_reference(
    world: World,
    mode: str,
    version: str,
    rate: str,
    revision: str,
    made_from: str,
    *,
    row: int | None = None,
    members: bool = False,
) -> None:
    """An `hts-reference` version in the ETL's published layout, with its manifest and, given the
    row its one line was read from, the origins beside it (a version published before has none);
    each object one gzip stream, or (`members`) a header member and a row member the manifest describes."""
    header = ",".join(HTS_REFERENCE.names)
    line = f"{HTS},Other data transmission apparatus,No.,{rate},{rate},,false,{revision}"
    data, described = _gzip(header, line, HTS if members else None)
    manifest: dict[str, Any] = {
        "rows": 1,
        "sha256": hashlib.sha256(data).hexdigest(),
        "inputs": [{"name": made_from, "sha256": "0" * 64}],
        **described,
    }
    base = f"etl/published/hts-reference/{mode}/{version}/"
    s3 = world.client("s3")
    if row is not None:
        origins, described = _gzip("source,row,input", f"{made_from},{row},1", "" if members else None)
        manifest["origins"] = {
            "file": "origins.csv.gz",
            "sha256": hashlib.sha256(origins).hexdigest(),
            "rows": 1,
            **described,
        }
        s3.put_object(Bucket=DATA_BUCKET, Key=base + "origins.csv.gz", Body=origins)
    s3.put_object(Bucket=DATA_BUCKET, Key=base + "data.csv.gz", Body=data)
    s3.put_object(Bucket=DATA_BUCKET, Key=base + "manifest.json", Body=json.dumps(manifest).encode())


def _gzip(header: str, line: str, first: str | None) -> tuple[bytes, dict[str, Any]]:
    """One gzip stream; or, given the line's `first` cell (empty: none said), a member each for the
    header and the line, with their description."""
    if first is None:
        return gzip.compress(f"{header}\n{line}\n".encode(), mtime=0), {}
    head, rows = gzip.compress(f"{header}\n".encode(), mtime=0), gzip.compress(f"{line}\n".encode(), mtime=0)
    described: dict[str, Any] = {"rows": 512, "offsets": [0, len(head), len(head) + len(rows)]}
    return head + rows, {"members": {**described, **({"firsts": [first]} if first else {})}}


def _with_lineage(doc: dict[str, Any], hts_version: str) -> dict[str, Any]:
    doc["datasets"] = {"hts-reference": hts_version}
    for entry in doc["entries"]:
        for line in entry["lines"]:
            line["lineage"] = {"datasets": {"hts-reference": hts_version}, "provisions": {"9903.03.01": [1]}}
    return doc


def _explanation(world: World) -> dict[str, Any]:
    [completed] = world.data_of(COMPLETED)
    claim = completed["explanation"]
    body = world.read(claim["uri"])
    assert hashlib.sha256(body).hexdigest() == claim["sha256"]
    explained: dict[str, Any] = json.loads(gzip.decompress(body))
    assert claim["row_count"] == len(explained["discrepancies"])
    return explained


@pytest.mark.parametrize("members", [False, True], ids=["one gzip stream", "gzip members"])
def test_a_differing_rate_is_explained_by_the_hts_reference_cell_that_differs_between_the_inputs(
    world: World, members: bool
) -> None:
    # GIVEN a manual run whose HTS table says 0 for 8517.62.00.90 on its row 14 and an automated run
    # whose official revision says 2.7 %, so the automated line 5 carries a 2.7 % rate and more duty;
    # the automated version was published before the ETL said where its rows were read (the manual
    # one as one gzip stream, or in members its manifest describes)
    _put_hts_reference(world, "manual", "m" * 16, "0", "", "HTS_Code.csv", row=14, members=members)
    _put_hts_reference(world, "automated", "a" * 16, "0.027", "2026 Rev. 10", "ZFMIOR001")
    manual = _with_lineage(document(DAY), "m" * 16)
    changed = with_line_change(
        document(DAY),
        5,
        rates={"9903.03.01": "0.10", "8517.62.00.90": "0.027"},
        duties={"9903.03.01": "2226.00", "8517.62.00.90": "601.02"},
        duty="2827.02",
    )
    automated = _with_lineage(changed, "a" * 16)
    # AND the manual line 5 names its invoice items' materials; the automated run, published before
    # lines carried them, names only its items
    for doc, materials in ((manual, ["10000042", None]), (automated, None)):
        [line_5] = [line for entry in doc["entries"] for line in entry["lines"] if line["line"] == 5]
        line_5["sources"] = [["9000000024", 50], ["9000000025", 10]]
        if materials is not None:
            line_5["source_materials"] = materials
    # WHEN both runs arrive
    world.run_arrives(DAY, "manual", manual)
    world.run_arrives(DAY, "automated", automated)
    # THEN the explanation names one line discrepancy, with the rate and duty marked as differing
    explained = _explanation(world)
    [line] = [found for found in explained["discrepancies"] if found["level"] == "line"]
    assert (line["entry_id"], line["expected_line"], line["actual_line"]) == ("2709-20260316-SH2001", 5, 5)
    differing = {field["field"] for field in line["fields"] if field["differs"]}
    assert differing == {"rates", "duty"}
    # AND both stacks number by number, with the rate and duty of each and the provision rows
    assert line["sides"]["actual"]["stack"][-1] == {
        "number": "8517.62.00.90",
        "rate": "0.027",
        "duty": "601.02",
        "provision_rows": None,
    }
    assert line["sides"]["expected"]["stack"][0]["provision_rows"] == [1]
    # AND each side's invoice items with the material of each, null where its run did not say
    expected, actual = line["sides"]["expected"], line["sides"]["actual"]
    assert expected["sources"] == actual["sources"] == [["9000000024", 50], ["9000000025", 10]]
    assert (expected["source_materials"], actual["source_materials"]) == (["10000042", None], [None, None])
    # AND the cause: the HTS reference's general rate, each side cited by its version and inputs, the
    # manual one also by the file and row it was read from, the older automated one by what it has
    rates = [d for d in line["input_differences"] if d["field"] == "general_rate"]
    assert rates == [
        {
            "dataset": "hts-reference",
            "key": HTS,
            "field": "general_rate",
            "expected": {
                "value": "0",
                "version": "m" * 16,
                "made_from": ["HTS_Code.csv"],
                "source": {"file": "HTS_Code.csv", "row": 14},
            },
            "actual": {"value": "0.027", "version": "a" * 16, "made_from": ["ZFMIOR001"]},
        }
    ]
    revision = [d for d in line["input_differences"] if d["field"] == "official_revision"]
    assert revision[0]["actual"]["value"] == "2026 Rev. 10"
    # AND the datasets its lineage names but nobody published are said to be unreadable, not guessed
    assert "transactions" in explained["unreadable"]["expected"]


def test_a_passing_comparison_with_nothing_differing_has_no_explanation(world: World) -> None:
    # GIVEN both runs equal
    world.both_arrive(DAY)
    # THEN the comparison names no explanation
    [completed] = world.data_of(COMPLETED)
    assert completed["explanation"] is None


def test_an_input_version_that_cannot_be_read_is_named_unreadable_and_the_comparison_still_completes(
    world: World,
) -> None:
    # GIVEN an automated HTS reference whose manifest is not JSON, and a manual one that is empty
    s3 = world.client("s3")
    s3.put_object(
        Bucket=DATA_BUCKET, Key=f"etl/published/hts-reference/automated/{'a' * 16}/manifest.json", Body=b"{"
    )
    empty = gzip.compress(b"", mtime=0)
    manifest = json.dumps({"sha256": hashlib.sha256(empty).hexdigest(), "inputs": []}).encode()
    base = f"etl/published/hts-reference/manual/{'m' * 16}/"
    s3.put_object(Bucket=DATA_BUCKET, Key=base + "data.csv.gz", Body=empty)
    s3.put_object(Bucket=DATA_BUCKET, Key=base + "manifest.json", Body=manifest)
    changed = with_line_change(document(DAY), 5, duty="2231.00")
    # WHEN runs naming them are compared
    world.run_arrives(DAY, "manual", _with_lineage(document(DAY), "m" * 16))
    world.run_arrives(DAY, "automated", _with_lineage(changed, "a" * 16))
    # THEN the discrepancy is explained without a cause, and each version is named unreadable, with why
    explained = _explanation(world)
    assert explained["discrepancies"][0]["input_differences"] == []
    assert "not JSON" in explained["unreadable"]["actual"]["hts-reference"]
    assert "not a gzip CSV" in explained["unreadable"]["expected"]["hts-reference"]


def test_origins_that_are_not_what_the_manifest_names_are_not_cited_and_the_cell_still_is(
    world: World,
) -> None:
    # GIVEN a manual version whose origins were replaced after its manifest named them
    _put_hts_reference(world, "manual", "m" * 16, "0", "", "HTS_Code.csv", row=14)
    _put_hts_reference(world, "automated", "a" * 16, "0.027", "2026 Rev. 10", "ZFMIOR001", row=3)
    swapped = gzip.compress(b"source,row,input\nHTS_Code.csv,99,1\n", mtime=0)
    key = f"etl/published/hts-reference/manual/{'m' * 16}/origins.csv.gz"
    world.client("s3").put_object(Bucket=DATA_BUCKET, Key=key, Body=swapped)
    changed = with_line_change(document(DAY), 5, rates={"9903.03.01": "0.10", "8517.62.00.90": "0.027"})
    # WHEN runs naming both versions are compared
    world.run_arrives(DAY, "manual", _with_lineage(document(DAY), "m" * 16))
    world.run_arrives(DAY, "automated", _with_lineage(changed, "a" * 16))
    # THEN the manual cell is cited by its version alone, the automated one by its extract's line
    [rate] = [
        d
        for d in _explanation(world)["discrepancies"][0]["input_differences"]
        if d["field"] == "general_rate"
    ]
    assert "source" not in rate["expected"]
    assert rate["actual"]["source"] == {"file": "ZFMIOR001", "row": 3}
