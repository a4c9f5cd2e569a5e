"""A dataset version written in gzip members, with the description of them its manifest carries
(`ior_contracts.dataset_members`): rows found by key and by position from the members that hold them
alone, with the answers of reading the whole text, and the whole text read wherever the description
does not hold."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from itertools import accumulate
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ior_compare.adapters.datasets import PublishedDatasets
from ior_compare.domain import csv_rows
from ior_compare.domain.csv_rows import CsvUnreadableError, GzipCsv
from ior_contracts.dataset_members import Members

HEADER = "document,item,description"
MANY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


def _rows(keys: list[tuple[str, int]], descriptions: list[str]) -> list[str]:
    return [
        f"{_cell(doc)},{item},{_cell(text)}" for (doc, item), text in zip(keys, descriptions, strict=False)
    ]


def written(
    rows: list[str], firsts: list[str], per: int, header: str = HEADER
) -> tuple[bytes, dict[str, Any]]:
    """The object in members of `per` rows after the header's, and its manifest's description."""
    pieces = [
        header + "\n",
        *("".join(r + "\n" for r in rows[at : at + per]) for at in range(0, len(rows), per)),
    ]
    members = [gzip.compress(piece.encode(), mtime=0) for piece in pieces]
    offsets = list(accumulate(map(len, members), initial=0))
    return b"".join(members), {"rows": per, "offsets": offsets, "firsts": firsts[::per]}


def _members(data: bytes, described: dict[str, Any], rows: int) -> Members:
    members = Members.of(described, size=len(data), rows=rows)
    assert members is not None
    return members


DOCUMENTS = st.sampled_from(["9000", "90001", "9001", "a,b", 'say "x"', "Zoë", "漢字", "z"])
DESCRIPTIONS = st.sampled_from(["Plug", "Plug, kind", 'Steel "articles"', "é€", ""])


@st.composite
def versions(draw: st.DrawFn) -> tuple[list[tuple[str, int]], list[str]]:
    """Rows sorted by their key as the ETL sorts them (documents as text, then items), keys unique."""
    keys = sorted(draw(st.sets(st.tuples(DOCUMENTS, st.integers(1, 6)), min_size=1, max_size=40)))
    keys.sort(key=lambda key: (key[0].encode(), key[1]))
    return keys, [draw(DESCRIPTIONS) for _ in keys]


@MANY
@given(
    version=versions(),
    per=st.integers(1, 5),
    asked=st.lists(st.tuples(DOCUMENTS, st.integers(0, 7)), max_size=6),
    positions=st.lists(st.integers(0, 45), max_size=5),
)
def test_rows_read_from_the_members_holding_them_are_the_rows_read_from_the_whole(
    version: tuple[list[tuple[str, int]], list[str]],
    per: int,
    asked: list[tuple[str, int]],
    positions: list[int],
) -> None:
    # GIVEN a version in members of a few rows (a document's rows across members), and the same text
    # in one gzip stream
    keys, descriptions = version
    rows = _rows(keys, descriptions)
    data, described = written(rows, [doc for doc, _ in keys], per)
    whole = GzipCsv.of(gzip.compress(gzip.decompress(data), mtime=0))
    table = GzipCsv.of(data, members=_members(data, described, len(rows)))
    wanted = [(doc, str(item)) for doc, item in asked] + [(keys[0][0], str(keys[0][1]))]
    # WHEN rows are asked for by key and by position  THEN both read the same rows at the same places
    assert table.header == whole.header
    assert table.where(("document", "item"), wanted) == whole.where(("document", "item"), wanted)
    assert table.where(("document",), [(doc,) for doc, _ in wanted]) == whole.where(
        ("document",), [(doc,) for doc, _ in wanted]
    )
    assert table.at(positions) == whole.at(positions)


def test_only_the_members_holding_the_rows_asked_for_are_inflated(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN 20,000 rows in members of 100, the document of a row spanning two members
    keys = [(f"{90_000_000 + n // 4}", n % 4 + 1) for n in range(20_000)]
    rows = _rows(keys, [f"kind {n}" for n in range(20_000)])
    data, described = written(rows, [doc for doc, _ in keys], 100)
    # AND a reader that may not inflate the object whole
    monkeypatch.setattr(csv_rows, "_inflated", _never)
    table = GzipCsv.of(data, members=_members(data, described, len(rows)))
    inflated: list[bytes] = []
    member = csv_rows._inflated_member
    monkeypatch.setattr(csv_rows, "_inflated_member", lambda body: inflated.append(body) or member(body))
    # WHEN three keys are asked for, one of them in the rows 99 and 100, and their rows' positions
    found = table.where(("document", "item"), [("90000024", "4"), ("90000025", "1"), ("90004999", "4")])
    cited = table.at([99, 100, 19_999, 12_345])
    # THEN they are found, from three members, each inflated once
    assert {key: rows[0][0] for key, rows in found.items()} == {
        ("90000024", "4"): 99,
        ("90000025", "1"): 100,
        ("90004999", "4"): 19_999,
    }
    assert found[("90000025", "1")][0][1]["description"] == "kind 100"
    assert [cited[at]["description"] for at in (99, 100, 19_999, 12_345)] == [
        "kind 99",
        "kind 100",
        "kind 19999",
        "kind 12345",
    ]
    assert len(inflated) == 4  # rows 0–99, 100–199, 19,900–19,999, then 12,300–12,399 by position


def _never(data: bytes) -> Any:
    raise AssertionError("the whole object was inflated")


def test_a_description_that_does_not_fit_the_object_is_no_index() -> None:
    keys = [(f"{n:04d}", 1) for n in range(12)]
    data, described = written(_rows(keys, ["x"] * 12), [doc for doc, _ in keys], 3)
    assert Members.of(described, size=len(data), rows=12) is not None
    # GIVEN descriptions that do not fit the object: THEN each is no index at all
    offsets, firsts = described["offsets"], described["firsts"]
    for wrong in (
        {**described, "rows": 2},  # too few offsets for members of two rows
        {**described, "rows": True},
        {**described, "offsets": [*offsets[:-1], len(data) + 1]},  # beyond the object
        {**described, "offsets": [1, *offsets[1:]]},
        {**described, "offsets": [offsets[0], offsets[2], offsets[1], *offsets[3:]]},  # not rising
        {**described, "offsets": [*offsets[:-1], str(offsets[-1])]},
        {**described, "firsts": firsts[:-1]},
        {**described, "firsts": list(reversed(firsts))},  # out of order
        {**described, "firsts": [*firsts[:-1], 7]},
        "members",
    ):
        assert Members.of(wrong, size=len(data), rows=12) is None, wrong
    assert Members.of(described, size=len(data), rows=13) is None
    assert Members.of(described, size=len(data), rows="12") is None


def test_members_that_do_not_hold_the_rows_described_are_read_whole_with_the_same_answers() -> None:
    # GIVEN members of three rows, and descriptions that hold together but not for this object: two
    # members said to be one, the members' first documents shifted by one
    keys = [(f"{n:04d}", 1) for n in range(12)]
    rows = _rows(keys, ["x"] * 12)
    data, described = written(rows, [doc for doc, _ in keys], 3)
    offsets, firsts = described["offsets"], described["firsts"]
    merged = Members(4, (*offsets[:4], offsets[-1]))
    shifted = Members(3, tuple(offsets), tuple(f.encode() for f in ["0000", *firsts[:-1]]))
    whole = GzipCsv.of(data)
    asked = [("0004",), ("0005",), ("0011",)]
    # WHEN rows are asked for by key and by position  THEN the answers are the whole text's
    for lying in (merged, shifted):
        table = GzipCsv.of(data, members=lying)
        assert table.where(("document",), asked) == whole.where(("document",), asked), lying
        assert table.at([4, 5, 11]) == whole.at([4, 5, 11]), lying


def test_a_quoted_line_break_in_a_member_sends_the_search_to_the_whole_text() -> None:
    # GIVEN members of two rows, one row's description broken over two lines inside its quotes
    keys = [(f"{n:04d}", 1) for n in range(8)]
    rows = _rows(keys, ["a", "b", "c\nd", "e", "f", "g", "h", "i"])
    data, described = written(rows, [doc for doc, _ in keys], 2)
    table = GzipCsv.of(data, members=_members(data, described, len(rows)))
    # WHEN the broken row and a later one are asked for  THEN both are read whole, at their places
    found = table.where(("document",), [("0002",), ("0007",)])
    assert found[("0002",)] == [(2, {"document": "0002", "item": "1", "description": "c\nd"})]
    assert found[("0007",)][0][0] == 7
    assert table.at([2, 3]) == {
        2: found[("0002",)][0][1],
        3: {"document": "0003", "item": "1", "description": "e"},
    }


def test_an_object_of_several_members_without_a_description_is_checked_and_read_whole() -> None:
    # GIVEN an object of several members, and the same cut short in its last member
    keys = [(f"{n:04d}", 1) for n in range(9)]
    rows = _rows(keys, ["x"] * 9)
    data, _ = written(rows, [doc for doc, _ in keys], 2)
    # WHEN it is read with no description  THEN every member's text is kept and read
    table = GzipCsv.of(data)
    assert table.text == gzip.decompress(data)
    assert table.where(("document",), [("0008",)])[("0008",)][0][0] == 8
    assert GzipCsv.of(data, keep=0).where(("document",), [("0008",)]) == table.where(
        ("document",), [("0008",)]
    )
    # AND cut short, or followed by what is not gzip, it is refused
    with pytest.raises(CsvUnreadableError):
        GzipCsv.of(data[:-5])
    with pytest.raises(CsvUnreadableError):
        GzipCsv.of(data + b"not gzip")


def test_a_header_member_that_is_not_one_whole_member_is_refused() -> None:
    keys = [(f"{n:04d}", 1) for n in range(4)]
    rows = _rows(keys, ["x"] * 4)
    data, described = written(rows, [doc for doc, _ in keys], 2)
    # GIVEN a description whose first member ends before the header's does
    members = _members(data, described, 4)
    broken = Members(2, (0, members.offsets[1] - 4, *members.offsets[2:]), members.firsts)
    # WHEN it is read  THEN it is refused as a CSV it cannot read
    with pytest.raises(CsvUnreadableError):
        GzipCsv.of(data, members=broken)


class _Objects:
    """`get_object` over a dict, as the adapter calls S3."""

    class exceptions:
        ClientError = KeyError

    def __init__(self, objects: dict[str, bytes]) -> None:
        self._objects = objects

    def get_object(self, Bucket: str, Key: str) -> dict[str, Any]:
        return {"Body": io.BytesIO(self._objects[Key])}


@pytest.mark.parametrize("described", [True, False], ids=["described", "not described"])
def test_a_published_version_is_read_by_its_members_where_its_manifest_describes_them(
    described: bool,
) -> None:
    # GIVEN a published version and its origins in members, its manifest describing them or not
    keys = [(f"{n:04d}", 1) for n in range(9)]
    data, members = written(_rows(keys, ["x"] * 9), [doc for doc, _ in keys], 2)
    origins, origins_members = written([f"ZSDR002,{n + 1},1" for n in range(9)], [], 2, "source,row,input")
    named: dict[str, Any] = {
        "file": "origins.csv.gz",
        "sha256": hashlib.sha256(origins).hexdigest(),
        "rows": 9,
    }
    manifest: dict[str, Any] = {"rows": 9, "sha256": hashlib.sha256(data).hexdigest(), "origins": named}
    if described:
        manifest["members"], named["members"] = members, {**origins_members, "firsts": None}
    base = "etl/published/transactions/automated/v1/"
    objects = {base + "manifest.json": json.dumps(manifest).encode(), base + "data.csv.gz": data}
    objects[base + "origins.csv.gz"] = origins
    # WHEN it is loaded and a row asked for with where it was read
    snapshot = PublishedDatasets(_Objects(objects), "data").load("transactions", "automated", "v1")
    found = snapshot.rows_where(("document", "item"), [("0007", "1")])
    # THEN the row and its origin are found, read by members exactly where the manifest says
    assert found == {("0007", "1"): {"document": "0007", "item": "1", "description": "x"}}
    assert snapshot.source_of(("document", "item"), ("0007", "1")) == {"file": "ZSDR002", "row": 8}
    assert snapshot.origins is not None
    assert (snapshot.table.members is not None, snapshot.origins.members is not None) == (
        described,
        described,
    )
