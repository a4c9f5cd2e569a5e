"""Where each published row was read (`origins.csv.gz`): the legacy file's row as a spreadsheet shows
it, or the SAP extract's line, one line per snapshot line in the snapshot's order."""

from __future__ import annotations

import gzip
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from ior_contracts.datasets import DATASETS
from ior_etl.domain.building import build_manual
from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.exchange_rates import build_exchange_rates
from ior_etl.domain.extracts import records_frame
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.origins import origins_csv, write_origins
from ior_etl.domain.quarantine import Locate, RowsLocated
from ior_etl.domain.sap_fields import ZEMM07
from ior_etl.domain.snapshot import InputChecksum, snapshot_csv, write_ordered_snapshot

from tests.etl.unit.records import legacy_csv, rate

LENIENT = HoldPolicy(thresholds=dict.fromkeys(DATASETS, Decimal(1)))
UPLOAD = InputChecksum("hts_code", "a" * 64, "s3://data/uploads/HTS_Code.csv")
REVISION = InputChecksum("USITC_HTS", "b" * 64, "s3://data/landed/usitc.json")
EXTRACT = InputChecksum("ZEMM07", "c" * 64, "s3://data/landed/zemm07.jsonl.gz")


def _located(found: InputChecksum) -> Locate:
    """A locator as the service's: a whole source's row is its own number in that one object."""
    return lambda source, row: (row, found)


def _lines(build: DatasetBuild, found: InputChecksum, *inputs: InputChecksum) -> list[str]:
    text = origins_csv(build, _located(found), [found, *inputs])
    assert text is not None
    return text.decode().splitlines()


def test_an_uploaded_files_rows_are_cited_by_their_spreadsheet_row_and_a_quarantined_row_shifts_none() -> (
    None
):
    # GIVEN HTS_Code.csv whose row 3 has a rate that is not one (quarantined), in no HTS order
    data = legacy_csv(
        "HTS Code,Description,Duty Rate,Unit",
        "8536.69.8000,Plugs and sockets,Free,No.",
        "8504.40.9520,Power supplies,ten percent,No.",
        "7326.90.8688,Other articles of iron or steel,2.9%,kg",
        "8517.62.0020,Switching and routing apparatus,Free,No.",
    )
    # WHEN the manual build publishes
    build = build_manual("hts_code", data, policy=LENIENT)
    assert build.rejected["row"].tolist() == [3]
    # THEN each snapshot line is cited by the file and the row it came from, header = row 1, the rows
    # after the quarantined one keeping their own numbers, in the snapshot's (HTS) order
    snapshot = snapshot_csv(build.frame, build.dataset).decode().splitlines()
    assert [line.split(",")[0] for line in snapshot[1:]] == ["7326908688", "8517620020", "8536698000"]
    assert _lines(build, UPLOAD, REVISION) == [
        "source,row,input",
        "HTS_Code.csv,4,2",
        "HTS_Code.csv,5,2",
        "HTS_Code.csv,2,2",
    ]


def test_an_extracts_records_are_cited_by_their_table_and_line_and_which_input_of_the_manifest() -> None:
    # GIVEN a ZEMM07 extract whose second record is not a rate (rejected) between two that are
    table = records_frame(
        [rate("TWD", UKURS="0.03125"), rate("EUR", UKURS="not a number"), rate("CHF", UKURS="1.12")], ZEMM07
    )
    build = build_exchange_rates(table, policy=LENIENT)
    # WHEN its origins are written, the extract being the second input the manifest lists
    lines = _lines(build, EXTRACT, InputChecksum("AAA", "d" * 64))
    # THEN the rates in currency order cite ZEMM07's lines 3 and 1, and input 2
    assert build.frame["currency"].tolist() == ["TWD", "CHF"]
    assert lines == ["source,row,input", "ZEMM07,3,2", "ZEMM07,1,2"]


def test_a_row_the_locator_cannot_place_names_no_input_and_the_same_build_gives_the_same_bytes() -> None:
    build = build_exchange_rates(records_frame([rate("EUR"), rate("TWD")], ZEMM07), policy=LENIENT)
    # WHEN the locator knows no object for the source
    text = origins_csv(build, lambda source, row: (row, None), [EXTRACT])
    # THEN each row still says its source and row, and nothing is guessed for its input
    assert text == b"source,row,input\nZEMM07,1,\nZEMM07,2,\n"
    first = write_origins(build, _located(EXTRACT), [EXTRACT])
    again = write_origins(build, _located(EXTRACT), [EXTRACT])
    assert first is not None
    assert again is not None
    assert (first.data, first.sha256, first.rows) == (again.data, again.sha256, 2)
    assert gzip.decompress(first.data) == b"source,row,input\nZEMM07,1,1\nZEMM07,2,1\n"


def test_a_build_that_does_not_say_where_its_rows_were_read_has_no_origins() -> None:
    frame = pd.DataFrame({"currency": ["EUR"], "date": ["2026-03-10"], "usd_per_unit": [Decimal(1)]})
    build = build_exchange_rates(records_frame([rate("EUR")], ZEMM07), policy=LENIENT)
    unsaid = DatasetBuild(build.dataset, build.mode, frame, build.validation)
    assert origins_csv(unsaid, _located(EXTRACT), [EXTRACT]) is None
    assert write_origins(unsaid, _located(EXTRACT), [EXTRACT]) is None


class _PlacesRows:
    """A locator that also places many rows at once, as the service's does: row r was line r + 2 of
    the object `objects[r % len(objects)]` (or of the first, when `one_object`)."""

    def __init__(self, objects: list[InputChecksum | None], *, one_object: bool) -> None:
        self._objects = objects
        self._one = one_object

    def _which(self, rows: np.ndarray) -> np.ndarray:
        return np.zeros(len(rows), dtype=np.intp) if self._one else rows % len(self._objects)

    def __call__(self, source: str, row: int, /) -> tuple[int, InputChecksum | None]:
        return row + 2, self._objects[int(self._which(np.array([row]))[0])]

    def rows(self, source: str, rows: np.ndarray) -> RowsLocated:
        return RowsLocated(rows + 2, self._objects, self._which(rows))


@pytest.mark.parametrize("one_object", [True, False], ids=["one object", "objects in turn"])
def test_rows_placed_at_once_are_cited_as_rows_placed_one_by_one(one_object: bool) -> None:
    # GIVEN a build from an extract, and a locator that places rows at once or one by one alike
    data = [rate(c, f"2026-03-1{d}") for c in ("EUR", "CNY", "TWD") for d in range(3)]
    build = build_exchange_rates(records_frame(data, ZEMM07))
    places = _PlacesRows([EXTRACT, None, UPLOAD], one_object=one_object)

    def one_by_one(source: str, row: int) -> tuple[int, InputChecksum | None]:
        return places(source, row)

    # WHEN its origins are written each way, in the order found anew or the snapshot's
    order = write_ordered_snapshot(build.frame, build.dataset)[1]
    at_once = origins_csv(build, places, [EXTRACT, UPLOAD])
    # THEN the bytes are the same
    assert at_once == origins_csv(build, one_by_one, [EXTRACT, UPLOAD])
    assert at_once == origins_csv(build, places, [EXTRACT, UPLOAD], order)
    assert at_once is not None
    assert len(at_once.decode().splitlines()) == 1 + len(build.frame)
