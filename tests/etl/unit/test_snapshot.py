"""Deterministic snapshots in the format of `ior_contracts.datasets`, and back."""

from __future__ import annotations

import gzip
from decimal import Decimal

import pandas as pd
import pytest
from ior_contracts.datasets import DATASETS, EXCHANGE_RATES, TARIFF_PROVISIONS
from ior_etl.domain.exchange_rates import build_exchange_rates
from ior_etl.domain.quarantine import quarantine_body
from ior_etl.domain.sap_fields import ZEMM07, ZFMIOR003, ZSDR002
from ior_etl.domain.snapshot import (
    InputChecksum,
    SnapshotError,
    manifest,
    read_snapshot,
    snapshot_csv,
    version_id,
    write_snapshot,
)
from ior_etl.domain.tariff_provisions import build_tariff_provisions
from ior_etl.domain.transactions import build_transactions
from ior_etl.domain.typed import DatasetFrameError, typed_frame

from tests.etl.unit.records import billing, frame, provision, rate

INPUTS = [InputChecksum("ZEMM07", "a" * 64, "s3://bucket/ingestion/published/ZEMM07.jsonl.gz")]


def rates_frame(*rows: tuple[str, str, Decimal]) -> pd.DataFrame:
    return typed_frame(
        {
            "currency": [r[0] for r in rows],
            "date": pd.to_datetime([r[1] for r in rows]),
            "usd_per_unit": [r[2] for r in rows],
        },
        EXCHANGE_RATES,
    )


def test_the_same_rows_give_byte_identical_snapshots_whatever_their_order():
    one = rates_frame(("TWD", "2026-03-11", Decimal("0.031250")), ("EUR", "2026-03-10", Decimal("1.0850")))
    other = rates_frame(("EUR", "2026-03-10", Decimal("1.085")), ("TWD", "2026-03-11", Decimal("0.03125")))

    first, second = write_snapshot(one, "exchange-rates"), write_snapshot(other, "exchange-rates")

    assert first.data == second.data
    assert first.sha256 == second.sha256
    assert first.rows == 2


def test_the_csv_is_sorted_by_key_with_canonical_cells():
    data = rates_frame(
        ("TWD", "2026-03-11", Decimal("0.031250")),
        ("EUR", "2026-03-10", Decimal("1E+2")),
        ("EUR", "2026-03-09", Decimal("0.0000001")),
        ("CNY", "2026-03-09", Decimal("-0.000")),
    )

    assert snapshot_csv(data, EXCHANGE_RATES).decode() == (
        "currency,date,usd_per_unit\n"
        "CNY,2026-03-09,0\n"
        "EUR,2026-03-09,0.0000001\n"
        "EUR,2026-03-10,100\n"
        "TWD,2026-03-11,0.03125\n"
    )


def test_gzip_has_no_timestamp_and_no_file_name():
    data = write_snapshot(rates_frame(("EUR", "2026-03-10", Decimal(1))), "exchange-rates").data

    assert data[:4] == b"\x1f\x8b\x08\x00"  # no FNAME flag
    assert data[4:8] == b"\x00\x00\x00\x00"  # mtime 0


def test_lists_nulls_booleans_and_quoting_follow_the_contract():
    build = build_tariff_provisions(
        frame(
            ZFMIOR003,
            provision(
                "9903.01.25",
                ZZPROG="IEEPA_R",
                ZZPART="non_metal",
                ZZPREFIXES="",
                ZZORIGINS="*",
                ZZEXCL="MX;CN",
                DATBI="2026-02-23",
            ),
            provision("9903.88.15", ZZPREFIXES="851762;847330"),
        )
    )  # fmt: skip
    text = snapshot_csv(build.frame, TARIFF_PROVISIONS).decode()

    assert text.splitlines() == [
        ",".join(TARIFF_PROVISIONS.names),
        "9903.01.25,1,IEEPA_R,additional,0.075,non_metal,,*,CN;MX,,,2020-02-14,2026-02-23,10",
        "9903.88.15,1,S301,additional,0.075,any,847330;851762,CN,,,,2020-02-14,,10",
    ]
    transactions = build_transactions(frame(ZSDR002, billing(ARKTX='Cable, "flat"')))
    line = snapshot_csv(transactions.frame, "transactions").decode().splitlines()[1]
    assert ',"Cable, ""flat""",' in line
    assert line.endswith(",SH2001,2709,11,2026-03-16,false")


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_every_dataset_reads_back_typed(dataset, sample_builds):
    build = sample_builds[dataset]
    snapshot = write_snapshot(build.frame, dataset)

    back = read_snapshot(snapshot.data)

    expected = build.frame.sort_values(list(DATASETS[dataset].key), kind="mergesort").reset_index(drop=True)
    pd.testing.assert_frame_equal(back, expected, check_exact=True)
    assert write_snapshot(back, dataset).data == snapshot.data


def test_floats_are_refused():
    with pytest.raises(DatasetFrameError, match="floats are refused"):
        rates_frame(("EUR", "2026-03-10", 1.085))  # type: ignore[arg-type]


def test_a_frame_with_other_columns_or_a_repeated_key_is_refused():
    data = rates_frame(("EUR", "2026-03-10", Decimal(1)), ("EUR", "2026-03-10", Decimal(2)))

    with pytest.raises(DatasetFrameError, match="share a key"):
        write_snapshot(data, "exchange-rates")
    with pytest.raises(DatasetFrameError, match="columns"):
        write_snapshot(data.drop(columns="usd_per_unit"), "exchange-rates")


def test_empty_and_missing_texts_where_none_is_allowed_are_refused_and_counted():
    # GIVEN a rates frame of many rows, two with an empty currency and one with none
    rows = [(f"C{i % 7}", f"2026-03-{1 + i // 7:02d}", Decimal(1)) for i in range(140)]
    data = rates_frame(*rows)
    data.loc[[3, 50], "currency"] = ""
    data.loc[99, "currency"] = None
    # WHEN its snapshot is written  THEN it is refused, naming the three and the column
    with pytest.raises(DatasetFrameError, match="3 empty values in currency"):
        write_snapshot(data, "exchange-rates")


def test_bytes_that_are_no_snapshot_are_refused():
    with pytest.raises(SnapshotError):
        read_snapshot(b"not gzip")
    with pytest.raises(SnapshotError, match="not that of any dataset"):
        read_snapshot(gzip.compress(b"a,b\n1,2\n"))


def test_the_version_is_content_addressed_and_keyed_by_code_and_configuration():
    build = build_exchange_rates(frame(ZEMM07, rate()))
    snapshot = write_snapshot(build.frame, "exchange-rates")

    version = version_id(build, snapshot, INPUTS, "etl-1.0.0", "cfg1")

    assert version == version_id(build, snapshot, list(reversed(INPUTS)), "etl-1.0.0", "cfg1")
    assert version != version_id(build, snapshot, INPUTS, "etl-1.0.1", "cfg1")
    assert version != version_id(build, snapshot, INPUTS, "etl-1.0.0", "cfg2")
    assert len(version) == 24
    assert set(version) <= set("0123456789abcdef")


def test_the_manifest_says_what_the_version_is_and_what_made_it():
    build = build_exchange_rates(frame(ZEMM07, rate(), rate("TWD", UKURS="x")))
    snapshot = write_snapshot(build.frame, "exchange-rates")

    document = manifest(build, snapshot, inputs=INPUTS, code_version="etl-1.0.0")

    assert document["schema_version"] == "1"
    assert document["format"] == "csv.gz"
    assert (document["rows"], document["sha256"]) == (1, snapshot.sha256)
    assert document["inputs"] == [{"name": "ZEMM07", "sha256": "a" * 64, "uri": INPUTS[0].uri}]
    assert document["code_version"] == "etl-1.0.0"
    assert len(document["config_version"]) == 16
    assert (document["status"], document["total_rows"], document["rejected_rows"]) == ("held", 2, 1)
    assert document["rule_counts"] == {"malformed_rate": 1}
    assert document == manifest(build, snapshot, inputs=INPUTS, code_version="etl-1.0.0")


def unlocated(source: str, row: int) -> tuple[int, None]:
    return row, None


def test_the_quarantine_object_is_deterministic():
    build = build_exchange_rates(frame(ZEMM07, rate(UKURS="x"), rate("TWD", FFACT="0")))

    data = quarantine_body(build.rejected, unlocated)

    assert data == quarantine_body(build.rejected, unlocated)
    lines = gzip.decompress(data).decode().splitlines()
    assert len(lines) == 2
    assert '"rule":"malformed_rate"' in lines[0]
    assert '"record":{"FCURR":"EUR"' in lines[0]
