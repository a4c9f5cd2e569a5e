"""Data loading: snapshots verified by checksum, parsed as text and cached; a bad or missing snapshot
falls back to the last good version, a held dataset is reported, and the run says so."""

from __future__ import annotations

import gzip
import hashlib

import pytest
from ior_contracts.claims import ClaimCheck
from ior_contracts.customs import LinesGenerated
from ior_contracts.datasets import TRANSACTIONS
from ior_customs.adapters.datasets import S3Snapshots, parse_snapshot
from ior_customs.domain.inputs import TRANSACTION_COLUMNS
from ior_customs.ports import UnreadableSnapshotError

from tests.customs.builders import PRODUCTS, RATES, held, metadata, snapshot_bytes
from tests.customs.integration.conftest import DATA, World

GENERATED = "customs.lines.generated.v1"


def _generated(world: World) -> LinesGenerated:
    (event,) = world.events(GENERATED)
    assert isinstance(event, LinesGenerated)
    return event


def test_a_snapshot_failing_its_checksum_falls_back_to_the_last_good_version(world: World) -> None:
    # GIVEN a good product master, then a newer one whose object is not what its claim check says
    world.publish_reference()
    first = world.deps.catalogue.current("product-master", "automated")
    world.publish_dataset("product-master", [{**PRODUCTS[0], "net_kg": "2.5"}, PRODUCTS[1]], corrupt=True)
    # WHEN the day's transactions arrive
    world.publish_day()
    # THEN the run used the good version and says why
    event = _generated(world)
    assert first is not None
    assert event.inputs["product-master"] == first.version
    (fallback,) = event.fallbacks
    assert (fallback.dataset, fallback.version, fallback.reason) == (
        "product-master",
        first.version,
        "checksum_mismatch",
    )
    assert "SHA-256" in fallback.detail


def test_a_missing_snapshot_falls_back_to_the_last_good_version(world: World) -> None:
    world.publish_reference()
    first = world.deps.catalogue.current("exchange-rates", "automated")
    world.publish_dataset(
        "exchange-rates",
        [*RATES, {"currency": "EUR", "date": "2026-03-12", "usd_per_unit": "1.09"}],
        store=False,
    )
    world.publish_day()
    event = _generated(world)
    assert first is not None
    assert event.inputs["exchange-rates"] == first.version
    (fallback,) = event.fallbacks
    assert (fallback.reason, fallback.version) == ("unreadable", first.version)
    assert "does not exist" in fallback.detail


def test_a_held_dataset_keeps_its_last_good_version_and_the_run_says_so(world: World) -> None:
    from ior_customs.service_layer import handlers

    world.publish_reference()
    # WHEN the exchange rates' latest ETL run is held
    hold = held("exchange-rates")
    handlers.dataset_held(
        hold, cause=metadata(type(hold), world.clock.tick()), deps=world.deps, publish=world.publish
    )
    world.publish_day()
    (fallback,) = _generated(world).fallbacks
    assert (fallback.dataset, fallback.reason) == ("exchange-rates", "held")
    assert hold.run_id in fallback.detail
    assert "9 of 10 rows rejected" in fallback.detail


def test_no_run_when_no_version_of_a_dataset_loads(world: World) -> None:
    from tests.customs.builders import REFERENCE

    for dataset, rows in REFERENCE.items():
        world.publish_dataset(dataset, rows, corrupt=dataset == "hts-reference")
    outcome = world.publish_day()
    assert outcome.status == "skipped"
    assert "no readable version of hts-reference" in outcome.detail
    assert not outcome.waiting  # unreadable data is a problem: logged as a warning
    assert world.sent == []


def test_cells_are_read_as_text_and_keep_their_leading_zeros() -> None:
    data = snapshot_bytes(
        "hts-reference",
        [{"hts10": "0101210010", "description": "Purebred breeding horses", "unit": "No.",
          "general_rate": "0", "company_rate": "", "official_rate": "", "rate_differs": "false",
          "official_revision": ""}],
    )  # fmt: skip
    frame = parse_snapshot(data, "hts-reference")
    assert frame.loc[0, "hts10"] == "0101210010"
    assert frame.loc[0, "company_rate"] == ""
    assert frame.loc[0, "general_rate"] == "0"


def test_a_snapshot_with_another_header_is_unreadable() -> None:
    with pytest.raises(UnreadableSnapshotError, match="header"):
        parse_snapshot(gzip.compress(b"a,b\n1,2\n", mtime=0), "hts-reference")
    with pytest.raises(UnreadableSnapshotError, match="header"):
        parse_snapshot(gzip.compress(b"document,item\n1,2\n", mtime=0), "transactions")
    with pytest.raises(UnreadableSnapshotError, match="gzip"):
        parse_snapshot(b"not gzip", "hts-reference")
    with pytest.raises(UnreadableSnapshotError, match="empty"):
        parse_snapshot(gzip.compress(b"", mtime=0), "transactions")


def test_a_snapshot_cut_short_or_corrupted_is_unreadable() -> None:
    data = gzip.compress(b"hts10,description\n" + b"0101210010,Horses\n" * 500, mtime=0)
    corrupted = bytearray(data)
    corrupted[12:40] = b"\xff" * 28
    for broken in (data[: len(data) // 2], bytes(corrupted)):
        with pytest.raises(UnreadableSnapshotError, match="not a gzip CSV"):
            parse_snapshot(broken, "hts-reference")


def test_the_transactions_are_read_for_the_columns_the_processor_reads_only() -> None:
    # GIVEN a transactions snapshot with every column of the dataset, its description quoted
    row = {name: "" for name in TRANSACTIONS.names} | {
        "document": "0090000001", "item": "10", "description": 'Router, 4 "ports"', "quantity": "2",
        "related_party_review": "true",
    }  # fmt: skip
    # WHEN it is parsed
    frame = parse_snapshot(snapshot_bytes("transactions", [row]), "transactions")
    # THEN it holds the columns the processor reads, in the dataset's order, as text
    assert tuple(frame.columns) == TRANSACTION_COLUMNS
    assert (frame.loc[0, "document"], frame.loc[0, "quantity"]) == ("0090000001", "2")


def test_snapshots_are_cached_by_uri_and_checksum_for_their_ttl(world: World) -> None:
    now = [0.0]
    snapshots = S3Snapshots(world.s3, ttl_s=60, max_entries=2, clock=lambda: now[0])
    data = snapshot_bytes("exchange-rates", RATES)
    world.s3.put_object(Bucket=DATA, Key="etl/published/x/rows.csv.gz", Body=data)
    claim = ClaimCheck(
        uri=f"s3://{DATA}/etl/published/x/rows.csv.gz", sha256=hashlib.sha256(data).hexdigest(), row_count=1,
        schema_version="1",
    )  # fmt: skip
    first = snapshots.load("exchange-rates", claim)
    assert snapshots.load("exchange-rates", claim) is first
    assert snapshots.reads == 1
    now[0] = 61.0
    snapshots.load("exchange-rates", claim)
    assert snapshots.reads == 2
